import { ACL_CATEGORIES, type AclCommand } from "./AclCommandSet.js";
import { AclSelector, type KeyPattern, KeyPermission, SelectorFlag } from "./AclSelector.js";
import { type AclUser, USER_FLAGS } from "./AclUser.js";

/**
 * Redis's `ACLDescribeSelectorCommandRules`: the shortest-looking rule list that rebuilds the
 * command bitmap. Start from `+@all` (if the selector may run future commands) or `-@all`,
 * repeatedly apply the category that best fits what is left, then fix single commands. The
 * output is checked by replaying it, as Redis does.
 */
export function describeCommandRules(selector: AclSelector): string {
  const commands = selector.commands;
  const additive = !selector.canRunFutureCommands();
  const fake = new AclSelector(commands, 0);
  const parts: string[] = [additive ? "-@all" : "+@all"];
  fake.apply(parts[0]!);

  const temp = new AclSelector(commands, 0);
  temp.allowed.set(selector.allowed);
  const applied = new Array<boolean>(ACL_CATEGORIES.length).fill(false);
  for (;;) {
    let best = -1;
    let minDiff = Number.MAX_SAFE_INTEGER;
    let maxSame = 0;
    for (let j = 0; j < ACL_CATEGORIES.length; j++) {
      if (applied[j]) continue;
      const { on, off } = temp.countCategory(1 << j);
      const diff = additive ? off : on;
      const same = additive ? on : off;
      if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
        best = j;
        minDiff = diff;
        maxSame = same;
      }
    }
    if (best === -1) break;
    const name = ACL_CATEGORIES[best]!;
    fake.changeCategory(name, additive);
    temp.changeCategory(name, !additive);
    parts.push(`${additive ? "+@" : "-@"}${name}`);
    applied[best] = true;
  }

  describeSingleCommands(selector, fake, commands.topLevel, parts);
  for (let i = 0; i < selector.allowed.length; i++) {
    if (fake.allowed[i] !== selector.allowed[i])
      throw new Error(`ACL rules do not rebuild the bitmap: '${parts.join(" ")}'`);
  }
  return parts.join(" ");
}

function describeSingleCommands(
  selector: AclSelector,
  fake: AclSelector,
  list: readonly AclCommand[],
  parts: string[],
): void {
  for (const cmd of list) {
    const userBit = selector.bit(cmd.index);
    if (userBit !== fake.bit(cmd.index)) {
      parts.push(`${userBit ? "+" : "-"}${cmd.fullName}`);
      fake.changePermission(cmd, userBit);
    }
    if (cmd.subcommands.length > 0) describeSingleCommands(selector, fake, cmd.subcommands, parts);
    const firstArgs = selector.firstArgs?.get(cmd.index);
    if (!userBit && firstArgs !== undefined) for (const arg of firstArgs) parts.push(`+${cmd.fullName}|${arg}`);
  }
}

/** `~pat`, `%R~pat` or `%W~pat` (Redis's `sdsCatPatternString`). */
export function keyPatternString(k: KeyPattern): string {
  const prefix = k.permissions === KeyPermission.All ? "~" : k.permissions === KeyPermission.Read ? "%R~" : "%W~";
  return prefix + k.pattern;
}

/** Redis's `ACLDescribeSelector`: keys, channels, then command rules. */
export function describeSelector(selector: AclSelector): string {
  let out = "";
  if (selector.hasFlag(SelectorFlag.AllKeys)) out += "~* ";
  else for (const k of selector.keys) out += `${keyPatternString(k)} `;
  if (selector.hasFlag(SelectorFlag.AllChannels)) {
    out += "&* ";
  } else {
    out += "resetchannels ";
    for (const c of selector.channels) out += `&${c.pattern} `;
  }
  return out + describeCommandRules(selector);
}

/** Redis's `ACLDescribeUser`: the rules ACL LIST shows and ACL SAVE writes after `user <name> `. */
export function describeUser(user: AclUser): string {
  let out = "";
  for (const [name, bit] of USER_FLAGS) if ((user.flags & bit) !== 0) out += `${name} `;
  for (const p of user.passwords) out += `#${p} `;
  for (const s of user.selectors) {
    const text = describeSelector(s);
    out += s.hasFlag(SelectorFlag.Root) ? text : ` (${text})`;
  }
  return out;
}

/** ACL GETUSER `keys`: `~*`, or the patterns separated by spaces. */
export function keysDescription(selector: AclSelector): string {
  if (selector.hasFlag(SelectorFlag.AllKeys)) return "~*";
  return selector.keys.map(keyPatternString).join(" ");
}

/** ACL GETUSER `channels`: `&*`, or the patterns separated by spaces. */
export function channelsDescription(selector: AclSelector): string {
  if (selector.hasFlag(SelectorFlag.AllChannels)) return "&*";
  return selector.channels.map((c) => `&${c.pattern}`).join(" ");
}

import type { CommandArgs, CommandSpec } from "../commands/CommandSpec.js";
import { commandHasKeys, type FoundKey, findKeys } from "../commands/keySpecs.js";
import type { AclCommand } from "./AclCommandSet.js";
import { AclDenied } from "./AclLog.js";
import { type AclSelector, KeyPermission, SelectorFlag } from "./AclSelector.js";
import type { AclUser } from "./AclUser.js";

/** A command to check: its ACL entry, and the table entry whose key specs find its keys. */
export interface CheckedCommand {
  readonly acl: AclCommand;
  readonly spec: CommandSpec;
}

/** Where the denied key or channel is (an index into the args), set when a check fails. */
export interface DeniedAt {
  index: number;
}

/** Commands whose channel arguments ACL channel rules govern (Redis's `ACLDoesCommandHaveChannels`). */
const CHANNEL_COMMANDS = new Map<string, "one" | "all" | "patterns">([
  ["publish", "one"],
  ["spublish", "one"],
  ["subscribe", "all"],
  ["ssubscribe", "all"],
  ["psubscribe", "patterns"],
]);

/** Permission bits a key spec's flags ask for (Redis: access → read; insert, delete, update → write). */
function neededPermissions(flags: readonly string[]): number {
  let needed = 0;
  for (const f of flags) {
    if (f === "access") needed |= KeyPermission.Read;
    else if (f === "insert" || f === "delete" || f === "update") needed |= KeyPermission.Write;
  }
  return needed;
}

/** Keys found once per check and shared between selectors (Redis's `aclKeyResultCache`). */
class KeyCache {
  private keys: FoundKey[] | null = null;
  constructor(
    private readonly cmd: CheckedCommand,
    private readonly args: CommandArgs,
    private readonly first: number,
  ) {}
  get(): FoundKey[] {
    if (this.keys === null) {
      const found = findKeys(this.cmd.spec, this.cmd.acl.fullName, this.args, this.first) ?? [];
      this.keys = found.filter((k) => !k.flags.includes("not_key"));
    }
    return this.keys;
  }
}

/** Redis's `ACLSelectorCheckCmd`: 0 when the selector allows the command, else the denial. */
function checkSelector(
  s: AclSelector,
  cmd: CheckedCommand,
  args: CommandArgs,
  first: number,
  keys: KeyCache,
  at: DeniedAt,
): number {
  const acl = cmd.acl;
  if (!s.hasFlag(SelectorFlag.AllCommands) && !acl.noAuth && !s.bit(acl.index)) {
    const argIndex = first + (acl.parent !== null ? 2 : 1);
    if (argIndex >= args.argc || !s.firstArgAllowed(acl.index, args.argString(argIndex))) return AclDenied.Command;
  }
  if (!s.hasFlag(SelectorFlag.AllKeys) && commandHasKeys(cmd.spec, acl.fullName)) {
    for (const k of keys.get()) {
      const off = args.offsets[k.index]!;
      if (!s.keyAllowed(args.buffer, off, off + args.lengths[k.index]!, neededPermissions(k.flags))) {
        at.index = k.index;
        return AclDenied.Key;
      }
    }
  }
  const channels = acl.parent === null ? CHANNEL_COMMANDS.get(acl.fullName) : undefined;
  if (channels !== undefined && !s.hasFlag(SelectorFlag.AllChannels)) {
    const last = channels === "one" ? Math.min(first + 1, args.argc - 1) : args.argc - 1;
    for (let j = first + 1; j <= last; j++) {
      if (!s.channelAllowed(args.argString(j), channels === "patterns")) {
        at.index = j;
        return AclDenied.Channel;
      }
    }
  }
  return 0;
}

/**
 * Redis's `ACLCheckAllUserCommandPerm`: 0 when some selector of `user` allows the command with
 * these arguments (`first` is the index of the command name in `args`). Otherwise the denial
 * that "wins" across selectors — channel over key over command, then the later argument — with
 * its argument index in `at`.
 */
export function checkUserPermission(
  user: AclUser,
  cmd: CheckedCommand,
  args: CommandArgs,
  first: number,
  at: DeniedAt,
): number {
  let relevant: number = AclDenied.Command;
  let lastIndex = 0;
  const local: DeniedAt = { index: 0 };
  const keys = new KeyCache(cmd, args, first);
  for (const s of user.selectors) {
    const result = checkSelector(s, cmd, args, first, keys, local);
    if (result === 0) return 0;
    if (result > relevant || (result === relevant && local.index > lastIndex)) {
      relevant = result;
      lastIndex = local.index;
    }
  }
  at.index = lastIndex;
  return relevant;
}

/**
 * Redis's `ACLUserCheckCmdWithUnrestrictedKeyAccess` (with `CMD_KEY_ACCESS`): true when a
 * selector of `user` both allows the command and may read every key — SORT's BY and GET read
 * keys no key spec names, so they need that.
 */
export function userHasUnrestrictedKeyAccess(
  user: AclUser,
  cmd: CheckedCommand,
  args: CommandArgs,
  first: number,
): boolean {
  const keys = new KeyCache(cmd, args, first);
  const local: DeniedAt = { index: 0 };
  for (const s of user.selectors) {
    if (checkSelector(s, cmd, args, first, keys, local) !== 0) continue;
    if (s.hasFlag(SelectorFlag.AllKeys)) return true;
    for (const k of s.keys) if ((k.permissions & KeyPermission.Read) !== 0 && k.pattern === "*") return true;
  }
  return false;
}

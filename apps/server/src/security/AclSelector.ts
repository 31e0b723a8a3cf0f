import { globMatchRange, globMatchString } from "@nedis/pubsub";
import { type AclCommand, type AclCommandSet, categoryBit } from "./AclCommandSet.js";
import { AclRuleError } from "./AclRuleError.js";

/** Selector flags (Redis's `SELECTOR_FLAG_*`). */
export const SelectorFlag = { Root: 1, AllKeys: 2, AllCommands: 4, AllChannels: 8 } as const;

/** Key permissions of a pattern (`%R~`, `%W~`, `~` is both). */
export const KeyPermission = { Read: 1, Write: 2, All: 3 } as const;

/** A key pattern with the permissions it grants. */
export interface KeyPattern {
  /** The glob, as a binary (latin1) string. */
  readonly pattern: string;
  /** The same bytes, for matching arguments in place. */
  readonly bytes: Uint8Array;
  permissions: number;
}

/** A channel pattern (`&pattern`). */
export interface ChannelPattern {
  readonly pattern: string;
  readonly bytes: Uint8Array;
}

/**
 * One set of permissions of a user (Redis's `aclSelector`): a bitmap of allowed commands, the
 * first arguments allowed for otherwise blocked commands (`+select|0`), key and channel patterns.
 * Every user has a root selector; `(…)` rules add more, and a command runs if any selector
 * allows it.
 */
export class AclSelector {
  flags: number;
  readonly allowed: Uint8Array;
  /** Allowed first arguments by command bit index (lowercased for comparison, as typed for output). */
  firstArgs: Map<number, string[]> | null = null;
  keys: KeyPattern[] = [];
  channels: ChannelPattern[] = [];

  constructor(
    readonly commands: AclCommandSet,
    flags: number,
  ) {
    this.flags = flags;
    this.allowed = new Uint8Array(commands.bitCount);
  }

  copy(): AclSelector {
    const s = new AclSelector(this.commands, this.flags);
    s.allowed.set(this.allowed);
    if (this.firstArgs !== null) s.firstArgs = new Map([...this.firstArgs].map(([k, v]) => [k, [...v]]));
    s.keys = this.keys.map((k) => ({ ...k }));
    s.channels = [...this.channels];
    return s;
  }

  hasFlag(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }

  /** The command bit (not the ALLCOMMANDS flag). */
  bit(index: number): boolean {
    return this.allowed[index] === 1;
  }

  canRunFutureCommands(): boolean {
    return this.allowed[this.commands.futureBit] === 1;
  }

  setBit(index: number, allow: boolean): void {
    if (allow) {
      this.allowed[index] = 1;
    } else {
      this.allowed[index] = 0;
      this.flags &= ~SelectorFlag.AllCommands;
    }
  }

  /** Redis's `ACLChangeSelectorPerm`: a container's rule covers its subcommands too. */
  changePermission(cmd: AclCommand, allow: boolean): void {
    this.setBit(cmd.index, allow);
    this.firstArgs?.delete(cmd.index);
    for (const sub of cmd.subcommands) this.setBit(sub.index, allow);
  }

  /** `+@category` / `-@category` over Redis's whole table; false for an unknown category. */
  changeCategory(category: string, allow: boolean): boolean {
    const bit = categoryBit(category);
    if (bit === 0) return false;
    for (const cmd of this.commands.topLevel) {
      if ((cmd.categories & bit) !== 0) this.changePermission(cmd, allow);
      for (const sub of cmd.subcommands) if ((sub.categories & bit) !== 0) this.changePermission(sub, allow);
    }
    return true;
  }

  /** Commands of a category this selector allows and denies (Redis's `ACLCountCategoryBitsForSelector`). */
  countCategory(bit: number): { on: number; off: number } {
    let on = 0;
    let off = 0;
    for (const cmd of this.commands.all) {
      if ((cmd.categories & bit) === 0) continue;
      if (this.allowed[cmd.index] === 1) on++;
      else off++;
    }
    return { on, off };
  }

  private allowAll(allow: boolean): void {
    this.allowed.fill(allow ? 1 : 0);
    if (allow) this.flags |= SelectorFlag.AllCommands;
    else this.flags &= ~SelectorFlag.AllCommands;
    this.firstArgs = null;
  }

  private addFirstArg(index: number, arg: string): void {
    this.firstArgs ??= new Map();
    const list = this.firstArgs.get(index);
    const lower = arg.toLowerCase();
    if (list === undefined) this.firstArgs.set(index, [arg]);
    else if (!list.some((a) => a.toLowerCase() === lower)) list.push(arg);
  }

  /** True when `arg` is an allowed first argument of the command with bit `index`. */
  firstArgAllowed(index: number, arg: string): boolean {
    const list = this.firstArgs?.get(index);
    if (list === undefined) return false;
    const lower = arg.toLowerCase();
    return list.some((a) => a.toLowerCase() === lower);
  }

  /**
   * Redis's `ACLSetSelector`: applies one rule. Throws {@link AclRuleError} (Redis's errno) for
   * a rule it does not understand.
   */
  apply(op: string): void {
    const lower = op.toLowerCase();
    if (lower === "allkeys" || lower === "~*") {
      this.flags |= SelectorFlag.AllKeys;
      this.keys = [];
    } else if (lower === "resetkeys") {
      this.flags &= ~SelectorFlag.AllKeys;
      this.keys = [];
    } else if (lower === "allchannels" || lower === "&*") {
      this.flags |= SelectorFlag.AllChannels;
      this.channels = [];
    } else if (lower === "resetchannels") {
      this.flags &= ~SelectorFlag.AllChannels;
      this.channels = [];
    } else if (lower === "allcommands" || lower === "+@all") {
      this.allowAll(true);
    } else if (lower === "nocommands" || lower === "-@all") {
      this.allowAll(false);
    } else if (op[0] === "~" || op[0] === "%") {
      this.addKeyPattern(op);
    } else if (op[0] === "&") {
      if (this.hasFlag(SelectorFlag.AllChannels)) throw new AclRuleError("EISDIR");
      const pattern = op.slice(1);
      if (hasSpaces(pattern)) throw new AclRuleError("EINVAL");
      if (!this.channels.some((c) => c.pattern === pattern))
        this.channels.push({ pattern, bytes: Buffer.from(pattern, "latin1") });
      this.flags &= ~SelectorFlag.AllChannels;
    } else if (op[0] === "+" && op[1] !== "@") {
      this.allowCommand(op.slice(1));
    } else if (op[0] === "-" && op[1] !== "@") {
      const cmd = this.commands.lookup(op.slice(1));
      if (cmd === undefined) throw new AclRuleError("ENOENT");
      this.changePermission(cmd, false);
    } else if ((op[0] === "+" || op[0] === "-") && op[1] === "@") {
      if (!this.changeCategory(op.slice(2), op[0] === "+")) throw new AclRuleError("ENOENT");
    } else {
      throw new AclRuleError("EINVAL");
    }
  }

  private addKeyPattern(op: string): void {
    if (this.hasFlag(SelectorFlag.AllKeys)) throw new AclRuleError("EEXIST");
    let permissions = 0;
    let offset = 1;
    if (op[0] === "%") {
      for (; offset < op.length; offset++) {
        const c = op[offset]!.toUpperCase();
        if (c === "R" && (permissions & KeyPermission.Read) === 0) {
          permissions |= KeyPermission.Read;
        } else if (c === "W" && (permissions & KeyPermission.Write) === 0) {
          permissions |= KeyPermission.Write;
        } else if (op[offset] === "~") {
          offset++;
          break;
        } else {
          throw new AclRuleError("EINVAL");
        }
      }
      if (permissions === 0) throw new AclRuleError("EINVAL");
    } else {
      permissions = KeyPermission.All;
    }
    const pattern = op.slice(offset);
    if (hasSpaces(pattern)) throw new AclRuleError("EINVAL");
    const existing = this.keys.find((k) => k.pattern === pattern);
    if (existing === undefined) this.keys.push({ pattern, bytes: Buffer.from(pattern, "latin1"), permissions });
    else existing.permissions |= permissions;
    this.flags &= ~SelectorFlag.AllKeys;
  }

  /** `+command`, `+container|sub`, or `+command|first-arg` for a command without subcommands. */
  private allowCommand(name: string): void {
    const bar = name.lastIndexOf("|");
    if (bar < 0) {
      const cmd = this.commands.lookup(name);
      if (cmd === undefined) throw new AclRuleError("ENOENT");
      this.changePermission(cmd, true);
      return;
    }
    const base = this.commands.lookup(name.slice(0, bar));
    if (base === undefined) throw new AclRuleError("ENOENT");
    if (base.parent !== null) throw new AclRuleError("ECHILD");
    const sub = name.slice(bar + 1);
    if (sub === "") throw new AclRuleError("EINVAL");
    if (base.subcommands.length > 0) {
      const cmd = this.commands.lookup(name);
      if (cmd === undefined) throw new AclRuleError("ENOENT");
      this.changePermission(cmd, true);
    } else {
      this.addFirstArg(base.index, sub);
    }
  }

  /** Redis's `ACLSelectorCheckKey`: `needed` is the permission bits the key spec asks for. */
  keyAllowed(buffer: Uint8Array, start: number, end: number, needed: number): boolean {
    if (this.hasFlag(SelectorFlag.AllKeys)) return true;
    for (const k of this.keys) {
      if ((k.permissions & needed) !== needed) continue;
      if (globMatchRange(k.bytes, 0, k.bytes.length, buffer, start, end)) return true;
    }
    return false;
  }

  /**
   * Redis's `ACLCheckChannelAgainstList`: a channel matches a glob, a pattern (PSUBSCRIBE)
   * must equal one literally.
   */
  channelAllowed(channel: string, literal: boolean): boolean {
    if (this.hasFlag(SelectorFlag.AllChannels)) return true;
    return channelListAllows(this.channels, channel, literal);
  }
}

/** Whether one of `patterns` admits `channel` (a glob match, or equality for a literal pattern). */
export function channelListAllows(patterns: readonly ChannelPattern[], channel: string, literal: boolean): boolean {
  for (const c of patterns) {
    if (literal ? c.pattern === channel : globMatchString(c.pattern, channel)) return true;
  }
  return false;
}

/** Redis's `ACLStringHasSpaces`: isspace() or NUL. */
export function hasSpaces(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
  }
  return false;
}

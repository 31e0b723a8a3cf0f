import { asciiEqualsLower } from "@nedis/resp-codec";
import type { CommandArgs, CommandSpec } from "./CommandSpec.js";

/**
 * Finds a command from its name bytes without building a string: commands are bucketed by
 * length and first letter (an array slot, not a Map lookup: this runs for every command), then
 * compared case-insensitively in place.
 */
export class CommandTable {
  readonly commands: readonly CommandSpec[];
  private readonly buckets: Buckets = [];
  private readonly subBuckets = new Map<CommandSpec, Buckets>();

  constructor(commands: readonly CommandSpec[]) {
    this.commands = commands;
    for (const cmd of commands) {
      addTo(this.buckets, cmd);
      if (cmd.subcommands) {
        const sub: Buckets = [];
        for (const s of cmd.subcommands) addTo(sub, s);
        this.subBuckets.set(cmd, sub);
      }
    }
  }

  /** The top-level command named by argument `i`, or undefined. */
  lookup(args: CommandArgs, i = 0): CommandSpec | undefined {
    return find(this.buckets, args.buffer, args.offsets[i]!, args.lengths[i]!);
  }

  /** The top-level command named by the bytes `buf[off, off + len)`, or undefined. */
  lookupName(buf: Uint8Array, off: number, len: number): CommandSpec | undefined {
    return find(this.buckets, buf, off, len);
  }

  /** A subcommand of `container` named by argument 1, or undefined. */
  lookupSubcommand(container: CommandSpec, args: CommandArgs): CommandSpec | undefined {
    return this.lookupSubcommandAt(container, args, 1);
  }

  /** A subcommand of `container` named by argument `i`, or undefined. */
  lookupSubcommandAt(container: CommandSpec, args: CommandArgs, i: number): CommandSpec | undefined {
    const sub = this.subBuckets.get(container);
    return sub ? find(sub, args.buffer, args.offsets[i]!, args.lengths[i]!) : undefined;
  }

  /** By name, for introspection paths (COMMAND INFO): lowercase string lookups are fine there. */
  byName(name: string): CommandSpec | undefined {
    const lower = name.toLowerCase();
    return this.commands.find((c) => c.name === lower);
  }
}

/** Commands by `length * 256 + lowercased first byte`; slots without commands hold undefined. */
type Buckets = (CommandSpec[] | undefined)[];

// No command name is longer; longer arguments are unknown commands without a lookup.
const MAX_NAME_LENGTH = 32;

function bucketKey(length: number, firstLower: number): number {
  return length * 256 + firstLower;
}

function addTo(buckets: Buckets, cmd: CommandSpec): void {
  if (cmd.name.length > MAX_NAME_LENGTH) throw new RangeError(`command name too long: ${cmd.name}`);
  const key = bucketKey(cmd.name.length, cmd.name.charCodeAt(0));
  // Filled densely so the array stays a fast-elements array.
  while (buckets.length <= key) buckets.push(undefined);
  const list = buckets[key];
  if (list) list.push(cmd);
  else buckets[key] = [cmd];
}

function find(buckets: Buckets, buf: Uint8Array, off: number, len: number): CommandSpec | undefined {
  if (len === 0 || len > MAX_NAME_LENGTH) return undefined;
  const c = buf[off]!;
  const key = bucketKey(len, c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
  const list = key < buckets.length ? buckets[key] : undefined;
  if (list === undefined) return undefined;
  for (let k = 0; k < list.length; k++) {
    const cmd = list[k]!;
    if (asciiEqualsLower(buf, off, len, cmd.name)) return cmd;
  }
  return undefined;
}

import type { CommandArgs, CommandSpec } from "./CommandSpec.js";

/**
 * Finds a command from its name bytes without building a string: commands are bucketed by
 * length and first letter, then compared case-insensitively in place.
 */
export class CommandTable {
  readonly commands: readonly CommandSpec[];
  private readonly buckets = new Map<number, CommandSpec[]>();
  private readonly subBuckets = new Map<CommandSpec, Map<number, CommandSpec[]>>();

  constructor(commands: readonly CommandSpec[]) {
    this.commands = commands;
    for (const cmd of commands) {
      addTo(this.buckets, cmd);
      if (cmd.subcommands) {
        const sub = new Map<number, CommandSpec[]>();
        for (const s of cmd.subcommands) addTo(sub, s);
        this.subBuckets.set(cmd, sub);
      }
    }
  }

  /** The top-level command named by argument `i`, or undefined. */
  lookup(args: CommandArgs, i = 0): CommandSpec | undefined {
    return find(this.buckets, args, i);
  }

  /** A subcommand of `container` named by argument 1, or undefined. */
  lookupSubcommand(container: CommandSpec, args: CommandArgs): CommandSpec | undefined {
    return this.lookupSubcommandAt(container, args, 1);
  }

  /** A subcommand of `container` named by argument `i`, or undefined. */
  lookupSubcommandAt(container: CommandSpec, args: CommandArgs, i: number): CommandSpec | undefined {
    const sub = this.subBuckets.get(container);
    return sub ? find(sub, args, i) : undefined;
  }

  /** By name, for introspection paths (COMMAND INFO): lowercase string lookups are fine there. */
  byName(name: string): CommandSpec | undefined {
    const lower = name.toLowerCase();
    return this.commands.find((c) => c.name === lower);
  }
}

function bucketKey(length: number, firstLower: number): number {
  return length * 256 + firstLower;
}

function addTo(buckets: Map<number, CommandSpec[]>, cmd: CommandSpec): void {
  const key = bucketKey(cmd.name.length, cmd.name.charCodeAt(0));
  const list = buckets.get(key);
  if (list) list.push(cmd);
  else buckets.set(key, [cmd]);
}

function find(buckets: Map<number, CommandSpec[]>, args: CommandArgs, i: number): CommandSpec | undefined {
  const len = args.lengths[i]!;
  if (len === 0) return undefined;
  const c = args.buffer[args.offsets[i]!]!;
  const list = buckets.get(bucketKey(len, c >= 0x41 && c <= 0x5a ? c | 0x20 : c));
  if (list === undefined) return undefined;
  for (let k = 0; k < list.length; k++) {
    const cmd = list[k]!;
    if (args.argEquals(i, cmd.name)) return cmd;
  }
  return undefined;
}

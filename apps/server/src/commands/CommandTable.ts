import { asciiEqualsLower } from "@nedis/resp-codec";
import type { CommandArgs, CommandSpec } from "./CommandSpec.js";

/** A `rename-command <from> <to>` of the config file: `to` "" removes the command. */
export type CommandRename = readonly [from: string, to: string];

/**
 * Finds a command from its name bytes without building a string: commands are bucketed by
 * length and first letter (an array slot, not a Map lookup: this runs for every command), then
 * compared case-insensitively in place.
 *
 * `rename-command` changes only this name → command map, as in Redis: a renamed command keeps
 * its metadata and its own name (COMMAND INFO/LIST, errors, INFO commandstats, ACL rules), and a
 * removed one is gone from COMMAND too. Dispatch, scripts and AOF loading see the new names.
 */
export class CommandTable {
  /** The commands clients can call, in table order (COMMAND, COMMAND COUNT, INFO). */
  readonly commands: readonly CommandSpec[];
  private readonly buckets: Buckets = [];
  private readonly subBuckets = new Map<CommandSpec, Buckets>();
  private readonly byLowerName = new Map<string, CommandSpec>();
  /** Longer arguments are unknown commands without a lookup (renamed names may be long). */
  private readonly maxNameLength: number;

  constructor(commands: readonly CommandSpec[], renames: readonly CommandRename[] = []) {
    for (const cmd of commands) this.byLowerName.set(cmd.name, cmd);
    for (const [from, to] of renames) {
      const cmd = this.byLowerName.get(asciiLower(from));
      // The config loader checked each rename against Redis's commands; one nedis lacks is a no-op.
      if (cmd === undefined) continue;
      this.byLowerName.delete(asciiLower(from));
      if (to !== "") this.byLowerName.set(asciiLower(to), cmd);
    }
    const callable = new Set(this.byLowerName.values());
    this.commands = renames.length === 0 ? commands : commands.filter((c) => callable.has(c));
    let longest = 0;
    for (const [name, cmd] of this.byLowerName) {
      addTo(this.buckets, name, cmd);
      longest = Math.max(longest, name.length);
    }
    this.maxNameLength = longest;
    for (const cmd of this.commands) {
      if (cmd.subcommands) {
        const sub: Buckets = [];
        for (const s of cmd.subcommands) {
          if (s.name.length > SUBCOMMAND_MAX_LENGTH) throw new RangeError(`subcommand name too long: ${s.name}`);
          addTo(sub, s.name, s);
        }
        this.subBuckets.set(cmd, sub);
      }
    }
  }

  /** The top-level command named by argument `i`, or undefined. */
  lookup(args: CommandArgs, i = 0): CommandSpec | undefined {
    return find(this.buckets, this.maxNameLength, args.buffer, args.offsets[i]!, args.lengths[i]!);
  }

  /** The top-level command named by the bytes `buf[off, off + len)`, or undefined. */
  lookupName(buf: Uint8Array, off: number, len: number): CommandSpec | undefined {
    return find(this.buckets, this.maxNameLength, buf, off, len);
  }

  /** A subcommand of `container` named by argument 1, or undefined. */
  lookupSubcommand(container: CommandSpec, args: CommandArgs): CommandSpec | undefined {
    return this.lookupSubcommandAt(container, args, 1);
  }

  /** A subcommand of `container` named by argument `i`, or undefined. */
  lookupSubcommandAt(container: CommandSpec, args: CommandArgs, i: number): CommandSpec | undefined {
    const sub = this.subBuckets.get(container);
    return sub ? find(sub, SUBCOMMAND_MAX_LENGTH, args.buffer, args.offsets[i]!, args.lengths[i]!) : undefined;
  }

  /** By name as clients call it, for introspection paths (COMMAND INFO): strings are fine there. */
  byName(name: string): CommandSpec | undefined {
    return this.byLowerName.get(asciiLower(name));
  }
}

/** A command under the name it is called by (its own, or the one `rename-command` gave it). */
interface Named {
  readonly name: string;
  readonly cmd: CommandSpec;
}

/** Redis compares command names with strcasecmp: ASCII letters only (names are latin1 text). */
function asciiLower(name: string): string {
  return name.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** Commands by `length * 256 + lowercased first byte`; slots without commands hold undefined. */
type Buckets = (Named[] | undefined)[];

// No subcommand name is longer.
const SUBCOMMAND_MAX_LENGTH = 32;

function bucketKey(length: number, firstLower: number): number {
  return length * 256 + firstLower;
}

function addTo(buckets: Buckets, name: string, cmd: CommandSpec): void {
  const key = bucketKey(name.length, name.charCodeAt(0));
  // Filled densely so the array stays a fast-elements array.
  while (buckets.length <= key) buckets.push(undefined);
  const list = buckets[key];
  const entry: Named = { name, cmd };
  if (list) list.push(entry);
  else buckets[key] = [entry];
}

function find(buckets: Buckets, maxLength: number, buf: Uint8Array, off: number, len: number): CommandSpec | undefined {
  if (len === 0 || len > maxLength) return undefined;
  const c = buf[off]!;
  const key = bucketKey(len, c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
  const list = key < buckets.length ? buckets[key] : undefined;
  if (list === undefined) return undefined;
  for (let k = 0; k < list.length; k++) {
    const entry = list[k]!;
    if (asciiEqualsLower(buf, off, len, entry.name)) return entry.cmd;
  }
  return undefined;
}

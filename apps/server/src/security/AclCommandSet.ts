import type { CommandSpec } from "../commands/CommandSpec.js";
import { definedCommandCount } from "../commands/CommandSpec.js";
import { redisCommandInfo, redisCommandNames, type TypedValue } from "../commands/metadata/RedisMetadata.js";

/**
 * Redis's ACL categories, in Redis's order (`ACLCommandCategories` in acl.c): ACL CAT lists
 * them in this order and the rule describer tries them in this order, so ties resolve alike.
 */
export const ACL_CATEGORIES = [
  "keyspace",
  "read",
  "write",
  "set",
  "sortedset",
  "list",
  "hash",
  "string",
  "bitmap",
  "hyperloglog",
  "geo",
  "stream",
  "pubsub",
  "admin",
  "fast",
  "slow",
  "blocking",
  "dangerous",
  "connection",
  "transaction",
  "scripting",
] as const;

export type AclCategory = (typeof ACL_CATEGORIES)[number];

/** The bit of a category name (case-insensitive), or 0 for an unknown name. */
export function categoryBit(name: string): number {
  const i = (ACL_CATEGORIES as readonly string[]).indexOf(name.toLowerCase());
  return i < 0 ? 0 : 1 << i;
}

/** One command or subcommand as the ACL sees it: a bit index, its categories, its tree. */
export interface AclCommand {
  /** Bit index in a selector's command bitmap. */
  readonly index: number;
  /** `get`, or `config|get` for a subcommand. */
  readonly fullName: string;
  readonly parent: AclCommand | null;
  readonly subcommands: readonly AclCommand[];
  /** Category bits (see {@link categoryBit}). */
  readonly categories: number;
  /** `no_auth` commands (AUTH, HELLO, QUIT, RESET) are never denied by command rules. */
  readonly noAuth: boolean;
  /** Arity from Redis's table (ACL DRYRUN checks it). */
  readonly arity: number;
}

interface MutableAclCommand extends AclCommand {
  subcommands: AclCommand[];
}

/**
 * Every command Redis 7.0 has, from its own metadata (plus what nedis adds to it), as ACL rules
 * address them. Rules, categories and descriptions are computed over Redis's whole table rather
 * than over what nedis implements, so `ACL SETUSER u +hset` and `ACL GETUSER` answer as Redis.
 */
export class AclCommandSet {
  /** Top-level commands, in metadata order. */
  readonly topLevel: readonly AclCommand[];
  /** Every command and subcommand by bit index. */
  readonly all: readonly AclCommand[];
  /** The reserved bit set only by `+@all`: "may run commands added later". */
  readonly futureBit: number;
  private readonly byName = new Map<string, AclCommand>();
  /** CommandSpec.id → bit index (-1: not an ACL command; -2: not looked up yet). */
  private specIndex = new Int32Array(0);

  constructor(names: readonly string[]) {
    const all: MutableAclCommand[] = [];
    const top: MutableAclCommand[] = [];
    const make = (fullName: string, parent: MutableAclCommand | null): MutableAclCommand => {
      const info = redisCommandInfo(fullName);
      const fields = info !== undefined && info[0] === "array" ? info[1] : [];
      const cmd: MutableAclCommand = {
        index: all.length,
        fullName,
        parent,
        subcommands: [],
        categories: categoriesOf(fields[6]),
        noAuth: stringsOf(fields[2]).includes("no_auth"),
        arity: fields[1] !== undefined && fields[1][0] === "int" ? fields[1][1] : 0,
      };
      all.push(cmd);
      this.byName.set(fullName, cmd);
      return cmd;
    };
    for (const name of names) if (!name.includes("|")) top.push(make(name, null));
    for (const name of names) {
      const bar = name.indexOf("|");
      if (bar < 0) continue;
      const parent = this.byName.get(name.slice(0, bar)) as MutableAclCommand | undefined;
      if (parent !== undefined) parent.subcommands.push(make(name, parent));
    }
    this.topLevel = top;
    this.all = all;
    this.futureBit = all.length;
  }

  /** Size of a selector bitmap: every command plus the future-commands bit. */
  get bitCount(): number {
    return this.all.length + 1;
  }

  /**
   * Redis's `ACLLookupCommand`: `name` or `container|sub`, case-insensitive; a `|` form of a
   * command without subcommands, or more than one `|`, is no command.
   */
  lookup(name: string): AclCommand | undefined {
    const lower = name.toLowerCase();
    const bar = lower.indexOf("|");
    if (bar < 0) {
      const cmd = this.byName.get(lower);
      return cmd !== undefined && cmd.parent === null ? cmd : undefined;
    }
    if (lower.indexOf("|", bar + 1) >= 0) return undefined;
    return this.byName.get(lower);
  }

  /** The ACL command of a table entry (`cmd` is `container` for top-level commands), or undefined. */
  ofSpec(cmd: CommandSpec, container: CommandSpec): AclCommand | undefined {
    const id = cmd.id;
    if (id >= this.specIndex.length) {
      const grown = new Int32Array(Math.max(definedCommandCount(), id + 1)).fill(-2);
      grown.set(this.specIndex);
      this.specIndex = grown;
    }
    let index = this.specIndex[id]!;
    if (index === -2) {
      const found = this.byName.get(cmd === container ? cmd.name : `${container.name}|${cmd.name}`);
      index = found === undefined ? -1 : found.index;
      this.specIndex[id] = index;
    }
    return index < 0 ? undefined : this.all[index];
  }
}

function stringsOf(v: TypedValue | undefined): string[] {
  return v !== undefined && Array.isArray(v[1]) ? v[1].map((x) => String(x[1])) : [];
}

function categoriesOf(v: TypedValue | undefined): number {
  let bits = 0;
  for (const name of stringsOf(v)) bits |= categoryBit(name.startsWith("@") ? name.slice(1) : name);
  return bits;
}

/** The command set of Redis 7.0's metadata (shared: it is immutable). */
export const REDIS_ACL_COMMANDS = new AclCommandSet(redisCommandNames());

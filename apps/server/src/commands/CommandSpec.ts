import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";

/**
 * Command metadata as Redis 7.0 declares it in `src/commands/*.json`. One record per command
 * (and per subcommand); COMMAND INFO/DOCS, ACL and key extraction all read these records.
 */
export type CommandFlag =
  | "write"
  | "readonly"
  | "denyoom"
  | "module"
  | "admin"
  | "pubsub"
  | "noscript"
  | "blocking"
  | "loading"
  | "stale"
  | "skip_monitor"
  | "skip_slowlog"
  | "asking"
  | "fast"
  | "no_auth"
  | "may_replicate"
  | "sentinel"
  | "only_sentinel"
  | "no_mandatory_keys"
  | "protected"
  | "no_async_loading"
  | "no_multi"
  | "movablekeys"
  | "allow_busy";

/**
 * Command flags as bits, Redis's `CMD_*` (`server.h`), same bit numbers. `withRedisMetadata` turns a
 * spec's `flags` into `flagBits` once, so per-command checks are one AND, never a list search.
 * The two highest bits are nedis's own, set by name (Redis tests the command procs instead).
 */
export const CMD = {
  WRITE: 1 << 0,
  READONLY: 1 << 1,
  DENYOOM: 1 << 2,
  MODULE: 1 << 3,
  ADMIN: 1 << 4,
  PUBSUB: 1 << 5,
  NOSCRIPT: 1 << 6,
  BLOCKING: 1 << 8,
  LOADING: 1 << 9,
  STALE: 1 << 10,
  SKIP_MONITOR: 1 << 11,
  SKIP_SLOWLOG: 1 << 12,
  ASKING: 1 << 13,
  FAST: 1 << 14,
  NO_AUTH: 1 << 15,
  MAY_REPLICATE: 1 << 16,
  SENTINEL: 1 << 17,
  ONLY_SENTINEL: 1 << 18,
  NO_MANDATORY_KEYS: 1 << 19,
  PROTECTED: 1 << 20,
  NO_ASYNC_LOADING: 1 << 23,
  NO_MULTI: 1 << 24,
  MOVABLE_KEYS: 1 << 25,
  ALLOW_BUSY: 1 << 26,
  /** nedis: still allowed to a RESP2 client in pub/sub mode ((P|S)(UN)SUBSCRIBE, PING, QUIT, RESET). */
  PUBSUB_CONTEXT: 1 << 28,
  /** nedis: acts on the transaction instead of being queued by MULTI (EXEC, DISCARD, MULTI, WATCH, QUIT, RESET). */
  TRANSACTION_CONTROL: 1 << 29,
} as const;

/** The bit of each flag (bits stay below 2^30: small integers to V8). */
const FLAG_BITS: Readonly<Record<CommandFlag, number>> = {
  write: CMD.WRITE,
  readonly: CMD.READONLY,
  denyoom: CMD.DENYOOM,
  module: CMD.MODULE,
  admin: CMD.ADMIN,
  pubsub: CMD.PUBSUB,
  noscript: CMD.NOSCRIPT,
  blocking: CMD.BLOCKING,
  loading: CMD.LOADING,
  stale: CMD.STALE,
  skip_monitor: CMD.SKIP_MONITOR,
  skip_slowlog: CMD.SKIP_SLOWLOG,
  asking: CMD.ASKING,
  fast: CMD.FAST,
  no_auth: CMD.NO_AUTH,
  may_replicate: CMD.MAY_REPLICATE,
  sentinel: CMD.SENTINEL,
  only_sentinel: CMD.ONLY_SENTINEL,
  no_mandatory_keys: CMD.NO_MANDATORY_KEYS,
  protected: CMD.PROTECTED,
  no_async_loading: CMD.NO_ASYNC_LOADING,
  no_multi: CMD.NO_MULTI,
  movablekeys: CMD.MOVABLE_KEYS,
  allow_busy: CMD.ALLOW_BUSY,
};

/** Commands a RESP2 client in pub/sub mode may still run (Redis's processCommand list). */
const PUBSUB_CONTEXT_NAMES = new Set([
  "ping",
  "subscribe",
  "ssubscribe",
  "unsubscribe",
  "sunsubscribe",
  "psubscribe",
  "punsubscribe",
  "quit",
  "reset",
]);
/** Commands MULTI does not queue. */
const TRANSACTION_CONTROL_NAMES = new Set(["exec", "discard", "multi", "watch", "quit", "reset"]);

/**
 * Redis's CMD_PROTECTED commands, which COMMAND INFO does not list: they run only as
 * `enable-debug-command` / `enable-module-command` allow.
 */
const PROTECTED_NAMES = new Set(["debug", "module|load", "module|loadex", "module|unload"]);

/**
 * `flags` as `CMD` bits, plus the by-name bits: PROTECTED by full name (`module|load`), the
 * others for a top-level command only (`topLevelName`).
 */
export function flagBitsOf(flags: readonly CommandFlag[], topLevelName: string | null, fullName?: string): number {
  let bits = 0;
  for (const flag of flags) bits |= FLAG_BITS[flag];
  if (PROTECTED_NAMES.has(fullName ?? topLevelName ?? "")) bits |= CMD.PROTECTED;
  if (topLevelName !== null) {
    if (PUBSUB_CONTEXT_NAMES.has(topLevelName)) bits |= CMD.PUBSUB_CONTEXT;
    if (TRANSACTION_CONTROL_NAMES.has(topLevelName)) bits |= CMD.TRANSACTION_CONTROL;
  }
  return bits;
}

/** The arguments of one command: views into a buffer (the request parser, or a queued copy). */
export interface CommandArgs {
  readonly argc: number;
  readonly buffer: Uint8Array;
  readonly offsets: Int32Array;
  readonly lengths: Int32Array;
  argEquals(i: number, lowerName: string): boolean;
  argString(i: number): string;
  argView(i: number): Uint8Array;
}

/** A handler replies through `client.writer`; it never awaits. */
export type CommandHandler = (server: ServerContext, client: Client, args: CommandArgs) => void;

export interface CommandSpec {
  /** Dense number of this command or subcommand, indexing per-command statistics. */
  readonly id: number;
  /** Lowercase name (`get`); subcommands carry only their own name (`count`). */
  name: string;
  /** Argument count including the name; negative means "at least". Subcommands count both words. */
  arity: number;
  /** As Redis declares them (COMMAND INFO prints these); checks read `flagBits`. */
  flags: readonly CommandFlag[];
  /** `flags` as {@link CMD} bits, computed once by `withRedisMetadata`. */
  flagBits: number;
  /** ACL categories without the `@`. */
  aclCategories: readonly string[];
  /** Legacy key positions (first, last, step); 0,0,0 for commands without keys. */
  firstKey: number;
  lastKey: number;
  keyStep: number;
  handler: CommandHandler;
  subcommands?: readonly CommandSpec[];
  /**
   * Key finding for commands whose keys the key specs cannot describe (Redis's `getkeys_proc`,
   * e.g. SORT, EVAL, ZUNIONSTORE): argument indexes (relative to the whole args) of the keys,
   * given the index of the command name; null on invalid arguments.
   */
  getKeys?: (args: CommandArgs, first: number) => { index: number; flags: readonly string[] }[] | null;
}

let nextCommandId = 0;

/** Number of commands defined so far (sizes per-command statistics arrays). */
export function definedCommandCount(): number {
  return nextCommandId;
}

/**
 * What a command file declares: the name, the handler and what only nedis knows (subcommands,
 * key finding). Arity, flags, ACL categories and key positions are Redis's own, filled from its
 * COMMAND INFO by `withRedisMetadata` (metadata/fillMetadata.ts) when the table is built.
 */
export type CommandDefinition = Pick<CommandSpec, "name" | "handler" | "subcommands" | "getKeys">;

const NO_FLAGS: readonly CommandFlag[] = Object.freeze([]);
const NO_CATEGORIES: readonly string[] = Object.freeze([]);

export function defineCommand(spec: CommandDefinition): CommandSpec {
  // Every spec gets the same fields in the same order, metadata included (placeholders until
  // `withRedisMetadata` fills them in place): one hidden class, so the dispatcher's loads of
  // `arity`, `flags`, `handler`… stay monomorphic (spreading specs of differing fields made
  // them megamorphic: ~2% of a GET's server CPU in V8's megamorphic load stub).
  return {
    id: nextCommandId++,
    name: spec.name,
    arity: 0,
    flags: NO_FLAGS,
    flagBits: 0,
    aclCategories: NO_CATEGORIES,
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    handler: spec.handler,
    subcommands: spec.subcommands,
    getKeys: spec.getKeys,
  };
}

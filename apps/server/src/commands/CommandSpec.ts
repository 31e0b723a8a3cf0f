import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";

/**
 * Command metadata as Redis 7.0 declares it in `src/commands/*.json`. One record per command
 * (and per subcommand); COMMAND INFO/DOCS, ACL and key extraction all read these records.
 */
export type CommandFlag =
  | "write" | "readonly" | "denyoom" | "module" | "admin" | "pubsub" | "noscript" | "blocking"
  | "loading" | "stale" | "skip_monitor" | "skip_slowlog" | "asking" | "fast" | "no_auth"
  | "may_replicate" | "sentinel" | "only_sentinel" | "no_mandatory_keys" | "protected"
  | "no_async_loading" | "no_multi" | "movablekeys" | "allow_busy";

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
  flags: readonly CommandFlag[];
  /** ACL categories without the `@`. */
  aclCategories: readonly string[];
  /** Legacy key positions (first, last, step); 0,0,0 for commands without keys. */
  firstKey: number;
  lastKey: number;
  keyStep: number;
  /**
   * Documentation, for readers of the table. COMMAND DOCS replays Redis's own docs (see
   * metadata/RedisMetadata.ts), so these are optional.
   */
  group?: string;
  summary?: string;
  since?: string;
  complexity?: string;
  handler: CommandHandler;
  subcommands?: readonly CommandSpec[];
  /**
   * Key finding for commands whose keys the key specs cannot describe (Redis's `getkeys_proc`,
   * e.g. SORT, EVAL, ZUNIONSTORE): argument indexes (relative to the whole args) of the keys,
   * given the index of the command name; null on invalid arguments.
   */
  getKeys?: (args: CommandArgs, first: number) => { index: number; flags: readonly string[] }[] | null;
}

/** Filled-in defaults so command files stay short. */
let nextCommandId = 0;

/** Number of commands defined so far (sizes per-command statistics arrays). */
export function definedCommandCount(): number {
  return nextCommandId;
}

export function defineCommand(
  spec: Omit<CommandSpec, "id" | "firstKey" | "lastKey" | "keyStep"> & Partial<Pick<CommandSpec, "firstKey" | "lastKey" | "keyStep">>,
): CommandSpec {
  // Every spec gets the same fields in the same order: one hidden class, so the dispatcher's
  // loads of `arity`, `flags`, `handler`… stay monomorphic (spreading specs of differing fields
  // made them megamorphic: ~2% of a GET's server CPU in V8's megamorphic load stub).
  return {
    id: nextCommandId++,
    name: spec.name,
    arity: spec.arity,
    flags: spec.flags,
    aclCategories: spec.aclCategories,
    firstKey: spec.firstKey ?? 0,
    lastKey: spec.lastKey ?? 0,
    keyStep: spec.keyStep ?? 0,
    group: spec.group,
    summary: spec.summary,
    since: spec.since,
    complexity: spec.complexity,
    handler: spec.handler,
    subcommands: spec.subcommands,
    getKeys: spec.getKeys,
  };
}

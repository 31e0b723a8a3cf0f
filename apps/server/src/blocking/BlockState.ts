import type { Database, ObjectType } from "@nedis/keyspace";
import type { CommandSpec } from "../commands/CommandSpec.js";
import type { StoredArgs } from "../multi/StoredArgs.js";

/**
 * What a blocked client waits for (Redis's `blockingState`, server.h). A client blocks on one
 * kind of key; the kind says which keys can wake it (see {@link registerBlockKind}).
 */
export const BlockKind = {
  /** BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP. */
  List: 1,
  /** BZPOPMIN, BZPOPMAX, BZMPOP. */
  ZSet: 2,
  /** XREAD / XREADGROUP with BLOCK. */
  Stream: 3,
} as const;
export type BlockKind = (typeof BlockKind)[keyof typeof BlockKind];

/** How the blocking layer tells whether a signalled key can serve a client of a kind. */
export interface BlockKindSpec {
  /** The value type whose keys wake this kind (a key added with another type wakes nobody). */
  readonly type: ObjectType;
  /** True when the key at `ref` (of {@link type}) has something to serve (a non-empty list…). */
  hasData(db: Database, ref: number): boolean;
}

const KINDS: (BlockKindSpec | undefined)[] = [];

/**
 * Registers the wake-up rule of a block kind; called once by the kind's command file (the list
 * commands register {@link BlockKind.List}). Serving needs nothing more: a served client runs its
 * own blocking command again through `call()`, which now finds data (see BlockedClients).
 */
export function registerBlockKind(kind: BlockKind, spec: BlockKindSpec): void {
  KINDS[kind] = spec;
}

export function blockKindSpec(kind: BlockKind): BlockKindSpec {
  const spec = KINDS[kind];
  if (spec === undefined) throw new Error(`blocking: kind ${kind} is not registered`);
  return spec;
}

/** One blocked client's state; the command and its arguments are copied out of the read buffer. */
export class BlockState {
  /** Bumped on each block, so stale timeout-heap entries of an earlier block are skipped. */
  seq = 0;

  constructor(
    readonly kind: BlockKind,
    readonly db: number,
    /** The keys waited on, latin1 (the wait table's keys), in argument order. */
    readonly keys: readonly string[],
    /** Unix ms after which the client gets the timeout reply; 0 waits forever. */
    readonly deadline: number,
    readonly container: CommandSpec,
    readonly cmd: CommandSpec,
    readonly args: StoredArgs,
  ) {}
}

import type { KvPoolOptions } from "@nedis/allocators/kv-pool";
import type { EvictionPolicy, ObjectType, RemovalReason } from "./types.js";
import type { EncodingLimits } from "./values/EncodingLimits.js";

/** Options of a keyspace; names follow redis.conf. */
export interface KeyspaceOptions {
  /** Number of databases (`databases`), default 16. */
  databases?: number;
  /** `maxmemory` in bytes, 0 = unlimited (default). */
  maxmemory?: number;
  /** `maxmemory-policy`, default `noeviction`. */
  maxmemoryPolicy?: EvictionPolicy;
  /** `maxmemory-samples`, default 5. */
  maxmemorySamples?: number;
  /** `maxmemory-eviction-tenacity` (0–100), default 10. */
  maxmemoryEvictionTenacity?: number;
  /** `lfu-log-factor`, default 10. */
  lfuLogFactor?: number;
  /** `lfu-decay-time` in minutes, default 1. */
  lfuDecayTime?: number;
  /** The clock, unix ms (default `Date.now`). */
  clock?: () => number;
  /**
   * Run the background timers (active expiry, cron: clocks, incremental resize, shrink,
   * eviction catch-up). Default true; all are `unref`ed. Tests may pass false and call
   * {@link Keyspace.activeExpireCycle} / {@link Keyspace.cron} themselves.
   */
  timers?: boolean;
  /** The 64-bit key of the index hash as two 32-bit words (default: random per process). */
  hashKey?: readonly [number, number];
  /** Collection encoding thresholds (default: Redis 7.0's); `Keyspace.limits` can change them later. */
  limits?: Partial<EncodingLimits>;
  /** Options of the kv-pool (its budget is `maxmemory`). */
  pool?: Omit<KvPoolOptions, "budget">;
}

/** Called on every logical change of a key (Redis's `signalModifiedKey`): WATCH, client tracking. */
export type KeyModifiedHook = (db: number, key: Uint8Array, off: number, len: number) => void;
/** A keyspace event: `type` is Redis's class letter (`g`, `$`, `x`, `e`, `m`, …), `event` its name. */
export type NotifyHook = (type: string, event: string, db: number, key: Uint8Array, off: number, len: number) => void;
/** A database (or every database, -1) was emptied (Redis's `signalFlushedDb`). */
export type FlushHook = (db: number) => void;
/** Two databases swapped contents (SWAPDB). */
export type SwapDbHook = (a: number, b: number) => void;

/** A key was added to database `db` (Redis's `dbAdd`): blocked clients, cluster slot counts. */
export type KeyAddedHook = (db: number, key: Uint8Array, off: number, len: number, type: ObjectType) => void;
/**
 * The key at `ref` of a database is about to be removed (Redis's `dbGenericDelete`): its entry
 * can still be read through `ref` during the call (snapshots, propagation of expiry/eviction).
 */
export type KeyRemovedHook = (db: KeyEntryReader, ref: number, reason: RemovalReason) => void;
/**
 * The value or expiry of the key at `ref` is about to change in place (`modify`, overwrite,
 * expire changes): the old state can still be read (a snapshot copies it before the first write).
 * Gateway hooks only read: they must not write into the keyspace.
 */
export type KeyChangingHook = (db: KeyEntryReader, ref: number) => void;

/** What a gateway hook may read of the database whose key it is told about. */
export interface KeyEntryReader {
  readonly id: number;
  handleAt(ref: number): number;
  metaAt(ref: number): number;
  loadKey(handle: number): void;
  readonly keyBuf: Uint8Array;
  readonly keyOff: number;
  readonly keyLen: number;
  loadValue(ref: number): void;
  readonly valueBuf: Uint8Array;
  readonly valueOff: number;
  readonly valueLen: number;
}

/** Counters INFO reports (Redis's `stat_*`). */
export interface KeyspaceStats {
  expiredKeys: number;
  /** Percentage of keys probably expired but not yet reclaimed (`expired_stale_perc`). */
  expiredStalePerc: number;
  expiredTimeCapReachedCount: number;
  evictedKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  /** Total ms spent over maxmemory (`total_eviction_exceeded_time`). */
  totalEvictionExceededTime: number;
}

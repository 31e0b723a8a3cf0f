import type { KvPool } from "@nedis/allocators/kv-pool";
import type {
  KeyAddedHook,
  KeyChangingHook,
  KeyModifiedHook,
  KeyRemovedHook,
  KeyspaceStats,
  NotifyHook,
} from "../KeyspaceOptions.js";
import type { MemoryBudget } from "../memory/MemoryBudget.js";
import type { Encoding } from "../types.js";
import type { EncodingLimits } from "../values/EncodingLimits.js";
import type { ValueStore } from "../values/ValueStore.js";

/**
 * What a database needs from the keyspace that holds it: the pool and budget, the out-of-line
 * values, the clocks, the counters and the gateway hooks. `Keyspace` implements it; databases,
 * eviction and expiry see only this, so each file reads alone and nothing imports `Keyspace`.
 */
export interface DatabaseHost {
  readonly pool: KvPool;
  readonly memory: MemoryBudget;
  readonly values: ValueStore;
  readonly stats: KeyspaceStats;
  /** Collection encoding thresholds, read by each type when it converts. */
  readonly limits: EncodingLimits;
  /** Changes since the last save (Redis's `server.dirty`), bumped by the gateways. */
  dirty: number;
  /** True under an LFU policy: the meta's 24 bits hold LFU data instead of an LRU clock. */
  readonly lfu: boolean;
  readonly now: () => number;

  onKeyModified: KeyModifiedHook | null;
  onNotify: NotifyHook | null;
  onKeyAdded: KeyAddedHook | null;
  onKeyRemoved: KeyRemovedHook | null;
  onKeyChanging: KeyChangingHook | null;

  /** The keyed index hash of a key. */
  hashKey(key: Uint8Array, off: number, len: number): number;
  /** The LRU/LFU field of a new object. */
  newLru(): number;
  /** The LRU/LFU field after an access. */
  touchedLru(field: number): number;
  /** Schedules active expiry for a new deadline. */
  noteDeadline(deadline: number): void;
  /** The encoding of a new string value, made shared-int where Redis would share it. */
  shareable(encoding: Encoding, value: Uint8Array, off: number, len: number): Encoding;
  /** A database (or all, -1) is about to be emptied / was emptied. */
  flushing(db: number): void;
  flushed(db: number): void;
}

import type { KvHandle } from "@nedis/allocators/kv-pool";
import type { Database } from "../Database.js";
import type { KeyspaceStats } from "../KeyspaceOptions.js";
import type { MemoryBudget } from "../memory/MemoryBudget.js";
import { type EvictionPolicy, Meta, RemovalReason } from "../types.js";
import { estimateIdleTimeMs, lfuDecrAndReturn } from "./lruClock.js";

/** Candidates kept between eviction rounds (Redis's EVPOOL_SIZE). */
export const EVICTION_POOL_SIZE = 16;
const MAX_SAMPLES = 64;

/** What eviction needs of the keyspace. */
export interface EvictionHost {
  readonly memory: MemoryBudget;
  readonly databases: readonly Database[];
  readonly stats: KeyspaceStats;
  /** The cached LRU clock and LFU minutes, and the LFU decay time. */
  readonly lruClock: number;
  readonly lfuMinutes: number;
  readonly lfuDecayTime: number;
}

export interface EvictorOptions {
  samples: number;
  tenacity: number;
  timers: boolean;
}

/**
 * Redis's eviction (evict.c): before a write, keys are removed by `maxmemory-policy` until
 * usage is back within `maxmemory`.
 *
 * LRU and LFU are approximated as Redis does: each round samples `maxmemory-samples` keys per
 * database into a 16-entry pool ordered by idle time (or inverted frequency), and evicts the
 * best candidate that still exists. `*-random` picks a random key, visiting databases in turn.
 * `volatile-ttl` evicts the volatile key with the nearest deadline: the expiry heap knows it
 * exactly, which is better than Redis's sampled estimate at no extra cost.
 *
 * A round that runs longer than `maxmemory-eviction-tenacity` allows continues on a timer,
 * like Redis's eviction time proc, so one command never stalls the server.
 */
export class Evictor {
  policy: EvictionPolicy = "noeviction";
  samples: number;
  tenacity: number;
  private readonly poolHandle = new Float64Array(EVICTION_POOL_SIZE);
  private readonly poolIdle = new Float64Array(EVICTION_POOL_SIZE);
  private readonly poolDb = new Int32Array(EVICTION_POOL_SIZE);
  private readonly sampleHandles = new Float64Array(MAX_SAMPLES);
  private readonly sampleMetas = new Uint32Array(MAX_SAMPLES);
  private nextDb = 0;
  private backgroundTimer: NodeJS.Timeout | null = null;
  private exceededSince = -1;

  constructor(
    private readonly ks: EvictionHost,
    private readonly options: EvictorOptions,
  ) {
    this.samples = options.samples;
    this.tenacity = options.tenacity;
  }

  /**
   * Evicts until usage is within `maxmemory` (`extra` = 0) or until an allocation of `extra`
   * bytes fits. True when that was reached or (only with `extra` = 0) the time limit passed and
   * eviction continues in the background (the command may proceed, as with Redis's
   * EVICT_RUNNING); false when nothing more can go.
   */
  freeMemoryIfNeeded(extra: number): boolean {
    const pool = this.ks.memory.pool;
    const budget = pool.budget;
    if (budget === 0 || this.fits(extra)) {
      this.noteWithin();
      return true;
    }
    if (this.exceededSince < 0) this.exceededSince = performance.now();
    if (this.policy === "noeviction") return false;
    const started = performance.now();
    const limitMs = timeLimitUs(this.tenacity) / 1000;
    let freed = 0;
    while (!this.fits(extra)) {
      if (!this.evictOne()) return false;
      freed++;
      // The time limit is for catching up with usage already over the limit; making room for
      // one command's allocation is bounded by its size and must finish, or the write would
      // take usage over maxmemory.
      if (extra === 0 && (freed & 15) === 0 && performance.now() - started > limitMs) {
        this.startBackgroundEviction();
        return true;
      }
    }
    this.noteWithin();
    return true;
  }

  /** Keeps evicting on a timer until usage is within `maxmemory` (after CONFIG SET maxmemory). */
  startBackgroundEviction(): void {
    if (!this.options.timers || this.backgroundTimer !== null || this.policy === "noeviction") return;
    this.backgroundTimer = setTimeout(() => {
      this.backgroundTimer = null;
      const pool = this.ks.memory.pool;
      if (pool.budget === 0 || this.ks.memory.counted <= pool.budget) return;
      let progress = false;
      try {
        progress = this.freeMemoryIfNeeded(0);
      } finally {
        if (progress && pool.budget !== 0 && this.ks.memory.counted > pool.budget) this.startBackgroundEviction();
      }
    }, 0);
    this.backgroundTimer.unref();
  }

  close(): void {
    if (this.backgroundTimer !== null) clearTimeout(this.backgroundTimer);
    this.backgroundTimer = null;
  }

  /** Evicts one key by policy; false when no key qualifies. */
  evictOne(): boolean {
    const policy = this.policy;
    if (policy === "allkeys-random" || policy === "volatile-random")
      return this.evictRandom(policy === "allkeys-random");
    if (policy === "volatile-ttl") return this.evictNearestDeadline();
    if (policy === "noeviction") return false;
    return this.evictFromPool(policy.startsWith("allkeys"), policy.endsWith("lfu"));
  }

  private fits(extra: number): boolean {
    const used = this.ks.memory.counted;
    const budget = this.ks.memory.pool.budget;
    return extra === 0 ? used <= budget : used + extra < budget;
  }

  private noteWithin(): void {
    if (this.exceededSince >= 0) {
      this.ks.stats.totalEvictionExceededTime += Math.round(performance.now() - this.exceededSince);
      this.exceededSince = -1;
    }
  }

  private evictRandom(allKeys: boolean): boolean {
    const dbs = this.ks.databases;
    for (let i = 0; i < dbs.length; i++) {
      this.nextDb = (this.nextDb + 1) % dbs.length;
      const db = dbs[this.nextDb]!;
      let handle = 0;
      if (allKeys) handle = db.index.randomHandle();
      else if (db.expiry.size > 0) handle = db.expiry.handleAt(Math.floor(Math.random() * db.expiry.size));
      if (handle === 0) continue;
      const ref = refOfHandle(db, handle);
      if (ref < 0) continue;
      this.evict(db, ref);
      return true;
    }
    return false;
  }

  private evictNearestDeadline(): boolean {
    let best: Database | null = null;
    let bestDeadline = Infinity;
    for (const db of this.ks.databases) {
      const d = db.expiry.peekDeadline();
      if (d < bestDeadline) {
        bestDeadline = d;
        best = db;
      }
    }
    if (best === null) return false;
    const ref = refOfHandle(best, best.expiry.peekHandle());
    if (ref < 0) throw new Error("keyspace: expiry heap refers to a missing key");
    this.evict(best, ref);
    return true;
  }

  private evictFromPool(allKeys: boolean, lfu: boolean): boolean {
    const ks = this.ks;
    const dbs = ks.databases;
    for (;;) {
      let total = 0;
      for (let i = 0; i < dbs.length; i++) {
        const db = dbs[i]!;
        const keys = allKeys ? db.size : db.expires;
        if (keys === 0) continue;
        total += keys;
        this.populate(i, db, allKeys, lfu);
      }
      if (total === 0) return false;
      for (let k = EVICTION_POOL_SIZE - 1; k >= 0; k--) {
        const handle = this.poolHandle[k]!;
        if (handle === 0) continue;
        const db = dbs[this.poolDb[k]!]!;
        this.poolHandle[k] = 0;
        this.poolIdle[k] = 0;
        const ref = ks.memory.pool.isLive(handle) ? refOfHandle(db, handle) : -1;
        if (ref < 0 || (!allKeys && db.metaAt(ref) < Meta.VOLATILE)) continue; // a ghost
        this.evict(db, ref);
        return true;
      }
    }
  }

  /** Redis's `evictionPoolPopulate`. */
  private populate(dbIndex: number, db: Database, allKeys: boolean, lfu: boolean): void {
    const ks = this.ks;
    const want = Math.min(this.samples, MAX_SAMPLES);
    const handles = this.sampleHandles;
    const metas = this.sampleMetas;
    let count: number;
    if (allKeys) {
      count = db.index.sample(want, handles, metas);
    } else {
      count = 0;
      const heap = db.expiry;
      for (let j = 0; j < want && heap.size > 0; j++) {
        const handle = heap.handleAt(Math.floor(Math.random() * heap.size));
        const ref = refOfHandle(db, handle);
        if (ref < 0) continue;
        handles[count] = handle;
        metas[count] = db.metaAt(ref);
        count++;
      }
    }
    const pool = this.poolHandle;
    const idles = this.poolIdle;
    const dbIds = this.poolDb;
    const last = EVICTION_POOL_SIZE - 1;
    for (let j = 0; j < count; j++) {
      const field = metas[j]! & Meta.LRU_MASK;
      const idle = lfu
        ? 255 - lfuDecrAndReturn(field, ks.lfuMinutes, ks.lfuDecayTime)
        : estimateIdleTimeMs(ks.lruClock, field);
      const handle = handles[j]!;
      let k = 0;
      while (k < EVICTION_POOL_SIZE && pool[k] !== 0 && idles[k]! < idle) k++;
      if (k === 0 && pool[last] !== 0) continue; // worse than everything in a full pool
      // The same key sampled twice would occupy two entries; keep one.
      let duplicate = false;
      for (let d = 0; d < EVICTION_POOL_SIZE; d++) if (pool[d] === handle) duplicate = true;
      if (duplicate) continue;
      if (k < EVICTION_POOL_SIZE && pool[k] === 0) {
        // Empty position: insert as is.
      } else if (pool[last] === 0) {
        // Free space on the right: shift k..end right.
        pool.copyWithin(k + 1, k, last);
        idles.copyWithin(k + 1, k, last);
        dbIds.copyWithin(k + 1, k, last);
      } else {
        // No space on the right: drop the best-kept left entry, insert at k-1.
        k--;
        pool.copyWithin(0, 1, k + 1);
        idles.copyWithin(0, 1, k + 1);
        dbIds.copyWithin(0, 1, k + 1);
      }
      pool[k] = handle;
      idles[k] = idle;
      dbIds[k] = dbIndex;
    }
  }

  private evict(db: Database, ref: number): void {
    db.removeWithEvents(ref, RemovalReason.Evicted, "e", "evicted");
    this.ks.stats.evictedKeys++;
  }
}

/** Ref of the entry at `handle` in `db`, found through its key; -1 if it is not there. */
export function refOfHandle(db: Database, handle: number): number {
  db.loadKey(handle as KvHandle);
  const hash = db.hash(db.keyBuf, db.keyOff, db.keyLen);
  return db.index.findHandle(hash, handle, db.keyBuf, db.keyOff, db.keyLen);
}

/** Redis's `evictionTimeLimitUs`. */
export function timeLimitUs(tenacity: number): number {
  if (tenacity <= 10) return 50 * tenacity;
  if (tenacity < 100) return Math.floor(500 * 1.15 ** (tenacity - 10));
  return Infinity;
}

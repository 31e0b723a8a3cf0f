import { type KvHandle, KvPool } from "@nedis/allocators/kv-pool";
import { Database } from "./Database.js";
import type { DatabaseCore } from "./DatabaseCore.js";
import type { DatabaseHost } from "./db/DatabaseHost.js";
import { Evictor } from "./eviction/Evictor.js";
import { lfuInitial, lfuMinutesAt, lfuTouch, lruClockAt } from "./eviction/lruClock.js";
import { ActiveExpiry } from "./expiry/ActiveExpiry.js";
import { halfSipHashSigned, randomHashKey } from "./hash/halfSipHash.js";
import { KeyPrefetch, NO_HASH } from "./index/KeyPrefetch.js";
import type {
  FlushHook,
  KeyAddedHook,
  KeyChangingHook,
  KeyModifiedHook,
  KeyRemovedHook,
  KeyspaceOptions,
  KeyspaceStats,
  NotifyHook,
  SwapDbHook,
} from "./KeyspaceOptions.js";
import { EXPIRY_RECORD_BYTES, indexShareBytes } from "./memory/keyFootprint.js";
import { MemoryBudget } from "./memory/MemoryBudget.js";
import { Encoding, type EvictionPolicy, isVolatileMeta } from "./types.js";
import { defaultEncodingLimits, type EncodingLimits } from "./values/EncodingLimits.js";
import { valueTypeOf } from "./values/registry.js";
import { isSharedIntegerText } from "./values/string/StringType.js";
import { ValueStore } from "./values/ValueStore.js";

export type {
  FlushHook,
  KeyAddedHook,
  KeyChangingHook,
  KeyEntryReader,
  KeyModifiedHook,
  KeyRemovedHook,
  KeyspaceOptions,
  KeyspaceStats,
  NotifyHook,
  SwapDbHook,
} from "./KeyspaceOptions.js";

const CRON_INTERVAL_MS = 100;
const CRON_REHASH_BUDGET_MS = 1;

/**
 * All databases of one server over one kv-pool: keys and string values in pool pages, an
 * open-addressing index per database, expiry and eviction. Knows nothing of networking.
 *
 * @example
 * ```ts
 * const ks = new Keyspace({ maxmemory: 64 << 20, maxmemoryPolicy: "allkeys-lru" });
 * const db = ks.db(0);
 * const key = Buffer.from("greeting"), value = Buffer.from("hello");
 * if (db.lookupWrite(key, 0, key.length) < 0) db.insertString(key, 0, key.length, value, 0, value.length, StringEncodingMode.Auto);
 * const ref = db.lookupRead(key, 0, key.length);
 * db.loadValue(ref); // db.valueBuf[db.valueOff .. + db.valueLen) is "hello"
 * ks.close();
 * ```
 */
export class Keyspace implements DatabaseHost {
  readonly pool: KvPool;
  /** `maxmemory` accounting and the allocations commands make after reserving. */
  readonly memory: MemoryBudget;
  /** Out-of-line values (large collections) that entries name by id. */
  readonly values: ValueStore;
  readonly databases: Database[];
  readonly stats: KeyspaceStats = {
    expiredKeys: 0,
    expiredStalePerc: 0,
    expiredTimeCapReachedCount: 0,
    evictedKeys: 0,
    keyspaceHits: 0,
    keyspaceMisses: 0,
    totalEvictionExceededTime: 0,
  };
  /** Changes since the last save (Redis's `server.dirty`); persistence resets it. */
  dirty = 0;

  /** A key was added (Redis's `dbAdd`): ready-key signals, slot counts attach here. */
  onKeyAdded: KeyAddedHook | null = null;
  /** A key is about to be removed, with the reason: snapshots and propagation attach here. */
  onKeyRemoved: KeyRemovedHook | null = null;
  /** A key's value or expiry is about to change in place: snapshot copy-before-write attaches here. */
  onKeyChanging: KeyChangingHook | null = null;
  onKeyModified: KeyModifiedHook | null = null;
  onNotify: NotifyHook | null = null;
  onFlush: FlushHook | null = null;
  /** Called before a database (or all, -1) is emptied, while its keys can still be looked up. */
  onBeforeFlush: FlushHook | null = null;
  onSwapDb: SwapDbHook | null = null;

  /** The cached 24-bit LRU clock and LFU minutes (refreshed by the cron, like `server.lruclock`). */
  lruClock: number;
  lfuMinutes: number;
  /** True under an LFU policy: the meta's 24 bits hold LFU data instead of an LRU clock. */
  lfu = false;
  lfuLogFactor: number;
  lfuDecayTime: number;

  readonly now: () => number;
  readonly evictor: Evictor;
  readonly activeExpiry: ActiveExpiry;
  /** Collection encoding thresholds (CONFIG's `*-max-listpack-*` and friends), read at each conversion. */
  readonly limits: EncodingLimits;
  private readonly k0: number;
  private readonly k1: number;
  private readonly timers: boolean;
  private cronTimer: NodeJS.Timeout | null = null;
  private readonly prefetch = new KeyPrefetch();

  constructor(options: KeyspaceOptions = {}) {
    const count = options.databases ?? 16;
    this.now = options.clock ?? Date.now;
    this.timers = options.timers ?? true;
    [this.k0, this.k1] = options.hashKey ?? randomHashKey();
    this.pool = new KvPool({ ...options.pool, budget: 0 });
    this.memory = new MemoryBudget(this.pool);
    this.values = new ValueStore(this.pool);
    this.limits = { ...defaultEncodingLimits(), ...options.limits };
    this.lfuLogFactor = options.lfuLogFactor ?? 10;
    this.lfuDecayTime = options.lfuDecayTime ?? 1;
    const now = this.now();
    this.lruClock = lruClockAt(now);
    this.lfuMinutes = lfuMinutesAt(now);
    this.evictor = new Evictor(this, {
      samples: options.maxmemorySamples ?? 5,
      tenacity: options.maxmemoryEvictionTenacity ?? 10,
      timers: this.timers,
    });
    this.memory.evict = (bytes) => this.evictor.freeMemoryIfNeeded(bytes);
    this.activeExpiry = new ActiveExpiry(this, this.timers);
    this.databases = [];
    for (let i = 0; i < count; i++) this.databases.push(new Database(i, this));
    this.maxmemoryPolicy = options.maxmemoryPolicy ?? "noeviction";
    this.maxmemory = options.maxmemory ?? 0;
    if (this.timers) {
      this.cronTimer = setInterval(() => this.cron(), CRON_INTERVAL_MS);
      this.cronTimer.unref();
    }
  }

  /** Database `index`; the caller has validated the index. */
  db(index: number): Database {
    return this.databases[index]!;
  }

  /** `maxmemory` in bytes (0 = unlimited): the pool's budget. Lowering it starts evicting. */
  get maxmemory(): number {
    return this.pool.budget;
  }

  set maxmemory(bytes: number) {
    this.memory.limit = bytes;
    if (this.memory.exceeded) this.evictor.startBackgroundEviction();
  }

  get maxmemoryPolicy(): EvictionPolicy {
    return this.evictor.policy;
  }

  set maxmemoryPolicy(policy: EvictionPolicy) {
    this.evictor.policy = policy;
    this.lfu = policy === "allkeys-lfu" || policy === "volatile-lfu";
  }

  /** Bytes the keyspace holds: pool entries, index tables, expiry heaps, out-of-line values. */
  get usedMemory(): number {
    return this.memory.used;
  }

  /** See {@link MemoryBudget.externalBytes}: client buffers the server counts against `maxmemory`. */
  get externalBytes(): number {
    return this.memory.externalBytes;
  }

  set externalBytes(bytes: number) {
    this.memory.externalBytes = bytes;
  }

  /** What `maxmemory` is compared with: {@link usedMemory} plus {@link externalBytes}. */
  get countedMemory(): number {
    return this.memory.counted;
  }

  /**
   * Bytes one key holds (MEMORY USAGE): its entry's charge in the pool (key and inline value:
   * slot size, or a large object's buffer and overhead), its share of the index
   * ({@link indexShareBytes}), its expiry-heap record when volatile, and what its value owns
   * beyond the entry, sampling `samples` elements of a large value (0: all), as Redis's
   * `objectComputeSize`.
   */
  memoryUsageOf(db: DatabaseCore, ref: number, samples = 5): number {
    let bytes = this.pool.usableSize(db.handleAt(ref) as KvHandle) + indexShareBytes(db.index);
    if (isVolatileMeta(db.metaAt(ref))) bytes += EXPIRY_RECORD_BYTES;
    return bytes + valueTypeOf(db.typeAt(ref)).ownedBytes(db, ref, samples);
  }

  /** Keys across databases. */
  get keyCount(): number {
    let n = 0;
    for (const db of this.databases) n += db.size;
    return n;
  }

  /**
   * `encoding` for a new string value, made {@link Encoding.SharedInt} where Redis's
   * `tryObjectEncoding` would take a shared integer object: 0–9999 (a canonical int of at most
   * four digits and no sign), unless maxmemory is set with an LRU or LFU policy.
   */
  shareable(encoding: Encoding, value: Uint8Array, off: number, len: number): Encoding {
    if (encoding !== Encoding.Int || !isSharedIntegerText(value, off, len) || !this.sharesIntegers) return encoding;
    return Encoding.SharedInt;
  }

  /** Whether new small integers are shared (Redis's MAXMEMORY_FLAG_NO_SHARED_INTEGERS is clear). */
  get sharesIntegers(): boolean {
    const policy = this.maxmemoryPolicy;
    return this.maxmemory === 0 || !(policy.endsWith("lru") || policy.endsWith("lfu"));
  }

  /** The keyed index hash of a key. */
  hashKey(key: Uint8Array, off: number, len: number): number {
    if (this.prefetch.count !== 0) {
      const hash = this.prefetch.take(key, off, len);
      if (hash !== NO_HASH) return hash;
    }
    return halfSipHashSigned(this.k0, this.k1, key, off, len);
  }

  /**
   * Starts loading the index records and entries of keys about to be looked up in database
   * `db` (the keys of a pipelined batch, `buf[offsets[i], offsets[i] + lengths[i])` in buffer
   * order), so their cache misses overlap instead of following each other. The hashes are kept
   * for the lookups that follow; call {@link endPrefetch} before `buf` changes.
   */
  prefetchKeys(db: number, buf: Uint8Array, offsets: Int32Array, lengths: Int32Array, count: number): void {
    this.prefetch.fill(this.k0, this.k1, buf, offsets, lengths, count);
    this.databases[db]?.touchAhead(this.prefetch);
  }

  /** Forgets the hashes of {@link prefetchKeys}. */
  endPrefetch(): void {
    if (this.prefetch.count !== 0) this.prefetch.clear();
  }

  /**
   * Redis's `performEvictions` as the dispatcher calls it before every command when `maxmemory`
   * is set: evicts by policy until usage is within `maxmemory`. False means the limit is still
   * exceeded and nothing more can be evicted: reply `-OOM …` to commands flagged `denyoom`.
   */
  freeMemoryIfNeeded(): boolean {
    return this.evictor.freeMemoryIfNeeded(0);
  }

  /**
   * Makes room for an allocation of `bytes` (evicting by policy) before a write: false means
   * the write must be refused with the OOM error. Always true without `maxmemory`.
   */
  reserve(bytes: number): boolean {
    return this.memory.reserve(bytes);
  }

  /** Charged size of an allocation of `size` bytes (for {@link reserve}). */
  chargeFor(size: number): number {
    return this.memory.chargeFor(size);
  }

  /** Charged size of a string entry: what {@link reserve} needs before writing it. */
  stringCharge(keyLength: number, valueLength: number, volatile: boolean): number {
    return this.memory.entryCharge(keyLength, valueLength, volatile);
  }

  /** FLUSHALL: empties every database; returns the number of keys removed. */
  flushAll(): number {
    this.flushing(-1);
    let removed = 0;
    for (const db of this.databases) removed += db.size;
    this.pool.clear();
    this.values.clear();
    for (const db of this.databases) db.clearIndexes();
    this.dirty += removed;
    this.flushed(-1);
    return removed;
  }

  /** SWAPDB: exchanges the contents of two databases (one change); false if an index is out of range. */
  swapDatabases(a: number, b: number): boolean {
    const n = this.databases.length;
    if (a < 0 || a >= n || b < 0 || b >= n) return false;
    if (a === b) {
      this.dirty++;
      return true;
    }
    const x = this.databases[a]!;
    const y = this.databases[b]!;
    [x.index, y.index] = [y.index, x.index];
    [x.expiry, y.expiry] = [y.expiry, x.expiry];
    this.dirty++;
    if (this.onSwapDb !== null) this.onSwapDb(a, b);
    return true;
  }

  /** Calls {@link onKeyModified} (command code, after changing a key). */
  signalModifiedKey(db: number, key: Uint8Array, off: number, len: number): void {
    if (this.onKeyModified !== null) this.onKeyModified(db, key, off, len);
  }

  /** Calls {@link onNotify} (command code, after changing a key). */
  notify(type: string, event: string, db: number, key: Uint8Array, off: number, len: number): void {
    if (this.onNotify !== null) this.onNotify(type, event, db, key, off, len);
  }

  /** CONFIG RESETSTAT: zeroes the counters of {@link stats}. */
  resetStats(): void {
    const s = this.stats;
    s.expiredKeys = 0;
    s.expiredStalePerc = 0;
    s.expiredTimeCapReachedCount = 0;
    s.evictedKeys = 0;
    s.keyspaceHits = 0;
    s.keyspaceMisses = 0;
    s.totalEvictionExceededTime = 0;
  }

  /** DEBUG SET-ACTIVE-EXPIRE: false stops expiring keys in the background (lazy expiry stays). */
  get activeExpireEnabled(): boolean {
    return this.activeExpiry.enabled;
  }

  set activeExpireEnabled(enabled: boolean) {
    this.activeExpiry.enabled = enabled;
  }

  /** Closes the timers (the keyspace stays usable, without background work). */
  close(): void {
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    this.cronTimer = null;
    this.activeExpiry.close();
    this.evictor.close();
  }

  /**
   * Background work every 100 ms (Redis's serverCron share): refresh the LRU/LFU clocks,
   * advance incremental resizes for up to 1 ms, start shrinking sparse tables, catch up on
   * eviction if usage is above `maxmemory`.
   */
  cron(): void {
    const now = this.now();
    this.lruClock = lruClockAt(now);
    this.lfuMinutes = lfuMinutesAt(now);
    const deadline = performance.now() + CRON_REHASH_BUDGET_MS;
    for (const db of this.databases) {
      const index = db.index;
      if (!index.resizing) index.maybeShrink();
      while (index.resizing && index.migrate(1024)) {
        if (performance.now() > deadline) return;
      }
      while (index.reclaim(4 << 20)) {
        if (performance.now() > deadline) return;
      }
    }
    if (this.memory.exceeded) this.evictor.startBackgroundEviction();
  }

  /** Runs active expiry now (timers off): removes due keys for up to `budgetMs`; returns keys removed. */
  activeExpireCycle(budgetMs = 25): number {
    return this.activeExpiry.run(budgetMs);
  }

  // ---------------------------------------------------------------------------------------
  // DatabaseHost: what databases, eviction and expiry call back into.

  /** @internal The LRU/LFU field of a new object. */
  newLru(): number {
    return this.lfu ? lfuInitial(this.lfuMinutes) : this.lruClock;
  }

  /** @internal The LRU/LFU field after an access. */
  touchedLru(field: number): number {
    return this.lfu ? lfuTouch(field, this.lfuMinutes, this.lfuDecayTime, this.lfuLogFactor) : this.lruClock;
  }

  /** @internal Schedules active expiry for a new deadline. */
  noteDeadline(deadline: number): void {
    this.activeExpiry.noteDeadline(deadline);
  }

  /** @internal */
  flushing(db: number): void {
    if (this.onBeforeFlush !== null) this.onBeforeFlush(db);
  }

  /** @internal */
  flushed(db: number): void {
    if (this.onFlush !== null) this.onFlush(db);
  }
}

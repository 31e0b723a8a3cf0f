import type { KvHandle, KvPool } from "@nedis/allocators/kv-pool";
import type { DatabaseHost } from "./db/DatabaseHost.js";
import { Lookup } from "./db/Lookup.js";
import {
  entryKeyEquals,
  headerBytes,
  keyStart,
  readDeadline,
  readDeadlineBig,
  readKeyLength,
  readU32,
  TRAILER_BYTES,
} from "./entry/EntryLayout.js";
import { ExpiryHeap } from "./expiry/ExpiryHeap.js";
import { KeyIndex } from "./index/KeyIndex.js";
import { type KeyPrefetch, touchAhead } from "./index/KeyPrefetch.js";
import { Encoding, encodingOfMeta, Meta, type ObjectType, RemovalReason, typeOfMeta } from "./types.js";
import { isOutOfLineMeta } from "./values/registry.js";
import type { OutOfLineValue, ValueReader } from "./values/ValueType.js";

const EMPTY = new Uint8Array(0);

/**
 * The read side of a database and what removes keys: the key index, the expiry heap, lookups
 * with lazy expiry, entry accessors, deletion. {@link Database} adds the writes.
 *
 * Lookups return a *ref* (a slot number) or -1. A ref stays valid until the next insert or
 * removal in this database; read the entry through it right away (`loadValue`, `metaAt`, …).
 */
export class DatabaseCore implements ValueReader {
  readonly id: number;
  /** The key index; swapped with another database's by SWAPDB. */
  index: KeyIndex;
  /** Volatile keys ordered by deadline; swapped with the index. */
  expiry: ExpiryHeap;
  /** Hash of the key of the latest lookup, for the insert that often follows it. */
  lastHash = 0;
  /** Value registers filled by {@link loadValue}: the bytes are `valueBuf[valueOff, valueOff + valueLen)`. */
  valueBuf: Uint8Array = EMPTY;
  valueOff = 0;
  valueLen = 0;
  /** Key registers filled by {@link loadKey}. */
  keyBuf: Uint8Array = EMPTY;
  keyOff = 0;
  keyLen = 0;

  protected readonly ks: DatabaseHost;
  protected readonly pool: KvPool;
  private scratch = new Uint8Array(256);

  constructor(id: number, host: DatabaseHost) {
    this.id = id;
    this.ks = host;
    this.pool = host.pool;
    const memory = host.memory;
    const pool = this.pool;
    this.index = new KeyIndex(
      pool,
      (handles, i, key, off, len) => entryKeyEquals(pool, handles, i, key, off, len),
      (bytes) => memory.expandAllowed(bytes),
    );
    this.expiry = new ExpiryHeap(this.pool);
  }

  /**
   * The keyspace this database belongs to, as value types see it: the pool and budget they
   * allocate element nodes from, the value store, the encoding limits, the key hash.
   */
  get host(): DatabaseHost {
    return this.ks;
  }

  /** Starts loading the index records and entries of the prefetched keys (see {@link touchAhead}). */
  touchAhead(memo: KeyPrefetch): void {
    touchAhead(this.index.main, this.pool, memo);
  }

  /** Number of keys (including expired ones not yet reclaimed, like Redis's DBSIZE). */
  get size(): number {
    return this.index.count;
  }

  /** Number of keys with an expiry. */
  get expires(): number {
    return this.expiry.size;
  }

  /** Average remaining TTL in ms of volatile keys (INFO keyspace `avg_ttl`), 0 if none. */
  averageTtl(now: number): number {
    const heap = this.expiry;
    if (heap.size === 0) return 0;
    const avg = Math.round(heap.deadlineSum / heap.size + heap.base - now);
    return avg > 0 ? avg : 0;
  }

  /**
   * Bytes the index and expiry heap would grow by if `newKeys` keys (`newVolatile` of them with
   * an expiry) were added now: part of what a write must {@link Keyspace.reserve}.
   */
  growthCharge(newKeys: number, newVolatile: number): number {
    return this.index.growthBytes(newKeys) + (newVolatile > 0 ? this.expiry.growthBytes(newVolatile) : 0);
  }

  /** The keyed hash of a key. */
  hash(key: Uint8Array, off: number, len: number): number {
    return this.ks.hashKey(key, off, len);
  }

  /** Finds a key without expiry checks or side effects (but sets {@link lastHash}). */
  find(key: Uint8Array, off: number, len: number): number {
    const hash = this.ks.hashKey(key, off, len);
    this.lastHash = hash;
    return this.index.find(hash, key, off, len);
  }

  /**
   * Redis's `lookupKeyRead`: finds a key, deleting it first if it is past its deadline; counts a
   * hit or a miss, emits `keymiss` on a miss, and refreshes LRU/LFU data (see {@link Lookup}).
   */
  lookupRead(key: Uint8Array, off: number, len: number, flags = 0): number {
    let ref = this.find(key, off, len);
    if (ref >= 0 && this.index.main.metaAt(ref) >= Meta.VOLATILE && this.expireIfNeeded(ref)) ref = -1;
    const ks = this.ks;
    if (ref >= 0) {
      if ((flags & Lookup.NoTouch) === 0) this.touch(ref);
      if ((flags & Lookup.NoStats) === 0) ks.stats.keyspaceHits++;
    } else {
      if ((flags & Lookup.NoStats) === 0) ks.stats.keyspaceMisses++;
      if ((flags & Lookup.NoNotify) === 0 && ks.onNotify !== null) ks.onNotify("m", "keymiss", this.id, key, off, len);
    }
    return ref;
  }

  /** Redis's `lookupKeyWrite`: like {@link lookupRead} without stats or `keymiss`. */
  lookupWrite(key: Uint8Array, off: number, len: number, flags = 0): number {
    let ref = this.find(key, off, len);
    if (ref >= 0 && this.index.main.metaAt(ref) >= Meta.VOLATILE && this.expireIfNeeded(ref)) ref = -1;
    if (ref >= 0 && (flags & Lookup.NoTouch) === 0) this.touch(ref);
    return ref;
  }

  metaAt(ref: number): number {
    return this.index.main.metaAt(ref);
  }

  typeAt(ref: number): ObjectType {
    return typeOfMeta(this.index.main.metaAt(ref));
  }

  /** The encoding Redis reports (OBJECT ENCODING): private physical codes fold into Redis's. */
  encodingAt(ref: number): Encoding {
    const encoding = encodingOfMeta(this.index.main.metaAt(ref));
    return encoding === Encoding.SharedInt
      ? Encoding.Int
      : encoding === Encoding.ListPackInline
        ? Encoding.QuickList
        : encoding;
  }

  /** The physical encoding of the value at `ref` (what a type's code switches on). */
  rawEncodingAt(ref: number): Encoding {
    return encodingOfMeta(this.index.main.metaAt(ref));
  }

  /** Whether the value at `ref` is an integer Redis would share (OBJECT REFCOUNT 2147483647). */
  isSharedInteger(ref: number): boolean {
    return encodingOfMeta(this.index.main.metaAt(ref)) === Encoding.SharedInt;
  }

  handleAt(ref: number): number {
    return this.index.main.handleAt(ref);
  }

  /** Fills the value registers for the entry at `ref`. */
  loadValue(ref: number): void {
    const h = this.index.main.handleAt(ref) as KvHandle;
    const pool = this.pool;
    const page = pool.pageOf(h);
    const at = pool.offsetOf(h);
    const keyLen = readKeyLength(page, at);
    const start = at + headerBytes(keyLen) + keyLen;
    this.valueBuf = page;
    this.valueOff = start;
    this.valueLen = pool.sizeOf(h) - (start - at) - (this.index.main.metaAt(ref) >= Meta.VOLATILE ? TRAILER_BYTES : 0);
  }

  /** Length of the value at `ref` (STRLEN). */
  valueLength(ref: number): number {
    this.loadValue(ref);
    return this.valueLen;
  }

  /** The out-of-line object of the value at `ref` (its encoding must be out of line). */
  objectAt(ref: number): OutOfLineValue {
    return this.ks.values.get(this.outOfLineId(ref));
  }

  /** The value-store id the out-of-line entry at `ref` holds as its value. */
  outOfLineId(ref: number): number {
    return this.outOfLineIdOfEntry(this.index.main.handleAt(ref));
  }

  /** {@link outOfLineId} by entry handle (flushes walk handles, not refs). */
  private outOfLineIdOfEntry(handle: number): number {
    const pool = this.pool;
    const page = pool.pageOf(handle as KvHandle);
    const at = pool.offsetOf(handle as KvHandle);
    const keyLen = readKeyLength(page, at);
    return readU32(page, at + headerBytes(keyLen) + keyLen);
  }

  /** Fills the key registers from an entry handle. */
  loadKey(handle: number): void {
    const pool = this.pool;
    const page = pool.pageOf(handle as KvHandle);
    const at = pool.offsetOf(handle as KvHandle);
    this.keyBuf = page;
    this.keyLen = readKeyLength(page, at);
    this.keyOff = keyStart(page, at);
  }

  /** A copy of the key of an entry. */
  keyCopy(handle: number): Buffer {
    this.loadKey(handle);
    return Buffer.from(this.keyBuf.subarray(this.keyOff, this.keyOff + this.keyLen));
  }

  /** Deadline (unix ms) of the key at `ref`, or -1 when it has none. Exact up to 2^53. */
  expireAt(ref: number): number {
    if (this.index.main.metaAt(ref) < Meta.VOLATILE) return -1;
    const h = this.index.main.handleAt(ref) as KvHandle;
    return readDeadline(this.pool.pageOf(h), this.pool.offsetOf(h) + this.pool.sizeOf(h) - TRAILER_BYTES);
  }

  /** Exact deadline as a bigint (for deadlines beyond 2^53 ms), or -1n. */
  expireAtBig(ref: number): bigint {
    if (this.index.main.metaAt(ref) < Meta.VOLATILE) return -1n;
    const h = this.index.main.handleAt(ref) as KvHandle;
    return readDeadlineBig(this.pool.pageOf(h), this.pool.offsetOf(h) + this.pool.sizeOf(h) - TRAILER_BYTES);
  }

  /** Deadline of the entry at `handle` whose meta word is `meta` (-1 when persistent). */
  deadlineOfEntry(handle: number, meta: number): number {
    if (meta < Meta.VOLATILE) return -1;
    const h = handle as KvHandle;
    return readDeadline(this.pool.pageOf(h), this.pool.offsetOf(h) + this.pool.sizeOf(h) - TRAILER_BYTES);
  }

  /** True when the key at `ref` is past its deadline (`keyIsExpired`: now > deadline). */
  isExpired(ref: number, now: number): boolean {
    if (this.index.main.metaAt(ref) < Meta.VOLATILE) return false;
    return now > this.expireAt(ref);
  }

  /** Deletes the key at `ref` if it is past its deadline, as an expiry; true if it did. */
  expireIfNeeded(ref: number): boolean {
    if (!this.isExpired(ref, this.ks.now())) return false;
    this.removeWithEvents(ref, RemovalReason.Expired, "x", "expired");
    this.ks.stats.expiredKeys++;
    return true;
  }

  /**
   * Removes a key the keyspace removes on its own (expiry, eviction) and fires what a command
   * would: the modified-key signal (WATCH, tracking) and the keyspace event.
   */
  removeWithEvents(ref: number, reason: RemovalReason, type: string, event: string): void {
    const ks = this.ks;
    if (ks.onKeyModified === null && ks.onNotify === null) {
      this.removeRef(ref, reason);
      return;
    }
    this.loadKey(this.index.main.handleAt(ref));
    const len = this.keyLen;
    if (this.scratch.length < len) this.scratch = new Uint8Array(Math.max(len, this.scratch.length * 2));
    const key = this.scratch;
    key.set(this.keyBuf.subarray(this.keyOff, this.keyOff + len));
    this.removeRef(ref, reason);
    if (ks.onKeyModified !== null) ks.onKeyModified(this.id, key, 0, len);
    if (ks.onNotify !== null) ks.onNotify(type, event, this.id, key, 0, len);
  }

  /** Refreshes the LRU clock or LFU counter of the key at `ref`. */
  touch(ref: number): void {
    const table = this.index.main;
    const meta = table.metaAt(ref);
    table.setMeta(ref, ((meta & ~Meta.LRU_MASK) | this.ks.touchedLru(meta & Meta.LRU_MASK)) >>> 0);
  }

  /** Sets the 24-bit LRU/LFU field (OBJECT FREQ tests, RESTORE IDLETIME/FREQ). */
  setLruField(ref: number, field: number): void {
    const table = this.index.main;
    table.setMeta(ref, ((table.metaAt(ref) & ~Meta.LRU_MASK) | (field & Meta.LRU_MASK)) >>> 0);
  }

  /** A command removes the key at `ref` (no signal or event: the command sends its own). */
  deleteRef(ref: number): void {
    this.removeRef(ref, RemovalReason.Deleted);
  }

  /**
   * The key-removed gateway (Redis's `dbGenericDelete`): tells {@link DatabaseHost.onKeyRemoved}
   * while the entry is still readable, frees it, and counts a change when a command deleted it.
   */
  removeRef(ref: number, reason: RemovalReason): void {
    const ks = this.ks;
    if (ks.onKeyRemoved !== null) ks.onKeyRemoved(this, ref, reason);
    this.detachRef(ref, reason !== RemovalReason.Moved);
    if (reason === RemovalReason.Deleted) ks.dirty++;
  }

  /**
   * The value-changing gateway: call it before the value or expiry of the key at `ref` changes
   * in place. Tells {@link DatabaseHost.onKeyChanging} (the old state is still readable) and
   * counts one change (Redis's `server.dirty++` of the command).
   */
  modify(ref: number): void {
    const ks = this.ks;
    if (ks.onKeyChanging !== null) ks.onKeyChanging(this, ref);
    ks.dirty++;
  }

  /**
   * Redis's DEL of one key: a key past its deadline is expired (with its `expired` event) and
   * not counted. True when a live key was removed, for `reason` (a command's delete by default,
   * or {@link RemovalReason.Overwritten} when a new key takes its name). No signal or event for
   * the removal itself.
   */
  delete(key: Uint8Array, off: number, len: number, reason: RemovalReason = RemovalReason.Deleted): boolean {
    const ref = this.find(key, off, len);
    if (ref < 0) return false;
    if (this.expireIfNeeded(ref)) return false;
    this.removeRef(ref, reason);
    return true;
  }

  /** EXISTS-style check (no stats, no touch), expiring the key if needed. */
  exists(key: Uint8Array, off: number, len: number): boolean {
    return this.lookupWrite(key, off, len, Lookup.NoTouch) >= 0;
  }

  /**
   * Removes the key at `ref` from this database without hooks or counting (use
   * {@link removeRef}). With `freeEntry` its allocation (and out-of-line value) is freed;
   * without, the caller takes the entry over (MOVE).
   */
  detachRef(ref: number, freeEntry: boolean): void {
    const table = this.index.main;
    const meta = table.metaAt(ref);
    const handle = table.handleAt(ref) as KvHandle;
    if (meta >= Meta.VOLATILE) {
      const pool = this.pool;
      this.expiry.remove(readU32(pool.pageOf(handle), pool.offsetOf(handle) + pool.sizeOf(handle) - 4));
    }
    if (freeEntry) {
      if (isOutOfLineMeta(meta)) this.ks.values.release(this.outOfLineId(ref));
      this.pool.free(handle);
    }
    this.index.remove(ref);
  }

  /**
   * RANDOMKEY (`dbRandomKey`): a copy of a random key that is not past its deadline (expired
   * ones met on the way are deleted), or null when the database is empty.
   */
  randomKey(): Buffer | null {
    for (;;) {
      const handle = this.index.randomHandle();
      if (handle === 0) return null;
      const key = this.keyCopy(handle);
      const ref = this.index.find(this.ks.hashKey(key, 0, key.length), key, 0, key.length);
      if (ref >= 0 && this.expireIfNeeded(ref)) continue;
      return key;
    }
  }

  /** Empties the database, freeing every entry; returns the number of keys removed. */
  flush(): number {
    this.ks.flushing(this.id);
    const removed = this.index.count;
    if (removed > 0) {
      const pool = this.pool;
      const values = this.ks.values;
      this.index.forEach((handle, meta) => {
        if (isOutOfLineMeta(meta)) values.release(this.outOfLineIdOfEntry(handle));
        pool.free(handle as KvHandle);
      });
    }
    this.clearIndexes();
    this.ks.dirty += removed;
    this.ks.flushed(this.id);
    return removed;
  }

  /** Forgets every entry without freeing (after the pool was cleared as a whole). */
  clearIndexes(): void {
    this.index.reset();
    this.expiry.clear();
  }

  /** Adds a volatile entry to the expiry heap (its trailer must be written). */
  protected pushExpiry(deadline: number, handle: number): void {
    this.expiry.push(deadline, handle);
    this.ks.noteDeadline(deadline);
  }
}

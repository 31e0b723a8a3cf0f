import type { KvHandle, KvPool } from "@nedis/allocators/kv-pool";
import {
  TRAILER_BYTES, bytesEqual, copyRange, entryBytes, headerBytes, keyStart, readDeadline, readDeadlineBig,
  readKeyLength, readU32, writeDeadline, writeKey,
} from "./entry/EntryLayout.js";
import { ExpiryHeap } from "./expiry/ExpiryHeap.js";
import { KeyIndex } from "./index/KeyIndex.js";
import type { Keyspace } from "./Keyspace.js";
import { EMBSTR_SIZE_LIMIT, Encoding, Meta, ObjectType, encodingOfMeta, typeOfMeta } from "./types.js";
import { isLongLong } from "./strings/int64.js";

/** Flags of {@link Database.lookupRead} (Redis's LOOKUP_*). */
export const Lookup = {
  /** Do not update the key's LRU/LFU data. */
  NoTouch: 1,
  /** Do not count a keyspace hit or miss. */
  NoStats: 2,
  /** Do not emit the `keymiss` event. */
  NoNotify: 4,
} as const;

/** How a string value chooses its encoding. */
export const StringEncodingMode = {
  /** `tryObjectEncoding`: int for canonical int64 text, else embstr (≤ 44 bytes) or raw. */
  Auto: 0,
  /** `createStringObject`: embstr (≤ 44 bytes) or raw, never int (INCRBYFLOAT results). */
  NoInt: 1,
  /** Always raw (APPEND, SETRANGE results). */
  Raw: 2,
} as const;
export type StringEncodingMode = (typeof StringEncodingMode)[keyof typeof StringEncodingMode];

const EMPTY = new Uint8Array(0);

/**
 * One numbered database: an incrementally resized key index over kv-pool entries plus the
 * time-ordered index of its volatile keys.
 *
 * Lookups return a *ref* (a slot number) or -1. A ref stays valid until the next insert or
 * removal in this database; read the entry through it right away (`loadValue`, `metaAt`, …).
 * Mutating primitives do not signal or notify: command code calls
 * {@link Keyspace.signalModifiedKey} / {@link Keyspace.notify}, as Redis commands do. Deletions
 * the keyspace makes on its own (lazy and active expiry, eviction, flushes) fire the hooks itself.
 */
export class Database {
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

  private readonly ks: Keyspace;
  private readonly pool: KvPool;

  constructor(id: number, keyspace: Keyspace) {
    this.id = id;
    this.ks = keyspace;
    this.pool = keyspace.pool;
    this.index = new KeyIndex(this.pool, (h, key, off, len) => this.keyEquals(h, key, off, len));
    this.expiry = new ExpiryHeap(this.pool);
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

  encodingAt(ref: number): Encoding {
    return encodingOfMeta(this.index.main.metaAt(ref));
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
    this.ks.deleteWithEvent(this, ref, "x", "expired");
    this.ks.stats.expiredKeys++;
    return true;
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

  // ---------------------------------------------------------------------------------------
  // Writes

  /**
   * Adds a string key that does not exist (its lookup just returned -1 and set {@link lastHash}).
   * `deadline` > 0 makes it volatile. Returns the new ref.
   */
  insertString(
    key: Uint8Array, keyOff: number, keyLen: number,
    value: Uint8Array, valueOff: number, valueLen: number,
    mode: StringEncodingMode, deadline: number | bigint = 0,
  ): number {
    const encoding = chooseEncoding(mode, value, valueOff, valueLen);
    return this.insertValue(key, keyOff, keyLen, value, valueOff, valueLen, ObjectType.String, encoding, deadline);
  }

  /** {@link insertString} for any type: the value bytes and the type/encoding are given. */
  insertValue(
    key: Uint8Array, keyOff: number, keyLen: number,
    value: Uint8Array, valueOff: number, valueLen: number,
    type: ObjectType, encoding: Encoding, deadline: number | bigint = 0,
  ): number {
    const volatile = deadline > 0;
    const handle = this.ks.alloc(entryBytes(keyLen, valueLen, volatile));
    const pool = this.pool;
    const page = pool.pageOf(handle);
    const at = writeKey(page, pool.offsetOf(handle), key, keyOff, keyLen);
    copyRange(value, valueOff, page, at, valueLen);
    let meta = ((type << Meta.TYPE_SHIFT) | (encoding << Meta.ENCODING_SHIFT) | this.ks.newLru()) >>> 0;
    if (volatile) {
      writeDeadline(page, at + valueLen, deadline);
      meta = (meta | Meta.VOLATILE) >>> 0;
    }
    const ref = this.index.insert(this.lastHash, meta, handle);
    if (volatile) this.pushExpiry(Number(deadline), handle);
    this.ks.notify("n", "new", this.id, key, keyOff, keyLen);
    return ref;
  }

  /**
   * Replaces the value of the key at `ref` with a string (any previous type). With `keepTtl`
   * the expiry stays; otherwise the key gets `deadline` (0: none). Returns the ref.
   */
  overwriteString(
    ref: number,
    value: Uint8Array, valueOff: number, valueLen: number,
    mode: StringEncodingMode, keepTtl: boolean, deadline: number | bigint = 0,
  ): number {
    const encoding = chooseEncoding(mode, value, valueOff, valueLen);
    return this.overwriteValue(ref, value, valueOff, valueLen, ObjectType.String, encoding, keepTtl, deadline);
  }

  /** {@link overwriteString} for any type. */
  overwriteValue(
    ref: number,
    value: Uint8Array, valueOff: number, valueLen: number,
    type: ObjectType, encoding: Encoding, keepTtl: boolean, deadline: number | bigint = 0,
  ): number {
    const table = this.index.main;
    const oldMeta = table.metaAt(ref);
    if (typeOfMeta(oldMeta) !== ObjectType.String) this.ks.releaseObject(this, ref);
    const wasVolatile = oldMeta >= Meta.VOLATILE;
    let volatile = deadline > 0;
    let pos = -1;
    let keptDeadline: number | bigint = 0;
    const pool = this.pool;
    let handle = table.handleAt(ref) as KvHandle;
    if (wasVolatile) {
      const trailer = pool.offsetOf(handle) + pool.sizeOf(handle) - TRAILER_BYTES;
      pos = readU32(pool.pageOf(handle), trailer + 8);
      if (keepTtl) {
        keptDeadline = readDeadline(pool.pageOf(handle), trailer);
        if (keptDeadline > Number.MAX_SAFE_INTEGER) keptDeadline = readDeadlineBig(pool.pageOf(handle), trailer);
        volatile = true;
        deadline = keptDeadline;
      }
    } else if (keepTtl) {
      volatile = false;
    }
    const page0 = pool.pageOf(handle);
    const keyLen = readKeyLength(page0, pool.offsetOf(handle));
    handle = this.ks.realloc(handle, entryBytes(keyLen, valueLen, volatile));
    const page = pool.pageOf(handle);
    const at = pool.offsetOf(handle) + headerBytes(keyLen) + keyLen;
    copyRange(value, valueOff, page, at, valueLen);
    table.setHandle(ref, handle);
    const lru = this.ks.lfu ? oldMeta & Meta.LRU_MASK : this.ks.newLru();
    let meta = ((type << Meta.TYPE_SHIFT) | (encoding << Meta.ENCODING_SHIFT) | lru) >>> 0;
    if (volatile) {
      meta = (meta | Meta.VOLATILE) >>> 0;
      writeDeadline(page, at + valueLen, deadline);
      if (wasVolatile) {
        writeU32Trailer(page, at + valueLen + 8, pos);
        this.expiry.setHandle(pos, handle);
        if (!keepTtl) this.expiry.update(pos, Number(deadline));
      } else {
        this.pushExpiry(Number(deadline), handle);
      }
    } else if (wasVolatile) {
      this.expiry.remove(pos);
    }
    table.setMeta(ref, meta);
    if (volatile && !keepTtl && wasVolatile) this.ks.noteDeadline(Number(deadline));
    return ref;
  }

  /**
   * Resizes the value of the string at `ref` to `newLength` bytes, keeping the first
   * `min(old, new)` value bytes and the expiry, and sets its encoding; the value registers then
   * point at the resized value. New bytes are zero (SETRANGE pads with zeros).
   */
  resizeString(ref: number, newLength: number, encoding: Encoding): void {
    const table = this.index.main;
    const meta = table.metaAt(ref);
    const volatile = meta >= Meta.VOLATILE;
    const pool = this.pool;
    let handle = table.handleAt(ref) as KvHandle;
    let page = pool.pageOf(handle);
    let at = pool.offsetOf(handle);
    const keyLen = readKeyLength(page, at);
    const head = headerBytes(keyLen) + keyLen;
    const oldLength = pool.sizeOf(handle) - head - (volatile ? TRAILER_BYTES : 0);
    // Save the trailer: after the resize the value's tail may cover where it was.
    let lo = 0;
    let hi = 0;
    let pos = 0;
    if (volatile) {
      const t = at + head + oldLength;
      lo = readU32(page, t);
      hi = readU32(page, t + 4);
      pos = readU32(page, t + 8);
    }
    handle = this.ks.realloc(handle, entryBytes(keyLen, newLength, volatile));
    page = pool.pageOf(handle);
    at = pool.offsetOf(handle) + head;
    if (newLength > oldLength) page.fill(0, at + oldLength, at + newLength);
    if (volatile) {
      const t = at + newLength;
      writeU32Trailer(page, t, lo);
      writeU32Trailer(page, t + 4, hi);
      writeU32Trailer(page, t + 8, pos);
      this.expiry.setHandle(pos, handle);
    }
    table.setHandle(ref, handle);
    table.setMeta(ref, ((meta & ~(15 << Meta.ENCODING_SHIFT)) | (encoding << Meta.ENCODING_SHIFT)) >>> 0);
    this.valueBuf = page;
    this.valueOff = at;
    this.valueLen = newLength;
  }

  /** Sets the encoding bits of the key at `ref` (after an in-place value rewrite). */
  setEncoding(ref: number, encoding: Encoding): void {
    const table = this.index.main;
    table.setMeta(ref, ((table.metaAt(ref) & ~(15 << Meta.ENCODING_SHIFT)) | (encoding << Meta.ENCODING_SHIFT)) >>> 0);
  }

  /** Removes the key at `ref` (no hooks). */
  deleteRef(ref: number): void {
    this.detachRef(ref, true);
    this.ks.dirty++;
  }

  /**
   * Redis's DEL of one key: a key past its deadline is expired (with its `expired` event) and
   * not counted. True when a live key was deleted. No hooks for the deletion itself.
   */
  delete(key: Uint8Array, off: number, len: number): boolean {
    const ref = this.find(key, off, len);
    if (ref < 0) return false;
    if (this.expireIfNeeded(ref)) return false;
    this.deleteRef(ref);
    return true;
  }

  /** EXISTS-style check (no stats, no touch), expiring the key if needed. */
  exists(key: Uint8Array, off: number, len: number): boolean {
    return this.lookupWrite(key, off, len, Lookup.NoTouch) >= 0;
  }

  /**
   * Sets the deadline of the key at `ref` (which must be in the future). Returns the ref.
   */
  setExpire(ref: number, deadline: number | bigint): number {
    const table = this.index.main;
    const meta = table.metaAt(ref);
    const pool = this.pool;
    let handle = table.handleAt(ref) as KvHandle;
    if (meta >= Meta.VOLATILE) {
      const page = pool.pageOf(handle);
      const t = pool.offsetOf(handle) + pool.sizeOf(handle) - TRAILER_BYTES;
      writeDeadline(page, t, deadline);
      this.expiry.update(readU32(page, t + 8), Number(deadline));
      this.ks.noteDeadline(Number(deadline));
    } else {
      const size = pool.sizeOf(handle);
      handle = this.ks.realloc(handle, size + TRAILER_BYTES);
      writeDeadline(pool.pageOf(handle), pool.offsetOf(handle) + size, deadline);
      table.setHandle(ref, handle);
      table.setMeta(ref, (meta | Meta.VOLATILE) >>> 0);
      this.pushExpiry(Number(deadline), handle);
    }
    return ref;
  }

  /** Removes the expiry of the key at `ref`; true if it had one (PERSIST). */
  removeExpire(ref: number): boolean {
    const table = this.index.main;
    const meta = table.metaAt(ref);
    if (meta < Meta.VOLATILE) return false;
    const pool = this.pool;
    let handle = table.handleAt(ref) as KvHandle;
    const size = pool.sizeOf(handle);
    this.expiry.remove(readU32(pool.pageOf(handle), pool.offsetOf(handle) + size - 4));
    handle = this.ks.realloc(handle, size - TRAILER_BYTES);
    table.setHandle(ref, handle);
    table.setMeta(ref, (meta & ~Meta.VOLATILE) >>> 0);
    return true;
  }

  /**
   * Removes the key at `ref` from this database. With `freeEntry` its allocation (and external
   * object) is freed; without, the caller takes the entry over (MOVE).
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
      if (typeOfMeta(meta) !== ObjectType.String) this.ks.releaseObject(this, ref);
      this.pool.free(handle);
    }
    this.index.remove(ref);
  }

  /**
   * Adds an existing entry (taken from another database by {@link detachRef}) under its own key.
   * The key must not exist here. Returns its ref.
   */
  attachEntry(hash: number, meta: number, handle: number): number {
    const ref = this.index.insert(hash, meta, handle);
    if (this.ks.onNotify !== null) {
      this.loadKey(handle);
      this.ks.notify("n", "new", this.id, this.keyBuf, this.keyOff, this.keyLen);
    }
    if (meta >= Meta.VOLATILE) {
      const pool = this.pool;
      const h = handle as KvHandle;
      const deadline = readDeadline(pool.pageOf(h), pool.offsetOf(h) + pool.sizeOf(h) - TRAILER_BYTES);
      this.pushExpiry(deadline, handle);
    }
    return ref;
  }

  /**
   * Gives the entry at `ref` a new key (RENAME): the value, type, encoding, LRU data and expiry
   * move to a new allocation under `key`, which must not exist. Returns the new ref.
   */
  rekey(ref: number, key: Uint8Array, off: number, len: number): number {
    const table = this.index.main;
    const meta = table.metaAt(ref);
    const pool = this.pool;
    const old = table.handleAt(ref) as KvHandle;
    const oldPage = pool.pageOf(old);
    const oldAt = pool.offsetOf(old);
    const oldKeyLen = readKeyLength(oldPage, oldAt);
    const restAt = oldAt + headerBytes(oldKeyLen) + oldKeyLen;
    const rest = pool.sizeOf(old) - (restAt - oldAt);
    const handle = this.ks.alloc(headerBytes(len) + len + rest);
    const page = pool.pageOf(handle);
    const at = writeKey(page, pool.offsetOf(handle), key, off, len);
    copyRange(pool.pageOf(old), restAt, page, at, rest);
    const volatile = meta >= Meta.VOLATILE;
    if (volatile) this.expiry.remove(readU32(oldPage, restAt + rest - 4));
    this.index.remove(ref);
    pool.free(old);
    const hash = this.ks.hashKey(key, off, len);
    const newRef = this.index.insert(hash, meta, handle);
    if (volatile) this.pushExpiry(readDeadline(page, at + rest - TRAILER_BYTES), handle);
    this.ks.notify("n", "new", this.id, key, off, len);
    this.ks.dirty++;
    return newRef;
  }

  /**
   * Adds a copy of the entry at `srcRef` of `src` under `key` here (COPY): same type, encoding
   * and expiry, a fresh LRU/LFU; heap objects are duplicated. `key` must not exist. Returns the
   * new ref.
   */
  copyFrom(src: Database, srcRef: number, key: Uint8Array, off: number, len: number): number {
    const meta = src.metaAt(srcRef);
    const type = typeOfMeta(meta);
    const encoding = encodingOfMeta(meta);
    let deadline: number | bigint = src.expireAt(srcRef);
    if (deadline > Number.MAX_SAFE_INTEGER) deadline = src.expireAtBig(srcRef);
    if (deadline < 0) deadline = 0;
    this.lastHash = this.ks.hashKey(key, off, len);
    if (type !== ObjectType.String) {
      const copy = this.ks.objects.objectAt(src, srcRef).duplicate();
      return this.ks.objects.insertNew(this, key, off, len, type, encoding, copy, deadline);
    }
    src.loadValue(srcRef);
    return this.insertValue(key, off, len, src.valueBuf, src.valueOff, src.valueLen, type, encoding, deadline);
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
    const removed = this.index.count;
    if (removed > 0) {
      this.index.forEach((handle, meta) => {
        if (typeOfMeta(meta) !== ObjectType.String) this.ks.releaseObjectOfEntry(handle);
        this.pool.free(handle as KvHandle);
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
  private pushExpiry(deadline: number, handle: number): void {
    this.expiry.push(deadline, handle);
    this.ks.noteDeadline(deadline);
  }

  private keyEquals(handle: number, key: Uint8Array, off: number, len: number): boolean {
    const pool = this.pool;
    const page = pool.pageOf(handle as KvHandle);
    let at = pool.offsetOf(handle as KvHandle);
    const b0 = page[at]!;
    if (b0 < 0x80) {
      if (b0 !== len) return false;
      at++;
    } else {
      if (readKeyLength(page, at) !== len) return false;
      at += 4;
    }
    return bytesEqual(page, at, key, off, len);
  }
}

/** The encoding Redis would give a string value created in `mode`. */
export function chooseEncoding(mode: StringEncodingMode, value: Uint8Array, off: number, len: number): Encoding {
  if (mode === StringEncodingMode.Raw) return Encoding.Raw;
  if (mode === StringEncodingMode.Auto && len <= 20 && isLongLong(value, off, off + len)) return Encoding.Int;
  return len <= EMBSTR_SIZE_LIMIT ? Encoding.EmbStr : Encoding.Raw;
}

function writeU32Trailer(page: Uint8Array, at: number, value: number): void {
  page[at] = value & 0xff;
  page[at + 1] = (value >>> 8) & 0xff;
  page[at + 2] = (value >>> 16) & 0xff;
  page[at + 3] = value >>> 24;
}

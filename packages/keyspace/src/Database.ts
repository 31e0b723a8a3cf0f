import type { KvHandle } from "@nedis/allocators/kv-pool";
import { DatabaseCore } from "./DatabaseCore.js";
import { NewKeyWriter } from "./db/NewKeyWriter.js";
import {
  copyRange,
  entryBytes,
  headerBytes,
  readDeadline,
  readDeadlineBig,
  readKeyLength,
  readU32,
  TRAILER_BYTES,
  writeDeadline,
  writeKey,
  writeU32,
} from "./entry/EntryLayout.js";
import { type Encoding, Meta, ObjectType, RemovalReason, typeOfMeta } from "./types.js";
import { isOutOfLineMeta, valueTypeOf } from "./values/registry.js";
import { chooseEncoding, type StringEncodingMode } from "./values/string/StringType.js";
import type { OutOfLineValue } from "./values/ValueType.js";

export { Lookup } from "./db/Lookup.js";
export { NewKeyWriter } from "./db/NewKeyWriter.js";
export { chooseEncoding, StringEncodingMode } from "./values/string/StringType.js";

/**
 * One numbered database: an incrementally resized key index over kv-pool entries plus the
 * time-ordered index of its volatile keys.
 *
 * Lookups return a *ref* (a slot number) or -1. A ref stays valid until the next insert or
 * removal in this database; read the entry through it right away (`loadValue`, `metaAt`, …).
 *
 * Every write passes one of three gateways, which count Redis's `dirty` and call the keyspace's
 * hooks: key added ({@link insertValue}, {@link attachEntry}), key removed
 * ({@link DatabaseCore.removeRef}, with its reason) and value about to change
 * ({@link DatabaseCore.modify}, which {@link overwriteValue}, {@link setExpire} and
 * {@link removeExpire} call themselves). Nothing else writes into an entry's bytes.
 * Mutating primitives do not signal or notify — command code calls
 * {@link Keyspace.signalModifiedKey} / {@link Keyspace.notify}, as Redis commands do — except for
 * the `new` event of a key they add (Redis's `dbAdd` emits it). Deletions the keyspace makes on
 * its own (lazy and active expiry, eviction, flushes) fire the hooks itself.
 */
export class Database extends DatabaseCore {
  /**
   * Adds a string key that does not exist (its lookup just returned -1 and set {@link lastHash}).
   * `deadline` > 0 makes it volatile. Returns the new ref.
   */
  insertString(
    key: Uint8Array,
    keyOff: number,
    keyLen: number,
    value: Uint8Array,
    valueOff: number,
    valueLen: number,
    mode: StringEncodingMode,
    deadline: number | bigint = 0,
  ): number {
    const encoding = this.ks.shareable(chooseEncoding(mode, value, valueOff, valueLen), value, valueOff, valueLen);
    return this.insertValue(key, keyOff, keyLen, value, valueOff, valueLen, ObjectType.String, encoding, deadline);
  }

  /**
   * The key-added gateway (Redis's `dbAdd`): adds a key that does not exist (its hash in
   * {@link lastHash}) with the given inline value bytes, type and encoding; counts one change,
   * calls `onKeyAdded` and emits `new`.
   */
  insertValue(
    key: Uint8Array,
    keyOff: number,
    keyLen: number,
    value: Uint8Array,
    valueOff: number,
    valueLen: number,
    type: ObjectType,
    encoding: Encoding,
    deadline: number | bigint = 0,
  ): number {
    const volatile = deadline > 0;
    const ks = this.ks;
    const handle = ks.memory.alloc(entryBytes(keyLen, valueLen, volatile));
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
    this.keyAdded(key, keyOff, keyLen, type);
    return ref;
  }

  // What every key-added gateway ends with (Redis's `dbAdd`): one change, the hook, `new`.
  private keyAdded(key: Uint8Array, off: number, len: number, type: ObjectType): void {
    const ks = this.ks;
    ks.dirty++;
    if (ks.onKeyAdded !== null) ks.onKeyAdded(this.id, key, off, len, type);
    if (ks.onNotify !== null) ks.onNotify("n", "new", this.id, key, off, len);
  }

  /**
   * Adds an existing entry (taken from another database by {@link detachRef}) under its own key
   * (MOVE): a key-added gateway, counted as one change. The key must not exist here. Returns its
   * ref.
   */
  attachEntry(hash: number, meta: number, handle: number): number {
    const ref = this.index.insert(hash, meta, handle);
    this.loadKey(handle);
    this.keyAdded(this.keyBuf, this.keyOff, this.keyLen, typeOfMeta(meta));
    if (meta >= Meta.VOLATILE) {
      const pool = this.pool;
      const h = handle as KvHandle;
      const deadline = readDeadline(pool.pageOf(h), pool.offsetOf(h) + pool.sizeOf(h) - TRAILER_BYTES);
      this.pushExpiry(deadline, handle);
    }
    return ref;
  }

  /** Adds a key that does not exist (hash in {@link lastHash}) holding an out-of-line value. */
  insertOutOfLine(
    key: Uint8Array,
    keyOff: number,
    keyLen: number,
    object: OutOfLineValue,
    type: ObjectType,
    encoding: Encoding,
    deadline: number | bigint = 0,
  ): number {
    const id = this.ks.values.add(object, type);
    return this.insertValue(key, keyOff, keyLen, idBytes(id), 0, 4, type, encoding, deadline);
  }

  /** The encoding of a new string value, made shared-int where Redis would share it. */
  shareable(encoding: Encoding, value: Uint8Array, off: number, len: number): Encoding {
    return this.ks.shareable(encoding, value, off, len);
  }

  /**
   * Replaces the value of the key at `ref` with a string (any previous type). With `keepTtl`
   * the expiry stays; otherwise the key gets `deadline` (0: none). Returns the ref.
   */
  overwriteString(
    ref: number,
    value: Uint8Array,
    valueOff: number,
    valueLen: number,
    mode: StringEncodingMode,
    keepTtl: boolean,
    deadline: number | bigint = 0,
  ): number {
    const encoding = this.ks.shareable(chooseEncoding(mode, value, valueOff, valueLen), value, valueOff, valueLen);
    return this.overwriteValue(ref, value, valueOff, valueLen, ObjectType.String, encoding, keepTtl, deadline);
  }

  /**
   * {@link overwriteString} for any type (Redis's `setKey` on an existing key): a change of the
   * key at `ref` through the {@link modify} gateway; an out-of-line old value is freed.
   */
  overwriteValue(
    ref: number,
    value: Uint8Array,
    valueOff: number,
    valueLen: number,
    type: ObjectType,
    encoding: Encoding,
    keepTtl: boolean,
    deadline: number | bigint = 0,
  ): number {
    this.modify(ref);
    const table = this.index.main;
    const oldMeta = table.metaAt(ref);
    if (isOutOfLineMeta(oldMeta)) this.ks.values.release(this.outOfLineId(ref));
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
    const size = entryBytes(keyLen, valueLen, volatile);
    // Same size: overwrite in place (the handle stays, so nothing refers to a stale one).
    if (pool.sizeOf(handle) !== size) handle = this.ks.memory.realloc(handle, size);
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
        writeU32(page, at + valueLen + 8, pos);
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
   * Resizes the inline value at `ref` to `newLength` bytes, keeping the first `min(old, new)`
   * value bytes and the expiry, and sets its encoding; the value registers then point at the
   * resized value. New bytes are zero (SETRANGE pads with zeros). Part of an in-place change:
   * the caller has passed the {@link modify} gateway.
   */
  resizeValue(ref: number, newLength: number, encoding: Encoding): void {
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
    const size = entryBytes(keyLen, newLength, volatile);
    handle = newLength > oldLength ? this.ks.memory.grow(handle, size) : this.ks.memory.realloc(handle, size);
    page = pool.pageOf(handle);
    at = pool.offsetOf(handle) + head;
    if (newLength > oldLength) page.fill(0, at + oldLength, at + newLength);
    if (volatile) {
      const t = at + newLength;
      writeU32(page, t, lo);
      writeU32(page, t + 4, hi);
      writeU32(page, t + 8, pos);
      this.expiry.setHandle(pos, handle);
    }
    table.setHandle(ref, handle);
    table.setMeta(ref, ((meta & ~(15 << Meta.ENCODING_SHIFT)) | (encoding << Meta.ENCODING_SHIFT)) >>> 0);
    this.valueBuf = page;
    this.valueOff = at;
    this.valueLen = newLength;
  }

  /**
   * Turns the inline value at `ref` into the out-of-line `object` (a small collection grew past
   * its packed encoding): the entry's value becomes the object's id, the expiry and LRU data
   * stay. Part of an in-place change: the caller has passed the {@link modify} gateway.
   */
  setOutOfLine(ref: number, object: OutOfLineValue, encoding: Encoding): void {
    const meta = this.index.main.metaAt(ref);
    if (isOutOfLineMeta(meta)) throw new Error("keyspace: setOutOfLine on an out-of-line value");
    const id = this.ks.values.add(object, typeOfMeta(meta));
    this.resizeValue(ref, 4, encoding);
    writeU32(this.valueBuf, this.valueOff, id);
  }

  /**
   * Replaces the value at `ref` (inline or out of line) by the inline bytes `value[off, off + len)`
   * of `encoding`, keeping the type, expiry and LRU data; an out-of-line object is freed. Part of
   * an in-place change: the caller has passed the {@link modify} gateway.
   */
  setInline(ref: number, value: Uint8Array, off: number, len: number, encoding: Encoding): void {
    if (isOutOfLineMeta(this.index.main.metaAt(ref))) this.ks.values.release(this.outOfLineId(ref));
    this.resizeValue(ref, len, encoding);
    copyRange(value, off, this.valueBuf, this.valueOff, len);
  }

  /** Sets the encoding bits of the key at `ref` (part of an in-place change, after {@link modify}). */
  setEncoding(ref: number, encoding: Encoding): void {
    const table = this.index.main;
    table.setMeta(ref, ((table.metaAt(ref) & ~(15 << Meta.ENCODING_SHIFT)) | (encoding << Meta.ENCODING_SHIFT)) >>> 0);
  }

  /**
   * Sets the deadline of the key at `ref` (which must be in the future): a change through the
   * {@link modify} gateway. Returns the ref.
   */
  setExpire(ref: number, deadline: number | bigint): number {
    this.modify(ref);
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
      handle = this.ks.memory.realloc(handle, size + TRAILER_BYTES);
      writeDeadline(pool.pageOf(handle), pool.offsetOf(handle) + size, deadline);
      table.setHandle(ref, handle);
      table.setMeta(ref, (meta | Meta.VOLATILE) >>> 0);
      this.pushExpiry(Number(deadline), handle);
    }
    return ref;
  }

  /** Removes the expiry of the key at `ref` (a change through {@link modify}); true if it had one (PERSIST). */
  removeExpire(ref: number): boolean {
    const table = this.index.main;
    const meta = table.metaAt(ref);
    if (meta < Meta.VOLATILE) return false;
    this.modify(ref);
    const pool = this.pool;
    let handle = table.handleAt(ref) as KvHandle;
    const size = pool.sizeOf(handle);
    this.expiry.remove(readU32(pool.pageOf(handle), pool.offsetOf(handle) + size - 4));
    handle = this.ks.memory.realloc(handle, size - TRAILER_BYTES);
    table.setHandle(ref, handle);
    table.setMeta(ref, (meta & ~Meta.VOLATILE) >>> 0);
    return true;
  }

  /**
   * Gives the entry at `ref` a new key (RENAME): the value, type, encoding, LRU data and expiry
   * move to a new allocation under `key`, which must not exist. The old key leaves as
   * {@link RemovalReason.Moved}, the new one arrives as one change. Returns the new ref.
   */
  rekey(ref: number, key: Uint8Array, off: number, len: number): number {
    const ks = this.ks;
    if (ks.onKeyRemoved !== null) ks.onKeyRemoved(this, ref, RemovalReason.Moved);
    const table = this.index.main;
    const meta = table.metaAt(ref);
    const pool = this.pool;
    const old = table.handleAt(ref) as KvHandle;
    const oldPage = pool.pageOf(old);
    const oldAt = pool.offsetOf(old);
    const oldKeyLen = readKeyLength(oldPage, oldAt);
    const restAt = oldAt + headerBytes(oldKeyLen) + oldKeyLen;
    const rest = pool.sizeOf(old) - (restAt - oldAt);
    const handle = ks.memory.alloc(headerBytes(len) + len + rest);
    const page = pool.pageOf(handle);
    const at = writeKey(page, pool.offsetOf(handle), key, off, len);
    copyRange(pool.pageOf(old), restAt, page, at, rest);
    const volatile = meta >= Meta.VOLATILE;
    if (volatile) this.expiry.remove(readU32(oldPage, restAt + rest - 4));
    this.index.remove(ref);
    pool.free(old);
    const hash = ks.hashKey(key, off, len);
    const newRef = this.index.insert(hash, meta, handle);
    if (volatile) this.pushExpiry(readDeadline(page, at + rest - TRAILER_BYTES), handle);
    this.keyAdded(key, off, len, typeOfMeta(meta));
    return newRef;
  }

  /**
   * Adds a copy of the entry at `srcRef` of `src` under `key` here (COPY): same type, encoding
   * and expiry, a fresh LRU/LFU; the value is duplicated by its type. `key` must not exist.
   * Returns the new ref.
   */
  copyFrom(src: DatabaseCore, srcRef: number, key: Uint8Array, off: number, len: number): number {
    let deadline: number | bigint = src.expireAt(srcRef);
    if (deadline > Number.MAX_SAFE_INTEGER) deadline = src.expireAtBig(srcRef);
    if (deadline < 0) deadline = 0;
    this.lastHash = this.ks.hashKey(key, off, len);
    const into = this.newKeyWriter(key, off, len, src.typeAt(srcRef), deadline);
    valueTypeOf(src.typeAt(srcRef)).duplicate(src, srcRef, into);
    return into.ref;
  }

  /**
   * A {@link ValueWriter} that adds `key` (absent; its hash in {@link lastHash}) holding the
   * value written into it, of type `type`. The writer is shared: use it right away.
   */
  newKeyWriter(key: Uint8Array, off: number, len: number, type: ObjectType, deadline: number | bigint): NewKeyWriter {
    const w = this.keyWriter;
    w.key = key;
    w.off = off;
    w.len = len;
    w.type = type;
    w.deadline = deadline;
    w.ref = -1;
    return w;
  }

  private readonly keyWriter = new NewKeyWriter(this);
}

const idScratch = new Uint8Array(4);

/** The 4 value bytes of an out-of-line entry. */
function idBytes(id: number): Uint8Array {
  writeU32(idScratch, 0, id);
  return idScratch;
}

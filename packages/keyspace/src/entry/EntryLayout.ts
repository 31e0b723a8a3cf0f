import type { KvPool } from "@nedis/allocators/kv-pool";

/**
 * Byte layout of one keyspace entry inside its kv-pool allocation. Key and value share one
 * allocation so a string key costs a single slot and a single handle:
 *
 * ```
 * [key length: 1 byte if < 128, else 4 bytes big-endian with the top bit set]
 * [key bytes][value bytes]
 * [volatile keys only: deadline, int64 ms little-endian (8 bytes)][expiry-heap position, u32 (4 bytes)]
 * ```
 *
 * The value length is not stored: it is the allocation's size (which the pool keeps in the handle)
 * minus the header, the key and the trailer. Whether a trailer exists is the volatile bit of the
 * slot's meta word, so persistent keys pay nothing for expiry.
 */

/** Bytes of the expiry trailer of a volatile entry. */
export const TRAILER_BYTES = 12;

/** Largest key length the layout holds. */
export const MAX_KEY_LENGTH = 0x7fffffff;

/** Bytes of the key-length header for a key of `keyLength` bytes. */
export function headerBytes(keyLength: number): number {
  return keyLength < 0x80 ? 1 : 4;
}

/** Allocation size of an entry. */
export function entryBytes(keyLength: number, valueLength: number, volatile: boolean): number {
  return (keyLength < 0x80 ? 1 : 4) + keyLength + valueLength + (volatile ? TRAILER_BYTES : 0);
}

/** Writes the key-length header and the key; returns the offset just past the key. */
export function writeKey(page: Uint8Array, at: number, key: Uint8Array, keyOff: number, keyLen: number): number {
  if (keyLen < 0x80) {
    page[at++] = keyLen;
  } else {
    page[at] = 0x80 | (keyLen >>> 24);
    page[at + 1] = (keyLen >>> 16) & 0xff;
    page[at + 2] = (keyLen >>> 8) & 0xff;
    page[at + 3] = keyLen & 0xff;
    at += 4;
  }
  copyRange(key, keyOff, page, at, keyLen);
  return at + keyLen;
}

/** Key length of the entry at `page[at]`. */
export function readKeyLength(page: Uint8Array, at: number): number {
  const b0 = page[at]!;
  if (b0 < 0x80) return b0;
  return (b0 & 0x7f) * 0x1000000 + (page[at + 1]! << 16) + (page[at + 2]! << 8) + page[at + 3]!;
}

/** Offset of the key bytes of the entry at `page[at]`. */
export function keyStart(page: Uint8Array, at: number): number {
  return page[at]! < 0x80 ? at + 1 : at + 4;
}

/** Reads the trailer's deadline at `page[at]` (a safe integer, or the nearest double when larger). */
export function readDeadline(page: Uint8Array, at: number): number {
  const lo = (page[at]! | (page[at + 1]! << 8) | (page[at + 2]! << 16) | (page[at + 3]! << 24)) >>> 0;
  const hi = page[at + 4]! | (page[at + 5]! << 8) | (page[at + 6]! << 16) | (page[at + 7]! << 24);
  return hi * 0x100000000 + lo;
}

/** The exact deadline at `page[at]`, for deadlines beyond 2^53 ms. */
export function readDeadlineBig(page: Uint8Array, at: number): bigint {
  const lo = (page[at]! | (page[at + 1]! << 8) | (page[at + 2]! << 16) | (page[at + 3]! << 24)) >>> 0;
  const hi = page[at + 4]! | (page[at + 5]! << 8) | (page[at + 6]! << 16) | (page[at + 7]! << 24);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Writes a deadline (a positive safe integer or a bigint up to 2^63-1). */
export function writeDeadline(page: Uint8Array, at: number, ms: number | bigint): void {
  let lo: number;
  let hi: number;
  if (typeof ms === "bigint") {
    lo = Number(ms & 0xffffffffn);
    hi = Number(BigInt.asIntN(32, ms >> 32n));
  } else {
    lo = ms >>> 0;
    hi = Math.floor(ms / 0x100000000);
  }
  page[at] = lo & 0xff;
  page[at + 1] = (lo >>> 8) & 0xff;
  page[at + 2] = (lo >>> 16) & 0xff;
  page[at + 3] = lo >>> 24;
  page[at + 4] = hi & 0xff;
  page[at + 5] = (hi >>> 8) & 0xff;
  page[at + 6] = (hi >>> 16) & 0xff;
  page[at + 7] = (hi >>> 24) & 0xff;
}

export function readU32(page: Uint8Array, at: number): number {
  return (page[at]! | (page[at + 1]! << 8) | (page[at + 2]! << 16) | (page[at + 3]! << 24)) >>> 0;
}

export function writeU32(page: Uint8Array, at: number, value: number): void {
  page[at] = value & 0xff;
  page[at + 1] = (value >>> 8) & 0xff;
  page[at + 2] = (value >>> 16) & 0xff;
  page[at + 3] = value >>> 24;
}

/** Below this length a byte loop beats creating `subarray` views for `copyWithin`/`set`. */
const LOOP_COPY_LIMIT = 32;

/** Copies bytes between arrays (ranges may overlap only when `source === target`). */
export function copyRange(source: Uint8Array, from: number, target: Uint8Array, to: number, length: number): void {
  if (length <= LOOP_COPY_LIMIT) {
    if (source === target && to > from) {
      for (let i = length - 1; i >= 0; i--) target[to + i] = source[from + i]!;
    } else {
      for (let i = 0; i < length; i++) target[to + i] = source[from + i]!;
    }
  } else if (source === target) {
    target.copyWithin(to, from, from + length);
  } else {
    target.set(source.subarray(from, from + length), to);
  }
}

/** True when `a[aOff, aOff+len)` equals `b[bOff, bOff+len)`. */
export function bytesEqual(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[aOff + i] !== b[bOff + i]) return false;
  return true;
}

/** Whether the entry whose handle is `handles[index]` has the key `key[off, off + len)` (the index's probe). */
export function entryKeyEquals(
  pool: KvPool,
  handles: Float64Array,
  index: number,
  key: Uint8Array,
  off: number,
  len: number,
): boolean {
  const page = pool.bytesAt(handles, index);
  let at = pool.lastOffset;
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

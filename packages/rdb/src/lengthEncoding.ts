/**
 * RDB lengths (rdbSaveLen / rdbLoadLen): the first byte's two high bits say how long the length
 * is. `00xxxxxx` 6 bits; `01xxxxxx xxxxxxxx` 14 bits, big-endian; `0x80` + 4 bytes big-endian;
 * `0x81` + 8 bytes big-endian; `11xxxxxx` is not a length but a special string encoding.
 */

/** Bytes {@link putLength} uses for `length`: 1, 2, 5 or 9. */
export function encodedLengthSize(length: number): number {
  if (length < 1 << 6) return 1;
  if (length < 1 << 14) return 2;
  if (length <= 0xffffffff) return 5;
  return 9;
}

/**
 * Stores `length` (a non-negative safe integer) at `target[offset]` and returns the offset after
 * it. The caller ensures room ({@link encodedLengthSize}).
 */
export function putLength(target: Uint8Array, offset: number, length: number): number {
  if (length < 1 << 6) {
    target[offset] = length;
    return offset + 1;
  }
  if (length < 1 << 14) {
    target[offset] = (length >>> 8) | 0x40;
    target[offset + 1] = length & 0xff;
    return offset + 2;
  }
  if (length <= 0xffffffff) {
    target[offset] = 0x80;
    target[offset + 1] = length >>> 24;
    target[offset + 2] = length >>> 16;
    target[offset + 3] = length >>> 8;
    target[offset + 4] = length;
    return offset + 5;
  }
  if (!Number.isSafeInteger(length)) throw new RangeError(`RDB length ${length} is not a safe integer`);
  const hi = Math.floor(length / 0x100000000);
  const lo = length >>> 0;
  target[offset] = 0x81;
  target[offset + 1] = hi >>> 24;
  target[offset + 2] = hi >>> 16;
  target[offset + 3] = hi >>> 8;
  target[offset + 4] = hi;
  target[offset + 5] = lo >>> 24;
  target[offset + 6] = lo >>> 16;
  target[offset + 7] = lo >>> 8;
  target[offset + 8] = lo;
  return offset + 9;
}

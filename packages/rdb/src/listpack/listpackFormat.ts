/**
 * The listpack layout (listpack.c, Redis 7.0): `<total bytes u32 LE><count u16 LE><entry>…<0xFF>`.
 * Each entry is `<encoding+data><backlen>`, backlen being the size of `<encoding+data>` in 1–5
 * bytes read from the end, so the list can be walked both ways. Count 65535 means "too many to
 * count, walk it".
 */

export const LISTPACK_HEADER_SIZE = 6;
export const LISTPACK_EOF = 0xff;
/** Header count meaning "unknown": the list holds 65535 entries or more. */
export const LISTPACK_COUNT_UNKNOWN = 0xffff;

/** First-byte encodings of listpack entries (LP_ENCODING_*). */
export const ListpackEncoding = {
  /** `0xxxxxxx`: an integer 0–127 in the byte itself. */
  Uint7: 0x00,
  /** `10xxxxxx`: a string of up to 63 bytes. */
  String6: 0x80,
  /** `110xxxxx xxxxxxxx`: a signed 13-bit integer. */
  Int13: 0xc0,
  /** `1110xxxx xxxxxxxx`: a string of up to 4095 bytes. */
  String12: 0xe0,
  /** `0xF0` + u32 LE length: a longer string. */
  String32: 0xf0,
  Int16: 0xf1,
  Int24: 0xf2,
  Int32: 0xf3,
  Int64: 0xf4,
} as const;
export type ListpackEncoding = (typeof ListpackEncoding)[keyof typeof ListpackEncoding];

/** Bytes of the backlen that follows an entry whose encoding+data is `size` bytes (lpEncodeBacklen). */
export function backlenSize(size: number): number {
  if (size <= 127) return 1;
  if (size < 16383) return 2;
  if (size < 2097151) return 3;
  if (size < 268435455) return 4;
  return 5;
}

/** Writes the backlen of `size` at `target[offset]`; returns the offset after it. */
export function putBacklen(target: Uint8Array, offset: number, size: number): number {
  const n = backlenSize(size);
  // Most significant 7-bit group first, without the continuation bit; the rest with it.
  let o = offset + n - 1;
  let v = size;
  target[o] = (v & 127) | (n > 1 ? 128 : 0);
  for (let i = 1; i < n; i++) {
    v = Math.floor(v / 128);
    o--;
    target[o] = (v & 127) | (i < n - 1 ? 128 : 0);
  }
  return offset + n;
}

/**
 * Reads the backlen that ends at `source[last]` (lpDecodeBacklen), not looking before `floor`:
 * returns the encoded size, or -1 if it runs past 5 bytes or below `floor`.
 */
export function readBacklen(source: Uint8Array, last: number, floor: number): number {
  let value = 0;
  let multiplier = 1;
  for (let p = last, i = 0; ; p--, i++) {
    if (p < floor || i >= 5) return -1;
    const b = source[p]!;
    value += (b & 127) * multiplier;
    if ((b & 128) === 0) return value;
    multiplier *= 128;
  }
}

/**
 * Reading a listpack where it lies: `bytes[off, off + lpBytes(bytes, off))`, e.g. a keyspace
 * entry's value bytes in a kv-pool page. Named and behaving as listpack.c (Redis 7.0): an
 * element is a position `p` (an index into `bytes`, as Redis's `unsigned char *p`), -1 is NULL.
 * Positions stay valid until the listpack is edited or moved; after a move from `off` to
 * `newOff`, `p - off + newOff` is the same element.
 *
 * These functions trust the bytes (they were validated when loaded, and every edit keeps them
 * valid); check untrusted input with {@link lpValidateIntegrity} first. Nothing here allocates,
 * except {@link lpGetBigInt} and a search for an integer-looking string of 16–20 digits.
 */

import { parseCanonicalInteger } from "../canonicalInteger.js";
import { readUint32LE } from "../RdbOutput.js";
import { validateListpack } from "./ListpackReader.js";
import {
  backlenSize,
  encodedSizeAt,
  LISTPACK_COUNT_UNKNOWN,
  LISTPACK_EMPTY_SIZE,
  LISTPACK_EOF,
  LISTPACK_HEADER_SIZE,
  readBacklen,
} from "./listpackFormat.js";

const TWO_POW_32 = 0x100000000;

/** `lpBytes(bytes, off)`: the total size of the listpack, from its header. */
export function lpBytes(bytes: Uint8Array, off: number): number {
  return readUint32LE(bytes, off);
}

/** `lpGetNumElements(bytes, off)`: the header count; 65535 means "unknown, walk it". */
export function lpGetNumElements(bytes: Uint8Array, off: number): number {
  return bytes[off + 4]! | (bytes[off + 5]! << 8);
}

/**
 * `lpLength(bytes, off)`: the number of elements. The header holds it below 65535; otherwise
 * this walks the listpack and, like Redis, writes the count back when it fits again (after
 * deletions brought a big listpack below 65535 elements).
 */
export function lpLength(bytes: Uint8Array, off: number): number {
  const n = lpGetNumElements(bytes, off);
  if (n !== LISTPACK_COUNT_UNKNOWN) return n;
  let count = 0;
  for (let p = off + LISTPACK_HEADER_SIZE; bytes[p] !== LISTPACK_EOF; p = lpSkip(bytes, p)) count++;
  if (count < LISTPACK_COUNT_UNKNOWN) {
    bytes[off + 4] = count;
    bytes[off + 5] = count >>> 8;
  }
  return count;
}

/** `lpEntrySize(bytes, p)`: bytes of the element at `p`, backlen included. */
export function lpEntrySize(bytes: Uint8Array, p: number): number {
  const size = encodedSizeAt(bytes, p);
  return size + backlenSize(size);
}

/** `lpSkip(bytes, p)`: the position after the element at `p` (the terminator after the last). */
export function lpSkip(bytes: Uint8Array, p: number): number {
  const size = encodedSizeAt(bytes, p);
  return p + size + backlenSize(size);
}

/** `lpFirst(bytes, off)`: the first element, or -1 when the listpack is empty. */
export function lpFirst(bytes: Uint8Array, off: number): number {
  const p = off + LISTPACK_HEADER_SIZE;
  return bytes[p] === LISTPACK_EOF ? -1 : p;
}

/** `lpLast(bytes, off)`: the last element, or -1 when the listpack is empty. */
export function lpLast(bytes: Uint8Array, off: number): number {
  return lpPrev(bytes, off, off + readUint32LE(bytes, off) - 1);
}

/** `lpNext(bytes, off, p)`: the element after `p`, or -1 after the last one. */
export function lpNext(bytes: Uint8Array, _off: number, p: number): number {
  const q = lpSkip(bytes, p);
  return bytes[q] === LISTPACK_EOF ? -1 : q;
}

/** `lpPrev(bytes, off, p)`: the element before `p` (which may be the terminator), or -1. */
export function lpPrev(bytes: Uint8Array, off: number, p: number): number {
  const first = off + LISTPACK_HEADER_SIZE;
  if (p <= first) return -1;
  const size = readBacklen(bytes, p - 1, first);
  return p - size - backlenSize(size);
}

/**
 * `lpSeek(bytes, off, index)`: the element at `index` (0 the first, -1 the last), or -1 when out
 * of range. Walks from the nearer end when the count is known, as Redis does.
 */
export function lpSeek(bytes: Uint8Array, off: number, index: number): number {
  const n = lpGetNumElements(bytes, off);
  let forward = true;
  if (n !== LISTPACK_COUNT_UNKNOWN) {
    if (index < 0) index += n;
    if (index < 0 || index >= n) return -1;
    if (index > n / 2) {
      forward = false;
      index -= n;
    }
  } else if (index < 0) {
    forward = false;
  }
  if (forward) {
    let p = lpFirst(bytes, off);
    while (index > 0 && p >= 0) {
      p = lpNext(bytes, off, p);
      index--;
    }
    return p;
  }
  let p = lpLast(bytes, off);
  while (index < -1 && p >= 0) {
    p = lpPrev(bytes, off, p);
    index++;
  }
  return p;
}

/** One element's value, filled by {@link lpGetValue} (reuse one per caller: no allocation). */
export class ListpackEntry {
  /** True for an integer element, false for a string. */
  isInteger = false;
  /** The integer; exact when {@link integerIsSafe}, else rounded (use {@link lpGetBigInt}). */
  integer = 0;
  integerIsSafe = true;
  /** A string element is `bytes[stringStart, stringEnd)` (a range of the listpack itself). */
  stringStart = 0;
  stringEnd = 0;
}

/** `lpIsInteger(bytes, p)`: true when the element at `p` is stored with an integer encoding. */
export function lpIsInteger(bytes: Uint8Array, p: number): boolean {
  const first = bytes[p]!;
  return first < 0x80 || (first >= 0xc0 && first < 0xe0) || (first >= 0xf1 && first <= 0xf4);
}

/**
 * `lpGetValue(bytes, p, into)`: decodes the element at `p` into `into` (Redis's lpGetValue:
 * a string as a range of `bytes`, or an integer) and returns `into`.
 */
export function lpGetValue(bytes: Uint8Array, p: number, into: ListpackEntry): ListpackEntry {
  const first = bytes[p]!;
  if (lpIsInteger(bytes, p)) {
    into.isInteger = true;
    into.integer = lpGetInteger(bytes, p);
    into.integerIsSafe = first !== 0xf4 || Number.isSafeInteger(into.integer);
    return into;
  }
  into.isInteger = false;
  let header: number;
  if (first < 0xc0) header = 1;
  else if (first < 0xf0) header = 2;
  else header = 5;
  into.stringStart = p + header;
  into.stringEnd = p + encodedSizeAt(bytes, p);
  return into;
}

/**
 * `lpGetInteger(bytes, p)`: the integer element at `p` as a number (rounded beyond ±2^53; see
 * {@link lpGetBigInt}); NaN when the element is a string.
 */
export function lpGetInteger(bytes: Uint8Array, p: number): number {
  const first = bytes[p]!;
  if (first < 0x80) return first;
  if (first >= 0xc0 && first < 0xe0) {
    const u = ((first & 0x1f) << 8) | bytes[p + 1]!;
    return u >= 1 << 12 ? u - (1 << 13) : u;
  }
  switch (first) {
    case 0xf1:
      return ((bytes[p + 1]! | (bytes[p + 2]! << 8)) << 16) >> 16;
    case 0xf2:
      return ((bytes[p + 1]! | (bytes[p + 2]! << 8) | (bytes[p + 3]! << 16)) << 8) >> 8;
    case 0xf3:
      return bytes[p + 1]! | (bytes[p + 2]! << 8) | (bytes[p + 3]! << 16) | (bytes[p + 4]! << 24);
    case 0xf4:
      return (readUint32LE(bytes, p + 5) | 0) * TWO_POW_32 + readUint32LE(bytes, p + 1);
    default:
      return Number.NaN;
  }
}

/** `lpGetBigInt(bytes, p)`: the integer element at `p` exactly (allocates a bigint). */
export function lpGetBigInt(bytes: Uint8Array, p: number): bigint {
  if (bytes[p] === 0xf4) return (BigInt(readUint32LE(bytes, p + 5) | 0) << 32n) | BigInt(readUint32LE(bytes, p + 1));
  return BigInt(lpGetInteger(bytes, p));
}

// The integer a searched string stands for (lpStringToInt64), kept across one lpFind call.
let searchIsInteger = false;
let searchNumber = 0; // NaN beyond ±2^53
let searchLo = 0; // the int64 as unsigned 32-bit halves, to compare 64-bit entries exactly
let searchHi = 0;

function parseSearch(s: Uint8Array, start: number, end: number): void {
  const v = parseCanonicalInteger(s, start, end);
  searchIsInteger = v !== null;
  if (v === null) return;
  if (typeof v === "number") {
    searchNumber = v;
    const hi = Math.floor(v / TWO_POW_32);
    searchLo = v - hi * TWO_POW_32;
    searchHi = hi >>> 0;
  } else {
    searchNumber = Number.NaN;
    searchLo = Number(BigInt.asUintN(32, v));
    searchHi = Number(BigInt.asUintN(32, v >> 32n));
  }
}

function integerMatchesSearch(bytes: Uint8Array, p: number): boolean {
  if (!searchIsInteger) return false;
  if (bytes[p] === 0xf4) return readUint32LE(bytes, p + 1) === searchLo && readUint32LE(bytes, p + 5) === searchHi;
  return lpGetInteger(bytes, p) === searchNumber;
}

function stringMatches(bytes: Uint8Array, p: number, s: Uint8Array, start: number, end: number): boolean {
  const first = bytes[p]!;
  const header = first < 0xc0 ? 1 : first < 0xf0 ? 2 : 5;
  const from = p + header;
  const len = encodedSizeAt(bytes, p) - header;
  if (len !== end - start) return false;
  for (let i = 0; i < len; i++) if (bytes[from + i] !== s[start + i]) return false;
  return true;
}

/**
 * `lpCompare(bytes, p, s, start, end)`: true when the element at `p` equals the string
 * `s[start, end)`: the same bytes, or the same integer when `s` is a canonical integer.
 */
export function lpCompare(bytes: Uint8Array, p: number, s: Uint8Array, start: number, end: number): boolean {
  if (!lpIsInteger(bytes, p)) return stringMatches(bytes, p, s, start, end);
  parseSearch(s, start, end);
  return integerMatchesSearch(bytes, p);
}

/**
 * `lpFind(bytes, off, p, s, start, end, skip)`: the first element from `p` on equal to
 * `s[start, end)` (as {@link lpCompare}), comparing one element then skipping `skip` (a hash's
 * fields: skip 1 passes over each value), or -1.
 */
export function lpFind(
  bytes: Uint8Array,
  off: number,
  p: number,
  s: Uint8Array,
  start: number,
  end: number,
  skip: number,
): number {
  const eof = off + readUint32LE(bytes, off) - 1;
  let parsed = false;
  let skipCount = 0;
  while (p >= 0 && p < eof) {
    if (skipCount === 0) {
      if (!lpIsInteger(bytes, p)) {
        if (stringMatches(bytes, p, s, start, end)) return p;
      } else {
        if (!parsed) {
          parseSearch(s, start, end);
          parsed = true;
        }
        if (integerMatchesSearch(bytes, p)) return p;
      }
      skipCount = skip;
    } else {
      skipCount--;
    }
    p = lpSkip(bytes, p);
  }
  return -1;
}

/**
 * `lpValidateIntegrity(bytes, off, size)`: Redis's deep check of an untrusted listpack of
 * `size` bytes at `off` (header size and count, every entry, the terminator); true when valid.
 */
export function lpValidateIntegrity(bytes: Uint8Array, off: number, size: number): boolean {
  if (size < LISTPACK_EMPTY_SIZE || off + size > bytes.length) return false;
  return validateListpack(bytes, off, off + size) >= 0;
}

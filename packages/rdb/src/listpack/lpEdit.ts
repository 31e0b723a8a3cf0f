/**
 * Editing a listpack where it lies, byte for byte as Redis 7.0's lpInsert / lpDelete /
 * lpDeleteRange do, for a caller that owns the memory (the keyspace's kv-pool entries).
 *
 * The caller resizes, so every edit is two steps:
 * 1. size: `lpInsertSize`, `lpReplaceSize`, … return the listpack's total bytes after the edit;
 * 2. edit: once `bytes` has room for that many bytes at `off` (or a larger `dst` was
 *    allocated), `lpInsert`, `lpReplace`, … move the tail with `copyWithin`, write the element,
 *    and update the header (total bytes; count ±n unless it is 65535, "unknown", as in Redis).
 * Growing: size, reallocate (positions move with the listpack: `p - off + newOff`), edit in
 * place. Shrinking: edit in place, then shrink the allocation to `lpBytes(bytes, off)`.
 *
 * Every edit also takes an optional target `dst`/`dstOff`: the edited listpack is written
 * there instead (prefix, element, tail: one copy), so a caller can allocate the new size, edit
 * into it and free the old one. `dst` is `bytes` itself only at the same offset; otherwise the
 * two must not overlap. A string `s` must not lie inside the listpack being edited.
 *
 * Strings that are canonical int64s (lpStringToInt64: "12", not "012", "+1", "-0") are stored
 * with the integer encodings, exactly as lpEncodeGetType decides.
 */

import { readUint32LE, writeUint32LE } from "../RdbOutput.js";
import {
  backlenSize,
  integerEncodedSize,
  LISTPACK_COUNT_UNKNOWN,
  LISTPACK_EMPTY_SIZE,
  LISTPACK_EOF,
  LISTPACK_HEADER_SIZE,
} from "./listpackFormat.js";
import { lpGetNumElements, lpSeek, lpSkip } from "./lpAccess.js";
import { classify, entrySize, splice, spliceInteger, spliceString } from "./lpSplice.js";

/** Insert before the element at `p` (LP_BEFORE; `p` may be the terminator: append). */
export const LP_BEFORE = 0;
/** Insert after the element at `p` (LP_AFTER). */
export const LP_AFTER = 1;
export type ListpackWhere = typeof LP_BEFORE | typeof LP_AFTER;

/** Redis never lets a listpack pass 1 GiB (LISTPACK_MAX_SAFETY_SIZE); callers convert first. */
export const LISTPACK_MAX_SAFETY_SIZE = 1 << 30;

/**
 * `lpSafeToAdd(bytes, off, add)`: false when adding `add` bytes would pass
 * {@link LISTPACK_MAX_SAFETY_SIZE} (Redis then converts to the large encoding instead).
 */
export function lpSafeToAdd(bytes: Uint8Array, off: number, add: number): boolean {
  return readUint32LE(bytes, off) + add <= LISTPACK_MAX_SAFETY_SIZE;
}

/** `lpNew(bytes, off)`: writes an empty listpack at `off`; returns its size (7). */
export function lpNew(bytes: Uint8Array, off: number): number {
  writeUint32LE(bytes, off, LISTPACK_EMPTY_SIZE);
  bytes[off + 4] = 0;
  bytes[off + 5] = 0;
  bytes[off + 6] = LISTPACK_EOF;
  return LISTPACK_EMPTY_SIZE;
}

/**
 * `lpStringEntrySize(s, start, end)`: bytes the string `s[start, end)` takes as an element,
 * backlen included (an integer encoding when it is a canonical integer).
 */
export function lpStringEntrySize(s: Uint8Array, start: number, end: number): number {
  const size = classify(s, start, end);
  return size + backlenSize(size);
}

/** `lpIntegerEntrySize(value)`: bytes the int64 `value` takes as an element, backlen included. */
export function lpIntegerEntrySize(value: number | bigint): number {
  const size = integerEncodedSize(value);
  return size + backlenSize(size);
}

/** `lpInsertSize(bytes, off, s, start, end)`: total bytes after inserting (or appending) `s`. */
export function lpInsertSize(bytes: Uint8Array, off: number, s: Uint8Array, start: number, end: number): number {
  return readUint32LE(bytes, off) + lpStringEntrySize(s, start, end);
}

/** `lpInsertIntegerSize(bytes, off, value)`: total bytes after inserting the integer `value`. */
export function lpInsertIntegerSize(bytes: Uint8Array, off: number, value: number | bigint): number {
  return readUint32LE(bytes, off) + lpIntegerEntrySize(value);
}

/** `lpReplaceSize(bytes, off, p, s, start, end)`: total bytes after replacing `p` with `s`. */
export function lpReplaceSize(
  bytes: Uint8Array,
  off: number,
  p: number,
  s: Uint8Array,
  start: number,
  end: number,
): number {
  return readUint32LE(bytes, off) - entrySize(bytes, p) + lpStringEntrySize(s, start, end);
}

/** `lpReplaceIntegerSize(bytes, off, p, value)`: total bytes after replacing `p` with `value`. */
export function lpReplaceIntegerSize(bytes: Uint8Array, off: number, p: number, value: number | bigint): number {
  return readUint32LE(bytes, off) - entrySize(bytes, p) + lpIntegerEntrySize(value);
}

/** `lpDeleteSize(bytes, off, p)`: total bytes after deleting the element at `p`. */
export function lpDeleteSize(bytes: Uint8Array, off: number, p: number): number {
  return readUint32LE(bytes, off) - entrySize(bytes, p);
}

/**
 * `lpInsert(bytes, off, p, where, s, start, end, dst?, dstOff?)`: inserts the string
 * `s[start, end)` before or after the element at `p` (LP_BEFORE with `p` at the terminator
 * appends). Needs room for {@link lpInsertSize}. Returns the new element's position (in `dst`).
 */
export function lpInsert(
  bytes: Uint8Array,
  off: number,
  p: number,
  where: ListpackWhere,
  s: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array = bytes,
  dstOff: number = off,
): number {
  if (where === LP_AFTER) p = lpSkip(bytes, p);
  return spliceString(bytes, off, p, 0, 1, s, start, end, dst, dstOff);
}

/**
 * `lpInsertInteger(bytes, off, p, where, value, dst?, dstOff?)`: inserts the int64 `value` (a
 * safe-integer number, or a bigint) as {@link lpInsert} does. Needs {@link lpInsertIntegerSize}.
 */
export function lpInsertInteger(
  bytes: Uint8Array,
  off: number,
  p: number,
  where: ListpackWhere,
  value: number | bigint,
  dst: Uint8Array = bytes,
  dstOff: number = off,
): number {
  if (where === LP_AFTER) p = lpSkip(bytes, p);
  return spliceInteger(bytes, off, p, 0, 1, value, dst, dstOff);
}

/** `lpAppend(bytes, off, s, start, end, dst?, dstOff?)`: adds `s` at the tail (RPUSH). */
export function lpAppend(
  bytes: Uint8Array,
  off: number,
  s: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array = bytes,
  dstOff: number = off,
): number {
  return lpInsert(bytes, off, off + readUint32LE(bytes, off) - 1, LP_BEFORE, s, start, end, dst, dstOff);
}

/** `lpPrepend(bytes, off, s, start, end, dst?, dstOff?)`: adds `s` at the head (LPUSH). */
export function lpPrepend(
  bytes: Uint8Array,
  off: number,
  s: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array = bytes,
  dstOff: number = off,
): number {
  return lpInsert(bytes, off, off + LISTPACK_HEADER_SIZE, LP_BEFORE, s, start, end, dst, dstOff);
}

/** `lpAppendInteger(bytes, off, value, dst?, dstOff?)`: adds the integer `value` at the tail. */
export function lpAppendInteger(
  bytes: Uint8Array,
  off: number,
  value: number | bigint,
  dst: Uint8Array = bytes,
  dstOff: number = off,
): number {
  return lpInsertInteger(bytes, off, off + readUint32LE(bytes, off) - 1, LP_BEFORE, value, dst, dstOff);
}

/** `lpPrependInteger(bytes, off, value, dst?, dstOff?)`: adds the integer `value` at the head. */
export function lpPrependInteger(
  bytes: Uint8Array,
  off: number,
  value: number | bigint,
  dst: Uint8Array = bytes,
  dstOff: number = off,
): number {
  return lpInsertInteger(bytes, off, off + LISTPACK_HEADER_SIZE, LP_BEFORE, value, dst, dstOff);
}

/**
 * `lpReplace(bytes, off, p, s, start, end, dst?, dstOff?)`: replaces the element at `p` with
 * `s[start, end)` (LSET, HSET of an existing field). Needs room for {@link lpReplaceSize} when
 * it grows. Returns the element's position (in `dst`).
 */
export function lpReplace(
  bytes: Uint8Array,
  off: number,
  p: number,
  s: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array = bytes,
  dstOff: number = off,
): number {
  return spliceString(bytes, off, p, entrySize(bytes, p), 0, s, start, end, dst, dstOff);
}

/** `lpReplaceInteger(bytes, off, p, value, dst?, dstOff?)`: replaces `p` with the int64 `value`. */
export function lpReplaceInteger(
  bytes: Uint8Array,
  off: number,
  p: number,
  value: number | bigint,
  dst: Uint8Array = bytes,
  dstOff: number = off,
): number {
  return spliceInteger(bytes, off, p, entrySize(bytes, p), 0, value, dst, dstOff);
}

/**
 * `lpDelete(bytes, off, p, dst?, dstOff?)`: removes the element at `p`; returns the position
 * of the element that followed it (in `dst`), or -1 when it was the last.
 */
export function lpDelete(
  bytes: Uint8Array,
  off: number,
  p: number,
  dst: Uint8Array = bytes,
  dstOff: number = off,
): number {
  const q = splice(bytes, off, p, entrySize(bytes, p), 0, -1, dst, dstOff);
  return dst[q] === LISTPACK_EOF ? -1 : q;
}

// Where the last deleteFrom left the element after the removed ones (in its target).
let afterDeleted = -1;

/** Removes up to `num` elements from `p` on; returns how many, sets `afterDeleted`. */
function deleteFrom(bytes: Uint8Array, off: number, p: number, num: number, dst: Uint8Array, dstOff: number): number {
  let tail = p;
  let deleted = 0;
  while (deleted < num && bytes[tail] !== LISTPACK_EOF) {
    tail = lpSkip(bytes, tail);
    deleted++;
  }
  const q = splice(bytes, off, p, tail - p, 0, -deleted, dst, dstOff);
  afterDeleted = dst[q] === LISTPACK_EOF ? -1 : q;
  return deleted;
}

/**
 * `lpDeleteRangeWithEntry(bytes, off, p, num, dst?, dstOff?)`: removes up to `num` elements
 * starting at `p`; returns the position of the element after them (in `dst`), or -1.
 */
export function lpDeleteRangeWithEntry(
  bytes: Uint8Array,
  off: number,
  p: number,
  num: number,
  dst: Uint8Array = bytes,
  dstOff: number = off,
): number {
  deleteFrom(bytes, off, p, num < 0 ? 0 : num, dst, dstOff);
  return afterDeleted;
}

/**
 * `lpDeleteRange(bytes, off, index, num, dst?, dstOff?)`: removes up to `num` elements from
 * `index` (negative from the tail, as lpSeek; LTRIM, LREM…); a no-op when `index` is out of
 * range (a separate `dst` then receives it unchanged). Returns the number of elements removed.
 */
export function lpDeleteRange(
  bytes: Uint8Array,
  off: number,
  index: number,
  num: number,
  dst: Uint8Array = bytes,
  dstOff: number = off,
): number {
  const p = num > 0 ? lpSeek(bytes, off, index) : -1;
  if (p < 0) {
    // Nothing to delete; a separate target still receives the (unchanged) listpack.
    if (dst !== bytes || dstOff !== off) splice(bytes, off, off + LISTPACK_HEADER_SIZE, 0, 0, 0, dst, dstOff);
    return 0;
  }
  const n = lpGetNumElements(bytes, off);
  if (n !== LISTPACK_COUNT_UNKNOWN) {
    if (index < 0) index += n;
    if (n - index <= num) {
      // Everything from p on goes: no need to walk it (Redis just moves the terminator).
      splice(bytes, off, p, off + readUint32LE(bytes, off) - 1 - p, 0, index - n, dst, dstOff);
      return n - index;
    }
  }
  return deleteFrom(bytes, off, p, num, dst, dstOff);
}

import { copyBytes, parseCanonicalInteger } from "@nedis/rdb";
import {
  backlenSize,
  encodeInteger,
  encodeStringHeader,
  integerEncodedSize,
  LISTPACK_COUNT_UNKNOWN,
  putBacklen,
  stringEncodedSize,
} from "@nedis/rdb/listpack";

/**
 * Appends a run of elements at a node listpack's tail in one pass, as a sequence of Redis's
 * `lpAppend` calls would leave it (strings that are canonical integers stored as integers), but
 * with one header update at the end instead of a splice per element: XADD writes 5+ elements
 * per entry. Size with {@link tailIntegerSize} / {@link tailStringSize}, make room, then
 * {@link beginTail}, the put calls, {@link endTail}.
 */

let page: Uint8Array = new Uint8Array(0);
let listOff = 0;
let at = 0;
let added = 0;

/** Bytes the integer element takes (with its backlen). */
export function tailIntegerSize(value: number | bigint): number {
  const size = integerEncodedSize(value);
  return size + backlenSize(size);
}

/** Bytes the string element `s[start, end)` takes (an integer when canonical). */
export function tailStringSize(s: Uint8Array, start: number, end: number): number {
  const value = parseCanonicalInteger(s, start, end);
  const size = value === null ? stringEncodedSize(end - start) : integerEncodedSize(value);
  return size + backlenSize(size);
}

/** Starts writing at the tail of the listpack at `bytes[off]` (its allocation has the room). */
export function beginTail(bytes: Uint8Array, off: number): void {
  page = bytes;
  listOff = off;
  at = off + readTotal(bytes, off) - 1;
  added = 0;
}

export function putTailInteger(value: number | bigint): void {
  const size = encodeInteger(page, at, value);
  at = putBacklen(page, at + size, size);
  added++;
}

export function putTailString(s: Uint8Array, start: number, end: number): void {
  const value = parseCanonicalInteger(s, start, end);
  if (value !== null) {
    putTailInteger(value);
    return;
  }
  const header = encodeStringHeader(page, at, end - start);
  copyBytes(s, start, end, page, at + header);
  const size = header + end - start;
  at = putBacklen(page, at + size, size);
  added++;
}

/** Terminates the listpack and updates its header (total bytes, element count). */
export function endTail(): void {
  page[at] = 0xff;
  const total = at + 1 - listOff;
  page[listOff] = total;
  page[listOff + 1] = total >>> 8;
  page[listOff + 2] = total >>> 16;
  page[listOff + 3] = total >>> 24;
  const n = page[listOff + 4]! | (page[listOff + 5]! << 8);
  if (n !== LISTPACK_COUNT_UNKNOWN) {
    const count = Math.min(n + added, LISTPACK_COUNT_UNKNOWN);
    page[listOff + 4] = count;
    page[listOff + 5] = count >>> 8;
  }
  page = EMPTY;
}

const EMPTY = new Uint8Array(0);

function readTotal(bytes: Uint8Array, off: number): number {
  return (bytes[off]! | (bytes[off + 1]! << 8) | (bytes[off + 2]! << 16)) + bytes[off + 3]! * 0x1000000;
}

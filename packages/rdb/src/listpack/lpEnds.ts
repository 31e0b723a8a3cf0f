/**
 * Pushes and pops at the two ends of a listpack, in place: what a quicklist's head and tail
 * nodes do on every LPUSH, RPUSH, LPOP and RPOP. Byte for byte Redis's lpPrepend / lpAppend /
 * lpDelete of the first or last element, without a seek, a size-then-edit round trip or a
 * second classification of the element; the caller says how much room the memory has.
 */

import { backlenSize, LISTPACK_COUNT_UNKNOWN, LISTPACK_EOF, LISTPACK_HEADER_SIZE } from "./listpackFormat.js";
import { classify, entrySize, writeClassified } from "./lpSplice.js";

/** Below this many bytes a move is a loop: a `copyWithin` call costs more than it saves. */
const LOOP_MOVE_LIMIT = 32;

/**
 * lpPrepend (`head`) or lpAppend of the string `s[start, end)` (an integer encoding when it is a
 * canonical int64) to the listpack at `bytes[off]`, when its new total fits in `room` bytes
 * from `off`. Returns the new total bytes, or -1 (nothing changed) when it does not fit.
 * `s` must not lie inside the listpack.
 */
export function lpPushEnd(
  bytes: Uint8Array,
  off: number,
  head: boolean,
  s: Uint8Array,
  start: number,
  end: number,
  room: number,
): number {
  const size = classify(s, start, end);
  const entry = size + backlenSize(size);
  const total = readTotal(bytes, off);
  const newTotal = total + entry;
  if (newTotal > room) return -1;
  const eof = off + total - 1;
  let p: number;
  if (head) {
    p = off + LISTPACK_HEADER_SIZE;
    const n = eof + 1 - p;
    if (n > LOOP_MOVE_LIMIT) bytes.copyWithin(p + entry, p, eof + 1);
    else for (let i = n - 1; i >= 0; i--) bytes[p + entry + i] = bytes[p + i]!;
  } else {
    p = eof;
    bytes[eof + entry] = LISTPACK_EOF;
  }
  writeClassified(bytes, p, size, s, start, end);
  writeHeader(bytes, off, newTotal, 1);
  return newTotal;
}

/**
 * lpDelete of the element at `p` of the listpack at `bytes[off]` (meant for the first or last
 * one: the bytes after it move down). Returns the new total bytes.
 */
export function lpDeleteEntry(bytes: Uint8Array, off: number, p: number): number {
  const entry = entrySize(bytes, p);
  const total = readTotal(bytes, off);
  const end = off + total;
  const n = end - (p + entry);
  if (n > LOOP_MOVE_LIMIT) bytes.copyWithin(p, p + entry, end);
  else for (let i = 0; i < n; i++) bytes[p + i] = bytes[p + entry + i]!;
  const newTotal = total - entry;
  writeHeader(bytes, off, newTotal, -1);
  return newTotal;
}

function readTotal(bytes: Uint8Array, off: number): number {
  return (bytes[off]! | (bytes[off + 1]! << 8) | (bytes[off + 2]! << 16) | (bytes[off + 3]! << 24)) >>> 0;
}

/** Total bytes, and the element count moved by `delta` unless it is 65535 ("unknown"). */
function writeHeader(bytes: Uint8Array, off: number, total: number, delta: number): void {
  bytes[off] = total & 0xff;
  bytes[off + 1] = (total >>> 8) & 0xff;
  bytes[off + 2] = (total >>> 16) & 0xff;
  bytes[off + 3] = total >>> 24;
  const count = bytes[off + 4]! | (bytes[off + 5]! << 8);
  if (count === LISTPACK_COUNT_UNKNOWN) return;
  const next = count + delta;
  bytes[off + 4] = next & 0xff;
  bytes[off + 5] = next >>> 8;
}

import {
  LISTPACK_HEADER_SIZE,
  ListpackEntry,
  lpFind,
  lpGetBigInt,
  lpGetInteger,
  lpGetValue,
  lpIsInteger,
  lpSkip,
  writeDecimal,
} from "@nedis/rdb";

/**
 * Reading a small hash: a listpack of `field, value, field, value, …` (Redis's
 * OBJ_ENCODING_LISTPACK hash). Elements stored with an integer encoding are rendered as their
 * decimal text into a scratch buffer, so every reader sees bytes, as Redis's
 * `hashTypeCurrentFromListpack` callers do.
 */

const EMPTY = new Uint8Array(0);
const entry = new ListpackEntry();

/** One element's bytes: `buf[off, off + len)` (a view of the listpack, or digits in `digits`). */
export class ElementView {
  buf: Uint8Array = EMPTY;
  off = 0;
  len = 0;
  private readonly digits = new Uint8Array(24);

  /** Points the view at the element at `p` of `bytes`. */
  read(bytes: Uint8Array, p: number): void {
    if (lpIsInteger(bytes, p)) {
      const n = lpGetInteger(bytes, p);
      const value = Number.isSafeInteger(n) ? n : lpGetBigInt(bytes, p);
      this.buf = this.digits;
      this.off = 0;
      this.len = writeDecimal(this.digits, 0, value);
      return;
    }
    lpGetValue(bytes, p, entry);
    this.buf = bytes;
    this.off = entry.stringStart;
    this.len = entry.stringEnd - entry.stringStart;
  }
}

/** Position of the first element of the listpack at `off` (its terminator when empty). */
export function lpHead(off: number): number {
  return off + LISTPACK_HEADER_SIZE;
}

/** True when `p` is the terminator of a listpack. */
export function lpAtEnd(bytes: Uint8Array, p: number): boolean {
  return bytes[p] === 0xff;
}

/** The position of `field`'s element in the hash listpack at `off`, or -1. */
export function lpFindField(bytes: Uint8Array, off: number, field: Uint8Array, fOff: number, fLen: number): number {
  const first = off + LISTPACK_HEADER_SIZE;
  if (bytes[first] === 0xff) return -1;
  return lpFind(bytes, off, first, field, fOff, fOff + fLen, 1);
}

/** The element after the one at `p`. */
export const lpNextElement = lpSkip;

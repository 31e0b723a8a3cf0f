import { writeDecimal } from "@nedis/rdb";
import { IntsetEncoding, intsetEncoding, intsetGet, intsetGetBigInt } from "@nedis/rdb/intset";
import { BEYOND_SAFE, parseLongLong, parseLongLongBig, writeInt } from "../../strings/int64.js";

/**
 * Members as bytes, whatever the encoding holds: an intset stores int64s, so its members are
 * rendered to their decimal text (Redis's `setTypeNext` + `sdsfromlonglong`) in a scratch
 * buffer; a hashtable's members are views into pool pages.
 */

/** Receives one member: bytes `buf[off, off + len)`, valid during the call only. */
export interface MemberSink {
  member(buf: Uint8Array, off: number, len: number): void;
}

/**
 * The member `buf[off, off + len)` as an intset value (Redis's `isSdsRepresentableAsLongLong`:
 * canonical int64 text), or null when it is not one. Beyond ±2^53 a bigint.
 */
export function memberInt(buf: Uint8Array, off: number, len: number): number | bigint | null {
  if (len === 0 || len > 20) return null;
  const n = parseLongLong(buf, off, off + len);
  if (n === BEYOND_SAFE) return parseLongLongBig(buf, off, off + len);
  return n !== n ? null : n;
}

/** Room for the longest int64 text ("-9223372036854775808"). */
export const INT_TEXT_MAX = 20;

/** Writes the intset value at index `i` as decimal text at `out[0]`; returns its length. */
export function intsetMemberText(bytes: Uint8Array, off: number, i: number, out: Uint8Array): number {
  if (intsetEncoding(bytes, off) === IntsetEncoding.Int64) {
    const v = intsetGet(bytes, off, i);
    if (!Number.isSafeInteger(v)) return writeDecimal(out, 0, intsetGetBigInt(bytes, off, i));
    return writeInt(v, out, 0);
  }
  return writeInt(intsetGet(bytes, off, i), out, 0);
}

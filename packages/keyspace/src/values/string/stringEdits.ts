import type { Database } from "../../Database.js";
import { copyRange } from "../../entry/EntryLayout.js";
import { Encoding, ObjectType } from "../../types.js";

/**
 * The string type's in-place edits (Redis's APPEND, SETRANGE and INCR paths in `t_string.c`):
 * each passes the value-changing gateway ({@link Database.modify}) before its first byte
 * changes, so commands never write into pool pages themselves.
 */

const EMPTY = new Uint8Array(0);

/** APPEND to the string at `ref`: its value becomes raw and grows by `src[off, off + len)`. Returns the new length. */
export function stringAppend(db: Database, ref: number, src: Uint8Array, off: number, len: number): number {
  db.modify(ref);
  const current = db.valueLength(ref);
  db.resizeValue(ref, current + len, Encoding.Raw);
  copyRange(src, off, db.valueBuf, db.valueOff + current, len);
  return current + len;
}

/**
 * SETRANGE of the string at `ref`: writes `src[off, off + len)` at `offset`, zero-padding the
 * value up to it; the value becomes raw. Returns the new length.
 */
export function stringSetRange(
  db: Database,
  ref: number,
  offset: number,
  src: Uint8Array,
  off: number,
  len: number,
): number {
  db.modify(ref);
  const total = Math.max(db.valueLength(ref), offset + len);
  db.resizeValue(ref, total, Encoding.Raw);
  copyRange(src, off, db.valueBuf, db.valueOff + offset, len);
  return total;
}

/**
 * SETRANGE of a missing key: adds it (its hash in `db.lastHash`) as `offset` zero bytes then
 * `src[off, off + len)`, raw. Returns the new ref.
 */
export function stringInsertRange(
  db: Database,
  key: Uint8Array,
  keyOff: number,
  keyLen: number,
  offset: number,
  src: Uint8Array,
  off: number,
  len: number,
): number {
  const ref = db.insertValue(key, keyOff, keyLen, EMPTY, 0, 0, ObjectType.String, Encoding.Raw);
  // Filled in right after the key-added gateway: nothing has seen the empty value.
  db.resizeValue(ref, offset + len, Encoding.Raw);
  copyRange(src, off, db.valueBuf, db.valueOff + offset, len);
  return ref;
}

/**
 * INCR's in-place rewrite: the value at `ref`, loaded by the caller (`db.valueBuf`/`valueOff`,
 * exactly `len` bytes long), becomes `digits[0, len)` with `encoding` (int, or the shared-int
 * marker). The hot path of INCR: no second load, a byte loop for the few digits.
 */
export function stringRewriteSameLength(
  db: Database,
  ref: number,
  digits: Uint8Array,
  len: number,
  encoding: Encoding,
): void {
  // Taken before the gateway: a hook may read other entries through the registers (never write).
  const target = db.valueBuf;
  const at = db.valueOff;
  db.modify(ref);
  for (let i = 0; i < len; i++) target[at + i] = digits[i]!;
  db.setEncoding(ref, encoding);
}

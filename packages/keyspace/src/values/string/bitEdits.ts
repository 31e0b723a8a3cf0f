import type { Database } from "../../Database.js";
import { Encoding, ObjectType } from "../../types.js";
import { setBitfield } from "./bitfield.js";

/**
 * The bitmap commands' in-place edits of a string value (Redis's `lookupStringForBitCommand`,
 * SETBIT and BITFIELD's writes): a value that must grow passes the {@link Database.modify}
 * gateway, is zero-padded and becomes raw; a bit or field is written only after that gateway.
 * Values held as `int` are their decimal text already, so bits address those bytes, as Redis's
 * `getDecodedObject` does.
 */

const EMPTY = new Uint8Array(0);
/** Zero bytes a small new value is copied from (never written). */
const ZEROS = new Uint8Array(4096);

/** Set in {@link stringSetBit}'s result when the value changed (grew or the bit flipped). */
export const BIT_CHANGED = 2;

/**
 * SETBIT on the string at `ref`: bit `offset` becomes `on` (0 or 1), growing the value with zero
 * bytes to reach it. Returns the bit's old value, plus {@link BIT_CHANGED} when the value changed
 * (one change through the gateway). As Redis's `dbUnshareStringValue`, the value is raw after.
 */
export function stringSetBit(db: Database, ref: number, offset: number, on: number): number {
  db.loadValue(ref);
  const byte = Math.floor(offset / 8);
  const mask = 0x80 >> (offset % 8);
  const grows = byte >= db.valueLen;
  const old = grows ? 0 : (db.valueBuf[db.valueOff + byte]! & mask) !== 0 ? 1 : 0;
  if (!grows && old === on) {
    if (db.rawEncodingAt(ref) !== Encoding.Raw) db.setEncoding(ref, Encoding.Raw);
    return old;
  }
  db.modify(ref);
  if (grows) db.resizeValue(ref, byte + 1, Encoding.Raw);
  else {
    db.loadValue(ref); // the gateway's hook may have moved the registers
    db.setEncoding(ref, Encoding.Raw);
  }
  const at = db.valueOff + byte;
  db.valueBuf[at] = on ? db.valueBuf[at]! | mask : db.valueBuf[at]! & ~mask;
  return old | BIT_CHANGED;
}

/**
 * Adds a string key that does not exist (its hash in `db.lastHash`) holding `length` zero bytes,
 * raw (Redis's `createObject(OBJ_STRING, sdsnewlen(NULL, len))`). Returns its ref, the value
 * registers on its bytes.
 */
export function stringInsertZeros(
  db: Database,
  key: Uint8Array,
  keyOff: number,
  keyLen: number,
  length: number,
): number {
  if (length <= ZEROS.length) {
    // One allocation of the final size, for the common small bitmap.
    const ref = db.insertValue(key, keyOff, keyLen, ZEROS, 0, length, ObjectType.String, Encoding.Raw);
    db.loadValue(ref);
    return ref;
  }
  const ref = db.insertValue(key, keyOff, keyLen, EMPTY, 0, 0, ObjectType.String, Encoding.Raw);
  // Filled in right after the key-added gateway: nothing has seen the empty value.
  db.resizeValue(ref, length, Encoding.Raw);
  return ref;
}

/**
 * SETBIT of a missing key: adds it as the zero bytes up to bit `offset`, with that bit `on`.
 * Returns the new ref.
 */
export function stringInsertBit(
  db: Database,
  key: Uint8Array,
  keyOff: number,
  keyLen: number,
  offset: number,
  on: number,
): number {
  const byte = Math.floor(offset / 8);
  const ref = stringInsertZeros(db, key, keyOff, keyLen, byte + 1);
  if (on) db.valueBuf[db.valueOff + byte] = 0x80 >> (offset % 8);
  return ref;
}

/**
 * Makes the string at `ref` at least `length` bytes long for BITFIELD's writes: true when it grew
 * (one change through the gateway, zero-padded); otherwise it is only made raw. Either way the
 * value registers are on its bytes.
 */
export function stringGrowZero(db: Database, ref: number, length: number): boolean {
  db.loadValue(ref);
  if (db.valueLen >= length) {
    if (db.rawEncodingAt(ref) !== Encoding.Raw) db.setEncoding(ref, Encoding.Raw);
    return false;
  }
  db.modify(ref);
  db.resizeValue(ref, length, Encoding.Raw);
  return true;
}

/**
 * BITFIELD SET/INCRBY's write: the `bits`-wide field at bit `offset` of the string at `ref` (long
 * enough already: {@link stringGrowZero}) becomes `value`. Passes the gateway first unless
 * `changing` says this command already did.
 */
export function stringSetBitfield(
  db: Database,
  ref: number,
  offset: number,
  bits: number,
  value: bigint,
  changing: boolean,
): void {
  if (!changing) db.modify(ref);
  db.loadValue(ref);
  setBitfield(db.valueBuf, db.valueOff, offset, bits, value);
}

import {
  beginDumpPayload,
  isRdbObjectType,
  openDumpPayload,
  RdbFormatError,
  type RdbOutput,
  type RdbReader,
  verifyDumpPayload,
  writeDumpFooter,
} from "@nedis/rdb";
import type { DatabaseCore } from "../DatabaseCore.js";
import { mixDigest, u32be, xorDigest } from "./digest.js";
import { valueTypeForRdb, valueTypeOf } from "./registry.js";
import type { ValueLoad } from "./ValueLoad.js";
import type { RdbSaveOptions } from "./ValueType.js";

/**
 * The type-independent value operations of DUMP, RESTORE, DEBUG OBJECT and DEBUG DIGEST: each
 * asks the registry for the value's type, so none of them switches on a type.
 */

/** Appends the DUMP payload of the value at `ref` (type byte, RDB value, version, CRC64). */
export function dumpValue(db: DatabaseCore, ref: number, out: RdbOutput, options: RdbSaveOptions): void {
  const valueType = valueTypeOf(db.typeAt(ref));
  const start = beginDumpPayload(out, valueType.rdbType(db, ref));
  valueType.rdbSave(db, ref, out, options);
  writeDumpFooter(out, start);
}

/** Bytes the value at `ref` takes in an RDB file after its type byte (DEBUG OBJECT's serializedlength). */
export function serializedLength(db: DatabaseCore, ref: number, scratch: RdbOutput, options: RdbSaveOptions): number {
  scratch.reset();
  valueTypeOf(db.typeAt(ref)).rdbSave(db, ref, scratch, options);
  return scratch.length;
}

/** What {@link loadDumpPayload} found. */
export const PayloadStatus = {
  /** The value is in the load. */
  Ok: 0,
  /** Shorter than its footer, a newer RDB version, or a bad CRC (`DUMP_PAYLOAD_ERROR`). */
  BadChecksum: 1,
  /** Passes the checks but is no valid value (`BAD_DATA_FORMAT_ERROR`). */
  BadFormat: 2,
  /** A valid RDB type that no registered value type loads. */
  UnsupportedType: 3,
} as const;
export type PayloadStatus = (typeof PayloadStatus)[keyof typeof PayloadStatus];

/**
 * RESTORE's decoding (Redis's `verifyDumpPayload` then `rdbLoadObject`): verifies
 * `payload[start, end)` and reads its value into `load`, touching no key.
 */
export function loadDumpPayload(
  payload: Uint8Array,
  start: number,
  end: number,
  reader: RdbReader,
  load: ValueLoad,
): PayloadStatus {
  if (verifyDumpPayload(payload, start, end) < 0) return PayloadStatus.BadChecksum;
  try {
    const rdbType = openDumpPayload(reader, payload, start, end);
    const valueType = valueTypeForRdb(rdbType);
    if (valueType === undefined)
      return isRdbObjectType(rdbType) ? PayloadStatus.UnsupportedType : PayloadStatus.BadFormat;
    valueType.rdbLoad(rdbType, reader, load.begin(valueType.type));
    return PayloadStatus.Ok;
  } catch (err) {
    if (err instanceof RdbFormatError) return PayloadStatus.BadFormat;
    throw err;
  }
}

const EXPIRE_MARK = new TextEncoder().encode("!!expire!!");

/**
 * Redis's `xorObjectDigest` for the key at `ref`: its type number, its value as its type mixes
 * it, then the expire mark if it has a deadline. `digest` (20 bytes) already holds the key's mix.
 */
export function digestValue(db: DatabaseCore, ref: number, digest: Uint8Array): void {
  const type = db.typeAt(ref);
  mixDigest(digest, u32be(type));
  valueTypeOf(type).digest(db, ref, digest);
  if (db.expireAt(ref) !== -1) xorDigest(digest, EXPIRE_MARK);
}

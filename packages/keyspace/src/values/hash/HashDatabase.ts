import type { Encoding, ObjectType } from "../../types.js";
import type { OutOfLineValue, ValueHost, ValueReader } from "../ValueType.js";

/**
 * What the hash type API uses of a database: its reads, the key-added, key-removed and
 * value-changing gateways, in-place resizes and conversions. `Database` is one; naming this
 * narrow view instead keeps the value types free of an import cycle through the registry.
 */
export interface HashDatabase extends ValueReader {
  readonly host: ValueHost & { readonly values: { recharge(id: number): void } };
  modify(ref: number): void;
  resizeValue(ref: number, newLength: number, encoding: Encoding): void;
  setOutOfLine(ref: number, object: OutOfLineValue, encoding: Encoding): void;
  deleteRef(ref: number): void;
  outOfLineId(ref: number): number;
  insertValue(
    key: Uint8Array,
    keyOff: number,
    keyLen: number,
    value: Uint8Array,
    valueOff: number,
    valueLen: number,
    type: ObjectType,
    encoding: Encoding,
    deadline?: number | bigint,
  ): number;
  insertOutOfLine(
    key: Uint8Array,
    keyOff: number,
    keyLen: number,
    object: OutOfLineValue,
    type: ObjectType,
    encoding: Encoding,
    deadline?: number | bigint,
  ): number;
}

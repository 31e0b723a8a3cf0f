import type { KeyInserter } from "../../db/NewKeyWriter.js";
import type { Encoding } from "../../types.js";
import type { OutOfLineValue, ValueHost, ValueReader } from "../ValueType.js";

/**
 * What the hash type API uses of a database: its reads, the key-added, key-removed and
 * value-changing gateways (key-added as `NewKeyWriter`'s {@link KeyInserter}), in-place resizes
 * and conversions. `Database` is one; naming this narrow view instead keeps the value types free
 * of an import cycle through the registry.
 */
export interface HashDatabase extends ValueReader, KeyInserter {
  readonly host: ValueHost & { readonly values: { recharge(id: number): void } };
  modify(ref: number): void;
  resizeValue(ref: number, newLength: number, encoding: Encoding): void;
  setOutOfLine(ref: number, object: OutOfLineValue, encoding: Encoding): void;
  deleteRef(ref: number): void;
  outOfLineId(ref: number): number;
}

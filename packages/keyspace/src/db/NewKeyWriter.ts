import { type Encoding, ObjectType } from "../types.js";
import type { OutOfLineValue, ValueHost, ValueWriter } from "../values/ValueType.js";

/** The key-added gateway of a database, as {@link NewKeyWriter} uses it. */
export interface KeyInserter {
  readonly host: ValueHost;
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

/**
 * A {@link ValueWriter} that adds one absent key (its hash in the database's `lastHash`) holding
 * whatever value a type writes into it: how COPY and types' `duplicate` create keys without
 * knowing the entry layout. One instance per database, reused: use it right away.
 */
export class NewKeyWriter implements ValueWriter {
  key: Uint8Array = new Uint8Array(0);
  off = 0;
  len = 0;
  type: ObjectType = ObjectType.String;
  deadline: number | bigint = 0;
  /** The new key's ref once a value was written. */
  ref = -1;

  constructor(private readonly db: KeyInserter) {}

  get host(): ValueHost {
    return this.db.host;
  }

  inline(bytes: Uint8Array, off: number, len: number, encoding: number): void {
    const { key, off: keyOff, len: keyLen } = this;
    this.ref = this.db.insertValue(
      key,
      keyOff,
      keyLen,
      bytes,
      off,
      len,
      this.type,
      encoding as Encoding,
      this.deadline,
    );
  }

  outOfLine(object: OutOfLineValue, encoding: number): void {
    const { key, off: keyOff, len: keyLen } = this;
    this.ref = this.db.insertOutOfLine(key, keyOff, keyLen, object, this.type, encoding as Encoding, this.deadline);
  }
}

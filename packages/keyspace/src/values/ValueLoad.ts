import type { KvPool } from "@nedis/allocators/kv-pool";
import type { Database } from "../Database.js";
import { Encoding, type ObjectType } from "../types.js";
import { valueTypeOf } from "./registry.js";
import type { OutOfLineValue, ValueHost, ValueWriter } from "./ValueType.js";

/**
 * A value decoded before its key is touched (RESTORE, RDB load): Redis builds the whole object
 * first, so a bad payload leaves the target key as it was. Inline bytes are copied here (the
 * reader's buffer is the request's); an out-of-line object is held until {@link commit} or
 * {@link discard}. One instance is reused.
 */
export class ValueLoad implements ValueWriter {
  type: ObjectType = 0;
  encoding = 0;
  /** Inline value: `bytes[0, length)`. */
  bytes = new Uint8Array(64);
  length = 0;
  object: OutOfLineValue | null = null;
  /** The keyspace values are loaded for (set it before loading a collection). */
  host: ValueHost | null = null;

  /** Starts a value of type `type`. */
  begin(type: ObjectType): this {
    this.type = type;
    this.encoding = 0;
    this.length = 0;
    this.object = null;
    return this;
  }

  inline(bytes: Uint8Array, off: number, len: number, encoding: number): void {
    if (this.bytes.length < len) this.bytes = new Uint8Array(Math.max(len, this.bytes.length * 2));
    this.bytes.set(bytes.subarray(off, off + len), 0);
    this.length = len;
    this.encoding = encoding;
    this.object = null;
  }

  outOfLine(object: OutOfLineValue, encoding: number): void {
    this.object = object;
    this.encoding = encoding;
    this.length = 4;
  }

  /** Bytes of value the new key will hold beyond its entry's key (for a reserve before commit). */
  get valueBytes(): number {
    return this.object === null ? this.length : 4 + this.object.memoryUsage();
  }

  /**
   * Adds the key (absent here; its hash in `db.lastHash`) with the value. With `shareIntegers`,
   * an `int` string of 0–9999 is stored as Redis's shared integer when the policy allows
   * (`tryObjectEncoding` after a load). Returns the new ref.
   */
  commit(
    db: Database,
    key: Uint8Array,
    off: number,
    len: number,
    deadline: number | bigint,
    shareIntegers: boolean,
  ): number {
    const object = this.object;
    this.object = null;
    if (object !== null)
      return db.insertOutOfLine(key, off, len, object, this.type, this.encoding as Encoding, deadline);
    let encoding = this.encoding as Encoding;
    if (encoding === Encoding.Int && shareIntegers) encoding = db.shareable(encoding, this.bytes, 0, this.length);
    return db.insertValue(key, off, len, this.bytes, 0, this.length, this.type, encoding, deadline);
  }

  /** Drops a decoded value that will not be stored (its out-of-line object's nodes are freed). */
  discard(pool: KvPool): void {
    if (this.object !== null) valueTypeOf(this.type).free(this.object, pool);
    this.object = null;
  }
}

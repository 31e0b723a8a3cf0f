import type { KvPool } from "@nedis/allocators/kv-pool";
import type { RdbOutput, RdbReader, RdbType } from "@nedis/rdb";
import type { MemoryBudget } from "../memory/MemoryBudget.js";
import type { ObjectType } from "../types.js";
import type { EncodingLimits } from "./EncodingLimits.js";

/**
 * What a value type may read of one stored value: the database's value registers (filled by
 * `loadValue`) and, for an out-of-line encoding, the object the entry names. `DatabaseCore`
 * implements it; a type never needs more of the database.
 */
export interface ValueReader {
  /** Fills {@link valueBuf}, {@link valueOff} and {@link valueLen} for the entry at `ref`. */
  loadValue(ref: number): void;
  readonly valueBuf: Uint8Array;
  readonly valueOff: number;
  readonly valueLen: number;
  /** The encoding Redis reports for the value at `ref` (OBJECT ENCODING). */
  encodingAt(ref: number): number;
  /** The physical encoding of the value at `ref` (e.g. `ListPackInline`, reported as quicklist). */
  rawEncodingAt(ref: number): number;
  /** The out-of-line object of the value at `ref` (its encoding must be out of line). */
  objectAt(ref: number): OutOfLineValue;
}

/**
 * What a type needs of the keyspace to build a value: the pool and budget its out-of-line
 * values allocate from (commands reserved the room) and the encoding limits. The keyspace's
 * `DatabaseHost` is one.
 */
export interface ValueHost {
  readonly pool: KvPool;
  readonly memory: MemoryBudget;
  readonly limits: EncodingLimits;
}

/**
 * Where a new value goes (the key-added gateway, or a staging area RESTORE and COPY fill before
 * the key exists): either bytes held inside the entry, or an out-of-line object.
 */
export interface ValueWriter {
  /**
   * The keyspace the value is for: its pool, budget and encoding limits, which a type needs to
   * build an out-of-line value or to choose an encoding on load (null: not bound to one).
   */
  readonly host: ValueHost | null;
  /** The value is `bytes[off, off + len)`, stored inside the entry with `encoding`. */
  inline(bytes: Uint8Array, off: number, len: number, encoding: number): void;
  /** The value is `object`, kept in the value store; the entry holds its id. */
  outOfLine(object: OutOfLineValue, encoding: number): void;
}

/**
 * A value too large for an inline encoding (a quicklist, a hash table, a skiplist): a few typed
 * arrays of pool handles, never one JS object per element. Its pool nodes are charged by the
 * pool itself; {@link memoryUsage} reports what it holds on the JS heap, which is charged to the
 * budget as external memory.
 */
export interface OutOfLineValue {
  memoryUsage(): number;
}

/** Receives one command of an AOF rewrite: its arguments (views valid during the call only). */
export type CommandSink = (args: readonly Uint8Array[]) => void;

/** Options of {@link ValueType.rdbSave}. */
export interface RdbSaveOptions {
  /** `rdbcompression`: LZF-compress long strings. */
  compress: boolean;
}

/**
 * One value type, modelled on Redis's module type vtable (`RedisModuleType`): everything the
 * keyspace, persistence, DUMP/RESTORE, COPY, MEMORY USAGE and DEBUG DIGEST need to know of a
 * type, so none of them switches on the type. Register it with `registerValueType`.
 *
 * Small values of a type are *inline* (the entry's value bytes are the encoding, e.g. a string
 * or a listpack), large ones *out of line* (the entry's value is a 4-byte id into the value
 * store). Inline values own nothing beyond their entry.
 */
export interface ValueType {
  /** The type number kept in the meta word (Redis's OBJ_*; a module-like type takes `Module`). */
  readonly type: ObjectType;
  /** What TYPE replies and SCAN TYPE matches. */
  readonly name: string;
  /** The RDB type bytes {@link rdbLoad} accepts (RDB_TYPE_*). */
  readonly rdbTypes: readonly RdbType[];
  /** Encodings (0–15) whose entry value is a value-store id. */
  readonly outOfLineEncodings: readonly number[];
  /** Frees what an out-of-line object owns in the pool (its nodes), before its slot is dropped. */
  free(object: OutOfLineValue, pool: KvPool): void;
  /**
   * Bytes the value at `ref` owns beyond its entry (Redis's `objectComputeSize` part for the
   * value): pool nodes and heap arrays of an out-of-line object, sampling `samples` elements
   * (0: all) where exact counting is slow. 0 for inline values.
   */
  ownedBytes(db: ValueReader, ref: number, samples: number): number;
  /** COPY: writes a deep copy of the value at `ref` into `into`. */
  duplicate(db: ValueReader, ref: number, into: ValueWriter): void;
  /** The RDB type byte of the value at `ref` (RDB_TYPE_*: depends on its encoding). */
  rdbType(db: ValueReader, ref: number): RdbType;
  /**
   * DUMP / RDB save: writes the value at `ref` as an RDB file holds it, after its type byte
   * (DEBUG OBJECT's serializedlength is the length of this).
   */
  rdbSave(db: ValueReader, ref: number, out: RdbOutput, options: RdbSaveOptions): void;
  /**
   * RESTORE / RDB load: reads a value of RDB type `rdbType` (one of {@link rdbTypes}) from
   * `reader` into `into`. Throws `RdbFormatError` when the bytes are not a valid value.
   */
  rdbLoad(rdbType: RdbType, reader: RdbReader, into: ValueWriter): void;
  /** AOF rewrite: emits the commands that rebuild the value under `key`. */
  rewrite(db: ValueReader, ref: number, key: Uint8Array, emit: CommandSink): void;
  /**
   * DEBUG DIGEST / DIGEST-VALUE: mixes the value into `digest` (20 bytes) exactly as Redis's
   * `xorObjectDigest` does for the type (see `digest.ts`).
   */
  digest(db: ValueReader, ref: number, digest: Uint8Array): void;
  /**
   * DEBUG OBJECT: what Redis appends after `lru_seconds_idle` for the type (lists: ` ql_nodes:…`),
   * leading space included; absent when Redis prints nothing more.
   */
  debugFields?(db: ValueReader, ref: number, limits: EncodingLimits): string;
}

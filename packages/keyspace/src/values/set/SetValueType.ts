import type { KvPool } from "@nedis/allocators/kv-pool";
import { RdbFormatError, type RdbOutput, type RdbReader, RdbType, writeLength, writeString } from "@nedis/rdb";
import { intsetLen, intsetValidateIntegrity } from "@nedis/rdb/intset";
import { Encoding, ObjectType } from "../../types.js";
import { xorDigest } from "../digest.js";
import { FieldTable } from "../hash/FieldTable.js";
import type {
  CommandSink,
  OutOfLineValue,
  RdbSaveOptions,
  ValueHost,
  ValueReader,
  ValueType,
  ValueWriter,
} from "../ValueType.js";
import { SetValue, setStorageOf } from "./SetValue.js";
import { setTypeForEach, setTypeSize } from "./setRead.js";

/** Redis's AOF_REWRITE_ITEMS_PER_CMD: members per SADD of an AOF rewrite. */
const REWRITE_BATCH = 64;
const SADD = new TextEncoder().encode("SADD");

/** The keyspace a set is built for (RESTORE, RDB load, COPY all give one: its pool holds the table). */
function hostOf(into: ValueWriter): ValueHost {
  const host = into.host;
  if (host === null) throw new Error("keyspace: a set value is built without a keyspace");
  return host;
}

/**
 * Sets (Redis's OBJ_SET): `intset` inline (DUMP copies the bytes: RDB_TYPE_SET_INTSET) or
 * `hashtable` out of line (a `FieldTable` in the pool: RDB_TYPE_SET). Loads and copies build
 * the final encoding in the target keyspace, with its limits, as Redis's `rdbLoadObject`.
 */
export const SetType: ValueType = {
  type: ObjectType.Set,
  name: "set",
  rdbTypes: [RdbType.Set, RdbType.SetIntset],
  outOfLineEncodings: [Encoding.HashTable],

  free(object: OutOfLineValue, _pool: KvPool): void {
    if (object instanceof FieldTable) object.free();
  },

  ownedBytes(db: ValueReader, ref: number, samples: number): number {
    if (db.rawEncodingAt(ref) === Encoding.IntSet) return 0;
    const object = db.objectAt(ref);
    return object instanceof FieldTable ? object.ownedBytes(samples) : object.memoryUsage();
  },

  duplicate(db: ValueReader, ref: number, into: ValueWriter): void {
    if (db.rawEncodingAt(ref) === Encoding.IntSet) {
      db.loadValue(ref);
      into.inline(db.valueBuf, db.valueOff, db.valueLen, Encoding.IntSet);
      return;
    }
    // A hashtable copy stays a hashtable (Redis's setTypeDup keeps the encoding).
    const copy = new SetValue(setStorageOf(hostOf(into)), -1);
    fill(copy, db, ref, into);
  },

  rdbType(db: ValueReader, ref: number): RdbType {
    return db.rawEncodingAt(ref) === Encoding.IntSet ? RdbType.SetIntset : RdbType.Set;
  },

  rdbSave(db: ValueReader, ref: number, out: RdbOutput, options: RdbSaveOptions): void {
    if (db.rawEncodingAt(ref) === Encoding.IntSet) {
      db.loadValue(ref);
      writeString(out, db.valueBuf, db.valueOff, db.valueOff + db.valueLen, options.compress);
      return;
    }
    writeLength(out, setTypeSize(db, ref));
    saver.out = out;
    saver.compress = options.compress;
    setTypeForEach(db, ref, saver);
  },

  rdbLoad(rdbType: RdbType, reader: RdbReader, into: ValueWriter): void {
    if (rdbType === RdbType.SetIntset) {
      reader.readString();
      const bytes = reader.stringBytes;
      const start = reader.stringStart;
      const len = reader.stringEnd - start;
      if (!intsetValidateIntegrity(bytes, start, len, true)) throw new RdbFormatError("Intset integrity check failed.");
      const host = hostOf(into);
      // Redis 7.0 converts a loaded intset past `set-max-intset-entries` to a hashtable.
      if (intsetLen(bytes, start) <= host.limits.setMaxIntsetEntries) {
        into.inline(bytes, start, len, Encoding.IntSet);
        return;
      }
      fill(new SetValue(setStorageOf(host), -1), intsetReader(bytes, start, len), 0, into);
      return;
    }
    const count = reader.readLength();
    if (count === 0) throw new RdbFormatError("Empty set");
    const host = hostOf(into);
    const max = host.limits.setMaxIntsetEntries;
    // As `rdbLoadObject`: a hashtable from the start when the count passes the intset limit.
    const set = new SetValue(setStorageOf(host), count > max ? -1 : max);
    try {
      for (let i = 0; i < count; i++) {
        reader.readString();
        if (!set.add(reader.stringBytes, reader.stringStart, reader.stringEnd - reader.stringStart))
          throw new RdbFormatError("Duplicate set members detected");
      }
    } catch (err) {
      // A refused payload leaves nothing in the pool.
      set.discard();
      throw err;
    }
    set.writeTo(into);
  },

  rewrite(db: ValueReader, ref: number, key: Uint8Array, emit: CommandSink): void {
    rewriter.args = [SADD, key];
    rewriter.emit = emit;
    setTypeForEach(db, ref, rewriter);
    if (rewriter.args.length > 2) emit(rewriter.args);
  },

  digest(db: ValueReader, ref: number, digest: Uint8Array): void {
    digester.digest = digest;
    setTypeForEach(db, ref, digester);
  },
};

/** Copies every member of the set at `ref` into `set`, then hands it to `into`. */
function fill(set: SetValue, db: ValueReader, ref: number, into: ValueWriter): void {
  copier.target = set;
  try {
    setTypeForEach(db, ref, copier);
  } catch (err) {
    set.discard();
    throw err;
  } finally {
    copier.target = null;
  }
  set.writeTo(into);
}

const copier = {
  target: null as SetValue | null,
  member(buf: Uint8Array, off: number, len: number): void {
    (this.target as SetValue).add(buf, off, len);
  },
};

const saver = {
  out: null as RdbOutput | null,
  compress: false,
  member(buf: Uint8Array, off: number, len: number): void {
    writeString(this.out as RdbOutput, buf, off, off + len, this.compress);
  },
};

const rewriter = {
  args: [] as Uint8Array[],
  emit: null as CommandSink | null,
  member(buf: Uint8Array, off: number, len: number): void {
    this.args.push(buf.slice(off, off + len));
    if (this.args.length === REWRITE_BATCH + 2) {
      (this.emit as CommandSink)(this.args);
      this.args = [this.args[0] as Uint8Array, this.args[1] as Uint8Array];
    }
  },
};

const digester = {
  digest: new Uint8Array(20) as Uint8Array,
  member(buf: Uint8Array, off: number, len: number): void {
    xorDigest(this.digest, buf.subarray(off, off + len));
  },
};

/** A one-value reader over an intset blob (to convert a loaded intset past the limit). */
function intsetReader(bytes: Uint8Array, start: number, len: number): ValueReader {
  return {
    loadValue(): void {},
    valueBuf: bytes,
    valueOff: start,
    valueLen: len,
    encodingAt: () => Encoding.IntSet,
    rawEncodingAt: () => Encoding.IntSet,
    objectAt(): OutOfLineValue {
      throw new Error("keyspace: an intset has no object");
    },
  };
}

import type { KvPool } from "@nedis/allocators/kv-pool";
import { type RdbOutput, type RdbReader, RdbType, writeBinaryDouble, writeLength, writeString } from "@nedis/rdb";
import { formatDouble } from "@nedis/resp-codec";
import { Encoding, ObjectType } from "../../types.js";
import { mixDigest, xorDigest } from "../digest.js";
import type { CommandSink, OutOfLineValue, RdbSaveOptions, ValueReader, ValueType, ValueWriter } from "../ValueType.js";
import { ZSetObject } from "./ZSetObject.js";
import { elementCount, forEachElement } from "./zsetElements.js";
import { duplicateZSet, loadZSetListpack, loadZSetPairs } from "./zsetRdb.js";

const ZADD = new TextEncoder().encode("ZADD");
/** Redis's AOF_REWRITE_ITEMS_PER_CMD. */
const REWRITE_BATCH = 64;

/**
 * Sorted sets (Redis's OBJ_ZSET): a listpack `[member, score, …]` inside the entry while small
 * (`Encoding.ListPack`, RDB type ZSET_LISTPACK, its DUMP bytes equal Redis's), else a
 * {@link ZSetObject} out of line (`Encoding.SkipList`, saved as ZSET_2). The type API is
 * `zsetApi.ts`; loads and copies are built in `zsetRdb.ts`.
 */
export const ZSetType: ValueType = {
  type: ObjectType.ZSet,
  name: "zset",
  rdbTypes: [RdbType.ZsetListpack, RdbType.Zset2, RdbType.Zset],
  outOfLineEncodings: [Encoding.SkipList],

  free(object: OutOfLineValue, _pool: KvPool): void {
    if (object instanceof ZSetObject) object.free();
  },

  ownedBytes(db: ValueReader, ref: number, samples: number): number {
    if (db.rawEncodingAt(ref) === Encoding.ListPack) return 0;
    const object = db.objectAt(ref);
    return object instanceof ZSetObject ? object.ownedBytes(samples) : object.memoryUsage();
  },

  duplicate(db: ValueReader, ref: number, into: ValueWriter): void {
    if (db.rawEncodingAt(ref) === Encoding.ListPack) {
      db.loadValue(ref);
      into.inline(db.valueBuf, db.valueOff, db.valueLen, Encoding.ListPack);
      return;
    }
    duplicateZSet(db, ref, into);
  },

  rdbType(db: ValueReader, ref: number): RdbType {
    return db.rawEncodingAt(ref) === Encoding.ListPack ? RdbType.ZsetListpack : RdbType.Zset2;
  },

  rdbSave(db: ValueReader, ref: number, out: RdbOutput, options: RdbSaveOptions): void {
    if (db.rawEncodingAt(ref) === Encoding.ListPack) {
      db.loadValue(ref);
      writeString(out, db.valueBuf, db.valueOff, db.valueOff + db.valueLen, options.compress);
      return;
    }
    // From the greatest to the smallest, as Redis saves a skiplist (its load then inserts at the head).
    writeLength(out, elementCount(db, ref));
    forEachElement(
      db,
      ref,
      (buf, off, len, score) => {
        writeString(out, buf, off, off + len, options.compress);
        writeBinaryDouble(out, score);
      },
      true,
    );
  },

  rdbLoad(rdbType: RdbType, reader: RdbReader, into: ValueWriter): void {
    if (rdbType === RdbType.ZsetListpack) {
      reader.readString();
      loadZSetListpack(reader.stringBytes, reader.stringStart, reader.stringEnd, into);
      return;
    }
    loadZSetPairs(rdbType, reader, into);
  },

  rewrite(db: ValueReader, ref: number, key: Uint8Array, emit: CommandSink): void {
    let args: Uint8Array[] = [ZADD, key];
    forEachElement(db, ref, (buf, off, len, score) => {
      args.push(new TextEncoder().encode(formatDouble(score)), buf.slice(off, off + len));
      if (args.length === 2 + 2 * REWRITE_BATCH) {
        emit(args);
        args = [ZADD, key];
      }
    });
    if (args.length > 2) emit(args);
  },

  digest(db: ValueReader, ref: number, digest: Uint8Array): void {
    const element = new Uint8Array(20);
    forEachElement(db, ref, (buf, off, len, score) => {
      element.fill(0);
      mixDigest(element, buf.subarray(off, off + len));
      mixDigest(element, new TextEncoder().encode(formatDouble(score)));
      xorDigest(digest, element);
    });
  },
};

import type { KvPool } from "@nedis/allocators/kv-pool";
import { type RdbOutput, type RdbReader, RdbType } from "@nedis/rdb";
import { Encoding, ObjectType } from "../../types.js";
import { mixDigest, xorDigest } from "../digest.js";
import type { CommandSink, OutOfLineValue, RdbSaveOptions, ValueReader, ValueType, ValueWriter } from "../ValueType.js";
import type { FieldTable } from "./FieldTable.js";
import { HashReader } from "./HashReader.js";
import { loadHash, saveHash } from "./hashRdb.js";

const HMSET = new TextEncoder().encode("HMSET");
/** Redis's AOF_REWRITE_ITEMS_PER_CMD: pairs per HMSET of a rewrite. */
const REWRITE_PAIRS_PER_COMMAND = 64;

const reader = new HashReader();
const pairDigest = new Uint8Array(20);

/** Hashes (Redis's OBJ_HASH): a listpack inside the entry while small, a {@link FieldTable} when large. */
export const HashValueType: ValueType = {
  type: ObjectType.Hash,
  name: "hash",
  rdbTypes: [RdbType.Hash, RdbType.HashListpack, RdbType.HashZiplist, RdbType.HashZipmap],
  outOfLineEncodings: [Encoding.HashTable],

  free(object: OutOfLineValue, _pool: KvPool): void {
    (object as FieldTable).free();
  },

  ownedBytes(db: ValueReader, ref: number, samples: number): number {
    if (db.rawEncodingAt(ref) !== Encoding.HashTable) return 0;
    return (db.objectAt(ref) as FieldTable).ownedBytes(samples);
  },

  duplicate(db: ValueReader, ref: number, into: ValueWriter): void {
    if (db.rawEncodingAt(ref) === Encoding.HashTable) {
      into.outOfLine((db.objectAt(ref) as FieldTable).clone(), Encoding.HashTable);
      return;
    }
    db.loadValue(ref);
    into.inline(db.valueBuf, db.valueOff, db.valueLen, Encoding.ListPack);
  },

  rdbType(db: ValueReader, ref: number): RdbType {
    return db.rawEncodingAt(ref) === Encoding.HashTable ? RdbType.Hash : RdbType.HashListpack;
  },

  rdbSave(db: ValueReader, ref: number, out: RdbOutput, options: RdbSaveOptions): void {
    saveHash(db, ref, out, options.compress);
  },

  rdbLoad(rdbType: RdbType, r: RdbReader, into: ValueWriter): void {
    loadHash(rdbType, r, into);
  },

  rewrite(db: ValueReader, ref: number, key: Uint8Array, emit: CommandSink): void {
    // Redis's rewriteHashObject: HMSET key f v … with up to 64 pairs per command.
    const args: Uint8Array[] = [HMSET, key];
    const r = reader.open(db, ref);
    while (r.next()) {
      args.push(r.fieldBuf.slice(r.fieldOff, r.fieldOff + r.fieldLen));
      args.push(r.valueBuf.slice(r.valueOff, r.valueOff + r.valueLen));
      if (args.length === 2 + REWRITE_PAIRS_PER_COMMAND * 2) {
        emit(args);
        args.length = 2;
      }
    }
    if (args.length > 2) emit(args);
  },

  digest(db: ValueReader, ref: number, digest: Uint8Array): void {
    // xorObjectDigest: each pair mixed into a digest of its own, whose SHA1 is xor-ed in (order-free).
    const r = reader.open(db, ref);
    while (r.next()) {
      pairDigest.fill(0);
      mixDigest(pairDigest, r.fieldBuf.subarray(r.fieldOff, r.fieldOff + r.fieldLen));
      mixDigest(pairDigest, r.valueBuf.subarray(r.valueOff, r.valueOff + r.valueLen));
      xorDigest(digest, pairDigest);
    }
  },
};

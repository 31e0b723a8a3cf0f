import type { KvPool } from "@nedis/allocators/kv-pool";
import {
  RdbFormatError,
  type RdbOutput,
  type RdbReader,
  RdbType,
  writeBinaryDouble,
  writeLength,
  writeString,
} from "@nedis/rdb";
import { lpSkip, validateListpack } from "@nedis/rdb/listpack";
import { formatDouble } from "@nedis/resp-codec";
import type { MemoryBudget } from "../../memory/MemoryBudget.js";
import { Encoding, ObjectType } from "../../types.js";
import { mixDigest, xorDigest } from "../digest.js";
import type { CommandSink, OutOfLineValue, RdbSaveOptions, ValueReader, ValueType, ValueWriter } from "../ValueType.js";
import { StagedZSet } from "./StagedZSet.js";
import { ZSetObject } from "./ZSetObject.js";
import { stagedListpack } from "./zsetBuild.js";
import { elementCount, forEachElement } from "./zsetElements.js";
import { ZzlMember, zzlFirst, zzlMember, zzlNext, zzlScore } from "./zsetListpack.js";

const ZADD = new TextEncoder().encode("ZADD");
/** Redis's AOF_REWRITE_ITEMS_PER_CMD. */
const REWRITE_BATCH = 64;
/** Redis 7.0's default zset-max-listpack-entries, used where a load has no configuration at hand. */
const DEFAULT_MAX_LISTPACK_ENTRIES = 128;
/** Redis 7.0's default zset-max-listpack-value. */
const DEFAULT_MAX_LISTPACK_VALUE = 64;

/**
 * Sorted sets (Redis's OBJ_ZSET): a listpack `[member, score, …]` inside the entry while small
 * (`Encoding.ListPack`, RDB type ZSET_LISTPACK, its DUMP bytes equal Redis's), else a
 * {@link ZSetObject} out of line (`Encoding.SkipList`, saved as ZSET_2). The type API is
 * `zsetApi.ts`.
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
    // A database (the usual reader) has a host with its pool; other readers get a staged copy.
    const host = (db as ValueReader & { host?: { pool: KvPool; memory: MemoryBudget } }).host;
    if (host === undefined) {
      const staged = new StagedZSet();
      forEachElement(db, ref, (buf, off, len, score) => staged.push(buf, off, len, score));
      staged.seal();
      into.outOfLine(staged, Encoding.SkipList);
      return;
    }
    const copy = new ZSetObject(host.pool, host.memory, elementCount(db, ref) + 1);
    forEachElement(db, ref, (buf, off, len, score) => copy.insert(score, buf, off, len), true);
    into.outOfLine(copy, Encoding.SkipList);
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
      loadListpack(reader.stringBytes, reader.stringStart, reader.stringEnd, into);
      return;
    }
    const count = reader.readLength();
    if (count === 0) throw new RdbFormatError("Empty zset");
    const staged = new StagedZSet();
    for (let i = 0; i < count; i++) {
      reader.readString();
      const bytes = reader.stringBytes;
      const start = reader.stringStart;
      const end = reader.stringEnd;
      const score = rdbType === RdbType.Zset2 ? reader.readBinaryDouble() : readStringDouble(reader);
      if (score !== score) throw new RdbFormatError("Zset with NAN score detected");
      staged.push(bytes, start, end - start, score);
    }
    if (!staged.seal()) throw new RdbFormatError("Duplicate zset fields detected");
    // Redis converts a loaded zset that fits the listpack limits. The configured limits are not
    // at hand here: a zset within the defaults becomes a listpack now, any other is settled
    // against the configuration at its first access (`zsetSettleLoaded`).
    if (staged.count <= DEFAULT_MAX_LISTPACK_ENTRIES && staged.maxMemberLen <= DEFAULT_MAX_LISTPACK_VALUE) {
      const lp = stagedListpack(staged);
      into.inline(lp, 0, lp.length, Encoding.ListPack);
    } else {
      into.outOfLine(staged, Encoding.SkipList);
    }
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

/** `rdbLoadDoubleValue`: a score of the old ZSET type (length byte, then its text). */
function readStringDouble(reader: RdbReader): number {
  const len = reader.readByte();
  if (len === 255) return -Infinity;
  if (len === 254) return Infinity;
  if (len === 253) return Number.NaN;
  let text = "";
  for (let i = 0; i < len; i++) text += String.fromCharCode(reader.readByte());
  const value = Number(text);
  return value === value ? value : Number.parseFloat(text);
}

/**
 * A ZSET_LISTPACK payload (`lpPairsValidateIntegrityAndDups`, deep): a valid listpack of pairs,
 * no repeated member, no NaN score; more than `zset-max-listpack-entries` pairs become a skiplist.
 */
function loadListpack(bytes: Uint8Array, start: number, end: number, into: ValueWriter): void {
  const entries = validateListpack(bytes, start, end);
  if (entries < 0 || entries % 2 !== 0) throw new RdbFormatError("Zset listpack integrity check failed.");
  if (entries === 0) throw new RdbFormatError("Empty zset");
  const staged = new StagedZSet();
  for (let p = zzlFirst(bytes, start); p >= 0; p = zzlNext(bytes, start, p)) {
    const score = zzlScore(bytes, lpSkip(bytes, p));
    if (score !== score) throw new RdbFormatError("Zset listpack integrity check failed.");
    zzlMember(bytes, p);
    staged.push(ZzlMember.buf, ZzlMember.off, ZzlMember.len, score);
  }
  if (!staged.seal()) throw new RdbFormatError("Zset listpack integrity check failed.");
  if (entries / 2 > DEFAULT_MAX_LISTPACK_ENTRIES) into.outOfLine(staged, Encoding.SkipList);
  else into.inline(bytes, start, end - start, Encoding.ListPack);
}

import { RdbFormatError, type RdbReader, RdbType } from "@nedis/rdb";
import { lpSkip, validateListpack } from "@nedis/rdb/listpack";
import { Encoding } from "../../types.js";
import type { ValueHost, ValueReader, ValueWriter } from "../ValueType.js";
import { ZSetObject } from "./ZSetObject.js";
import { fitsListpack, listpackOf } from "./zsetBuild.js";
import { elementCount, forEachElement } from "./zsetElements.js";
import { ZzlMember, zzlFirst, zzlMember, zzlNext, zzlScore } from "./zsetListpack.js";

/**
 * Sorted sets built for a keyspace (RESTORE, RDB load, COPY): the final encoding is decided and
 * built at once in the target keyspace's pool, with its limits, as Redis 7.0's `rdbLoadObject`
 * does, so a refused payload leaves nothing behind and the first command finds a settled value.
 */

/** The keyspace the zset is built for; a caller without one cannot hold a skiplist. */
function hostOf(into: ValueWriter): ValueHost {
  const host = into.host;
  if (host === null) throw new Error("keyspace: a zset value is built without a keyspace");
  return host;
}

/** COPY of a skiplist zset: a skiplist in `into`'s keyspace (Redis's `zsetDup` keeps the encoding). */
export function duplicateZSet(db: ValueReader, ref: number, into: ValueWriter): void {
  const host = hostOf(into);
  const copy = new ZSetObject(host.pool, host.memory, elementCount(db, ref) + 1);
  try {
    // From the greatest: each insert lands at the head of the skiplist.
    forEachElement(db, ref, (buf, off, len, score) => copy.insert(score, buf, off, len), true);
  } catch (err) {
    copy.free();
    throw err;
  }
  into.outOfLine(copy, Encoding.SkipList);
}

/**
 * `RDB_TYPE_ZSET_2` / `RDB_TYPE_ZSET`: `count` members with scores, in any order. Built as a
 * skiplist, then converted to a listpack when it fits `zset-max-listpack-*` (Redis converts
 * after loading, since the members are not stored ordered).
 */
export function loadZSetPairs(rdbType: RdbType, reader: RdbReader, into: ValueWriter): void {
  const count = reader.readLength();
  if (count === 0) throw new RdbFormatError("Empty zset");
  const host = hostOf(into);
  const zs = new ZSetObject(host.pool, host.memory, count + 1);
  let maxLen = 0;
  let totalLen = 0;
  try {
    for (let i = 0; i < count; i++) {
      reader.readString();
      const bytes = reader.stringBytes;
      const start = reader.stringStart;
      const len = reader.stringEnd - start;
      const score = rdbType === RdbType.Zset2 ? reader.readBinaryDouble() : readStringDouble(reader);
      if (score !== score) throw new RdbFormatError("Zset with NAN score detected");
      // A stored score is never NaN: a number here means the member is already in.
      if (!Number.isNaN(zs.score(bytes, start, len))) throw new RdbFormatError("Duplicate zset fields detected");
      zs.insert(score, bytes, start, len);
      if (len > maxLen) maxLen = len;
      totalLen += len;
    }
  } catch (err) {
    // A refused payload frees what it allocated in the pool.
    zs.free();
    throw err;
  }
  if (!fitsListpack(host.limits, zs.length, maxLen, totalLen)) {
    into.outOfLine(zs, Encoding.SkipList);
    return;
  }
  const lp = listpackOf(zs);
  zs.free();
  into.inline(lp, 0, lp.length, Encoding.ListPack);
}

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

const INTEGRITY = "Zset listpack integrity check failed.";

/**
 * A ZSET_LISTPACK payload (`lpPairsValidateIntegrityAndDups`, deep): a valid listpack of pairs,
 * no repeated member, no NaN score; more than `zset-max-listpack-entries` pairs become a skiplist.
 */
export function loadZSetListpack(bytes: Uint8Array, start: number, end: number, into: ValueWriter): void {
  const entries = validateListpack(bytes, start, end);
  if (entries < 0 || entries % 2 !== 0) throw new RdbFormatError(INTEGRITY);
  if (entries === 0) throw new RdbFormatError("Empty zset");
  const host = hostOf(into);
  if (entries / 2 > host.limits.zsetMaxListpackEntries) {
    into.outOfLine(listpackToSkiplist(host, bytes, start), Encoding.SkipList);
    return;
  }
  const seen = new Set<string>();
  const latin1 = new TextDecoder("latin1");
  for (let p = zzlFirst(bytes, start); p >= 0; p = zzlNext(bytes, start, p)) {
    const score = zzlScore(bytes, lpSkip(bytes, p));
    if (score !== score) throw new RdbFormatError(INTEGRITY);
    zzlMember(bytes, p);
    const name = latin1.decode(ZzlMember.buf.subarray(ZzlMember.off, ZzlMember.off + ZzlMember.len));
    if (seen.has(name)) throw new RdbFormatError(INTEGRITY);
    seen.add(name);
  }
  into.inline(bytes, start, end - start, Encoding.ListPack);
}

/** `zsetConvert(OBJ_ENCODING_SKIPLIST)` of a validated listpack, checking its members and scores. */
function listpackToSkiplist(host: ValueHost, bytes: Uint8Array, start: number): ZSetObject {
  const zs = new ZSetObject(host.pool, host.memory);
  try {
    for (let p = zzlFirst(bytes, start); p >= 0; p = zzlNext(bytes, start, p)) {
      const score = zzlScore(bytes, lpSkip(bytes, p));
      if (score !== score) throw new RdbFormatError(INTEGRITY);
      zzlMember(bytes, p);
      if (!Number.isNaN(zs.score(ZzlMember.buf, ZzlMember.off, ZzlMember.len))) throw new RdbFormatError(INTEGRITY);
      zs.insert(score, ZzlMember.buf, ZzlMember.off, ZzlMember.len);
    }
  } catch (err) {
    zs.free();
    throw err;
  }
  return zs;
}

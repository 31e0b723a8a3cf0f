import {
  LISTPACK_MAX_SAFETY_SIZE,
  LP_AFTER,
  LP_BEFORE,
  lpBytes,
  lpDeleteRangeWithEntry,
  lpInsert,
  lpSkip,
  lpStringEntrySize,
} from "@nedis/rdb/listpack";
import type { Database } from "../../Database.js";
import { Encoding, ObjectType } from "../../types.js";
import { ZSetObject } from "./ZSetObject.js";
import {
  ZzlMember,
  zzlFind,
  zzlFirst,
  zzlFoundScore,
  zzlInsertPosition,
  zzlLength,
  zzlMember,
  zzlNext,
  zzlScore,
} from "./zsetListpack.js";
import { SCORE_TEXT, scoreText } from "./zsetScores.js";

/**
 * The sorted set type API (Redis's `zset*` functions of t_zset.c) over both encodings: a
 * listpack inside the entry (`Encoding.ListPack`) or a {@link ZSetObject} out of line
 * (`Encoding.SkipList`). Mutations pass the `modify` gateway themselves, once per change (as
 * Redis counts `dirty` per added, updated or removed element), and convert as Redis 7.0 does.
 */

// ZADD flags (zsetAdd's in_flags / out_flags).
export const ZADD_IN_INCR = 1;
export const ZADD_IN_NX = 2;
export const ZADD_IN_XX = 4;
export const ZADD_IN_GT = 8;
export const ZADD_IN_LT = 16;
export const ZADD_OUT_NOP = 1;
export const ZADD_OUT_NAN = 2;
export const ZADD_OUT_ADDED = 4;
export const ZADD_OUT_UPDATED = 8;

/** The score after the last {@link zsetAdd} (ZINCRBY's reply). */
export let zsetNewScore = 0;

/** True when the value at `ref` is a listpack (else a {@link ZSetObject}). */
export function isListpack(db: Database, ref: number): boolean {
  return db.rawEncodingAt(ref) === Encoding.ListPack;
}

/** The large object of the value at `ref` (not a listpack). */
export function zsetObject(db: Database, ref: number): ZSetObject {
  return db.objectAt(ref) as ZSetObject;
}

const EMPTY_LISTPACK = Uint8Array.of(7, 0, 0, 0, 0, 0, 0xff);

/** `zsetLength` */
export function zsetLength(db: Database, ref: number): number {
  if (!isListpack(db, ref)) return zsetObject(db, ref).length;
  db.loadValue(ref);
  return zzlLength(db.valueBuf, db.valueOff);
}

/** `zsetScore`: the member's score, NaN when absent. */
export function zsetScore(db: Database, ref: number, buf: Uint8Array, off: number, len: number): number {
  if (!isListpack(db, ref)) return zsetObject(db, ref).score(buf, off, len);
  db.loadValue(ref);
  return zzlFind(db.valueBuf, db.valueOff, buf, off, len) < 0 ? Number.NaN : zzlFoundScore;
}

/**
 * Adds a new zset key (`createZsetListpackObject` / `createZsetObject` + `dbAdd`): a listpack
 * unless `zset-max-listpack-entries` is 0 or the first member is longer than
 * `zset-max-listpack-value`. The key must be absent (its lookup just set `lastHash`).
 */
export function zsetCreate(db: Database, key: Uint8Array, off: number, len: number, firstMemberLen: number): number {
  const limits = db.host.limits;
  if (limits.zsetMaxListpackEntries === 0 || limits.zsetMaxListpackValue < firstMemberLen) {
    const object = new ZSetObject(db.host.pool, db.host.memory);
    return db.insertOutOfLine(key, off, len, object, ObjectType.ZSet, Encoding.SkipList);
  }
  return db.insertValue(key, off, len, EMPTY_LISTPACK, 0, 7, ObjectType.ZSet, Encoding.ListPack);
}

/** `zsetAdd`: returns out flags (ZADD_OUT_*); the resulting score is in {@link zsetNewScore}. */
export function zsetAdd(
  db: Database,
  ref: number,
  score: number,
  buf: Uint8Array,
  off: number,
  len: number,
  flags: number,
): number {
  if (score !== score) return ZADD_OUT_NAN;
  if (isListpack(db, ref)) {
    db.loadValue(ref);
    const p = zzlFind(db.valueBuf, db.valueOff, buf, off, len);
    if (p >= 0) {
      const out = updateScore(zzlFoundScore, score, flags);
      if (out !== ZADD_OUT_UPDATED) return out;
      const rel = p - db.valueOff;
      db.modify(ref);
      zzlDeleteAt(db, ref, rel);
      zzlInsert(db, ref, zsetNewScore, buf, off, len);
      return out;
    }
    if ((flags & ZADD_IN_XX) !== 0) return ZADD_OUT_NOP;
    const limits = db.host.limits;
    if (
      zzlLength(db.valueBuf, db.valueOff) + 1 <= limits.zsetMaxListpackEntries &&
      len <= limits.zsetMaxListpackValue &&
      db.valueLen + len <= LISTPACK_MAX_SAFETY_SIZE
    ) {
      db.modify(ref);
      zzlInsert(db, ref, score, buf, off, len);
      zsetNewScore = score;
      return ZADD_OUT_ADDED;
    }
    db.modify(ref);
    zsetConvertToSkiplist(db, ref);
  }
  const zs = zsetObject(db, ref);
  const hash = zs.dict.hashOf(buf, off, len);
  const current = zs.scoreHashed(hash, buf, off, len);
  if (current === current) {
    const out = updateScore(current, score, flags);
    if (out !== ZADD_OUT_UPDATED) return out;
    db.modify(ref);
    zs.update(current, zsetNewScore, buf, off, len);
    return out;
  }
  if ((flags & ZADD_IN_XX) !== 0) return ZADD_OUT_NOP;
  db.modify(ref);
  zs.insertHashed(hash, score, buf, off, len);
  zsetRecharge(db, ref);
  zsetNewScore = score;
  return ZADD_OUT_ADDED;
}

/** Re-charges a large zset's heap size to the budget after it changed. */
export function zsetRecharge(db: Database, ref: number): void {
  db.host.values.recharge(db.outOfLineId(ref));
}

/** The NX / INCR / GT / LT rules for a member already present with `current`; sets zsetNewScore. */
function updateScore(current: number, score: number, flags: number): number {
  if ((flags & ZADD_IN_NX) !== 0) return ZADD_OUT_NOP;
  if ((flags & ZADD_IN_INCR) !== 0) {
    score += current;
    if (score !== score) return ZADD_OUT_NAN;
  }
  if (((flags & ZADD_IN_LT) !== 0 && score >= current) || ((flags & ZADD_IN_GT) !== 0 && score <= current)) {
    return ZADD_OUT_NOP;
  }
  zsetNewScore = score;
  return score === current ? 0 : ZADD_OUT_UPDATED;
}

/** `zsetDel`: removes a member; false when absent. The caller deletes the key once it is empty. */
export function zsetDel(db: Database, ref: number, buf: Uint8Array, off: number, len: number): boolean {
  if (isListpack(db, ref)) {
    db.loadValue(ref);
    const p = zzlFind(db.valueBuf, db.valueOff, buf, off, len);
    if (p < 0) return false;
    const rel = p - db.valueOff;
    db.modify(ref);
    zzlDeleteAt(db, ref, rel);
    return true;
  }
  const zs = zsetObject(db, ref);
  if (zs.dict.find(buf, off, len) < 0) return false;
  db.modify(ref);
  zs.delete(buf, off, len);
  zsetRecharge(db, ref);
  return true;
}

/** `zsetRank`: 0-based rank (from the top when `reverse`), -1 when absent. */
export function zsetRank(
  db: Database,
  ref: number,
  buf: Uint8Array,
  off: number,
  len: number,
  reverse: boolean,
): number {
  const length = zsetLength(db, ref);
  if (isListpack(db, ref)) {
    db.loadValue(ref);
    const lp = db.valueBuf;
    let rank = 0;
    for (let p = zzlFirst(lp, db.valueOff); p >= 0; p = zzlNext(lp, db.valueOff, p), rank++) {
      zzlMember(lp, p);
      if (ZzlMember.len === len && sameBytes(ZzlMember.buf, ZzlMember.off, buf, off, len)) {
        return reverse ? length - rank - 1 : rank;
      }
    }
    return -1;
  }
  const zs = zsetObject(db, ref);
  const score = zs.score(buf, off, len);
  if (score !== score) return -1;
  const rank = zs.list.getRank(score, buf, off, len);
  return reverse ? length - rank : rank - 1;
}

function sameBytes(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[aOff + i] !== b[bOff + i]) return false;
  return true;
}

/** `zzlInsert` in place: (score, member) at its sorted position. */
function zzlInsert(db: Database, ref: number, score: number, buf: Uint8Array, off: number, len: number): void {
  db.loadValue(ref);
  const rel = zzlInsertPosition(db.valueBuf, db.valueOff, score, buf, off, len) - db.valueOff;
  const scoreLen = scoreText(score);
  const grow = lpStringEntrySize(buf, off, off + len) + lpStringEntrySize(SCORE_TEXT, 0, scoreLen);
  db.resizeValue(ref, db.valueLen + grow, Encoding.ListPack);
  const lp = db.valueBuf;
  const lpOff = db.valueOff;
  const p = lpInsert(lp, lpOff, lpOff + rel, LP_BEFORE, buf, off, off + len);
  lpInsert(lp, lpOff, p, LP_AFTER, SCORE_TEXT, 0, scoreLen);
}

/** `zzlDelete` in place of the element whose member is `rel` bytes into the listpack. */
function zzlDeleteAt(db: Database, ref: number, rel: number): void {
  db.loadValue(ref);
  lpDeleteRangeWithEntry(db.valueBuf, db.valueOff, db.valueOff + rel, 2);
  db.resizeValue(ref, lpBytes(db.valueBuf, db.valueOff), Encoding.ListPack);
}

/** `zsetConvert(zobj, OBJ_ENCODING_SKIPLIST)` (after `modify`). */
export function zsetConvertToSkiplist(db: Database, ref: number): void {
  db.loadValue(ref);
  const lp = db.valueBuf;
  const lpOff = db.valueOff;
  const zs = new ZSetObject(db.host.pool, db.host.memory, zzlLength(lp, lpOff) + 1);
  for (let p = zzlFirst(lp, lpOff); p >= 0; p = zzlNext(lp, lpOff, p)) {
    const score = zzlScore(lp, lpSkip(lp, p));
    zzlMember(lp, p);
    zs.insert(score, ZzlMember.buf, ZzlMember.off, ZzlMember.len);
  }
  db.setOutOfLine(ref, zs, Encoding.SkipList);
}

/** Longest member of a large zset, and the total of their lengths (for the listpack checks). */
export function memberLengths(zs: ZSetObject): { max: number; total: number } {
  let max = 0;
  let total = 0;
  const list = zs.list;
  for (let node = list.first(); node !== 0; node = list.next(node)) {
    list.member(node);
    if (list.memberLen > max) max = list.memberLen;
    total += list.memberLen;
  }
  return { max, total };
}

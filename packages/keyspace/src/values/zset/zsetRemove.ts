import { lpBytes, lpDeleteRangeWithEntry, lpSeek, lpSkip } from "@nedis/rdb/listpack";
import type { Database } from "../../Database.js";
import { Encoding } from "../../types.js";
import type { LexRange } from "./LexRange.js";
import type { ScoreRange } from "./ScoreRange.js";
import { isListpack, zsetObject, zsetRecharge } from "./zsetApi.js";
import { zzlFirstInLexRange, zzlFirstInRange, zzlLexLteMax, zzlNext, zzlScore } from "./zsetListpack.js";

/**
 * Range deletions of ZREMRANGEBYRANK / BYSCORE / BYLEX and the pops (`zzlDeleteRangeBy*`,
 * `zslDeleteRangeBy*`). Each passes the `modify` gateway once when it removes something,
 * counts one change per element removed (Redis's `server.dirty += deleted`) and returns how
 * many elements went; the caller deletes the key once it is empty.
 */

/** The gateway counted one change: count the others. */
function counted(db: Database, removed: number): number {
  if (removed > 1) db.host.dirty += removed - 1;
  return removed;
}

/** Removes 0-based ranks `start..end` (inclusive, already clamped). */
export function zsetRemoveRangeByRank(db: Database, ref: number, start: number, end: number): number {
  if (end < start) return 0;
  db.modify(ref);
  if (isListpack(db, ref)) {
    db.loadValue(ref);
    const p = lpSeek(db.valueBuf, db.valueOff, 2 * start);
    if (p < 0) return 0;
    return counted(db, deleteListpackRun(db, ref, p - db.valueOff, end - start + 1));
  }
  const zs = zsetObject(db, ref);
  const removed = zs.list.deleteRangeByRank(start + 1, end + 1, zs.forgetNode);
  zsetRecharge(db, ref);
  return counted(db, removed);
}

/** Removes the elements with a score in `r`. */
export function zsetRemoveRangeByScore(db: Database, ref: number, r: ScoreRange): number {
  if (isListpack(db, ref)) {
    db.loadValue(ref);
    const lp = db.valueBuf;
    const off = db.valueOff;
    const first = zzlFirstInRange(lp, off, r);
    if (first < 0) return 0;
    let n = 0;
    for (let p = first; p >= 0 && r.lteMax(zzlScore(lp, lpSkip(lp, p))); p = zzlNext(lp, off, p)) n++;
    db.modify(ref);
    return counted(db, deleteListpackRun(db, ref, first - off, n));
  }
  const zs = zsetObject(db, ref);
  if (zs.list.firstInRange(r.min, r.minex, r.max, r.maxex) === 0) return 0;
  db.modify(ref);
  const removed = zs.list.deleteRangeByScore(r.min, r.minex, r.max, r.maxex, zs.forgetNode);
  zsetRecharge(db, ref);
  return counted(db, removed);
}

/** Removes the elements in the lex range `r`. */
export function zsetRemoveRangeByLex(db: Database, ref: number, r: LexRange): number {
  if (isListpack(db, ref)) {
    db.loadValue(ref);
    const lp = db.valueBuf;
    const off = db.valueOff;
    const first = zzlFirstInLexRange(lp, off, r);
    if (first < 0) return 0;
    let n = 0;
    for (let p = first; p >= 0 && zzlLexLteMax(lp, p, r); p = zzlNext(lp, off, p)) n++;
    db.modify(ref);
    return counted(db, deleteListpackRun(db, ref, first - off, n));
  }
  const zs = zsetObject(db, ref);
  if (zs.list.firstInLexRange(r) === 0) return 0;
  db.modify(ref);
  const removed = zs.list.deleteRangeByLex(r, zs.forgetNode);
  zsetRecharge(db, ref);
  return counted(db, removed);
}

/** Deletes `n` elements from the member `rel` bytes into the listpack; returns `n`. */
function deleteListpackRun(db: Database, ref: number, rel: number, n: number): number {
  db.loadValue(ref);
  lpDeleteRangeWithEntry(db.valueBuf, db.valueOff, db.valueOff + rel, 2 * n);
  db.resizeValue(ref, lpBytes(db.valueBuf, db.valueOff), Encoding.ListPack);
  return n;
}

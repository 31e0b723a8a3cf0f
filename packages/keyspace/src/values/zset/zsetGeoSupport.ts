import { lpNext, lpSkip } from "@nedis/rdb/listpack";
import type { Database } from "../../Database.js";
import type { ScoreRange } from "./ScoreRange.js";
import type { SkipList } from "./SkipList.js";
import { isListpack, zsetObject } from "./zsetApi.js";
import { ZzlMember, zzlFirstInRange, zzlMember, zzlScore } from "./zsetListpack.js";

const EMPTY = new Uint8Array(0);

/**
 * A forward walk over a sorted set's scores, whatever its encoding, reading an element's member
 * only when asked: the geo searches (geo.c's `geoGetPointsInRange`) look at every score of a
 * range and keep few of the members. One instance per call site; valid while the value does not
 * change.
 */
export class ZSetScoreWalker {
  /** The current element's score. */
  score = 0;
  /** After {@link readMember}: the member is `memberBuf[memberOff, memberOff + memberLen)` (a view). */
  memberBuf: Uint8Array = EMPTY;
  memberOff = 0;
  memberLen = 0;

  private lp: Uint8Array = EMPTY;
  private lpOff = 0;
  private list: SkipList | null = null;
  /** Listpack member position or skiplist tower; -1 when off the end. */
  private at = -1;
  /** The listpack position of the current element's score. */
  private scoreAt = -1;

  /** Opens the zset at `ref` (no position yet). */
  open(db: Database, ref: number): this {
    if (isListpack(db, ref)) {
      db.loadValue(ref);
      this.lp = db.valueBuf;
      this.lpOff = db.valueOff;
      this.list = null;
    } else {
      this.list = zsetObject(db, ref).list;
      this.lp = EMPTY;
    }
    this.at = -1;
    return this;
  }

  /** Moves to the first element with a score in `r` (`zzlFirstInRange` / `zslFirstInRange`). */
  seek(r: ScoreRange): boolean {
    if (this.list === null) this.at = zzlFirstInRange(this.lp, this.lpOff, r);
    else this.at = this.list.towerOf(this.list.firstInRange(r.min, r.minex, r.max, r.maxex)) || -1;
    return this.readScore();
  }

  /** Steps to the next element; false at the end. */
  next(): boolean {
    if (this.at < 0) return false;
    if (this.list === null) this.at = lpNext(this.lp, this.lpOff, this.scoreAt);
    else this.at = this.list.nextTower(this.at) || -1;
    return this.readScore();
  }

  /** Reads the current element's member into the member registers. */
  readMember(): void {
    if (this.list === null) {
      zzlMember(this.lp, this.at);
      this.memberBuf = ZzlMember.buf;
      this.memberOff = ZzlMember.off;
      this.memberLen = ZzlMember.len;
    } else {
      this.memberBuf = this.list.member(this.list.towerNode(this.at));
      this.memberOff = this.list.memberOff;
      this.memberLen = this.list.memberLen;
    }
  }

  private readScore(): boolean {
    const at = this.at;
    if (at < 0) return false;
    if (this.list === null) {
      this.scoreAt = lpSkip(this.lp, at);
      this.score = zzlScore(this.lp, this.scoreAt);
    } else {
      this.score = this.list.towerScore(at);
    }
    return true;
  }
}

import { lpSeek, lpSkip } from "@nedis/rdb/listpack";
import type { Database } from "../../Database.js";
import type { LexRange } from "./LexRange.js";
import type { ScoreRange } from "./ScoreRange.js";
import type { SkipList } from "./SkipList.js";
import type { ZSetObject } from "./ZSetObject.js";
import { isListpack, zsetObject } from "./zsetApi.js";
import {
  ZzlMember,
  zzlFirstInLexRange,
  zzlFirstInRange,
  zzlLastInLexRange,
  zzlLastInRange,
  zzlMember,
  zzlNext,
  zzlPrev,
  zzlScore,
} from "./zsetListpack.js";

const EMPTY = new Uint8Array(0);

/**
 * A position in a sorted set, whatever its encoding, for the range commands (ZRANGE and its
 * forms, ZCOUNT, ZPOP…): seek by rank or to the first/last element of a score or lex range,
 * step forward or back, read the element into the registers. One instance per call site;
 * valid while the value does not change.
 */
export class ZSetCursor {
  /** The element's member is `memberBuf[memberOff, memberOff + memberLen)` (a view: copy to keep). */
  memberBuf: Uint8Array = EMPTY;
  memberOff = 0;
  memberLen = 0;
  score = 0;

  private lp: Uint8Array = EMPTY;
  private readonly digits = new Uint8Array(24);
  private lpOff = 0;
  private list: SkipList | null = null;
  /** Listpack member position or skiplist tower (one place a step, see `SkipList.towerOf`); -1 when off the end. */
  private at = -1;

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

  /** Opens a large zset that is no key's value (a temporary input of a set operation). */
  openObject(object: ZSetObject): this {
    this.list = object.list;
    this.lp = EMPTY;
    this.at = -1;
    return this;
  }

  /** Moves to the element of 0-based `rank` (which must exist) and reads it. */
  seekRank(rank: number): boolean {
    if (this.list === null) this.at = lpSeek(this.lp, this.lpOff, 2 * rank);
    else this.at = this.list.towerOf(this.list.getByRank(rank + 1)) || -1;
    return this.read();
  }

  /** Moves to the first (or, `last`, the last) element with a score in `r`. */
  seekScore(r: ScoreRange, last: boolean): boolean {
    if (this.list === null) {
      this.at = last ? zzlLastInRange(this.lp, this.lpOff, r) : zzlFirstInRange(this.lp, this.lpOff, r);
    } else {
      const node = last
        ? this.list.lastInRange(r.min, r.minex, r.max, r.maxex)
        : this.list.firstInRange(r.min, r.minex, r.max, r.maxex);
      this.at = this.list.towerOf(node) || -1;
    }
    return this.read();
  }

  /** Moves to the first (or last) element in the lex range `r`. */
  seekLex(r: LexRange, last: boolean): boolean {
    if (this.list === null) {
      this.at = last ? zzlLastInLexRange(this.lp, this.lpOff, r) : zzlFirstInLexRange(this.lp, this.lpOff, r);
    } else {
      this.at = this.list.towerOf(last ? this.list.lastInLexRange(r) : this.list.firstInLexRange(r)) || -1;
    }
    return this.read();
  }

  /** Steps to the next element (the previous one when `back`) and reads it; false at the end. */
  step(back: boolean): boolean {
    if (this.at < 0) return false;
    if (this.list === null) {
      this.at = back ? zzlPrev(this.lp, this.lpOff, this.at) : zzlNext(this.lp, this.lpOff, this.at);
    } else {
      this.at = (back ? this.list.prevTower(this.at) : this.list.nextTower(this.at)) || -1;
    }
    return this.read();
  }

  private read(): boolean {
    const at = this.at;
    if (at < 0) return false;
    if (this.list === null) {
      this.score = zzlScore(this.lp, lpSkip(this.lp, at));
      zzlMember(this.lp, at);
      if (ZzlMember.buf === this.lp) {
        this.memberBuf = this.lp;
        this.memberOff = ZzlMember.off;
      } else {
        // An integer member is rendered into a shared scratch: keep a copy of our own.
        this.digits.set(ZzlMember.buf.subarray(ZzlMember.off, ZzlMember.off + ZzlMember.len));
        this.memberBuf = this.digits;
        this.memberOff = 0;
      }
      this.memberLen = ZzlMember.len;
    } else {
      this.score = this.list.towerScore(at);
      this.memberBuf = this.list.member(this.list.towerNode(at));
      this.memberOff = this.list.memberOff;
      this.memberLen = this.list.memberLen;
    }
    return true;
  }
}

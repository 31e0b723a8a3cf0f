import { lpFirst, lpGetBigInt, lpGetInteger, lpLast, lpNext, lpPrev } from "@nedis/rdb/listpack";
import type { StreamObject } from "./StreamObject.js";
import { STREAM_ITEM_FLAG_DELETED, STREAM_ITEM_FLAG_SAMEFIELDS } from "./streamAppend.js";
import {
  compareU64,
  isZeroStreamId,
  maxStreamId,
  type StreamId,
  type U64,
  u64AddDelta,
  zeroStreamId,
} from "./streamId.js";

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/** A node's ID delta (an int64 element): a number when one holds it exactly, else a bigint. */
export function lpDelta(bytes: Uint8Array, p: number): number | bigint {
  if (bytes[p] !== 0xf4) return lpGetInteger(bytes, p);
  const v = lpGetBigInt(bytes, p);
  return v >= -MAX_SAFE_BIG && v <= MAX_SAFE_BIG ? Number(v) : v;
}

/** `compareStreamId({ ms, seq }, b)` without making the ID. */
function compareParts(ms: U64, seq: U64, b: StreamId): number {
  const c = compareU64(ms, b.ms);
  return c !== 0 ? c : compareU64(seq, b.seq);
}

const MIN_ID: StreamId = zeroStreamId();
const MAX_ID: StreamId = maxStreamId();

/**
 * Redis's `streamIterator`: walks the entries between two IDs forwards or backwards, node by
 * node. After {@link next} returns true, {@link id}, {@link numFields} and {@link flags} describe
 * the entry, and each {@link nextField} leaves the field and value element positions in
 * {@link fieldP} / {@link valueP} of {@link page}.
 */
export class StreamIterator {
  s!: StreamObject;
  rev = false;
  skipTombstones = true;
  private start: StreamId = MIN_ID;
  private end: StreamId = MAX_ID;
  /** Current node, or -1 before the first / after the last. */
  node = -1;
  private lp = false;
  page: Uint8Array = new Uint8Array(0);
  off = 0;
  private ele = -1;
  private masterFieldsCount = 0;
  private masterFieldsStart = -1;
  private masterFieldsPtr = -1;
  private masterMs: U64 = 0;
  private masterSeq: U64 = 0;
  /** The flags element of the current entry. */
  flagsP = -1;
  id: StreamId = MIN_ID;
  numFields = 0;
  flags = 0;
  fieldP = -1;
  private fieldsLeft = 0;
  valueP = -1;

  /** `streamIteratorStart` (null bounds: the whole stream). */
  begin(s: StreamObject, start: StreamId | null, end: StreamId | null, rev: boolean): this {
    this.s = s;
    this.start = start ?? MIN_ID;
    this.end = end ?? MAX_ID;
    this.rev = rev;
    this.skipTombstones = true;
    this.lp = false;
    if (!rev) {
      if (start !== null && !isZeroStreamId(start)) {
        const i = s.seekLE(start);
        this.node = (i < 0 ? 0 : i) - 1;
      } else this.node = -1;
    } else if (end !== null && !isZeroStreamId(end)) {
      const i = s.seekLE(end);
      this.node = (i < 0 ? s.nodeCount - 1 : i) + 1;
    } else this.node = s.nodeCount;
    return this;
  }

  /** `streamIteratorGetID`: true with the next entry in range. */
  next(): boolean {
    const s = this.s;
    for (;;) {
      if (!this.lp || this.ele < 0) {
        this.node += this.rev ? -1 : 1;
        if (this.node < 0 || this.node >= s.nodeCount) {
          this.node = this.rev ? -1 : s.nodeCount;
          return false;
        }
        this.masterMs = s.masters.ms(this.node);
        this.masterSeq = s.masters.seq(this.node);
        const page = s.page(this.node);
        const off = s.offset(this.node);
        this.page = page;
        this.off = off;
        this.lp = true;
        let p = lpNext(page, off, lpNext(page, off, lpFirst(page, off)));
        this.masterFieldsCount = lpGetInteger(page, p);
        p = lpNext(page, off, p);
        this.masterFieldsStart = p;
        if (!this.rev) {
          for (let i = 0; i < this.masterFieldsCount; i++) p = lpNext(page, off, p);
        } else p = lpLast(page, off);
        this.ele = p;
      } else if (this.rev) {
        // The previous entry's lp-count (or the master entry's terminator), whatever was read.
        this.ele = lpPrev(this.page, this.off, this.flagsP);
      } else {
        // Skip the fields the caller did not read, to this entry's lp-count.
        let skip = (this.flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0 ? this.fieldsLeft : this.fieldsLeft * 2;
        while (skip-- > 0) this.ele = lpNext(this.page, this.off, this.ele);
      }
      const page = this.page;
      const off = this.off;
      for (;;) {
        if (!this.rev) {
          this.ele = lpNext(page, off, this.ele);
          if (this.ele < 0) break;
        } else {
          let count = lpGetInteger(page, this.ele);
          if (count === 0) {
            this.lp = false;
            this.ele = -1;
            break;
          }
          while (count-- > 0) this.ele = lpPrev(page, off, this.ele);
        }
        this.flagsP = this.ele;
        const flags = lpGetInteger(page, this.ele);
        this.ele = lpNext(page, off, this.ele);
        const ms = u64AddDelta(this.masterMs, lpDelta(page, this.ele));
        this.ele = lpNext(page, off, this.ele);
        const seq = u64AddDelta(this.masterSeq, lpDelta(page, this.ele));
        this.ele = lpNext(page, off, this.ele);
        if ((flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0) this.numFields = this.masterFieldsCount;
        else {
          this.numFields = lpGetInteger(page, this.ele);
          this.ele = lpNext(page, off, this.ele);
        }
        const live = !this.skipTombstones || (flags & STREAM_ITEM_FLAG_DELETED) === 0;
        if (!this.rev) {
          if (live && compareParts(ms, seq, this.start) >= 0) {
            if (compareParts(ms, seq, this.end) > 0) return false;
            return this.emit(ms, seq, flags);
          }
          const skip = (flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0 ? this.numFields : this.numFields * 2;
          for (let i = 0; i < skip; i++) this.ele = lpNext(page, off, this.ele);
        } else {
          if (live && compareParts(ms, seq, this.end) <= 0) {
            if (compareParts(ms, seq, this.start) < 0) return false;
            return this.emit(ms, seq, flags);
          }
          let back = (flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0 ? 4 : 5;
          while (back-- > 0) this.ele = lpPrev(page, off, this.ele);
        }
      }
    }
  }

  private emit(ms: U64, seq: U64, flags: number): true {
    this.id = { ms, seq };
    this.fieldsLeft = this.numFields;
    this.flags = flags;
    if ((flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0) this.masterFieldsPtr = this.masterFieldsStart;
    return true;
  }

  /** `streamIteratorGetField`: the next field and value of the current entry. */
  nextField(): void {
    this.fieldsLeft--;
    const page = this.page;
    const off = this.off;
    if ((this.flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0) {
      this.fieldP = this.masterFieldsPtr;
      this.masterFieldsPtr = lpNext(page, off, this.masterFieldsPtr);
    } else {
      this.fieldP = this.ele;
      this.ele = lpNext(page, off, this.ele);
    }
    this.valueP = this.ele;
    this.ele = lpNext(page, off, this.ele);
  }
}

import { writeDecimal } from "@nedis/rdb";
import {
  LISTPACK_EMPTY_SIZE,
  ListpackEntry,
  lpFirst,
  lpGetValue,
  lpLast,
  lpLength,
  lpNext,
  lpPrev,
  lpSkip,
} from "@nedis/rdb/listpack";
import { compareBytes, LEX_BYTES, LEX_MAX_STRING, LEX_MIN_STRING, type LexRange, lexRangeIsEmpty } from "./LexRange.js";
import type { ScoreRange } from "./ScoreRange.js";
import { parseScoreText } from "./zsetScores.js";

/**
 * Redis's `zzl*` functions over a small sorted set: a listpack `[member, score, …]` sorted by
 * score, then member bytes. Positions are byte offsets into `lp` (the listpack starts at `off`);
 * -1 means none. A member is read into the {@link ZzlMember} registers (an integer-encoded
 * member is rendered into a scratch buffer: use it before the next read).
 */

const entry = new ListpackEntry();
const DIGITS = new Uint8Array(24);

/** Registers of {@link zzlMember}: the member bytes are `buf[off, off + len)`. */
export const ZzlMember: { buf: Uint8Array; off: number; len: number } = { buf: DIGITS, off: 0, len: 0 };

/** Elements (pairs). */
export function zzlLength(lp: Uint8Array, off: number): number {
  return lpLength(lp, off) >>> 1;
}

/** Fills {@link ZzlMember} with the member at `p`. */
export function zzlMember(lp: Uint8Array, p: number): void {
  lpGetValue(lp, p, entry);
  if (entry.isInteger) {
    ZzlMember.buf = DIGITS;
    ZzlMember.off = 0;
    ZzlMember.len = writeDecimal(DIGITS, 0, entry.integerIsSafe ? entry.integer : bigIntegerAt(lp, p));
  } else {
    ZzlMember.buf = lp;
    ZzlMember.off = entry.stringStart;
    ZzlMember.len = entry.stringEnd - entry.stringStart;
  }
}

function bigIntegerAt(lp: Uint8Array, p: number): bigint {
  let lo = 0n;
  for (let i = 7; i >= 0; i--) lo = (lo << 8n) | BigInt(lp[p + 1 + i]!);
  return BigInt.asIntN(64, lo);
}

/** `zzlGetScore`: the score stored at `sp`. */
export function zzlScore(lp: Uint8Array, sp: number): number {
  lpGetValue(lp, sp, entry);
  if (entry.isInteger) return entry.integer;
  return parseScoreText(lp, entry.stringStart, entry.stringEnd);
}

/** `zzlCompareElements`: the member at `p` compared with `buf[off, off + len)`. */
export function zzlCompare(lp: Uint8Array, p: number, buf: Uint8Array, off: number, len: number): number {
  zzlMember(lp, p);
  return compareBytes(ZzlMember.buf, ZzlMember.off, ZzlMember.len, buf, off, len);
}

/** Score of the last {@link zzlFind} hit. */
export let zzlFoundScore = 0;

/** `zzlFind`: the position of member `buf[off, off + len)`, or -1; its score in {@link zzlFoundScore}. */
export function zzlFind(lp: Uint8Array, lpOff: number, buf: Uint8Array, off: number, len: number): number {
  for (let p = lpFirst(lp, lpOff); p >= 0; ) {
    const sp = lpSkip(lp, p);
    if (zzlCompare(lp, p, buf, off, len) === 0) {
      zzlFoundScore = zzlScore(lp, sp);
      return p;
    }
    p = lpNext(lp, lpOff, sp);
  }
  return -1;
}

/** Where `zzlInsert` puts (score, member): the first element after it, or the terminator. */
export function zzlInsertPosition(
  lp: Uint8Array,
  lpOff: number,
  score: number,
  buf: Uint8Array,
  off: number,
  len: number,
): number {
  let p = lpFirst(lp, lpOff);
  while (p >= 0) {
    const sp = lpSkip(lp, p);
    const s = zzlScore(lp, sp);
    if (s > score || (s === score && zzlCompare(lp, p, buf, off, len) > 0)) return p;
    p = lpNext(lp, lpOff, sp);
  }
  return lpOff + readU32(lp, lpOff) - 1;
}

function readU32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** The member position of the element after the one at `p` (-1 at the end). */
export function zzlNext(lp: Uint8Array, lpOff: number, p: number): number {
  return lpNext(lp, lpOff, lpSkip(lp, p));
}

/** The member position of the element before the one at `p` (-1 at the start). */
export function zzlPrev(lp: Uint8Array, lpOff: number, p: number): number {
  const sp = lpPrev(lp, lpOff, p);
  return sp < 0 ? -1 : lpPrev(lp, lpOff, sp);
}

/** The first member position (-1 when empty). */
export function zzlFirst(lp: Uint8Array, lpOff: number): number {
  return lpFirst(lp, lpOff);
}

/** The last member position (-1 when empty). */
export function zzlLast(lp: Uint8Array, lpOff: number): number {
  const sp = lpLast(lp, lpOff);
  return sp < 0 ? -1 : lpPrev(lp, lpOff, sp);
}

/** `zzlFirstInRange` */
export function zzlFirstInRange(lp: Uint8Array, lpOff: number, r: ScoreRange): number {
  if (r.isEmpty()) return -1;
  for (let p = lpFirst(lp, lpOff); p >= 0; p = zzlNext(lp, lpOff, p)) {
    const s = zzlScore(lp, lpSkip(lp, p));
    if (r.gteMin(s)) return r.lteMax(s) ? p : -1;
  }
  return -1;
}

/** `zzlLastInRange` */
export function zzlLastInRange(lp: Uint8Array, lpOff: number, r: ScoreRange): number {
  if (r.isEmpty()) return -1;
  for (let p = zzlLast(lp, lpOff); p >= 0; p = zzlPrev(lp, lpOff, p)) {
    const s = zzlScore(lp, lpSkip(lp, p));
    if (r.lteMax(s)) return r.gteMin(s) ? p : -1;
  }
  return -1;
}

/** `zzlLexValueGteMin` */
export function zzlLexGteMin(lp: Uint8Array, p: number, r: LexRange): boolean {
  if (r.minKind !== LEX_BYTES) return r.minKind === LEX_MIN_STRING;
  const c = zzlCompare(lp, p, r.minBuf, r.minOff, r.minLen);
  return r.minEx ? c > 0 : c >= 0;
}

/** `zzlLexValueLteMax` */
export function zzlLexLteMax(lp: Uint8Array, p: number, r: LexRange): boolean {
  if (r.maxKind !== LEX_BYTES) return r.maxKind === LEX_MAX_STRING;
  const c = zzlCompare(lp, p, r.maxBuf, r.maxOff, r.maxLen);
  return r.maxEx ? c < 0 : c <= 0;
}

/** `zzlFirstInLexRange` */
export function zzlFirstInLexRange(lp: Uint8Array, lpOff: number, r: LexRange): number {
  if (lexRangeIsEmpty(r)) return -1;
  for (let p = lpFirst(lp, lpOff); p >= 0; p = zzlNext(lp, lpOff, p)) {
    if (zzlLexGteMin(lp, p, r)) return zzlLexLteMax(lp, p, r) ? p : -1;
  }
  return -1;
}

/** `zzlLastInLexRange` */
export function zzlLastInLexRange(lp: Uint8Array, lpOff: number, r: LexRange): number {
  if (lexRangeIsEmpty(r)) return -1;
  for (let p = zzlLast(lp, lpOff); p >= 0; p = zzlPrev(lp, lpOff, p)) {
    if (zzlLexLteMax(lp, p, r)) return zzlLexGteMin(lp, p, r) ? p : -1;
  }
  return -1;
}

/** Bytes of an empty listpack. */
export const ZZL_EMPTY_SIZE = LISTPACK_EMPTY_SIZE;

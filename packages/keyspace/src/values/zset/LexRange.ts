/**
 * A lexicographic range of ZRANGEBYLEX and friends, already parsed (Redis's `zlexrangespec`).
 * Each bound is `-` (the smallest string), `+` (the largest string) or bytes, inclusive (`[`) or
 * exclusive (`(`). The bytes are a view the caller keeps alive while the range is used; reuse one
 * instance per call site so a query allocates nothing.
 */
export class LexRange {
  /** {@link LEX_MIN_STRING}, {@link LEX_MAX_STRING} or {@link LEX_BYTES}. */
  minKind = LEX_MIN_STRING;
  /** Exclusive bound (`(`); always true for `-` and `+`, as in Redis. */
  minEx = true;
  minBuf: Uint8Array = EMPTY;
  minOff = 0;
  minLen = 0;
  maxKind = LEX_MAX_STRING;
  maxEx = true;
  maxBuf: Uint8Array = EMPTY;
  maxOff = 0;
  maxLen = 0;

  /** Sets the lower bound: `kind` is one of the LEX_* kinds, `ex` is ignored for `-`/`+`. */
  setMin(kind: number, ex: boolean, buf: Uint8Array = EMPTY, off = 0, len = 0): this {
    this.minKind = kind;
    this.minEx = kind === LEX_BYTES ? ex : true;
    this.minBuf = buf;
    this.minOff = off;
    this.minLen = len;
    return this;
  }

  /** Sets the upper bound: `kind` is one of the LEX_* kinds, `ex` is ignored for `-`/`+`. */
  setMax(kind: number, ex: boolean, buf: Uint8Array = EMPTY, off = 0, len = 0): this {
    this.maxKind = kind;
    this.maxEx = kind === LEX_BYTES ? ex : true;
    this.maxBuf = buf;
    this.maxOff = off;
    this.maxLen = len;
    return this;
  }

  /**
   * Parses the two arguments of ZRANGEBYLEX as Redis's `zslParseLexRange` does (`-`, `+`,
   * `[bytes`, `(bytes`); the bounds are views into the arguments. False when either is invalid.
   */
  parse(min: Uint8Array, minOff: number, minLen: number, max: Uint8Array, maxOff: number, maxLen: number): boolean {
    return this.parseItem(min, minOff, minLen, false) && this.parseItem(max, maxOff, maxLen, true);
  }

  private parseItem(buf: Uint8Array, off: number, len: number, isMax: boolean): boolean {
    if (len === 0) return false;
    const c = buf[off]!;
    let kind: number;
    let ex = true;
    if (c === 0x2b /* + */ || c === 0x2d /* - */) {
      if (len !== 1) return false;
      kind = c === 0x2b ? LEX_MAX_STRING : LEX_MIN_STRING;
    } else if (c === 0x28 /* ( */ || c === 0x5b /* [ */) {
      kind = LEX_BYTES;
      ex = c === 0x28;
    } else {
      return false;
    }
    if (isMax) this.setMax(kind, ex, buf, off + 1, len - 1);
    else this.setMin(kind, ex, buf, off + 1, len - 1);
    return true;
  }
}

/** `-`: below every string. */
export const LEX_MIN_STRING = -1;
/** A bound given by bytes. */
export const LEX_BYTES = 0;
/** `+`: above every string. */
export const LEX_MAX_STRING = 1;

const EMPTY = new Uint8Array(0);

/** memcmp-then-length comparison of two byte ranges (Redis's `sdscmp`): <0, 0 or >0. */
export function compareBytes(
  a: Uint8Array,
  aOff: number,
  aLen: number,
  b: Uint8Array,
  bOff: number,
  bLen: number,
): number {
  const n = aLen < bLen ? aLen : bLen;
  for (let i = 0; i < n; i++) {
    const d = a[aOff + i]! - b[bOff + i]!;
    if (d !== 0) return d;
  }
  return aLen - bLen;
}

/** Redis's `sdscmplex(range.min, range.max)`: compares the two bounds, infinities included. */
export function compareLexBounds(r: LexRange): number {
  if (r.minKind === r.maxKind && r.minKind !== LEX_BYTES) return 0;
  if (r.minKind === LEX_MIN_STRING || r.maxKind === LEX_MAX_STRING) return -1;
  if (r.minKind === LEX_MAX_STRING || r.maxKind === LEX_MIN_STRING) return 1;
  return compareBytes(r.minBuf, r.minOff, r.minLen, r.maxBuf, r.maxOff, r.maxLen);
}

/** Redis's `zslIsInLexRange` test for ranges that are always empty. */
export function lexRangeIsEmpty(r: LexRange): boolean {
  const cmp = compareLexBounds(r);
  return cmp > 0 || (cmp === 0 && (r.minEx || r.maxEx));
}

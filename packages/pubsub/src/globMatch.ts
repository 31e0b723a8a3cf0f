/**
 * Redis's glob-style matcher (`stringmatchlen` in Redis 7.0 `util.c`), ported byte for byte so
 * that `KEYS`, `SCAN MATCH`, `CONFIG GET`, `PSUBSCRIBE` and `PUBSUB CHANNELS` agree with Redis on
 * every pattern, including the odd ones:
 *
 * - `*` any run of bytes (but a pattern never matches more than the subject: `*` does not match
 *   the empty subject — Redis's `KEYS *` and `SCAN` special-case `*` before calling the matcher),
 * - `?` one byte, `\x` a literal `x`,
 * - `[abc]`, `[^abc]`, `[a-z]` (reversed ranges `[z-a]` work), `\` escapes inside brackets (always
 *   case-sensitive, even in nocase mode), an unterminated `[` runs to the end of the pattern,
 *   `[a-]` is the range `a`..`]`,
 * - ranges compare bytes as C `char`, which is *signed* on x86-64 builds of Redis: `[a-\xff]` is
 *   the range -1..97, so it matches `\xff` and `-` but not `b` or `\x80`,
 * - nocase folds only ASCII `A`-`Z` (the C locale's `tolower`),
 * - the CVE-2022-36021 guards: a recursion depth limit of 1000 nested `*` (deeper → no match) and
 *   the `skipLongerMatches` short-cut that keeps `a*a*a*…b` patterns polynomial.
 *
 * The byte functions work on ranges of a `Uint8Array` (key bytes inside a kv-pool page, argument
 * views inside a read buffer) without copying. The string function treats each UTF-16 code unit
 * as one byte (a latin1 "binary string"); for ASCII it is the same as matching the UTF-8 bytes.
 *
 * @module
 */

const STAR = 0x2a; // *
const QUESTION = 0x3f; // ?
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]
const CARET = 0x5e; // ^
const BACKSLASH = 0x5c; // \
const DASH = 0x2d; // -

/** Recursion limit of Redis's matcher: deeper `*` nesting is reported as "no match". */
const MAX_NESTING = 1000;

/*
 * Redis threads `int *skipLongerMatches` through the recursion. One module-level flag does the
 * same without allocating: matching is synchronous and never re-entered, and every public entry
 * point resets it.
 */
let skipLongerMatches = false;

/** C `char` is signed on the platforms Redis is built for (x86-64): bytes ≥ 0x80 are negative. */
function signedChar(byte: number): number {
  return (byte << 24) >> 24;
}

/** C-locale `tolower`: folds only ASCII `A`-`Z`; other values (including negative) pass through. */
function asciiLower(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}

const NOT_LITERAL = -1;

/**
 * The byte a `*` must be followed by in the subject when the pattern continues with a plain
 * literal (folded in nocase mode), or {@link NOT_LITERAL}. Redis tries the rest of the pattern at
 * every subject position; at a position whose byte differs from that literal the attempt fails
 * on its first comparison without touching `skipLongerMatches` (and the nesting guard only
 * fails too), so skipping those positions changes no result — it only saves a call per byte.
 */
function literalAfterStar(code: number, nocase: boolean): number {
  if (code === STAR || code === QUESTION || code === OPEN_BRACKET || code === BACKSLASH) return NOT_LITERAL;
  return nocase ? asciiLower(code) : code;
}

/**
 * Matches `subject` against the glob `pattern`, exactly as Redis 7.0's `stringmatchlen`.
 *
 * @param pattern - pattern bytes
 * @param subject - bytes to test
 * @param nocase - fold ASCII letters, as `CONFIG GET` and `COMMAND LIST FILTERBY PATTERN` do
 * @returns whether the whole subject matches the whole pattern
 */
export function globMatch(pattern: Uint8Array, subject: Uint8Array, nocase = false): boolean {
  skipLongerMatches = false;
  return matchBytes(pattern, 0, pattern.length, subject, 0, subject.length, nocase, 0);
}

/**
 * {@link globMatch} on sub-ranges: `pattern[patternStart, patternEnd)` against
 * `subject[subjectStart, subjectEnd)`, so callers can match bytes in place (a key inside a
 * kv-pool page, an argument inside a read buffer) without `subarray` allocations.
 */
export function globMatchRange(
  pattern: Uint8Array,
  patternStart: number,
  patternEnd: number,
  subject: Uint8Array,
  subjectStart: number,
  subjectEnd: number,
  nocase = false,
): boolean {
  skipLongerMatches = false;
  return matchBytes(pattern, patternStart, patternEnd, subject, subjectStart, subjectEnd, nocase, 0);
}

/**
 * {@link globMatch} on binary strings: each UTF-16 code unit is one byte (latin1). ASCII strings
 * behave exactly like their UTF-8 bytes; code units above 0xFF are outside the byte model.
 */
export function globMatchString(pattern: string, subject: string, nocase = false): boolean {
  skipLongerMatches = false;
  return matchString(pattern, 0, pattern.length, subject, 0, subject.length, nocase, 0);
}

/*
 * The two matchers below are the same algorithm; they are written twice (bytes / code units) so
 * each stays monomorphic on the hot path instead of dispatching on the input kind per character.
 * `pi`/`si` are the C code's `pattern`/`string` pointers and `pEnd - pi` its `patternLen`.
 */

function matchBytes(
  p: Uint8Array,
  pi: number,
  pEnd: number,
  s: Uint8Array,
  si: number,
  sEnd: number,
  nocase: boolean,
  nesting: number,
): boolean {
  if (nesting > MAX_NESTING) return false;
  while (pi < pEnd && si < sEnd) {
    const pc = p[pi]!;
    if (pc === STAR) {
      while (pi + 1 < pEnd && p[pi + 1] === STAR) pi++;
      if (pi + 1 === pEnd) return true;
      const literal = literalAfterStar(p[pi + 1]!, nocase);
      while (si < sEnd) {
        if (literal !== NOT_LITERAL && literal !== (nocase ? asciiLower(s[si]!) : s[si])) {
          si++;
          continue;
        }
        if (matchBytes(p, pi + 1, pEnd, s, si, sEnd, nocase, nesting + 1)) return true;
        if (skipLongerMatches) return false;
        si++;
      }
      // The rest of the pattern matches nowhere in the rest of the subject, so no earlier `*`
      // can succeed by consuming more: tell every caller up the stack to stop.
      skipLongerMatches = true;
      return false;
    } else if (pc === QUESTION) {
      si++;
    } else if (pc === OPEN_BRACKET) {
      const sc = s[si]!;
      pi++;
      const negate = pi < pEnd && p[pi] === CARET;
      if (negate) pi++;
      let match = false;
      for (;;) {
        if (pi + 1 < pEnd && p[pi] === BACKSLASH) {
          pi++;
          if (p[pi] === sc) match = true;
        } else if (pi >= pEnd) {
          // Unterminated class: step back so the shared `pi++` below lands on the end.
          pi--;
          break;
        } else if (p[pi] === CLOSE_BRACKET) {
          break;
        } else if (pi + 2 < pEnd && p[pi + 1] === DASH) {
          let start = signedChar(p[pi]!);
          let end = signedChar(p[pi + 2]!);
          let c = signedChar(sc);
          if (start > end) {
            const t = start;
            start = end;
            end = t;
          }
          if (nocase) {
            start = asciiLower(start);
            end = asciiLower(end);
            c = asciiLower(c);
          }
          pi += 2;
          if (c >= start && c <= end) match = true;
        } else if (nocase ? asciiLower(p[pi]!) === asciiLower(sc) : p[pi] === sc) {
          match = true;
        }
        pi++;
      }
      if (negate) match = !match;
      if (!match) return false;
      si++;
    } else {
      let lc = pc;
      if (pc === BACKSLASH && pi + 1 < pEnd) {
        pi++;
        lc = p[pi]!;
      }
      const sc = s[si]!;
      if (nocase ? asciiLower(lc) !== asciiLower(sc) : lc !== sc) return false;
      si++;
    }
    pi++;
    if (si === sEnd) {
      while (pi < pEnd && p[pi] === STAR) pi++;
      break;
    }
  }
  return pi === pEnd && si === sEnd;
}

function matchString(
  p: string,
  pi: number,
  pEnd: number,
  s: string,
  si: number,
  sEnd: number,
  nocase: boolean,
  nesting: number,
): boolean {
  if (nesting > MAX_NESTING) return false;
  while (pi < pEnd && si < sEnd) {
    const pc = p.charCodeAt(pi);
    if (pc === STAR) {
      while (pi + 1 < pEnd && p.charCodeAt(pi + 1) === STAR) pi++;
      if (pi + 1 === pEnd) return true;
      const literal = literalAfterStar(p.charCodeAt(pi + 1), nocase);
      while (si < sEnd) {
        if (literal !== NOT_LITERAL && literal !== (nocase ? asciiLower(s.charCodeAt(si)) : s.charCodeAt(si))) {
          si++;
          continue;
        }
        if (matchString(p, pi + 1, pEnd, s, si, sEnd, nocase, nesting + 1)) return true;
        if (skipLongerMatches) return false;
        si++;
      }
      skipLongerMatches = true;
      return false;
    } else if (pc === QUESTION) {
      si++;
    } else if (pc === OPEN_BRACKET) {
      const sc = s.charCodeAt(si);
      pi++;
      const negate = pi < pEnd && p.charCodeAt(pi) === CARET;
      if (negate) pi++;
      let match = false;
      for (;;) {
        if (pi + 1 < pEnd && p.charCodeAt(pi) === BACKSLASH) {
          pi++;
          if (p.charCodeAt(pi) === sc) match = true;
        } else if (pi >= pEnd) {
          pi--;
          break;
        } else if (p.charCodeAt(pi) === CLOSE_BRACKET) {
          break;
        } else if (pi + 2 < pEnd && p.charCodeAt(pi + 1) === DASH) {
          let start = signedChar(p.charCodeAt(pi));
          let end = signedChar(p.charCodeAt(pi + 2));
          let c = signedChar(sc);
          if (start > end) {
            const t = start;
            start = end;
            end = t;
          }
          if (nocase) {
            start = asciiLower(start);
            end = asciiLower(end);
            c = asciiLower(c);
          }
          pi += 2;
          if (c >= start && c <= end) match = true;
        } else {
          const cc = p.charCodeAt(pi);
          if (nocase ? asciiLower(cc) === asciiLower(sc) : cc === sc) match = true;
        }
        pi++;
      }
      if (negate) match = !match;
      if (!match) return false;
      si++;
    } else {
      let lc = pc;
      if (pc === BACKSLASH && pi + 1 < pEnd) {
        pi++;
        lc = p.charCodeAt(pi);
      }
      const sc = s.charCodeAt(si);
      if (nocase ? asciiLower(lc) !== asciiLower(sc) : lc !== sc) return false;
      si++;
    }
    pi++;
    if (si === sEnd) {
      while (pi < pEnd && p.charCodeAt(pi) === STAR) pi++;
      break;
    }
  }
  return pi === pEnd && si === sEnd;
}

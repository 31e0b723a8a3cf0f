/**
 * SORT's BY and GET patterns (sort.c's `lookupKeyByPattern`): the first `*` is replaced by the
 * element; a `->field` after it (not at the very end) reads a hash field instead of a string.
 * `#` alone stands for the element itself. Parsed once per command into offsets, so each
 * element costs one key build in a scratch buffer and no string.
 */
export interface SortPattern {
  readonly bytes: Uint8Array;
  /** `#`: the element itself. */
  readonly self: boolean;
  /** Offset of the `*` in {@link bytes}, or -1 (a constant pattern: no key at all). */
  readonly star: number;
  /** End of the key part (where `->` starts, or the pattern's end). */
  readonly keyEnd: number;
  /** Offset of the hash field name, or -1 when the pattern names a string key. */
  readonly field: number;
}

export function parseSortPattern(buf: Uint8Array, start: number, end: number): SortPattern {
  const bytes = buf.slice(start, end);
  const n = bytes.length;
  const self = n === 1 && bytes[0] === 0x23;
  const star = bytes.indexOf(0x2a);
  let keyEnd = n;
  let field = -1;
  if (star >= 0) {
    for (let i = star + 1; i + 1 < n; i++) {
      if (bytes[i] === 0x2d && bytes[i + 1] === 0x3e) {
        // "->" followed by at least one byte names a field; a trailing "->" is part of the key.
        if (i + 2 < n) {
          keyEnd = i;
          field = i + 2;
        }
        break;
      }
    }
  }
  return { bytes, self, star, keyEnd, field };
}

/** Builds the key `pattern` names for `element` into `out` (grown as needed); returns its length. */
export function substitutePattern(
  pattern: SortPattern,
  element: Uint8Array,
  elementOff: number,
  elementLen: number,
  out: { buf: Uint8Array },
): number {
  const { bytes, star, keyEnd } = pattern;
  const len = keyEnd - 1 + elementLen;
  if (out.buf.length < len) out.buf = new Uint8Array(Math.max(len, out.buf.length * 2));
  const buf = out.buf;
  buf.set(bytes.subarray(0, star), 0);
  buf.set(element.subarray(elementOff, elementOff + elementLen), star);
  buf.set(bytes.subarray(star + 1, keyEnd), star + elementLen);
  return len;
}

/**
 * Redis's `sdssplitargs`, byte for byte: splits an inline command line into arguments. Blanks
 * separate arguments; `"…"` supports `\n \r \t \b \a \xHH` and `\<any>` escapes; `'…'` supports
 * `\'`; a closing quote must be followed by a blank or the end. A NUL byte ends the line, as in C.
 */

/** Where split arguments are written: bytes into `bytes`, positions into `offsets`/`lengths`. */
export interface InlineArgsSink {
  /** Receives the decoded argument bytes; needs at least as many bytes as the line. */
  bytes: Uint8Array;
  /** Start of argument i in `bytes`. */
  offsets: Int32Array;
  /** Length of argument i. */
  lengths: Int32Array;
}

const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
const hexValue = (c: number): number => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10);

function escapeByte(c: number): number {
  switch (c) {
    case 0x6e:
      return 0x0a; // \n
    case 0x72:
      return 0x0d; // \r
    case 0x74:
      return 0x09; // \t
    case 0x62:
      return 0x08; // \b
    case 0x61:
      return 0x07; // \a
    default:
      return c;
  }
}

/**
 * Splits `line[start, end)`. Decoded bytes never exceed the input length, so `sink.bytes` must
 * hold at least `end - start` bytes; `offsets`/`lengths` are grown through `grow` when full.
 * Returns the argument count, or -1 on unbalanced quotes.
 */
export function splitInlineArgs(
  line: Uint8Array,
  start: number,
  end: number,
  sink: InlineArgsSink,
  grow: (needed: number) => void,
): number {
  // C semantics: the line ends at the first NUL.
  for (let i = start; i < end; i++) {
    if (line[i] === 0) {
      end = i;
      break;
    }
  }
  const out = sink.bytes;
  let w = 0;
  let argc = 0;
  let p = start;
  for (;;) {
    while (p < end && isSpace(line[p]!)) p++;
    if (p >= end) return argc;
    const argStart = w;
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = p < end ? line[p]! : 0;
      if (inDouble) {
        if (c === 0x5c && p + 3 < end && line[p + 1] === 0x78 && isHex(line[p + 2]!) && isHex(line[p + 3]!)) {
          out[w++] = hexValue(line[p + 2]!) * 16 + hexValue(line[p + 3]!);
          p += 3;
        } else if (c === 0x5c && p + 1 < end) {
          p++;
          out[w++] = escapeByte(line[p]!);
        } else if (c === 0x22) {
          if (p + 1 < end && !isSpace(line[p + 1]!)) return -1;
          done = true;
        } else if (p >= end) {
          return -1;
        } else {
          out[w++] = c;
        }
      } else if (inSingle) {
        if (c === 0x5c && p + 1 < end && line[p + 1] === 0x27) {
          p++;
          out[w++] = 0x27;
        } else if (c === 0x27) {
          if (p + 1 < end && !isSpace(line[p + 1]!)) return -1;
          done = true;
        } else if (p >= end) {
          return -1;
        } else {
          out[w++] = c;
        }
      } else if (p >= end || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        done = true;
      } else if (c === 0x22) {
        inDouble = true;
      } else if (c === 0x27) {
        inSingle = true;
      } else {
        out[w++] = c;
      }
      if (p < end) p++;
    }
    if (argc >= sink.offsets.length) grow(argc + 1);
    sink.offsets[argc] = argStart;
    sink.lengths[argc] = w - argStart;
    argc++;
  }
}

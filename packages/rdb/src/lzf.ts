/**
 * LZF, the compressor Redis uses for RDB strings (lzf_c.c / lzf_d.c: liblzf 3.6 as vendored by
 * Redis 7.0, HLOG 16, VERY_FAST, CHECK_INPUT). Compression is a line-for-line port so the bytes
 * equal Redis's, including when it gives up for lack of output space.
 *
 * One caveat: liblzf keeps its hash table uninitialised on the C stack (INIT_HTAB 0), so in rare
 * cases Redis finds a back reference through an offset left by an earlier call. Here every call
 * starts from an empty table, which is what Redis does on its first compression.
 *
 * Stream format: `000LLLLL` + L+1 literal bytes; `LLLooooo oooooooo` a back reference of L+2
 * bytes at distance o+1; `111ooooo LLLLLLLL oooooooo` the same with length L+9.
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);
/** Inputs longer than this are refused: the hash table stores positions as int32. */
export const LZF_MAX_INPUT = 0x3fffffff;

// Entries are stamped per call (stamp + position) so a new call sees the table as empty without
// clearing 256 KiB: an older call's entries are below the current stamp.
let hashTable: Int32Array | null = null; // 256 KiB, made on first use
let nextStamp = 1;

/**
 * Compresses `input[inStart, inStart + inLength)` into `output[outStart, outStart + outLength)`
 * exactly as Redis's `lzf_compress(in, in_len, out, out_len)`: returns the compressed length,
 * or 0 when the result would not fit in `outLength` bytes (Redis then stores the string raw).
 * Never writes outside the given output range.
 */
export function lzfCompress(
  input: Uint8Array,
  inStart: number,
  inLength: number,
  output: Uint8Array,
  outStart: number,
  outLength: number,
): number {
  if (inLength === 0 || outLength === 0) return 0;
  if (inLength > LZF_MAX_INPUT) throw new RangeError(`lzfCompress: input longer than ${LZF_MAX_INPUT} bytes`);
  const htab = (hashTable ??= new Int32Array(HSIZE));
  if (nextStamp > 0x7fffffff - inLength - 1) {
    htab.fill(0);
    nextStamp = 1;
  }
  const stamp = nextStamp;
  nextStamp += inLength + 1;
  const inEnd = inStart + inLength;
  const outEnd = outStart + outLength;
  let ip = inStart;
  let op = outStart;
  let lit = 0;
  op++; // start run

  let hval = (input[ip]! << 8) | (input[ip + 1] ?? 0);
  while (ip < inEnd - 2) {
    hval = (hval << 8) | input[ip + 2]!;
    let slot = ((hval >>> 8) - Math.imul(hval, 5)) & (HSIZE - 1);
    const refRel = htab[slot]! - stamp; // ≤ 0: empty, or an older call's entry
    const ipRel = ip - inStart;
    htab[slot] = stamp + ipRel;
    const off = ipRel - refRel - 1;
    const ref = inStart + refRel;

    if (
      refRel > 0 &&
      off < MAX_OFF &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1] &&
      input[ref + 2] === input[ip + 2]
    ) {
      let len = 2;
      let maxlen = inEnd - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;

      if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return 0;

      output[op - lit - 1] = (lit - 1) & 0xff; // stop run
      if (lit === 0) op--; // undo run if length is zero

      // Redis unrolls 16 comparisons without the maxlen bound when maxlen > 16; near the end of
      // the input that can find a match up to 2 bytes longer than maxlen, so do the same.
      let unrolledHit = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++;
          if (input[ref + len] !== input[ip + len]) {
            unrolledHit = true;
            break;
          }
        }
      }
      if (!unrolledHit) {
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }

      len -= 2; // len is now #octets - 1
      ip++;

      if (len < 7) {
        output[op++] = (off >> 8) + (len << 5);
      } else {
        output[op++] = (off >> 8) + (7 << 5);
        output[op++] = len - 7;
      }
      output[op++] = off & 0xff;
      lit = 0;
      op++; // start run

      ip += len + 1;
      if (ip >= inEnd - 2) break;

      // VERY_FAST: hash only the last two positions of the match.
      ip -= 2;
      hval = (input[ip]! << 8) | input[ip + 1]!;
      hval = (hval << 8) | input[ip + 2]!;
      slot = ((hval >>> 8) - Math.imul(hval, 5)) & (HSIZE - 1);
      htab[slot] = stamp + (ip - inStart);
      ip++;
      hval = (hval << 8) | input[ip + 2]!;
      slot = ((hval >>> 8) - Math.imul(hval, 5)) & (HSIZE - 1);
      htab[slot] = stamp + (ip - inStart);
      ip++;
    } else {
      if (op >= outEnd) return 0;
      lit++;
      output[op++] = input[ip++]!;
      if (lit === MAX_LIT) {
        output[op - lit - 1] = lit - 1; // stop run
        lit = 0;
        op++; // start run
      }
    }
  }

  if (op + 3 > outEnd) return 0; // at most 3 bytes can be missing here

  while (ip < inEnd) {
    lit++;
    output[op++] = input[ip++]!;
    if (lit === MAX_LIT) {
      output[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }

  output[op - lit - 1] = (lit - 1) & 0xff; // end run
  if (lit === 0) op--; // undo run if length is zero
  return op - outStart;
}

/** `lzfDecompress` result: the output would exceed the space given (E2BIG). */
export const LZF_OUTPUT_TOO_SMALL = -1;
/** `lzfDecompress` result: the input is truncated or refers before the output start (EINVAL). */
export const LZF_CORRUPT_INPUT = -2;

/**
 * Decompresses `input[inStart, inStart + inLength)` into `output[outStart, outStart + outLength)`
 * as Redis's `lzf_decompress` with CHECK_INPUT: returns the decompressed length, or
 * {@link LZF_OUTPUT_TOO_SMALL} / {@link LZF_CORRUPT_INPUT}. Never reads or writes outside the
 * given ranges (Redis's own loop reads one byte of an empty input; here that yields 0).
 */
export function lzfDecompress(
  input: Uint8Array,
  inStart: number,
  inLength: number,
  output: Uint8Array,
  outStart: number,
  outLength: number,
): number {
  const inEnd = inStart + inLength;
  const outEnd = outStart + outLength;
  let ip = inStart;
  let op = outStart;
  if (inLength <= 0) return 0;
  do {
    let ctrl = input[ip++]!;
    if (ctrl < 1 << 5) {
      ctrl++;
      if (op + ctrl > outEnd) return LZF_OUTPUT_TOO_SMALL;
      if (ip + ctrl > inEnd) return LZF_CORRUPT_INPUT;
      if (ctrl > 8) {
        output.set(input.subarray(ip, ip + ctrl), op);
        op += ctrl;
        ip += ctrl;
      } else {
        do output[op++] = input[ip++]!;
        while (--ctrl);
      }
    } else {
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= inEnd) return LZF_CORRUPT_INPUT;
      if (len === 7) {
        len += input[ip++]!;
        if (ip >= inEnd) return LZF_CORRUPT_INPUT;
      }
      ref -= input[ip++]!;
      len += 2;
      if (op + len > outEnd) return LZF_OUTPUT_TOO_SMALL;
      if (ref < outStart) return LZF_CORRUPT_INPUT;
      if (op - ref >= len && len > 16) {
        output.copyWithin(op, ref, ref + len);
        op += len;
      } else {
        // overlapping copy: each byte may come from the bytes just written
        do output[op++] = output[ref++]!;
        while (--len);
      }
    }
  } while (ip < inEnd);
  return op - outStart;
}

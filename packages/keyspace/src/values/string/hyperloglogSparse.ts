import {
  denseSet,
  HLL_CARD_MSB_OFFSET,
  HLL_DENSE,
  HLL_ENCODING_OFFSET,
  HLL_HDR_SIZE,
  HLL_REGISTERS,
} from "./hyperloglogDense.js";

/**
 * The sparse HyperLogLog encoding of Redis's hyperloglog.c: after the header, opcodes that
 * run-length the registers — ZERO `00xxxxxx` (1..64 zero registers), XZERO `01xxxxxx yyyyyyyy`
 * (1..16384 zero registers), VAL `1vvvvvxx` (1..4 registers of value 1..32). All functions
 * take the whole HLL (header included) at `buf[0, len)` or `buf[at, at + len)`.
 */

export const HLL_SPARSE_VAL_MAX_VALUE = 32;
const HLL_SPARSE_VAL_MAX_LEN = 4;
const HLL_SPARSE_ZERO_MAX_LEN = 64;
const HLL_SPARSE_XZERO_MAX_LEN = 16384;

/** {@link sparseSet}: the register already held at least the value. */
export const SPARSE_UNCHANGED = 0;
/** {@link sparseSet}: the opcodes do not cover the register (a corrupt HLL). */
export const SPARSE_INVALID = -1;
/** {@link sparseSet}: the value or the grown size needs the dense encoding. */
export const SPARSE_PROMOTE = -2;

const isZero = (op: number): boolean => (op & 0xc0) === 0;
const isXZero = (op: number): boolean => (op & 0xc0) === 0x40;
const valValue = (op: number): number => ((op >>> 2) & 0x1f) + 1;
const valLen = (op: number): number => (op & 0x3) + 1;
const valOp = (value: number, len: number): number => (((value - 1) << 2) | (len - 1) | 0x80) & 0xff;

/** Registers covered by each ZERO and VAL opcode byte; 0 for XZERO's first byte. */
const ONE_BYTE_SPAN = (() => {
  const spans = new Uint8Array(256);
  for (let op = 0; op < 256; op++) spans[op] = isZero(op) ? (op & 0x3f) + 1 : op & 0x80 ? valLen(op) : 0;
  return spans;
})();

/** `createHLLObject`'s bytes: "HYLL", sparse, a zero cache, one XZERO of all registers. */
export const EMPTY_SPARSE_HLL: Uint8Array = (() => {
  const bytes = new Uint8Array(HLL_HDR_SIZE + 2);
  bytes.set([0x48, 0x59, 0x4c, 0x4c]);
  bytes[HLL_ENCODING_OFFSET] = 1;
  const l = HLL_SPARSE_XZERO_MAX_LEN - 1;
  bytes[HLL_HDR_SIZE] = (l >>> 8) | 0x40;
  bytes[HLL_HDR_SIZE + 1] = l & 0xff;
  return bytes;
})();

// The replacement opcodes of sparseSet's general case (at most XZERO-VAL-XZERO, 5 bytes).
const seq = new Uint8Array(5);

/** Writes a ZERO or XZERO run of `len` registers at `seq[n]`; returns the next position. */
function zeroRun(n: number, len: number): number {
  if (len > HLL_SPARSE_ZERO_MAX_LEN) {
    const l = len - 1;
    seq[n] = (l >>> 8) | 0x40;
    seq[n + 1] = l & 0xff;
    return n + 2;
  }
  seq[n] = len - 1;
  return n + 1;
}

/**
 * `hllSparseSet` on the sparse HLL `buf[0, len)` (with at least 3 spare bytes after it): raises
 * register `index` to `count` in place. Returns the new length when it changed (and marks the
 * cached cardinality stale), else {@link SPARSE_UNCHANGED}, {@link SPARSE_INVALID} or
 * {@link SPARSE_PROMOTE} (nothing written: convert, then set the dense register).
 */
export function sparseSet(buf: Uint8Array, len: number, index: number, count: number, maxBytes: number): number {
  if (count > HLL_SPARSE_VAL_MAX_VALUE) return SPARSE_PROMOTE;
  // Step 1: the opcode covering the register.
  let end = len;
  let p = HLL_HDR_SIZE;
  let first = 0;
  let prev = -1;
  let span = 0;
  // The hot loop of a sparse PFADD: one table load per one-byte opcode.
  while (p < end) {
    const op = buf[p]!;
    let oplen = 1;
    span = ONE_BYTE_SPAN[op]!;
    if (span === 0) {
      span = (((op & 0x3f) << 8) | (p + 1 < end ? buf[p + 1]! : 0)) + 1;
      oplen = 2;
    }
    if (index < first + span) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return SPARSE_INVALID;
  const op = buf[p]!;
  const opZero = isZero(op);
  const opXZero = isXZero(op);
  const next = opXZero ? p + 2 : p + 1;
  let runlen: number;
  if (opZero) runlen = (op & 0x3f) + 1;
  else if (opXZero) runlen = (((op & 0x3f) << 8) | (p + 1 < end ? buf[p + 1]! : 0)) + 1;
  else runlen = valLen(op);

  let updatedInPlace = false;
  if (!opZero && !opXZero) {
    // A) already at least count; B) a VAL of length 1: rewrite it.
    if (valValue(op) >= count) return SPARSE_UNCHANGED;
    if (runlen === 1) {
      buf[p] = valOp(count, 1);
      updatedInPlace = true;
    }
  }
  // C) a ZERO of length 1 becomes a VAL.
  if (!updatedInPlace && opZero && runlen === 1) {
    buf[p] = valOp(count, 1);
    updatedInPlace = true;
  }
  if (!updatedInPlace) {
    // D) split the opcode into up to three.
    const last = first + span - 1;
    let n = 0;
    if (opZero || opXZero) {
      if (index !== first) n = zeroRun(n, index - first);
      seq[n++] = valOp(count, 1);
      if (index !== last) n = zeroRun(n, last - index);
    } else {
      const curval = valValue(op);
      if (index !== first) seq[n++] = valOp(curval, index - first);
      seq[n++] = valOp(count, 1);
      if (index !== last) seq[n++] = valOp(curval, last - index);
    }
    const oldlen = opXZero ? 2 : 1;
    const delta = n - oldlen;
    if (delta > 0 && len + delta > maxBytes) return SPARSE_PROMOTE;
    if (delta !== 0 && next < end) buf.copyWithin(next + delta, next, end);
    for (let k = 0; k < n; k++) buf[p + k] = seq[k]!;
    end += delta;
  }
  // Step 4: merge adjacent VALs of equal value around the change (up to 5 opcodes from prev).
  p = prev >= 0 ? prev : HLL_HDR_SIZE;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const o = buf[p]!;
    if (isXZero(o)) {
      p += 2;
      continue;
    }
    if (isZero(o)) {
      p++;
      continue;
    }
    if (p + 1 < end && buf[p + 1]! & 0x80) {
      const v1 = valValue(o);
      const o2 = buf[p + 1]!;
      if (v1 === valValue(o2)) {
        const merged = valLen(o) + valLen(o2);
        if (merged <= HLL_SPARSE_VAL_MAX_LEN) {
          buf[p + 1] = valOp(v1, merged);
          buf.copyWithin(p, p + 1, end);
          end--;
          continue;
        }
      }
    }
    p++;
  }
  buf[HLL_CARD_MSB_OFFSET] = buf[HLL_CARD_MSB_OFFSET]! | 0x80;
  return end;
}

/**
 * `hllSparseToDense`: writes the dense form of the sparse HLL `src[0, len)` into `dst` (at
 * least {@link HLL_DENSE_SIZE} bytes; its registers must be zero): the header is copied (magic
 * and cached cardinality), the encoding set to dense. False when the opcodes do not cover
 * exactly the 16384 registers.
 */
export function sparseToDense(src: Uint8Array, srcAt: number, len: number, dst: Uint8Array): boolean {
  dst.set(src.subarray(srcAt, srcAt + HLL_HDR_SIZE), 0);
  dst[HLL_ENCODING_OFFSET] = HLL_DENSE;
  const end = srcAt + len;
  let p = srcAt + HLL_HDR_SIZE;
  let idx = 0;
  while (p < end) {
    const op = src[p]!;
    if (isZero(op)) {
      idx += (op & 0x3f) + 1;
      p++;
    } else if (isXZero(op)) {
      idx += (((op & 0x3f) << 8) | (p + 1 < end ? src[p + 1]! : 0)) + 1;
      p += 2;
    } else {
      let runlen = valLen(op);
      const regval = valValue(op);
      if (runlen + idx > HLL_REGISTERS) break;
      while (runlen-- > 0) denseSet(dst, HLL_HDR_SIZE, idx++, regval);
      p++;
    }
  }
  return idx === HLL_REGISTERS;
}

/** `hllSparseRegHisto`: adds the sparse registers to `histogram`; false when they do not add up to 16384. */
export function sparseHistogram(buf: Uint8Array, at: number, len: number, histogram: Int32Array): boolean {
  const end = at + len;
  let p = at + HLL_HDR_SIZE;
  let idx = 0;
  while (p < end) {
    const op = buf[p]!;
    if (isZero(op)) {
      const runlen = (op & 0x3f) + 1;
      idx += runlen;
      histogram[0]! += runlen;
      p++;
    } else if (isXZero(op)) {
      const runlen = (((op & 0x3f) << 8) | (p + 1 < end ? buf[p + 1]! : 0)) + 1;
      idx += runlen;
      histogram[0]! += runlen;
      p += 2;
    } else {
      const runlen = valLen(op);
      idx += runlen;
      histogram[valValue(op)]! += runlen;
      p++;
    }
  }
  return idx === HLL_REGISTERS;
}

/**
 * `hllMerge` of a sparse HLL into `max` (one byte per register); false when it is corrupt. A
 * `histogram` of `max` is kept up to date with each register raised.
 */
export function sparseMergeInto(
  buf: Uint8Array,
  at: number,
  len: number,
  max: Uint8Array,
  histogram: Int32Array | null = null,
): boolean {
  const end = at + len;
  let p = at + HLL_HDR_SIZE;
  let i = 0;
  while (p < end) {
    const op = buf[p]!;
    if (isZero(op)) {
      i += (op & 0x3f) + 1;
      p++;
    } else if (isXZero(op)) {
      i += (((op & 0x3f) << 8) | (p + 1 < end ? buf[p + 1]! : 0)) + 1;
      p += 2;
    } else {
      let runlen = valLen(op);
      const regval = valValue(op);
      if (runlen + i > HLL_REGISTERS) break;
      while (runlen-- > 0) {
        const old = max[i]!;
        if (regval > old) {
          max[i] = regval;
          if (histogram !== null) {
            histogram[old]!--;
            histogram[regval]!++;
          }
        }
        i++;
      }
      p++;
    }
  }
  return i === HLL_REGISTERS;
}

/** PFDEBUG DECODE's text: `z:<len>`, `Z:<len>`, `v:<value>,<len>` separated by spaces. */
export function sparseDecode(buf: Uint8Array, at: number, len: number): string {
  const end = at + len;
  let p = at + HLL_HDR_SIZE;
  const parts: string[] = [];
  while (p < end) {
    const op = buf[p]!;
    if (isZero(op)) {
      parts.push(`z:${(op & 0x3f) + 1}`);
      p++;
    } else if (isXZero(op)) {
      parts.push(`Z:${(((op & 0x3f) << 8) | (p + 1 < end ? buf[p + 1]! : 0)) + 1}`);
      p += 2;
    } else {
      parts.push(`v:${valValue(op)},${valLen(op)}`);
      p++;
    }
  }
  return parts.join(" ");
}

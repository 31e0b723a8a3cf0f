import type { Database } from "../../Database.js";
import { copyRange } from "../../entry/EntryLayout.js";
import { Encoding, ObjectType } from "../../types.js";
import { denseDecodeHistogram, denseHistogram, estimateFromHistogram, rawHistogram } from "./hyperloglogCount.js";
import {
  denseDecodeInto,
  denseGet,
  denseMergeInto,
  denseSet,
  denseSetIfGreater,
  HLL_CARD_MSB_OFFSET,
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_ENCODING_OFFSET,
  HLL_HDR_SIZE,
  HLL_MAX_ENCODING,
  HLL_REGISTERS,
  HLL_SPARSE,
} from "./hyperloglogDense.js";
import { denseScratch, ensureSparseScratch } from "./hyperloglogScratch.js";
import {
  EMPTY_SPARSE_HLL,
  SPARSE_PROMOTE,
  sparseDecode,
  sparseHistogram,
  sparseMergeInto,
  sparseSet,
  sparseToDense,
} from "./hyperloglogSparse.js";

/**
 * HyperLogLogs (Redis's hyperloglog.c): strings holding Redis's exact HLL bytes, so GET/SET
 * move them between nedis and Redis. The type API of PFADD, PFCOUNT, PFMERGE and PFDEBUG: every
 * change passes the value-changing gateway ({@link Database.modify}) before its first byte
 * changes. PFADD's edits are in `hyperloglogAdd.ts`.
 */

export { HLL_DENSE_SIZE, HLL_REGISTERS } from "./hyperloglogDense.js";

/** Words hold their bytes in memory order (register `i` of a union is byte `i` of its words). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Returned by the API for a corrupt HLL (Redis's "INVALIDOBJ Corrupted HLL object detected"). */
export const HLL_INVALID = -1;

const histogram = new Int32Array(64);

/**
 * `isHLLObjectOrReply` without the type check: true when the string at `ref` is raw or embstr,
 * starts with "HYLL", has a known encoding, and a dense one has exactly the dense size.
 */
export function hllIsValid(db: Database, ref: number): boolean {
  const encoding = db.rawEncodingAt(ref);
  if (encoding !== Encoding.Raw && encoding !== Encoding.EmbStr) return false;
  db.loadValue(ref);
  const b = db.valueBuf;
  const at = db.valueOff;
  if (db.valueLen < HLL_HDR_SIZE) return false;
  if (b[at] !== 0x48 || b[at + 1] !== 0x59 || b[at + 2] !== 0x4c || b[at + 3] !== 0x4c) return false;
  const hllEncoding = b[at + HLL_ENCODING_OFFSET]!;
  if (hllEncoding > HLL_MAX_ENCODING) return false;
  return hllEncoding !== HLL_DENSE || db.valueLen === HLL_DENSE_SIZE;
}

/** True when the (valid) HLL at `ref` is dense. */
export function hllIsDense(db: Database, ref: number): boolean {
  db.loadValue(ref);
  return db.valueBuf[db.valueOff + HLL_ENCODING_OFFSET] === HLL_DENSE;
}

/** `createHLLObject` + `dbAdd`: adds key `key[off, off + len)` (absent, its hash in `db.lastHash`) as an empty sparse HLL. */
export function hllCreate(db: Database, key: Uint8Array, off: number, len: number): number {
  const ref = db.insertValue(
    key,
    off,
    len,
    EMPTY_SPARSE_HLL,
    0,
    EMPTY_SPARSE_HLL.length,
    ObjectType.String,
    Encoding.Raw,
  );
  // PFADD and PFMERGE always leave a new HLL's cache stale; nothing has seen the value yet.
  db.loadValue(ref);
  db.valueBuf[db.valueOff + HLL_CARD_MSB_OFFSET] = db.valueBuf[db.valueOff + HLL_CARD_MSB_OFFSET]! | 0x80;
  return ref;
}

/** Redis's `dbUnshareStringValue` as far as it shows: an embstr HLL becomes raw. */
export function hllUnshare(db: Database, ref: number): void {
  if (db.rawEncodingAt(ref) === Encoding.EmbStr) db.setEncoding(ref, Encoding.Raw);
}

/**
 * PFCOUNT of one key: the cached cardinality when valid; else the estimate, written to the
 * cache through the gateway (a change: Redis counts it in `dirty` and signals the key, which the
 * caller does). Returns {@link HLL_INVALID} for a corrupt sparse HLL. A cached value beyond
 * 2^53 (only a hand-made header holds one) is returned as a bigint.
 */
export function hllCount(db: Database, ref: number): number | bigint {
  hllUnshare(db, ref);
  db.loadValue(ref);
  const value = db.valueBuf;
  const at = db.valueOff;
  const card = at + HLL_HDR_SIZE - 8;
  if ((value[at + HLL_CARD_MSB_OFFSET]! & 0x80) === 0) {
    const lo = (value[card]! | (value[card + 1]! << 8) | (value[card + 2]! << 16) | (value[card + 3]! << 24)) >>> 0;
    const hi = (value[card + 4]! | (value[card + 5]! << 8) | (value[card + 6]! << 16) | (value[card + 7]! << 24)) >>> 0;
    if (hi < 0x200000) return hi * 0x100000000 + lo;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
  histogram.fill(0);
  if (value[at + HLL_ENCODING_OFFSET] === HLL_DENSE) denseHistogram(value, at + HLL_HDR_SIZE, histogram);
  else if (!sparseHistogram(value, at, db.valueLen, histogram)) return HLL_INVALID;
  const estimate = estimateFromHistogram(histogram);
  db.modify(ref);
  db.loadValue(ref);
  const target = db.valueBuf;
  const c = db.valueOff + HLL_HDR_SIZE - 8;
  let lo = estimate % 0x100000000;
  let hi = (estimate - lo) / 0x100000000;
  for (let i = 0; i < 4; i++) {
    target[c + i] = lo & 0xff;
    lo >>>= 8;
    target[c + 4 + i] = hi & 0xff;
    hi >>>= 8;
  }
  return estimate;
}

/**
 * `hllMerge`: raises `max` (one byte per register) to the registers of the valid HLL at
 * `ref`; false when a sparse HLL is corrupt. `maxIsZero` says `max` holds only zeros (the first
 * source): a dense HLL is then unpacked into it, with no comparison. A `histogram` of `max`
 * (all 16384 in bin 0 before the first source) is kept up to date for {@link hllCountHistogram}.
 */
export function hllMergeInto(
  db: Database,
  ref: number,
  max: Uint8Array,
  maxIsZero = false,
  histogram: Int32Array | null = null,
): boolean {
  db.loadValue(ref);
  const value = db.valueBuf;
  const at = db.valueOff;
  if (value[at + HLL_ENCODING_OFFSET] === HLL_DENSE) {
    if (!maxIsZero) denseMergeInto(value, at + HLL_HDR_SIZE, max, histogram);
    else if (histogram !== null && LITTLE_ENDIAN && (max.byteOffset & 3) === 0) {
      const words = new Int32Array(max.buffer, max.byteOffset, HLL_REGISTERS / 4);
      denseDecodeHistogram(value, at + HLL_HDR_SIZE, words, histogram);
    } else {
      denseDecodeInto(value, at + HLL_HDR_SIZE, max);
      if (histogram !== null) {
        histogram.fill(0);
        rawHistogram(max, histogram);
      }
    }
    return true;
  }
  return sparseMergeInto(value, at, db.valueLen, max, histogram);
}

/** PFCOUNT of several keys: the estimate of merged registers (one byte each). */
export function hllCountRegisters(max: Uint8Array): number {
  histogram.fill(0);
  rawHistogram(max, histogram);
  return estimateFromHistogram(histogram);
}

/** PFCOUNT of several keys: the estimate from the histogram {@link hllMergeInto} kept. */
export function hllCountHistogram(mergedHistogram: Int32Array): number {
  return estimateFromHistogram(mergedHistogram);
}

/**
 * PFMERGE's write: the valid HLL at `ref` gets the registers `max` (which already include its
 * own), converted to dense first when `useDense` (a source was dense), else set sparse as
 * Redis does (promoting past `sparseMaxBytes`); the cache is marked stale. A change through the
 * gateway unless `created` (the insert counted PFMERGE's one change).
 */
export function hllStoreMerged(
  db: Database,
  ref: number,
  max: Uint8Array,
  useDense: boolean,
  sparseMaxBytes: number,
  created: boolean,
): boolean {
  hllUnshare(db, ref);
  db.loadValue(ref);
  const value = db.valueBuf;
  const at = db.valueOff;
  let len = db.valueLen;
  let dense = value[at + HLL_ENCODING_OFFSET] === HLL_DENSE;
  let target: Uint8Array;
  if (dense) {
    denseScratch.set(value.subarray(at, at + HLL_DENSE_SIZE));
    target = denseScratch;
  } else {
    target = ensureSparseScratch(len, sparseMaxBytes);
    copyRange(value, at, target, 0, len);
    if (useDense) {
      denseScratch.fill(0);
      if (!sparseToDense(target, 0, len, denseScratch)) return false;
      dense = true;
    }
  }
  for (let j = 0; j < HLL_REGISTERS; j++) {
    const count = max[j]!;
    if (count === 0) continue;
    if (dense) {
      denseSetIfGreater(denseScratch, HLL_HDR_SIZE, j, count);
      continue;
    }
    const result = sparseSet(target, len, j, count, sparseMaxBytes);
    if (result === SPARSE_PROMOTE) {
      denseScratch.fill(0);
      // The destination was validated as a source: the conversion cannot fail.
      sparseToDense(target, 0, len, denseScratch);
      dense = true;
      denseSet(denseScratch, HLL_HDR_SIZE, j, count);
    } else if (result > 0) len = result;
  }
  if (!created) db.modify(ref);
  const bytes = dense ? denseScratch : target;
  const size = dense ? HLL_DENSE_SIZE : len;
  bytes[HLL_CARD_MSB_OFFSET] = bytes[HLL_CARD_MSB_OFFSET]! | 0x80;
  db.resizeValue(ref, size, Encoding.Raw);
  copyRange(bytes, 0, db.valueBuf, db.valueOff, size);
  return true;
}

/**
 * PFDEBUG TODENSE / GETREG's `hllSparseToDense` on the valid HLL at `ref`: 1 when it was
 * converted (a change through the gateway), 0 when already dense, {@link HLL_INVALID}.
 */
export function hllToDense(db: Database, ref: number): number {
  hllUnshare(db, ref);
  db.loadValue(ref);
  if (db.valueBuf[db.valueOff + HLL_ENCODING_OFFSET] !== HLL_SPARSE) return 0;
  denseScratch.fill(0);
  if (!sparseToDense(db.valueBuf, db.valueOff, db.valueLen, denseScratch)) return HLL_INVALID;
  db.modify(ref);
  db.resizeValue(ref, HLL_DENSE_SIZE, Encoding.Raw);
  copyRange(denseScratch, 0, db.valueBuf, db.valueOff, HLL_DENSE_SIZE);
  return 1;
}

/** PFDEBUG GETREG: the registers of the dense HLL at `ref` into `out` (one per entry). */
export function hllRegisters(db: Database, ref: number, out: Uint8Array): void {
  db.loadValue(ref);
  const registers = db.valueOff + HLL_HDR_SIZE;
  for (let j = 0; j < HLL_REGISTERS; j++) out[j] = denseGet(db.valueBuf, registers, j);
}

/** PFDEBUG DECODE: the sparse opcodes as text, or null when the HLL at `ref` is dense. */
export function hllDecode(db: Database, ref: number): string | null {
  hllUnshare(db, ref);
  db.loadValue(ref);
  if (db.valueBuf[db.valueOff + HLL_ENCODING_OFFSET] !== HLL_SPARSE) return null;
  return sparseDecode(db.valueBuf, db.valueOff, db.valueLen);
}

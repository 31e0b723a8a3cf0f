import type { Database } from "../../Database.js";
import { copyRange } from "../../entry/EntryLayout.js";
import { Encoding, ObjectType } from "../../types.js";
import { HLL_INVALID, hllUnshare } from "./hyperloglog.js";
import {
  denseGet,
  denseSet,
  denseSetIfGreater,
  HLL_CARD_MSB_OFFSET,
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_ENCODING_OFFSET,
  HLL_HDR_SIZE,
  hllPatLen,
} from "./hyperloglogDense.js";
import { denseScratch, ensureSparseScratch } from "./hyperloglogScratch.js";
import {
  EMPTY_SPARSE_HLL,
  SPARSE_INVALID,
  SPARSE_PROMOTE,
  SPARSE_UNCHANGED,
  sparseSet,
  sparseToDense,
} from "./hyperloglogSparse.js";

/**
 * PFADD's edits (Redis's `hllAdd` loop): dense registers are raised in place; a sparse HLL is
 * edited in a scratch copy and written back once per command (one resize instead of one per
 * opcode split); a new one is built in scratch and inserted once.
 */

/**
 * What {@link addSparse} left: the length of the sparse HLL, or that it was promoted to
 * {@link denseScratch}; whether it stopped at a corrupt opcode.
 */
let addedLen = 0;
let addedDense = false;
let addedInvalid = false;

/**
 * `hllAdd` of elements `[from, to)` to the sparse HLL `scratch[0, len)`, promoted into
 * {@link denseScratch} when it outgrows `sparseMaxBytes` or a count; sets {@link addedLen} and
 * {@link addedDense}. Returns the registers changed; at a corrupt opcode, those changed before it
 * (they stay changed, as Redis edits in place) with {@link addedInvalid} set.
 */
function addSparse(
  scratch: Uint8Array,
  len: number,
  buf: Uint8Array,
  offsets: ArrayLike<number>,
  lengths: ArrayLike<number>,
  from: number,
  to: number,
  sparseMaxBytes: number,
): number {
  let dense = false;
  let updated = 0;
  let invalid = false;
  for (let i = from; i < to; i++) {
    const pat = hllPatLen(buf, offsets[i]!, lengths[i]!);
    const index = pat >>> 6;
    const count = pat & 63;
    if (dense) {
      if (denseSetIfGreater(denseScratch, HLL_HDR_SIZE, index, count)) updated++;
      continue;
    }
    const result = sparseSet(scratch, len, index, count, sparseMaxBytes);
    if (result === SPARSE_UNCHANGED) continue;
    if (result === SPARSE_INVALID) {
      invalid = true;
      break;
    }
    if (result === SPARSE_PROMOTE) {
      denseScratch.fill(0);
      if (!sparseToDense(scratch, 0, len, denseScratch)) {
        invalid = true;
        break;
      }
      dense = true;
      denseSet(denseScratch, HLL_HDR_SIZE, index, count);
    } else len = result;
    updated++;
  }
  addedLen = len;
  addedDense = dense;
  addedInvalid = invalid;
  // sparseSet marked the cache stale with its first change; the promoted copy still needs it.
  if (dense) denseScratch[HLL_CARD_MSB_OFFSET] = denseScratch[HLL_CARD_MSB_OFFSET]! | 0x80;
  return updated;
}

/**
 * PFADD's `hllAdd` loop over the elements `buf[offsets[i], offsets[i] + lengths[i])`, `i` in
 * `[from, to)`, on the valid HLL at `ref`. Returns the number of registers changed, counted in
 * `dirty` as Redis's `server.dirty += updated` (the cached cardinality is then marked stale), or
 * {@link HLL_INVALID} for a corrupt sparse HLL.
 */
export function hllAdd(
  db: Database,
  ref: number,
  buf: Uint8Array,
  offsets: ArrayLike<number>,
  lengths: ArrayLike<number>,
  from: number,
  to: number,
  sparseMaxBytes: number,
): number {
  hllUnshare(db, ref);
  db.loadValue(ref);
  let value = db.valueBuf;
  let at = db.valueOff;
  let updated = 0;
  if (value[at + HLL_ENCODING_OFFSET] === HLL_DENSE) {
    for (let i = from; i < to; i++) {
      const pat = hllPatLen(buf, offsets[i]!, lengths[i]!);
      const index = pat >>> 6;
      const count = pat & 63;
      if (count <= denseGet(value, at + HLL_HDR_SIZE, index)) continue;
      if (updated === 0) {
        db.modify(ref);
        db.loadValue(ref);
        value = db.valueBuf;
        at = db.valueOff;
      }
      denseSet(value, at + HLL_HDR_SIZE, index, count);
      updated++;
    }
    if (updated > 0) value[at + HLL_CARD_MSB_OFFSET] = value[at + HLL_CARD_MSB_OFFSET]! | 0x80;
    countChanges(db, updated, false);
    return updated;
  }
  const len = db.valueLen;
  const scratch = ensureSparseScratch(len, sparseMaxBytes);
  copyRange(value, at, scratch, 0, len);
  updated = addSparse(scratch, len, buf, offsets, lengths, from, to, sparseMaxBytes);
  if (updated > 0) {
    db.modify(ref);
    const bytes = addedDense ? denseScratch : scratch;
    const size = addedDense ? HLL_DENSE_SIZE : addedLen;
    db.resizeValue(ref, size, Encoding.Raw);
    copyRange(bytes, 0, db.valueBuf, db.valueOff, size);
  }
  if (addedInvalid) return HLL_INVALID;
  countChanges(db, updated, false);
  return updated;
}

/**
 * PFADD of a missing key `key[off, off + len)` (its hash in `db.lastHash`): `createHLLObject`,
 * `dbAdd` and the `hllAdd` loop of {@link hllAdd}, with the HLL built in scratch and inserted
 * once at its final size. Returns the registers changed (the insert counted the creation).
 */
export function hllInsert(
  db: Database,
  key: Uint8Array,
  off: number,
  len: number,
  buf: Uint8Array,
  offsets: ArrayLike<number>,
  lengths: ArrayLike<number>,
  from: number,
  to: number,
  sparseMaxBytes: number,
): number {
  const empty = EMPTY_SPARSE_HLL.length;
  const scratch = ensureSparseScratch(empty, sparseMaxBytes);
  copyRange(EMPTY_SPARSE_HLL, 0, scratch, 0, empty);
  // A new HLL's cache is stale whether or not an element changed a register.
  scratch[HLL_CARD_MSB_OFFSET] = scratch[HLL_CARD_MSB_OFFSET]! | 0x80;
  const updated = addSparse(scratch, empty, buf, offsets, lengths, from, to, sparseMaxBytes);
  const bytes = addedDense ? denseScratch : scratch;
  const size = addedDense ? HLL_DENSE_SIZE : addedLen;
  db.insertValue(key, off, len, bytes, 0, size, ObjectType.String, Encoding.Raw);
  countChanges(db, updated, true);
  return updated;
}

// `server.dirty += updated`: the gateway counted one change for an existing key.
function countChanges(db: Database, updated: number, created: boolean): void {
  if (updated === 0) return;
  db.host.dirty += created ? updated : updated - 1;
}

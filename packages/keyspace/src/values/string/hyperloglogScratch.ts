import { HLL_DENSE_SIZE, HLL_REGISTERS } from "./hyperloglogDense.js";

/**
 * The HLL commands' scratch copies (one command runs at a time): a sparse HLL being edited, and
 * the dense form it may be promoted to.
 */

let sparseScratch = new Uint8Array(4096);
export const denseScratch = new Uint8Array(HLL_DENSE_SIZE);

/** Sparse HLLs are rarely past this; a larger (hand-made) one gets a buffer of its own, not kept. */
const SCRATCH_KEPT_MAX = 64 * 1024;

/**
 * The scratch buffer for sparse edits of an HLL of `len` bytes: room for it to grow up to
 * `sparseMaxBytes` (past it, it is promoted) — at most 2 bytes per register whatever the
 * setting — plus the 3 spare bytes of {@link sparseSet}.
 */
export function ensureSparseScratch(len: number, sparseMaxBytes: number): Uint8Array {
  const size = Math.min(Math.max(len, sparseMaxBytes), len + 2 * HLL_REGISTERS) + 3;
  if (sparseScratch.length >= size) return sparseScratch;
  if (size > SCRATCH_KEPT_MAX) return new Uint8Array(size);
  sparseScratch = new Uint8Array(Math.min(SCRATCH_KEPT_MAX, Math.max(size, sparseScratch.length * 2)));
  return sparseScratch;
}

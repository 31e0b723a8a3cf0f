/**
 * Node-level pieces of quicklist.c (Redis 7.0.15) over a {@link QuicklistNodes} table: the
 * fill rules (`_quicklistNodeAllowInsert`, `_quicklistNodeAllowMerge`), node creation, edits of
 * one node's listpack with the size-then-edit protocol of `@nedis/rdb/listpack`, and
 * `_quicklistSplitNode` / `lpMerge`. Every allocation goes through a {@link QuicklistAllocator}.
 */

import {
  LISTPACK_COUNT_UNKNOWN,
  LISTPACK_EMPTY_SIZE,
  LISTPACK_HEADER_SIZE,
  type ListpackWhere,
  lpBytes,
  lpDeleteRange,
  lpInsert,
  lpInsertSize,
  lpNew,
  lpReplace,
  lpReplaceSize,
  lpSeek,
} from "@nedis/rdb/listpack";
import type { QuicklistNodes } from "./QuicklistNodes.js";

/**
 * What a quicklist needs from its memory (a `KvPool` satisfies it): handles are positive
 * numbers; `alloc`/`realloc` return -1 when the budget is exhausted (nothing changed then).
 * A handle is dead after `realloc` (use the one returned) or `free`.
 */
export interface QuicklistAllocator {
  alloc(size: number): number;
  realloc(handle: number, size: number): number;
  free(handle: number): void;
  pageOf(handle: number): Uint8Array;
  offsetOf(handle: number): number;
  /** Bytes the allocation holds (its length): a node grows in place up to this without a `realloc`. */
  sizeOf(handle: number): number;
}

/** Thrown when the allocator is out of memory; the quicklist is unchanged by the failed step. */
export class QuicklistOutOfMemoryError extends Error {
  constructor() {
    super("quicklist: out of memory");
    this.name = "QuicklistOutOfMemoryError";
  }
}

/** `SIZE_SAFETY_LIMIT`: most bytes of a multi-element node when `fill` counts elements. */
export const SIZE_SAFETY_LIMIT = 8192;
/** `SIZE_ESTIMATE_OVERHEAD`: bytes an element is assumed to add beyond its length. */
export const SIZE_ESTIMATE_OVERHEAD = 8;
/** `packed_threshold`'s default: elements of 1 GiB or more get a plain node of their own. */
export const DEFAULT_PACKED_THRESHOLD = 1 << 30;
/** `FILL_MAX`: the largest positive fill (`(1 << (QL_FILL_BITS-1)) - 1`, QL_FILL_BITS 16). */
export const FILL_MAX = 32767;
/** `optimization_level`: node byte limits of fill -1..-5. */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536] as const;

/** `quicklistSetFill`: clamps `fill` to -5..FILL_MAX. */
export function clampFill(fill: number): number {
  return fill > FILL_MAX ? FILL_MAX : fill < -5 ? -5 : Math.trunc(fill);
}

/** `_quicklistNodeSizeMeetsOptimizationRequirement`. */
function sizeMeetsOptimization(sz: number, fill: number): boolean {
  if (fill >= 0) return false;
  const limit = OPTIMIZATION_LEVEL[-fill - 1];
  return limit !== undefined && sz <= limit;
}

export function checkAlloc(handle: number): number {
  if (handle < 0) throw new QuicklistOutOfMemoryError();
  return handle;
}

/**
 * `_quicklistNodeAllowInsert`: may an element of `sz` bytes join node `i` (false when there is
 * no such node, it is plain, or the element is large)?
 */
export function allowInsert(nodes: QuicklistNodes, i: number, fill: number, sz: number, threshold: number): boolean {
  if (i < 0 || i >= nodes.length) return false;
  if (nodes.plain[i] === 1 || sz >= threshold) return false;
  return allowInsertSized(nodes.sizes[i] as number, nodes.counts[i] as number, fill, sz);
}

/** The size rule of {@link allowInsert} for a packed node of `nodeSize` bytes and `nodeCount` elements. */
export function allowInsertSized(nodeSize: number, nodeCount: number, fill: number, sz: number): boolean {
  const newSz = nodeSize + sz + SIZE_ESTIMATE_OVERHEAD;
  if (sizeMeetsOptimization(newSz, fill)) return true;
  if (newSz > SIZE_SAFETY_LIMIT) return false;
  return nodeCount < fill;
}

/** The byte limit of a node under `fill` (-1..-5), or SIZE_SAFETY_LIMIT for a count fill. */
export function nodeByteLimit(fill: number): number {
  return fill < 0 ? (OPTIMIZATION_LEVEL[-fill - 1] ?? SIZE_SAFETY_LIMIT) : SIZE_SAFETY_LIMIT;
}

/** `_quicklistNodeAllowMerge` of nodes `a` and `b` (either may be out of range: false). */
export function allowMerge(nodes: QuicklistNodes, a: number, b: number, fill: number): boolean {
  const n = nodes.length;
  if (a < 0 || b < 0 || a >= n || b >= n) return false;
  if (nodes.plain[a] === 1 || nodes.plain[b] === 1) return false;
  // Redis's approximation: - 11 for one header/trailer (the true saving is 7).
  const mergeSz = (((nodes.sizes[a] as number) + (nodes.sizes[b] as number) - 11) >>> 0) as number;
  if (sizeMeetsOptimization(mergeSz, fill)) return true;
  if (mergeSz > SIZE_SAFETY_LIMIT) return false;
  return (nodes.counts[a] as number) + (nodes.counts[b] as number) <= fill;
}

/** A new listpack node holding `s[start, end)` (`lpPrepend(lpNew(0), value, sz)`); its handle. */
export function newListpackNode(alloc: QuicklistAllocator, s: Uint8Array, start: number, end: number): number {
  // An empty listpack plus the element (lpInsertSize reads only the header).
  const size = lpInsertSize(EMPTY_LISTPACK, 0, s, start, end);
  const h = checkAlloc(alloc.alloc(size));
  const page = alloc.pageOf(h);
  const off = alloc.offsetOf(h);
  lpNew(page, off);
  lpInsert(page, off, off + LISTPACK_HEADER_SIZE, 0, s, start, end);
  return h;
}

const EMPTY_LISTPACK = new Uint8Array(LISTPACK_EMPTY_SIZE);
lpNew(EMPTY_LISTPACK, 0);

/** A plain node's allocation holding the raw bytes `s[start, end)`. */
export function newPlainNode(alloc: QuicklistAllocator, s: Uint8Array, start: number, end: number): number {
  const h = checkAlloc(alloc.alloc(end - start));
  alloc.pageOf(h).set(s.subarray(start, end), alloc.offsetOf(h));
  return h;
}

/**
 * Inserts `s[start, end)` into packed node `i` before/after its element `offset` (0..count-1),
 * or appends when `offset` is the node's count: lpInsertString / lpPrepend / lpAppend.
 */
export function nodeInsert(
  alloc: QuicklistAllocator,
  nodes: QuicklistNodes,
  i: number,
  offset: number,
  where: ListpackWhere,
  s: Uint8Array,
  start: number,
  end: number,
): void {
  const h = nodes.handles[i] as number;
  const page = alloc.pageOf(h);
  const off = alloc.offsetOf(h);
  const p = offset >= (nodes.counts[i] as number) ? off + lpBytes(page, off) - 1 : lpSeek(page, off, offset);
  const size = lpInsertSize(page, off, s, start, end);
  const h2 = checkAlloc(alloc.realloc(h, size));
  const page2 = alloc.pageOf(h2);
  const off2 = alloc.offsetOf(h2);
  lpInsert(page2, off2, p - off + off2, where, s, start, end);
  nodes.setHandle(i, h2);
  nodes.sizes[i] = size;
  nodes.counts[i] = (nodes.counts[i] as number) + 1;
}

/** `lpReplace` of element `offset` of packed node `i` with `s[start, end)`. */
export function nodeReplace(
  alloc: QuicklistAllocator,
  nodes: QuicklistNodes,
  i: number,
  offset: number,
  s: Uint8Array,
  start: number,
  end: number,
): void {
  const h = nodes.handles[i] as number;
  const page = alloc.pageOf(h);
  const off = alloc.offsetOf(h);
  const p = lpSeek(page, off, offset);
  const size = lpReplaceSize(page, off, p, s, start, end);
  if (size > lpBytes(page, off)) {
    const h2 = checkAlloc(alloc.realloc(h, size));
    const page2 = alloc.pageOf(h2);
    const off2 = alloc.offsetOf(h2);
    lpReplace(page2, off2, p - off + off2, s, start, end);
    nodes.setHandle(i, h2);
  } else {
    lpReplace(page, off, p, s, start, end);
    nodes.setHandle(i, shrink(alloc, h, size));
  }
  nodes.sizes[i] = size;
}

/** Shrinking never fails for the budget; the pool keeps the first `size` bytes. */
function shrink(alloc: QuicklistAllocator, h: number, size: number): number {
  return checkAlloc(alloc.realloc(h, size));
}

/** `lpDeleteRange` on packed node `i` (count/size updated; the node may become empty). */
export function nodeDeleteRange(
  alloc: QuicklistAllocator,
  nodes: QuicklistNodes,
  i: number,
  offset: number,
  num: number,
): void {
  const h = nodes.handles[i] as number;
  const page = alloc.pageOf(h);
  const off = alloc.offsetOf(h);
  const deleted = lpDeleteRange(page, off, offset, num);
  const size = lpBytes(page, off);
  nodes.setHandle(i, shrink(alloc, h, size));
  nodes.sizes[i] = size;
  nodes.counts[i] = (nodes.counts[i] as number) - deleted;
}

/** Count and size of the node the last {@link splitNode} made. */
export const splitResult = { count: 0, size: 0 };

/**
 * `_quicklistSplitNode(node i, offset, after)`: returns the handle of a new node (not yet in
 * the table; its count and size in {@link splitCount}/{@link splitSize}) holding elements
 * `offset+1..` (after) or `0..offset-1` (before); node `i` keeps the rest.
 */
export function splitNode(
  alloc: QuicklistAllocator,
  nodes: QuicklistNodes,
  i: number,
  offset: number,
  after: boolean,
): number {
  const zlSz = nodes.sizes[i] as number;
  const nh = checkAlloc(alloc.alloc(zlSz));
  const h = nodes.handles[i] as number;
  const np = alloc.pageOf(nh);
  const noff = alloc.offsetOf(nh);
  const off = alloc.offsetOf(h);
  np.set(alloc.pageOf(h).subarray(off, off + zlSz), noff);
  const count = nodes.counts[i] as number;
  if (offset < 0) offset += count;
  const origStart = after ? offset + 1 : 0;
  const origExtent = after ? Number.MAX_SAFE_INTEGER : offset;
  const newStart = after ? 0 : offset;
  const newExtent = after ? offset + 1 : Number.MAX_SAFE_INTEGER;
  nodeDeleteRange(alloc, nodes, i, origStart, origExtent);
  const deleted = lpDeleteRange(np, noff, newStart, newExtent);
  splitResult.size = lpBytes(np, noff);
  splitResult.count = count - deleted;
  return shrink(alloc, nh, splitResult.size);
}

/**
 * `lpMerge` of nodes `a` and `a + 1` (both packed) into node `a`: the larger listpack is kept
 * and grown, the other is copied in and freed; the header count saturates at 65535.
 */
export function mergeNodes(alloc: QuicklistAllocator, nodes: QuicklistNodes, a: number): void {
  const b = a + 1;
  const firstBytes = nodes.sizes[a] as number;
  const secondBytes = nodes.sizes[b] as number;
  const append = firstBytes >= secondBytes;
  const target = (append ? nodes.handles[a] : nodes.handles[b]) as number;
  const source = (append ? nodes.handles[b] : nodes.handles[a]) as number;
  const targetBytes = append ? firstBytes : secondBytes;
  const sourceBytes = append ? secondBytes : firstBytes;
  const lpbytes = firstBytes + secondBytes - LISTPACK_HEADER_SIZE - 1;
  const count = (nodes.counts[a] as number) + (nodes.counts[b] as number);
  const t = checkAlloc(alloc.realloc(target, lpbytes));
  const tp = alloc.pageOf(t);
  const toff = alloc.offsetOf(t);
  const sp = alloc.pageOf(source);
  const soff = alloc.offsetOf(source);
  if (append) {
    tp.set(sp.subarray(soff + LISTPACK_HEADER_SIZE, soff + sourceBytes), toff + targetBytes - 1);
  } else {
    tp.copyWithin(toff + sourceBytes - 1, toff + LISTPACK_HEADER_SIZE, toff + targetBytes);
    tp.set(sp.subarray(soff, soff + sourceBytes - 1), toff);
  }
  const header = count < LISTPACK_COUNT_UNKNOWN ? count : LISTPACK_COUNT_UNKNOWN;
  tp[toff] = lpbytes & 0xff;
  tp[toff + 1] = (lpbytes >>> 8) & 0xff;
  tp[toff + 2] = (lpbytes >>> 16) & 0xff;
  tp[toff + 3] = (lpbytes >>> 24) & 0xff;
  tp[toff + 4] = header & 0xff;
  tp[toff + 5] = header >>> 8;
  alloc.free(source);
  nodes.setHandle(a, t);
  nodes.counts[a] = count;
  nodes.sizes[a] = lpbytes;
  nodes.removeAt(b);
}

/**
 * The read side of a {@link Quicklist}: its node table, the value registers, index lookup
 * (`quicklistGetIteratorAtIdx`'s seek from the nearer end), iteration, node access for RDB and
 * DUMP, and release. Mutations are in `Quicklist.ts`.
 */

import {
  ListpackEntry,
  lpFirst,
  lpGetBigInt,
  lpGetValue,
  lpLast,
  lpLength,
  lpNext,
  lpPrev,
  lpSeek,
} from "@nedis/rdb/listpack";
import { QuicklistNodes } from "./QuicklistNodes.js";
import {
  clampFill,
  DEFAULT_PACKED_THRESHOLD,
  newPlainNode,
  type QuicklistAllocator,
  QuicklistOutOfMemoryError,
} from "./quicklistNodeOps.js";

const EMPTY = new Uint8Array(0);
const entry = new ListpackEntry();
// Popped strings and int64s beyond ±2^53 (as digits) are copied here; valid until the next use.
let scratch = new Uint8Array(64);
const encoder = new TextEncoder();

export class QuicklistBase {
  /** The nodes, head first. */
  readonly nodes = new QuicklistNodes();
  /** `list-max-listpack-size` as quicklistSetFill clamps it. */
  readonly fill: number;
  /** Elements of this many bytes or more get a plain node (Redis's `packed_threshold`). */
  readonly packedThreshold: number;
  protected count = 0;

  /**
   * The element read last (index, next, pop): an integer (`valueIsInteger`: `valueInteger`) or
   * the bytes `valueBytes[valueStart, valueEnd)`. After `index`/`next` those bytes are the node's
   * own (valid until the list is edited); after a pop, and for an int64 beyond ±2^53 (given as
   * its digits), they are a scratch buffer shared by all quicklists (valid until the next such read).
   */
  valueIsInteger = false;
  valueInteger = 0;
  valueBytes: Uint8Array = EMPTY;
  valueStart = 0;
  valueEnd = 0;

  // Where locate() found an index: node and offset in it (0-based from the node's head).
  protected locNode = 0;
  protected locOffset = 0;
  // Iterator state (seek/next): node, position in its page (-1 for a plain node), direction.
  private itNode = -1;
  private itPage: Uint8Array = EMPTY;
  private itOff = 0;
  private itP = -1;
  private itForward = true;

  constructor(
    protected alloc: QuicklistAllocator,
    fill = -2,
    packedThreshold = DEFAULT_PACKED_THRESHOLD,
  ) {
    this.fill = clampFill(fill);
    this.packedThreshold = packedThreshold;
  }

  /** Elements in the list (`quicklistCount`). */
  get length(): number {
    return this.count;
  }

  /** Nodes in the list (`quicklist->len`). */
  get nodeCount(): number {
    return this.nodes.length;
  }

  /** The array holding node `i`'s bytes (a listpack, or a plain node's raw element). */
  nodePage(i: number): Uint8Array {
    return this.alloc.pageOf(this.nodes.handles[i] as number);
  }

  /** Offset of node `i`'s bytes in {@link nodePage}. */
  nodeOffset(i: number): number {
    return this.alloc.offsetOf(this.nodes.handles[i] as number);
  }

  /** Bytes of node `i` (`node->sz`). */
  nodeSize(i: number): number {
    return this.nodes.sizes[i] as number;
  }

  /** Elements of node `i`. */
  nodeElements(i: number): number {
    return this.nodes.counts[i] as number;
  }

  /** True when node `i` is plain (RDB QUICKLIST_NODE_CONTAINER_PLAIN), false for a listpack. */
  nodeIsPlain(i: number): boolean {
    return this.nodes.plain[i] === 1;
  }

  /** RDB load (`quicklistAppendListpack`): adds a copy of the valid listpack `bytes[off, off+len)` as the tail node. */
  appendListpackNode(bytes: Uint8Array, off: number, len: number): void {
    const elements = lpLength(bytes, off);
    const h = newPlainNode(this.alloc, bytes, off, off + len);
    this.nodes.insertAt(this.nodes.length, h, elements, len, false);
    this.count += elements;
  }

  /** RDB load (`quicklistAppendPlainNode`): adds a plain node holding `bytes[off, off+len)`. */
  appendPlainNode(bytes: Uint8Array, off: number, len: number): void {
    const h = newPlainNode(this.alloc, bytes, off, off + len);
    this.nodes.insertAt(this.nodes.length, h, 1, len, true);
    this.count++;
  }

  /**
   * Starts an iteration at element `index` (negative: from the tail) towards the tail
   * (`forward`) or the head; false when out of range. Read elements with {@link next}. Any
   * edit of the list ends the iteration.
   */
  seek(index: number, forward: boolean): boolean {
    this.itForward = forward;
    if (!this.locate(index)) {
      this.itNode = -1;
      return false;
    }
    this.enterNode(this.locNode);
    if (this.itP >= 0) this.itP = lpSeek(this.itPage, this.itOff, this.locOffset);
    return true;
  }

  /** The next element of the iteration into the registers; false at the end. */
  next(): boolean {
    const i = this.itNode;
    if (i < 0 || i >= this.nodes.length) return false;
    if (this.nodes.plain[i] === 1) {
      this.readPlain(i);
    } else {
      this.readP(this.itPage, this.itP);
      this.itP = this.itForward ? lpNext(this.itPage, this.itOff, this.itP) : lpPrev(this.itPage, this.itOff, this.itP);
      if (this.itP >= 0) return true;
    }
    this.enterNode(this.itForward ? i + 1 : i - 1);
    return true;
  }

  private enterNode(i: number): void {
    this.itNode = i;
    if (i < 0 || i >= this.nodes.length) return;
    const h = this.nodes.handles[i] as number;
    this.itPage = this.alloc.pageOf(h);
    this.itOff = this.alloc.offsetOf(h);
    if (this.nodes.plain[i] === 1) this.itP = -1;
    else this.itP = this.itForward ? lpFirst(this.itPage, this.itOff) : lpLast(this.itPage, this.itOff);
  }

  /** `quicklistGetIteratorAtIdx`'s seek: sets locNode/locOffset (offset from the node's head). */
  protected locate(index: number): boolean {
    const total = this.count;
    const forward = index >= 0;
    const idx = forward ? index : -index - 1;
    if (idx >= total) return false;
    const counts = this.nodes.counts;
    const n = this.nodes.length;
    const seekForward = idx > (total - 1) / 2 ? !forward : forward;
    const seekIndex = seekForward === forward ? idx : total - 1 - idx;
    let accum = 0;
    let i = seekForward ? 0 : n - 1;
    while ((counts[i] as number) + accum <= seekIndex) {
      accum += counts[i] as number;
      i = seekForward ? i + 1 : i - 1;
    }
    this.locNode = i;
    // Offset from the node's head (seekIndex - accum counts from the end the walk started at).
    this.locOffset = seekForward ? seekIndex - accum : (counts[i] as number) - 1 - (seekIndex - accum);
    return true;
  }

  protected readAt(i: number, o: number): void {
    if (this.nodes.plain[i] === 1) {
      this.readPlain(i);
      return;
    }
    const h = this.nodes.handles[i] as number;
    const page = this.alloc.pageOf(h);
    this.readP(page, lpSeek(page, this.alloc.offsetOf(h), o));
  }

  /** Fills node `i`'s cached page, offset and capacity (see `QuicklistNodes`). */
  protected locateNode(i: number): void {
    const nodes = this.nodes;
    const h = nodes.handles[i] as number;
    const alloc = this.alloc;
    nodes.pages[i] = alloc.pageOf(h);
    nodes.offsets[i] = alloc.offsetOf(h);
    nodes.capacities[i] = alloc.sizeOf(h);
  }

  /** Gives node `i`'s allocation back down to `size` bytes (never fails: it shrinks). */
  protected shrinkNode(i: number, size: number): void {
    const h = this.alloc.realloc(this.nodes.handles[i] as number, size);
    if (h < 0) throw new QuicklistOutOfMemoryError();
    this.nodes.setHandle(i, h);
  }

  protected readPlain(i: number): void {
    const h = this.nodes.handles[i] as number;
    this.valueIsInteger = false;
    this.valueBytes = this.alloc.pageOf(h);
    this.valueStart = this.alloc.offsetOf(h);
    this.valueEnd = this.valueStart + (this.nodes.sizes[i] as number);
  }

  /** The listpack element at `page[p]` into the registers. */
  protected readP(page: Uint8Array, p: number): void {
    lpGetValue(page, p, entry);
    if (entry.isInteger && entry.integerIsSafe) {
      this.valueIsInteger = true;
      this.valueInteger = entry.integer;
    } else if (entry.isInteger) {
      // An int64 beyond ±2^53: its digits (rare; allocates a bigint and a string).
      const digits = encoder.encode(lpGetBigInt(page, p).toString());
      this.setScratch(digits, 0, digits.length);
    } else {
      this.valueIsInteger = false;
      this.valueBytes = page;
      this.valueStart = entry.stringStart;
      this.valueEnd = entry.stringEnd;
    }
  }

  protected copyValueToScratch(): void {
    if (this.valueBytes === scratch) return;
    this.setScratch(this.valueBytes, this.valueStart, this.valueEnd);
  }

  private setScratch(src: Uint8Array, start: number, end: number): void {
    const len = end - start;
    if (scratch.length < len) scratch = new Uint8Array(Math.max(len, scratch.length * 2));
    if (len > 32) scratch.set(src.subarray(start, end), 0);
    else for (let i = 0; i < len; i++) scratch[i] = src[start + i] as number;
    this.valueIsInteger = false;
    this.valueBytes = scratch;
    this.valueStart = 0;
    this.valueEnd = len;
  }

  /** The allocator the nodes live in. */
  get allocator(): QuicklistAllocator {
    return this.alloc;
  }

  /** Bytes this object holds on the JS heap (its typed arrays); pool nodes are charged by the pool. */
  memoryUsage(): number {
    return this.nodes.memoryUsage();
  }

  /** `quicklistRelease`: frees every node; the list is empty afterwards. */
  free(): void {
    const nodes = this.nodes;
    for (let i = 0; i < nodes.length; i++) this.alloc.free(nodes.handles[i] as number);
    nodes.reset();
    this.count = 0;
    this.itNode = -1;
  }
}

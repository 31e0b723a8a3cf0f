/**
 * A list's quicklist encoding, off-heap: Redis 7.0.15's quicklist.c with its nodes' listpacks
 * in pool allocations and the node chain as typed arrays (`QuicklistNodes`). Node
 * creation, merging and splitting follow quicklist.c step by step, so the nodes — and hence a
 * DUMP's QUICKLIST_2 blobs — are Redis's. `list-compress-depth` is not implemented (0: no LZF
 * nodes). Elements go in as byte ranges; an element read comes out in the `value…` registers
 * of {@link QuicklistBase}.
 */

import {
  LISTPACK_HEADER_SIZE,
  LP_AFTER,
  LP_BEFORE,
  lpBytes,
  lpDeleteEntry,
  lpLast,
  lpPushEnd,
} from "@nedis/rdb/listpack";
import { QuicklistBase } from "./QuicklistBase.js";
import {
  allowInsert,
  allowInsertSized,
  allowMerge,
  mergeNodes,
  newListpackNode,
  newPlainNode,
  nodeDeleteRange,
  nodeInsert,
  nodeReplace,
  splitNode,
  splitResult,
} from "./quicklistNodeOps.js";

export type { QuicklistAllocator } from "./quicklistNodeOps.js";
export { QuicklistOutOfMemoryError } from "./quicklistNodeOps.js";

export class Quicklist extends QuicklistBase {
  /** `quicklistPushHead` (LPUSH). Returns true when a new head node was created. */
  pushHead(s: Uint8Array, off: number, len: number): boolean {
    return this.push(s, off, len, true);
  }

  /** `quicklistPushTail` (RPUSH). Returns true when a new tail node was created. */
  pushTail(s: Uint8Array, off: number, len: number): boolean {
    return this.push(s, off, len, false);
  }

  private push(s: Uint8Array, off: number, len: number, head: boolean): boolean {
    const nodes = this.nodes;
    const i = head ? 0 : nodes.length - 1;
    const at = head ? 0 : nodes.length;
    // The common case first: the end node takes the element within its allocation.
    if (
      nodes.length > 0 &&
      nodes.plain[i] === 0 &&
      len < this.packedThreshold &&
      allowInsertSized(nodes.sizes[i] as number, nodes.counts[i] as number, this.fill, len)
    ) {
      if (nodes.capacities[i] === 0) this.locateNode(i);
      const total = lpPushEnd(
        nodes.pages[i] as Uint8Array,
        nodes.offsets[i] as number,
        head,
        s,
        off,
        off + len,
        nodes.capacities[i] as number,
      );
      if (total >= 0) {
        nodes.sizes[i] = total;
        nodes.counts[i] = (nodes.counts[i] as number) + 1;
      } else {
        nodeInsert(this.alloc, nodes, i, head ? 0 : (nodes.counts[i] as number), LP_BEFORE, s, off, off + len);
      }
      this.count++;
      return false;
    }
    if (len >= this.packedThreshold) {
      nodes.insertAt(at, newPlainNode(this.alloc, s, off, off + len), 1, len, true);
    } else if (allowInsert(nodes, i, this.fill, len, this.packedThreshold)) {
      nodeInsert(this.alloc, nodes, i, head ? 0 : (nodes.counts[i] as number), LP_BEFORE, s, off, off + len);
      this.count++;
      return false;
    } else {
      const h = newListpackNode(this.alloc, s, off, off + len);
      nodes.insertAt(at, h, 1, this.sizeOfNew(h), false);
    }
    this.count++;
    return true;
  }

  private sizeOfNew(h: number): number {
    return lpBytes(this.alloc.pageOf(h), this.alloc.offsetOf(h));
  }

  /** `quicklistPop` of the head (LPOP): false when empty, else the element is in the registers (copied). */
  popHead(): boolean {
    return this.pop(true);
  }

  /** `quicklistPop` of the tail (RPOP). */
  popTail(): boolean {
    return this.pop(false);
  }

  private pop(head: boolean): boolean {
    if (this.count === 0) return false;
    const nodes = this.nodes;
    const i = head ? 0 : nodes.length - 1;
    const n = nodes.counts[i] as number;
    if (nodes.plain[i] === 0 && n > 1) {
      // An end element of a packed node that stays: deleted in place, shrunk as nodeDeleteRange would.
      if (nodes.capacities[i] === 0) this.locateNode(i);
      const page = nodes.pages[i] as Uint8Array;
      const off = nodes.offsets[i] as number;
      const p = head ? off + LISTPACK_HEADER_SIZE : lpLast(page, off);
      this.readP(page, p);
      if (!this.valueIsInteger) this.copyValueToScratch();
      const total = lpDeleteEntry(page, off, p);
      nodes.sizes[i] = total;
      nodes.counts[i] = n - 1;
      if (total * 2 < (nodes.capacities[i] as number)) this.shrinkNode(i, total);
      this.count--;
      return true;
    }
    this.readAt(i, head ? 0 : (this.nodes.counts[i] as number) - 1);
    if (!this.valueIsInteger) this.copyValueToScratch();
    this.delIndex(i, head ? 0 : (this.nodes.counts[i] as number) - 1);
    return true;
  }

  /** Element `index` (negative: from the tail) into the registers; false when out of range. */
  index(index: number): boolean {
    if (!this.locate(index)) return false;
    this.readAt(this.locNode, this.locOffset);
    return true;
  }

  /** `quicklistReplaceAtIndex` (LSET): false when `index` is out of range. */
  replaceAtIndex(index: number, s: Uint8Array, off: number, len: number): boolean {
    if (!this.locate(index)) return false;
    const i = this.locNode;
    const o = this.locOffset;
    const large = len >= this.packedThreshold;
    if (this.nodes.plain[i] === 0 && !large) {
      nodeReplace(this.alloc, this.nodes, i, o, s, off, off + len);
    } else if (this.nodes.plain[i] === 1) {
      if (large) {
        const h = newPlainNode(this.alloc, s, off, off + len);
        this.alloc.free(this.nodes.handles[i] as number);
        this.nodes.setHandle(i, h);
        this.nodes.sizes[i] = len;
      } else {
        this.insert(i, o, true, s, off, len);
        this.delNode(i);
      }
    } else {
      this.insert(i, o, true, s, off, len);
      if ((this.nodes.counts[i] as number) === 1) this.delNode(i);
      else this.delIndex(i, (this.nodes.counts[i] as number) - 1);
    }
    return true;
  }

  /** LINSERT BEFORE the element at `index`: false when out of range. */
  insertBefore(index: number, s: Uint8Array, off: number, len: number): boolean {
    if (!this.locate(index)) return false;
    this.insert(this.locNode, this.locOffset, false, s, off, len);
    return true;
  }

  /** LINSERT AFTER the element at `index`: false when out of range. */
  insertAfter(index: number, s: Uint8Array, off: number, len: number): boolean {
    if (!this.locate(index)) return false;
    this.insert(this.locNode, this.locOffset, true, s, off, len);
    return true;
  }

  /** `_quicklistInsert`: `s` before/after element `o` of node `i`. */
  private insert(i: number, o: number, after: boolean, s: Uint8Array, off: number, len: number): void {
    const nodes = this.nodes;
    const fill = this.fill;
    const th = this.packedThreshold;
    const n = nodes.counts[i] as number;
    const full = !allowInsert(nodes, i, fill, len, th);
    const atTail = after && o === n - 1;
    const atHead = !after && o === 0;
    const availNext = atTail && allowInsert(nodes, i + 1, fill, len, th);
    const availPrev = atHead && allowInsert(nodes, i - 1, fill, len, th);
    const end = off + len;
    if (len >= th) {
      if (nodes.plain[i] === 1 || atTail || atHead) {
        nodes.insertAt(after ? i + 1 : i, newPlainNode(this.alloc, s, off, end), 1, len, true);
      } else {
        const entryHandle = newPlainNode(this.alloc, s, off, end);
        const nh = splitNode(this.alloc, nodes, i, o, after);
        if (after) {
          nodes.insertAt(i + 1, entryHandle, 1, len, true);
          nodes.insertAt(i + 2, nh, splitResult.count, splitResult.size, false);
        } else {
          nodes.insertAt(i, entryHandle, 1, len, true);
          nodes.insertAt(i, nh, splitResult.count, splitResult.size, false);
        }
      }
    } else if (!full) {
      nodeInsert(this.alloc, nodes, i, o, after ? LP_AFTER : LP_BEFORE, s, off, end);
    } else if (atTail && availNext) {
      nodeInsert(this.alloc, nodes, i + 1, 0, LP_BEFORE, s, off, end);
    } else if (atHead && availPrev) {
      nodeInsert(this.alloc, nodes, i - 1, nodes.counts[i - 1] as number, LP_BEFORE, s, off, end);
    } else if (atTail || atHead) {
      const h = newListpackNode(this.alloc, s, off, end);
      nodes.insertAt(after ? i + 1 : i, h, 1, this.sizeOfNew(h), false);
    } else {
      const nh = splitNode(this.alloc, nodes, i, o, after);
      const newIndex = after ? i + 1 : i;
      nodes.insertAt(newIndex, nh, splitResult.count, splitResult.size, false);
      nodeInsert(this.alloc, nodes, newIndex, after ? 0 : splitResult.count, LP_BEFORE, s, off, end);
      // Counted before merging: a merge that runs out of memory leaves a consistent list.
      this.count++;
      this.mergeAround(after ? i : i + 1);
      return;
    }
    this.count++;
  }

  /** `_quicklistMergeNodes` around node `c`. */
  private mergeAround(c: number): void {
    const nodes = this.nodes;
    const fill = this.fill;
    if (allowMerge(nodes, c - 1, c - 2, fill)) {
      mergeNodes(this.alloc, nodes, c - 2);
      c--;
    }
    if (allowMerge(nodes, c + 1, c + 2, fill)) mergeNodes(this.alloc, nodes, c + 1);
    let target = c;
    if (allowMerge(nodes, c, c - 1, fill)) {
      mergeNodes(this.alloc, nodes, c - 1);
      target = c - 1;
    }
    if (allowMerge(nodes, target, target + 1, fill)) mergeNodes(this.alloc, nodes, target);
  }

  /** `quicklistDelIndex`: removes element `o` of node `i` (the node goes when emptied). */
  private delIndex(i: number, o: number): void {
    if (this.nodes.plain[i] === 1) {
      this.delNode(i);
      return;
    }
    nodeDeleteRange(this.alloc, this.nodes, i, o, 1);
    this.count--;
    if (this.nodes.counts[i] === 0) this.delNode(i);
  }

  /** `__quicklistDelNode`. */
  private delNode(i: number): void {
    this.count -= this.nodes.counts[i] as number;
    this.alloc.free(this.nodes.handles[i] as number);
    this.nodes.removeAt(i);
  }

  /**
   * `quicklistDelRange` (LTRIM, LREM): removes up to `count` elements from `start` (negative:
   * from the tail, limited to the rest of the list). Returns false when nothing was deleted.
   */
  delRange(start: number, count: number): boolean {
    if (count <= 0) return false;
    let extent = count;
    if (start >= 0 && extent > this.count - start) extent = this.count - start;
    else if (start < 0 && extent > -start) extent = -start;
    if (!this.locate(start)) return false;
    let i = this.locNode;
    let offset = this.locOffset;
    const nodes = this.nodes;
    while (extent > 0) {
      const n = nodes.counts[i] as number;
      const del = offset + extent >= n ? n - offset : extent;
      if ((offset === 0 && extent >= n) || nodes.plain[i] === 1) {
        this.delNode(i);
      } else {
        nodeDeleteRange(this.alloc, nodes, i, offset, del);
        this.count -= del;
        if (nodes.counts[i] === 0) this.delNode(i);
        else i++;
      }
      extent -= del;
      offset = 0;
    }
    return true;
  }
}

/**
 * The node table of a {@link Quicklist}: Redis's doubly linked `quicklistNode` chain as a few
 * parallel typed arrays in list order (node 0 is the head). A node is its allocation's handle,
 * its element count, its byte size (`lpBytes` of a packed node, the raw length of a plain one)
 * and a plain flag — no JS object per node. Inserting or removing a node shifts the arrays,
 * O(nodes), as cheap as Redis's walk to that node.
 */

const INITIAL_CAPACITY = 4;

export class QuicklistNodes {
  /** Allocation handle of each node (Redis's `node->entry`). */
  handles = new Float64Array(INITIAL_CAPACITY);
  /** Elements in each node (`node->count`). */
  counts = new Int32Array(INITIAL_CAPACITY);
  /** Bytes of each node (`node->sz`). */
  sizes = new Float64Array(INITIAL_CAPACITY);
  /** 1 for a plain node (`QUICKLIST_NODE_CONTAINER_PLAIN`: one raw element), 0 for a listpack. */
  plain = new Uint8Array(INITIAL_CAPACITY);
  /** Number of nodes (`quicklist->len`). */
  length = 0;

  /** Opens a gap at `index` (0..length) and fills it; the node there and after move right. */
  insertAt(index: number, handle: number, count: number, size: number, plain: boolean): void {
    if (this.length === this.handles.length) this.grow();
    const n = this.length;
    if (index < n) {
      this.handles.copyWithin(index + 1, index, n);
      this.counts.copyWithin(index + 1, index, n);
      this.sizes.copyWithin(index + 1, index, n);
      this.plain.copyWithin(index + 1, index, n);
    }
    this.handles[index] = handle;
    this.counts[index] = count;
    this.sizes[index] = size;
    this.plain[index] = plain ? 1 : 0;
    this.length = n + 1;
  }

  /** Closes the slot of node `index` (its allocation must already be freed or taken over). */
  removeAt(index: number): void {
    const n = this.length;
    if (index + 1 < n) {
      this.handles.copyWithin(index, index + 1, n);
      this.counts.copyWithin(index, index + 1, n);
      this.sizes.copyWithin(index, index + 1, n);
      this.plain.copyWithin(index, index + 1, n);
    }
    this.length = n - 1;
    this.handles[n - 1] = 0;
    this.counts[n - 1] = 0;
    this.sizes[n - 1] = 0;
    this.plain[n - 1] = 0;
  }

  /** Drops every node (their allocations must already be freed) and shrinks to the start size. */
  reset(): void {
    this.handles = new Float64Array(INITIAL_CAPACITY);
    this.counts = new Int32Array(INITIAL_CAPACITY);
    this.sizes = new Float64Array(INITIAL_CAPACITY);
    this.plain = new Uint8Array(INITIAL_CAPACITY);
    this.length = 0;
  }

  /** Bytes the arrays hold on the JS heap (charged as external memory). */
  memoryUsage(): number {
    return this.handles.byteLength + this.counts.byteLength + this.sizes.byteLength + this.plain.byteLength;
  }

  private grow(): void {
    const capacity = this.handles.length * 2;
    const handles = new Float64Array(capacity);
    handles.set(this.handles);
    this.handles = handles;
    const counts = new Int32Array(capacity);
    counts.set(this.counts);
    this.counts = counts;
    const sizes = new Float64Array(capacity);
    sizes.set(this.sizes);
    this.sizes = sizes;
    const plain = new Uint8Array(capacity);
    plain.set(this.plain);
    this.plain = plain;
  }
}

/**
 * The node table of a {@link Quicklist}: Redis's doubly linked `quicklistNode` chain as a few
 * parallel typed arrays in list order (node 0 is the head). A node is its allocation's handle,
 * its element count, its byte size (`lpBytes` of a packed node, the raw length of a plain one)
 * and a plain flag — no JS object per node. Inserting or removing a node shifts the arrays,
 * O(nodes), as cheap as Redis's walk to that node.
 *
 * Where a node's bytes are (page, offset) and its allocation's capacity are cached per node:
 * decoding a handle costs float arithmetic, and the head and tail nodes are reached on every
 * push and pop. A cache entry is valid while `capacities[i]` is non-zero; changing a handle
 * ({@link setHandle}, {@link insertAt}) clears it.
 */

const NO_PAGE = new Uint8Array(0);

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
  /** Cached: the array holding each node's bytes. */
  pages: Uint8Array[] = [NO_PAGE, NO_PAGE, NO_PAGE, NO_PAGE];
  /** Cached: offset of each node's bytes in its page. */
  offsets = new Int32Array(INITIAL_CAPACITY);
  /** Cached: bytes each node's allocation can hold (0: the cache entry is not filled). */
  capacities = new Int32Array(INITIAL_CAPACITY);
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
      this.offsets.copyWithin(index + 1, index, n);
      this.capacities.copyWithin(index + 1, index, n);
      const pages = this.pages;
      for (let j = n; j > index; j--) pages[j] = pages[j - 1] as Uint8Array;
    }
    this.handles[index] = handle;
    this.capacities[index] = 0;
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
      this.offsets.copyWithin(index, index + 1, n);
      this.capacities.copyWithin(index, index + 1, n);
      const pages = this.pages;
      for (let j = index; j < n - 1; j++) pages[j] = pages[j + 1] as Uint8Array;
    }
    this.length = n - 1;
    this.pages[n - 1] = NO_PAGE;
    this.capacities[n - 1] = 0;
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
    this.pages = [NO_PAGE, NO_PAGE, NO_PAGE, NO_PAGE];
    this.offsets = new Int32Array(INITIAL_CAPACITY);
    this.capacities = new Int32Array(INITIAL_CAPACITY);
    this.length = 0;
  }

  /** Replaces node `i`'s handle (after a realloc); its cached location is dropped. */
  setHandle(i: number, handle: number): void {
    this.handles[i] = handle;
    this.capacities[i] = 0;
  }

  /** Bytes the arrays hold on the JS heap (charged as external memory). */
  memoryUsage(): number {
    return (
      this.handles.byteLength +
      this.counts.byteLength +
      this.sizes.byteLength +
      this.plain.byteLength +
      this.offsets.byteLength +
      this.capacities.byteLength +
      this.pages.length * 8
    );
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
    const offsets = new Int32Array(capacity);
    offsets.set(this.offsets);
    this.offsets = offsets;
    const capacities = new Int32Array(capacity);
    capacities.set(this.capacities);
    this.capacities = capacities;
    for (let j = this.pages.length; j < capacity; j++) this.pages.push(NO_PAGE);
  }
}

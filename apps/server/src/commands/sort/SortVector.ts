import { ARENA_EXHAUSTED, type Arena } from "@nedis/allocators/arena";

/**
 * SORT's vector (sort.c's `redisSortObject[]`): the elements to sort, each copied once into the
 * command's arena (BY/GET lookups may expire keys and free the pool bytes the elements came
 * from), with a numeric weight and an optional comparison value (ALPHA BY). Elements are rows
 * of typed arrays plus a reference to the arena block holding them — no object per element.
 */
export class SortVector {
  length = 0;
  private blocks: Uint8Array[] = [];
  private offsets = new Int32Array(16);
  private lengths = new Int32Array(16);
  /** Numeric weights (0 when BY found nothing). */
  scores = new Float64Array(16);
  /** ALPHA BY values, as element rows: `cmpLengths[j] < 0` means none (a missing key). */
  private cmpBlocks: Uint8Array[] = [];
  private cmpOffsets = new Int32Array(16);
  private cmpLengths = new Int32Array(16);

  constructor(private readonly arena: Arena) {}

  /** Empties the vector (the caller releases the arena). */
  clear(): void {
    this.length = 0;
    this.blocks.length = 0;
    this.cmpBlocks.length = 0;
  }

  /** Appends a copy of `buf[off, off + len)`. */
  push(buf: Uint8Array, off: number, len: number): void {
    const j = this.length;
    if (j === this.offsets.length) this.grow();
    const at = this.copy(buf, off, len);
    this.blocks[j] = this.arena.buffer;
    this.offsets[j] = at;
    this.lengths[j] = len;
    this.scores[j] = 0;
    this.cmpLengths[j] = -1;
    this.length = j + 1;
  }

  /** Sets element `j`'s ALPHA comparison value to a copy of `buf[off, off + len)`. */
  setCompare(j: number, buf: Uint8Array, off: number, len: number): void {
    const at = this.copy(buf, off, len);
    this.cmpBlocks[j] = this.arena.buffer;
    this.cmpOffsets[j] = at;
    this.cmpLengths[j] = len;
  }

  bufferOf(j: number): Uint8Array {
    return this.blocks[j]!;
  }
  offsetOf(j: number): number {
    return this.offsets[j]!;
  }
  lengthOf(j: number): number {
    return this.lengths[j]!;
  }

  /**
   * The element order after sorting as sort.c's `sortCompare`: numeric weights (ties broken by
   * the elements' bytes) or ALPHA — by the BY values (a missing one first) or by the elements.
   * `collate` is the non-STORE ALPHA comparison (strcoll in the C locale: up to the first NUL).
   */
  sortedOrder(alpha: boolean, byPattern: boolean, desc: boolean, collate: boolean): Uint32Array {
    const order = new Uint32Array(this.length);
    for (let j = 0; j < order.length; j++) order[j] = j;
    const compareBytes = collate ? collateBytes : binaryCompare;
    const cmp = (a: number, b: number): number => {
      let c: number;
      if (!alpha) {
        const sa = this.scores[a]!;
        const sb = this.scores[b]!;
        c = sa > sb ? 1 : sa < sb ? -1 : this.compareElements(a, b, binaryCompare);
      } else if (byPattern) {
        const la = this.cmpLengths[a]!;
        const lb = this.cmpLengths[b]!;
        if (la < 0 || lb < 0) c = la < 0 && lb < 0 ? 0 : la < 0 ? -1 : 1;
        else c = compareBytes(this.cmpBlocks[a]!, this.cmpOffsets[a]!, la, this.cmpBlocks[b]!, this.cmpOffsets[b]!, lb);
      } else {
        c = this.compareElements(a, b, compareBytes);
      }
      return desc ? -c : c;
    };
    order.sort(cmp);
    return order;
  }

  private compareElements(a: number, b: number, compare: typeof binaryCompare): number {
    return compare(
      this.blocks[a]!,
      this.offsets[a]!,
      this.lengths[a]!,
      this.blocks[b]!,
      this.offsets[b]!,
      this.lengths[b]!,
    );
  }

  private copy(buf: Uint8Array, off: number, len: number): number {
    const at = this.arena.copy(buf, off, off + len);
    if (at === ARENA_EXHAUSTED) throw new RangeError("SORT: the command's scratch memory is exhausted");
    return at;
  }

  private grow(): void {
    const n = this.offsets.length * 2;
    this.offsets = resized(this.offsets, n);
    this.lengths = resized(this.lengths, n);
    this.cmpOffsets = resized(this.cmpOffsets, n);
    this.cmpLengths = resized(this.cmpLengths, n);
    const scores = new Float64Array(n);
    scores.set(this.scores);
    this.scores = scores;
  }
}

function resized(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

/** Redis's `compareStringObjects` on bytes: memcmp over the common prefix, then the length. */
export function binaryCompare(a: Uint8Array, ao: number, al: number, b: Uint8Array, bo: number, bl: number): number {
  const n = al < bl ? al : bl;
  for (let i = 0; i < n; i++) {
    const d = a[ao + i]! - b[bo + i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return al === bl ? 0 : al < bl ? -1 : 1;
}

/** `strcoll` in the C locale: a byte comparison of C strings (each ends at its first NUL). */
function collateBytes(a: Uint8Array, ao: number, al: number, b: Uint8Array, bo: number, bl: number): number {
  return binaryCompare(a, ao, cStringLength(a, ao, al), b, bo, cStringLength(b, bo, bl));
}

function cStringLength(buf: Uint8Array, off: number, len: number): number {
  for (let i = 0; i < len; i++) if (buf[off + i] === 0) return i;
  return len;
}

/**
 * An open-addressing set of entry handles (non-negative integers below 2^53, never 0) with a
 * "done" bit per slot: the keys a snapshot must still visit. 16 bytes of table per key at a
 * load of at most 1/2, built in O(n) with no sort, so starting a snapshot stays short.
 */
export class HandleSet {
  readonly slots: Float64Array;
  private readonly done: Uint8Array;
  private readonly mask: number;
  size = 0;

  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Float64Array(size);
    this.done = new Uint8Array(size >> 3);
    this.mask = size - 1;
  }

  /** Adds a handle (must not be present). */
  add(handle: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = hashHandle(handle) & mask;
    while (slots[i] !== 0) i = (i + 1) & mask;
    slots[i] = handle;
    this.size++;
  }

  /** The slot holding `handle`, or -1. */
  slotOf(handle: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let i = hashHandle(handle) & mask;
    for (;;) {
      const h = slots[i]!;
      if (h === handle) return i;
      if (h === 0) return -1;
      i = (i + 1) & mask;
    }
  }

  isDone(slot: number): boolean {
    return (this.done[slot >> 3]! & (1 << (slot & 7))) !== 0;
  }

  /** Marks a slot visited; false if it already was. */
  markDone(slot: number): boolean {
    const byte = this.done[slot >> 3]!;
    const bit = 1 << (slot & 7);
    if ((byte & bit) !== 0) return false;
    this.done[slot >> 3] = byte | bit;
    return true;
  }
}

function hashHandle(handle: number): number {
  const lo = handle >>> 0;
  const hi = (handle / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

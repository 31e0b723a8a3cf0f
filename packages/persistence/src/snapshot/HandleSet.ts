/**
 * An open-addressing set of entry handles (non-negative integers below 2^53, never 0) with a
 * "done" bit per slot: the keys a snapshot must still visit. The table is sized to a load of
 * 0.8 (10 bytes per key, any size: slots are picked by multiply-shift rather than a mask),
 * built in O(n) with no sort, so starting a snapshot stays short and light.
 */
export class HandleSet {
  readonly slots: Float64Array;
  private readonly done: Uint8Array;
  private readonly capacity: number;
  size = 0;

  constructor(keys: number) {
    const capacity = Math.max(16, Math.ceil(keys * 1.25) + 1);
    this.slots = new Float64Array(capacity);
    this.done = new Uint8Array((capacity + 7) >> 3);
    this.capacity = capacity;
  }

  /** Adds a handle (must not be present). */
  add(handle: number): void {
    const slots = this.slots;
    const capacity = this.capacity;
    let i = this.home(handle);
    while (slots[i] !== 0) i = i + 1 === capacity ? 0 : i + 1;
    slots[i] = handle;
    this.size++;
  }

  /** The slot holding `handle`, or -1. */
  slotOf(handle: number): number {
    const slots = this.slots;
    const capacity = this.capacity;
    let i = this.home(handle);
    for (;;) {
      const h = slots[i]!;
      if (h === handle) return i;
      if (h === 0) return -1;
      i = i + 1 === capacity ? 0 : i + 1;
    }
  }

  /** The handle's home slot: its 32-bit hash scaled to the table (Lemire's fast range). */
  private home(handle: number): number {
    return Math.floor((hashHandle(handle) * this.capacity) / 4294967296);
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

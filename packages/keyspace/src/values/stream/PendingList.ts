import { StreamIdArray } from "./StreamIdArray.js";
import type { StreamId } from "./streamId.js";

/**
 * A consumer group's pending entries list (Redis's `cg->pel` rax of `streamNACK`s): entries
 * sorted by ID in parallel typed arrays, found by binary search — no JS object per entry. Each
 * entry names its owner by consumer number ({@link ConsumerGroup.consumers} slot id).
 */
export class PendingList {
  ids = new StreamIdArray(4);
  deliveryTime = new Float64Array(4);
  deliveryCount = new Float64Array(4);
  owner = new Int32Array(4);
  length = 0;

  /** The slot of `id`, or `-(insertion point) - 1` when absent. */
  find(id: StreamId): number {
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.ids.compareAt(mid, id);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  /** The first slot whose ID is >= `id`. */
  lowerBound(id: StreamId): number {
    const i = this.find(id);
    return i >= 0 ? i : -i - 1;
  }

  idAt(i: number): StreamId {
    return this.ids.id(i);
  }

  /** Inserts an absent ID at slot `at` (from {@link find}). */
  insertAt(at: number, id: StreamId, time: number, count: number, owner: number): void {
    if (this.length === this.owner.length) this.grow();
    const n = this.length;
    if (at < n) {
      this.ids.copyWithin(at + 1, at, n);
      this.deliveryTime.copyWithin(at + 1, at, n);
      this.deliveryCount.copyWithin(at + 1, at, n);
      this.owner.copyWithin(at + 1, at, n);
    }
    this.ids.set(at, id);
    this.deliveryTime[at] = time;
    this.deliveryCount[at] = count;
    this.owner[at] = owner;
    this.length = n + 1;
  }

  removeAt(at: number): void {
    const n = this.length;
    this.ids.copyWithin(at, at + 1, n);
    this.deliveryTime.copyWithin(at, at + 1, n);
    this.deliveryCount.copyWithin(at, at + 1, n);
    this.owner.copyWithin(at, at + 1, n);
    this.length = n - 1;
  }

  memoryUsage(): number {
    return this.ids.byteLength + this.deliveryTime.byteLength * 2 + this.owner.byteLength;
  }

  /** A deep copy. */
  clone(): PendingList {
    const c = new PendingList();
    c.ids = this.ids.clone();
    c.deliveryTime = this.deliveryTime.slice();
    c.deliveryCount = this.deliveryCount.slice();
    c.owner = this.owner.slice();
    c.length = this.length;
    return c;
  }

  private grow(): void {
    const cap = this.owner.length * 2;
    this.ids.grow(cap);
    const t = new Float64Array(cap);
    t.set(this.deliveryTime);
    this.deliveryTime = t;
    const c = new Float64Array(cap);
    c.set(this.deliveryCount);
    this.deliveryCount = c;
    const o = new Int32Array(cap);
    o.set(this.owner);
    this.owner = o;
  }
}

import { PendingList } from "./PendingList.js";
import type { StreamId } from "./streamId.js";

/** `SCG_INVALID_ENTRIES_READ`: the group's read counter is unknown. */
export const ENTRIES_READ_INVALID = -1n;

/** A consumer (`streamConsumer`); its pending entries are the group PEL's entries it owns. */
export interface StreamConsumer {
  /** Its slot number in the group (what PEL entries name as owner). */
  readonly slot: number;
  readonly name: Uint8Array;
  seenTime: number;
  /** How many PEL entries it owns. */
  pending: number;
}

/** A consumer group (`streamCG`). */
export class ConsumerGroup {
  readonly pel = new PendingList();
  /** Consumers by slot (null: deleted). */
  readonly slots: (StreamConsumer | null)[] = [];
  private readonly byName = new Map<string, StreamConsumer>();

  constructor(
    readonly name: Uint8Array,
    public lastId: StreamId,
    public entriesRead: bigint,
  ) {}

  get consumerCount(): number {
    return this.byName.size;
  }

  /** `streamLookupConsumer` */
  consumer(name: Uint8Array): StreamConsumer | undefined {
    return this.byName.get(Buffer.from(name).toString("latin1"));
  }

  /** `streamCreateConsumer`: null when it exists. */
  createConsumer(name: Uint8Array, now: number): StreamConsumer | null {
    const key = Buffer.from(name).toString("latin1");
    if (this.byName.has(key)) return null;
    const c: StreamConsumer = { slot: this.slots.length, name: new Uint8Array(name), seenTime: now, pending: 0 };
    this.slots.push(c);
    this.byName.set(key, c);
    return c;
  }

  /** `streamDelConsumer`: drops it and its pending entries; returns how many it had. */
  deleteConsumer(c: StreamConsumer): number {
    const pel = this.pel;
    let removed = 0;
    for (let i = pel.length - 1; i >= 0; i--) {
      if (pel.owner[i] === c.slot) {
        pel.removeAt(i);
        removed++;
      }
    }
    this.slots[c.slot] = null;
    this.byName.delete(Buffer.from(c.name).toString("latin1"));
    return removed;
  }

  /**
   * Records that `consumer` was delivered `id` (`streamReplyWithRange`'s NACK step): a new
   * pending entry, or one taken over from whoever had it, with delivery time `now` and count 1.
   */
  deliver(id: StreamId, consumer: StreamConsumer, now: number): void {
    const pel = this.pel;
    const at = pel.find(id);
    if (at < 0) {
      pel.insertAt(-at - 1, id, now, 1, consumer.slot);
      consumer.pending++;
      return;
    }
    const previous = this.slots[pel.owner[at] as number];
    if (previous) previous.pending--;
    pel.owner[at] = consumer.slot;
    pel.deliveryTime[at] = now;
    pel.deliveryCount[at] = 1;
    consumer.pending++;
  }

  /** Removes the pending entry at slot `at` (XACK), updating its owner's count. */
  ackAt(at: number): void {
    const owner = this.slots[this.pel.owner[at] as number];
    if (owner) owner.pending--;
    this.pel.removeAt(at);
  }

  /** Consumers in name order (the rax order Redis replies and saves in). */
  consumersInOrder(): StreamConsumer[] {
    const list: StreamConsumer[] = [];
    for (const c of this.byName.values()) list.push(c);
    return list.sort((a, b) => Buffer.compare(a.name, b.name));
  }

  memoryUsage(): number {
    return 128 + this.name.length + this.pel.memoryUsage() + this.byName.size * 96;
  }
}

/** A stream's consumer groups (`s->cgroups`), by name. */
export class ConsumerGroups {
  private readonly byName = new Map<string, ConsumerGroup>();

  get size(): number {
    return this.byName.size;
  }

  get(name: Uint8Array): ConsumerGroup | undefined {
    return this.byName.get(Buffer.from(name).toString("latin1"));
  }

  /** `streamCreateCG`: null when a group of that name exists. */
  create(name: Uint8Array, lastId: StreamId, entriesRead: bigint): ConsumerGroup | null {
    const key = Buffer.from(name).toString("latin1");
    if (this.byName.has(key)) return null;
    const g = new ConsumerGroup(new Uint8Array(name), lastId, entriesRead);
    this.byName.set(key, g);
    return g;
  }

  delete(name: Uint8Array): boolean {
    return this.byName.delete(Buffer.from(name).toString("latin1"));
  }

  /** Groups in name order. */
  inOrder(): ConsumerGroup[] {
    return [...this.byName.values()].sort((a, b) => Buffer.compare(a.name, b.name));
  }

  memoryUsage(): number {
    let sum = 64;
    for (const g of this.byName.values()) sum += g.memoryUsage();
    return sum;
  }
}

import type { KvPool } from "@nedis/allocators/kv-pool";
import { headerBytes } from "../../entry/EntryLayout.js";
import type { MemoryBudget } from "../../memory/MemoryBudget.js";
import type { OutOfLineValue } from "../ValueType.js";
import { SkipList } from "./SkipList.js";
import type { MemberAllocator } from "./SkipListCore.js";
import { ZSetDict } from "./ZSetDict.js";

/**
 * A large sorted set (Redis's `zset`: `dict` + `zskiplist`, encoding `skiplist`): a
 * {@link SkipList} ordered by (score, member), whose nodes hold each member once (a kv-pool
 * entry) and its score, and a {@link ZSetDict} indexing the nodes by member (8 bytes a record).
 * No JS object exists per member.
 */
export class ZSetObject implements OutOfLineValue {
  readonly list: SkipList;
  readonly dict: ZSetDict;

  constructor(
    private readonly pool: KvPool,
    memory: MemoryBudget,
    capacity = 16,
  ) {
    this.list = new SkipList(budgetMembers(pool, memory), { capacity });
    this.dict = new ZSetDict(this.list, (bytes) => memory.expandAllowed(bytes));
  }

  get length(): number {
    return this.list.length;
  }

  memoryUsage(): number {
    return this.list.memoryUsage() + this.dict.memoryUsage();
  }

  /** The score of member `buf[off, off + len)`, NaN when absent (a stored score is never NaN). */
  score(buf: Uint8Array, off: number, len: number): number {
    const slot = this.dict.find(buf, off, len);
    if (slot < 0) return Number.NaN;
    return this.list.score(this.dict.nodeAt(slot));
  }

  /** {@link score} with the member's hash known (`dict.hashOf`): ZADD hashes a member once. */
  scoreHashed(hash: number, buf: Uint8Array, off: number, len: number): number {
    const slot = this.dict.findHashed(hash, buf, off, len);
    if (slot < 0) return Number.NaN;
    return this.list.score(this.dict.nodeAt(slot));
  }

  /** {@link insert} with the member's hash known (`dict.hashOf`). */
  insertHashed(hash: number, score: number, buf: Uint8Array, off: number, len: number): void {
    const node = this.list.insert(score, buf, off, len);
    if (node === 0) throw new RangeError("zset: cannot allocate a member");
    this.dict.insertHashed(hash, node);
  }

  /** Adds a member that is not present. */
  insert(score: number, buf: Uint8Array, off: number, len: number): void {
    const node = this.list.insert(score, buf, off, len);
    if (node === 0) throw new RangeError("zset: cannot allocate a member");
    this.dict.insert(buf, off, len, node);
  }

  /** Moves a present member from `current` to `score` (`zslUpdateScore`; its node, which the dict points to, stays). */
  update(current: number, score: number, buf: Uint8Array, off: number, len: number): void {
    this.list.updateScoreOf(current, buf, off, len, score);
  }

  /** Removes a member; false when absent (`zsetRemoveFromSkiplist`). */
  delete(buf: Uint8Array, off: number, len: number): boolean {
    const slot = this.dict.find(buf, off, len);
    if (slot < 0) return false;
    const score = this.list.score(this.dict.nodeAt(slot));
    this.dict.deleteSlot(slot);
    this.list.delete(score, buf, off, len);
    return true;
  }

  /** Removes the member of skiplist node `node` from the dict: what range deletions call (one closure per zset). */
  readonly forgetNode = (node: number): void => {
    const page = this.list.member(node);
    this.dict.delete(page, this.list.memberOff, this.list.memberLen);
  };

  /**
   * Bytes the value owns (Redis's `objectComputeSize` for a skiplist): both structures' arrays
   * and the skiplist's member allocations, the first `samples` (0: all) averaged over the count.
   */
  ownedBytes(samples: number): number {
    const list = this.list;
    const count = list.length;
    const limit = samples <= 0 ? count : Math.min(samples, count);
    let sum = 0;
    let seen = 0;
    for (let node = list.first(); node !== 0 && seen < limit; node = list.next(node), seen++) {
      list.member(node);
      sum += this.pool.usableSizeFor(headerBytes(list.memberLen) + list.memberLen);
    }
    const members = seen === 0 ? 0 : Math.floor((sum / seen) * count);
    return this.dict.memoryUsage() + list.memoryUsage() + members;
  }

  /** Frees every member (the object stays usable, empty). */
  free(): void {
    this.list.free();
    this.dict.free();
  }
}

/** A skiplist's member allocator over the budget: past maxmemory only after the command reserved. */
function budgetMembers(pool: KvPool, memory: MemoryBudget): MemberAllocator {
  return {
    allocInto(size, out, index) {
      if (pool.allocInto(size, out, index)) return true;
      out[index] = memory.alloc(size);
      return true;
    },
    freeAt: (handles, index) => pool.freeAt(handles, index),
    bytesAt: (handles, index) => pool.bytesAt(handles, index),
    get lastOffset() {
      return pool.lastOffset;
    },
  };
}

import { type KvHandle, type KvPool, OUT_OF_MEMORY } from "@nedis/allocators/kv-pool";
import { entryBytes } from "../entry/EntryLayout.js";

/**
 * `maxmemory` accounting: what the keyspace holds (its pool, whose budget is the limit) plus
 * what the owner holds outside it that Redis counts too (client buffers). Commands reserve
 * before they write (evicting by policy through {@link evict}), so the allocations that follow
 * may exceed the budget without failing a write half way.
 */
export class MemoryBudget {
  /**
   * Bytes held outside the keyspace that count against `maxmemory` all the same — a server's
   * client query and output buffers, as Redis counts them (only replica and AOF buffers are
   * exempt there). The owner keeps it current.
   */
  externalBytes = 0;
  /** Evicts until `bytes` more fit; false when nothing more can go (set by the keyspace). */
  evict: (bytes: number) => boolean = () => false;

  constructor(readonly pool: KvPool) {}

  /** `maxmemory` in bytes (0 = unlimited): the pool's budget. */
  get limit(): number {
    return this.pool.budget;
  }

  set limit(bytes: number) {
    this.pool.budget = bytes;
  }

  /** Bytes the keyspace holds: pool entries, index tables, expiry heaps, out-of-line values. */
  get used(): number {
    return this.pool.usedBytes;
  }

  /** What `maxmemory` is compared with: {@link used} plus {@link externalBytes}. */
  get counted(): number {
    return this.pool.usedBytes + this.externalBytes;
  }

  /** True when usage is above a set limit. */
  get exceeded(): boolean {
    const budget = this.pool.budget;
    return budget !== 0 && this.counted > budget;
  }

  /**
   * Makes room for `bytes` more (evicting by policy) before a write: false means the write must
   * be refused with the OOM error. Always true without a limit.
   */
  reserve(bytes: number): boolean {
    const budget = this.pool.budget;
    if (budget === 0 || this.counted + bytes < budget) return true;
    return this.evict(bytes);
  }

  /** Whether `bytes` more fit under the limit now (Redis's `!overMaxmemoryAfterAlloc`). */
  expandAllowed(bytes: number): boolean {
    const budget = this.pool.budget;
    return budget === 0 || this.counted + bytes <= budget;
  }

  /** Charged size of an allocation of `size` bytes. */
  chargeFor(size: number): number {
    return this.pool.usableSizeFor(size);
  }

  /** Charged size of an entry of a key and an inline value: what a write reserves. */
  entryCharge(keyLength: number, valueLength: number, volatile: boolean): number {
    return this.pool.usableSizeFor(entryBytes(keyLength, valueLength, volatile));
  }

  /** An allocation that may exceed the budget: room was reserved by the command. */
  alloc(size: number): KvHandle {
    let handle = this.pool.alloc(size);
    if (handle === OUT_OF_MEMORY) handle = this.unbudgeted(() => this.pool.alloc(size));
    if (handle === OUT_OF_MEMORY) throw new RangeError(`keyspace: the process cannot allocate ${size} bytes`);
    return handle;
  }

  /** A reallocation that may exceed the budget, like {@link alloc}. */
  realloc(handle: KvHandle, size: number): KvHandle {
    let moved = this.pool.realloc(handle, size);
    if (moved === OUT_OF_MEMORY) moved = this.unbudgeted(() => this.pool.realloc(handle, size));
    if (moved === OUT_OF_MEMORY) throw new RangeError(`keyspace: the process cannot allocate ${size} bytes`);
    return moved;
  }

  /**
   * A resize of a value that grows in small steps (APPEND, SETRANGE, a filling list node): the
   * pool keeps amortised headroom for large objects (`KvPool.grow`), so n appends cost O(n).
   * May exceed the budget like {@link alloc}.
   */
  grow(handle: KvHandle, size: number): KvHandle {
    let moved = this.pool.grow(handle, size);
    if (moved === OUT_OF_MEMORY) moved = this.unbudgeted(() => this.pool.grow(handle, size));
    if (moved === OUT_OF_MEMORY) throw new RangeError(`keyspace: the process cannot allocate ${size} bytes`);
    return moved;
  }

  private unbudgeted<T>(fn: () => T): T {
    const budget = this.pool.budget;
    this.pool.budget = 0;
    try {
      return fn();
    } finally {
      this.pool.budget = budget;
    }
  }
}

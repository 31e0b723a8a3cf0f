import type { KvHandle } from "@nedis/allocators/kv-pool";
import type { MemoryBudget } from "../../memory/MemoryBudget.js";
import type { QuicklistAllocator } from "./quicklistNodeOps.js";

/**
 * Where a list's quicklist nodes live. In the keyspace: the kv-pool through the memory budget
 * (commands reserve before they write, so a node allocation never fails half way). RESTORE,
 * RDB load and COPY build their nodes there too, through the target keyspace's host.
 */

/** Most bytes a node is grown by beyond what it needs. */
const NODE_SLACK_MAX = 4096;
/**
 * No slack past the default node limit (8 KiB, `list-max-listpack-size -2`): a node that fills
 * up then keeps (almost) no unused bytes, and larger nodes (fill -3..-5) grow exactly.
 */
const NODE_SLACK_CEILING = 8192;

const budgetAllocators = new WeakMap<MemoryBudget, QuicklistAllocator>();

/** The allocator of a keyspace's pool, charged to its budget (one per budget). */
export function poolAllocator(memory: MemoryBudget): QuicklistAllocator {
  let a = budgetAllocators.get(memory);
  if (a === undefined) {
    const pool = memory.pool;
    a = {
      alloc: (size) => memory.alloc(size),
      realloc: (handle, size) => {
        // Nodes grow by one element at a time: keep slack (up to half a node again) so most
        // pushes edit in place, and a growing node crosses few size classes — each crossing
        // moves it and may turn a pool page over to another class.
        const capacity = pool.sizeOf(handle as KvHandle);
        if (size <= capacity && size * 2 >= capacity) return handle;
        if (size <= capacity) return memory.realloc(handle as KvHandle, size);
        let target = Math.max(
          size,
          Math.min(capacity + (capacity >>> 1), capacity + NODE_SLACK_MAX, NODE_SLACK_CEILING),
        );
        // The whole slot the target lands in: the pool charges the slot anyway, and pushes then
        // fill it before the node moves again.
        if (target <= pool.maxSlabSize) target = pool.usableSizeFor(target);
        return memory.grow(handle as KvHandle, target);
      },
      free: (handle) => pool.free(handle as KvHandle),
      pageOf: (handle) => pool.pageOf(handle as KvHandle),
      offsetOf: (handle) => pool.offsetOf(handle as KvHandle),
      // The length the handle was allocated or grown to, slack included (see realloc).
      sizeOf: (handle) => pool.sizeOf(handle as KvHandle),
    };
    budgetAllocators.set(memory, a);
  }
  return a;
}

import type { KvHandle, KvPool } from "@nedis/allocators/kv-pool";
import { halfSipHashSigned } from "../hash/halfSipHash.js";
import type { HashTable } from "./HashTable.js";

/**
 * Hashes of keys a server is about to look up (the keys of one pipelined batch), computed ahead
 * by {@link Keyspace.prefetchKeys} and handed back by `Keyspace.hashKey` when a lookup asks for
 * exactly those bytes, so prefetching costs no second hash.
 *
 * Entries are matched by buffer identity, offset and length, in buffer order: a batch's commands
 * look their keys up in the order they appear. The owner must {@link clear} the memo before the
 * buffer's bytes can change (a server: at the end of serving one read).
 */
/** What {@link KeyPrefetch.take} returns when it has no hash (outside the int32 range of hashes). */
export const NO_HASH = 2 ** 32;

export class KeyPrefetch {
  /** How many keys one prefetch takes at most. */
  readonly capacity: number;
  readonly offsets: Int32Array;
  readonly lengths: Int32Array;
  readonly hashes: Int32Array;
  /** Home slots of the keys in the table they were prefetched from. */
  readonly slots: Int32Array;
  buffer: Uint8Array | null = null;
  count = 0;
  /** The next entry a lookup is expected to ask for. */
  next = 0;
  /** Where the touched bytes go, so the loads that warm the caches are not optimised away. */
  sink = 0;

  constructor(capacity = 64) {
    this.capacity = capacity;
    this.offsets = new Int32Array(capacity);
    this.lengths = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.slots = new Int32Array(capacity);
  }

  /** Hashes `buf[offsets[i], offsets[i] + lengths[i])` for the first `count` keys (up to capacity). */
  fill(k0: number, k1: number, buf: Uint8Array, offsets: Int32Array, lengths: Int32Array, count: number): void {
    const n = Math.min(count, this.capacity);
    for (let i = 0; i < n; i++) {
      const off = offsets[i]!;
      const len = lengths[i]!;
      this.offsets[i] = off;
      this.lengths[i] = len;
      this.hashes[i] = halfSipHashSigned(k0, k1, buf, off, len);
    }
    this.buffer = buf;
    this.count = n;
    this.next = 0;
  }

  /** The memoised hash of `buf[off, off + len)`, or {@link NO_HASH}. */
  take(buf: Uint8Array, off: number, len: number): number {
    if (buf !== this.buffer) return NO_HASH;
    const offsets = this.offsets;
    let i = this.next;
    while (i < this.count && offsets[i]! < off) i++;
    this.next = i;
    if (i === this.count || offsets[i] !== off || this.lengths[i] !== len) return NO_HASH;
    this.next = i + 1;
    return this.hashes[i]!;
  }

  clear(): void {
    this.buffer = null;
    this.count = 0;
    this.next = 0;
  }
}

/**
 * Loads the home records of the prefetched keys, then the entries they point to: each loop
 * issues independent loads, so the CPU has many misses in flight at once. Only a hint: a key
 * that is elsewhere in its cluster, or in the old table during a resize, is simply not warmed.
 */
export function touchAhead(table: HashTable, pool: KvPool, memo: KeyPrefetch): void {
  const recordHashes = table.hashes;
  const handles = table.handles;
  const mask = table.mask;
  const hashes = memo.hashes;
  const slots = memo.slots;
  const n = memo.count;
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const slot = hashes[i]! & mask;
    slots[i] = slot;
    sink ^= recordHashes[slot << 2]!;
  }
  for (let i = 0; i < n; i++) {
    // The key's record is usually its home slot or one of the next few (one cache line).
    const hash = hashes[i]!;
    let slot = slots[i]!;
    for (let step = 0; step < 4; step++) {
      const handle = handles[(slot << 1) | 1]!;
      if (handle === 0) break;
      if (recordHashes[slot << 2] === hash) {
        sink ^= pool.pageOf(handle as KvHandle)[pool.offsetOf(handle as KvHandle)]!;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  memo.sink = sink;
}

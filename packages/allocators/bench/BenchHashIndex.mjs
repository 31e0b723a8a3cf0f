// BENCH FIXTURE — not part of @nedis/allocators and not the keyspace's index.
//
// A deliberately simple open-addressing hash table over typed arrays, so the benchmark can
// store `key → value` with both byte strings in a KvPool and no JS object per entry. The real
// index lives in @nedis/keyspace.
//
// Layout: three parallel typed arrays (key handle, value handle, 32-bit hash); a key handle of 0
// marks an empty slot (KvPool never issues handle 0). Linear probing; deletion shifts later
// entries back so no tombstones are needed. Fixed capacity: sized once for the expected count.

const EMPTY = 0;

/** FNV-1a over `bytes[start..end)`, finished with murmur3's fmix32 so linear probing spreads; int32. */
export function hashBytes(bytes, start, end) {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0; // int32, so it stays a small integer (no boxing) when passed around
}

export class BenchHashIndex {
  /**
   * @param {import("../dist/kv-pool/index.js").KvPool} pool where key and value bytes live
   * @param {number} expectedEntries entries the table must hold (it does not grow)
   * @param {number} maxLoad largest fill ratio
   */
  constructor(pool, expectedEntries, maxLoad = 0.8) {
    this.pool = pool;
    this.capacity = Math.ceil(expectedEntries / maxLoad);
    this.keys = new Float64Array(this.capacity);
    this.values = new Float64Array(this.capacity);
    this.hashes = new Int32Array(this.capacity);
    this.size = 0;
  }

  /** Bytes of the table itself. */
  get tableBytes() {
    return this.keys.byteLength + this.values.byteLength + this.hashes.byteLength;
  }

  home(hash) {
    // Maps a 32-bit hash onto 0..capacity-1 without a division (Lemire's fast range).
    return Math.floor(((hash >>> 0) * this.capacity) / 4294967296);
  }

  /** Slot holding the key, or -1. */
  find(bytes, start, end, hash) {
    const pool = this.pool;
    const length = end - start;
    let slot = this.home(hash);
    for (;;) {
      if (this.keys[slot] === EMPTY) return -1;
      if (this.hashes[slot] === hash) {
        const page = pool.bytesAt(this.keys, slot);
        const offset = pool.lastOffset;
        if (pool.lastLength === length) {
          let i = 0;
          while (i < length && page[offset + i] === bytes[start + i]) i++;
          if (i === length) return slot;
        }
      }
      slot = slot + 1 === this.capacity ? 0 : slot + 1;
    }
  }

  /** Sets key → value (both copied into the pool); false if the pool is out of memory. */
  set(keyBytes, keyStart, keyEnd, valueBytes, valueStart, valueEnd) {
    const pool = this.pool;
    const hash = hashBytes(keyBytes, keyStart, keyEnd);
    let slot = this.find(keyBytes, keyStart, keyEnd, hash);
    if (slot >= 0) {
      // Overwrite: free the old value and store the new one (exercises free + alloc).
      pool.freeAt(this.values, slot);
      if (!pool.allocInto(valueEnd - valueStart, this.values, slot)) throw new Error("bench pool out of memory");
      copyInto(pool, this.values, slot, valueBytes, valueStart, valueEnd);
      return true;
    }
    if (this.size >= this.capacity - 1) throw new Error("bench index full");
    slot = this.home(hash);
    while (this.keys[slot] !== EMPTY) slot = slot + 1 === this.capacity ? 0 : slot + 1;
    if (!pool.allocInto(keyEnd - keyStart, this.keys, slot)) return false;
    if (!pool.allocInto(valueEnd - valueStart, this.values, slot)) {
      pool.freeAt(this.keys, slot);
      this.keys[slot] = EMPTY;
      return false;
    }
    copyInto(pool, this.keys, slot, keyBytes, keyStart, keyEnd);
    copyInto(pool, this.values, slot, valueBytes, valueStart, valueEnd);
    this.hashes[slot] = hash;
    this.size++;
    return true;
  }

  /** The slot of a key (its value handle is `values[slot]`), or -1. */
  slotOf(keyBytes, keyStart, keyEnd) {
    return this.find(keyBytes, keyStart, keyEnd, hashBytes(keyBytes, keyStart, keyEnd));
  }

  /** Removes a key; false if absent. */
  delete(keyBytes, keyStart, keyEnd) {
    let slot = this.find(keyBytes, keyStart, keyEnd, hashBytes(keyBytes, keyStart, keyEnd));
    if (slot < 0) return false;
    this.pool.freeAt(this.keys, slot);
    this.pool.freeAt(this.values, slot);
    // Backward-shift deletion: move later members of the probe run into the hole.
    let hole = slot;
    for (;;) {
      slot = slot + 1 === this.capacity ? 0 : slot + 1;
      if (this.keys[slot] === EMPTY) break;
      const home = this.home(this.hashes[slot]);
      const between = hole <= slot ? home > hole && home <= slot : home > hole || home <= slot;
      if (between) continue;
      this.keys[hole] = this.keys[slot];
      this.values[hole] = this.values[slot];
      this.hashes[hole] = this.hashes[slot];
      hole = slot;
    }
    this.keys[hole] = EMPTY;
    this.values[hole] = EMPTY;
    this.size--;
    return true;
  }
}

// Handles are passed as (array, slot), never as numbers: a handle is a double above 2^31, and V8
// boxes a double passed to a call it does not inline. KvPool.bytesAt reads it inside the pool.
function copyInto(pool, handles, slot, bytes, start, end) {
  const page = pool.bytesAt(handles, slot);
  const offset = pool.lastOffset;
  for (let i = start; i < end; i++) page[offset + i - start] = bytes[i];
}

import type { KvPool } from "@nedis/allocators/kv-pool";
import { HashTable } from "./HashTable.js";

/** Smallest table: 16 records (256 bytes). */
export const MIN_TABLE_SIZE = 16;
/** Old-table records migrated per insert while resizing; enough that the new table never fills first. */
const MIGRATE_SLOTS_PER_INSERT = 8;
// Memory of a retired table given back per insert: ~30 µs of work, all of a 128 MB table
// within 512 inserts.
const RECLAIM_BYTES_PER_INSERT = 256 * 1024;
/**
 * Old-table slots migrated per lookup while resizing (Redis rehashes a bucket per lookup too):
 * a lookup that misses the new table must probe the old one as well, so a short resize is cheaper
 * than a long one even though the records moved are the same.
 */
const MIGRATE_SLOTS_PER_LOOKUP = 4;

/**
 * Compares the key of the entry whose handle is `handles[index]` with a key given as a byte
 * range. The handle is passed as its place, not its value: a handle is a double, which V8 would
 * box in a heap number for every call it does not inline.
 */
export type KeyComparator = (
  handles: Float64Array,
  index: number,
  key: Uint8Array,
  off: number,
  len: number,
) => boolean;

/**
 * The key index of one database: an open-addressing {@link HashTable} that resizes
 * incrementally, like Redis's two-table rehash. When the table passes 75% load a table twice
 * the size becomes `main` and the old one drains into it a few records per insert (and in
 * time-boxed cron steps), whole clusters at a time so lookups in the old table never meet a
 * half-moved cluster. A lookup that finds its key in the old table moves it to `main` on the
 * spot, so every slot number handed out ("ref") is a slot of `main`.
 *
 * Refs stay valid until the next insert or removal in this index (inserts never move other
 * records; removals shift records back; a resize replaces `main`).
 */
export class KeyIndex {
  main: HashTable;
  old: HashTable | null = null;
  /** Old-table slot the migration started after, and how many slots it has visited. */
  private migrateStart = 0;
  private migrated = 0;

  /**
   * @param expandAllowed whether a table of `bytes` more may be allocated now; asked before a
   * growth that could still wait (Redis's `dictExpandAllowed`: not if it would pass maxmemory).
   */
  constructor(
    /** Where the tables are charged (a hash's field table charges them through its own value). */
    private readonly pool: Pick<KvPool, "adjustExternal">,
    private readonly keyEquals: KeyComparator,
    private readonly expandAllowed: (bytes: number) => boolean = () => true,
  ) {
    this.main = this.newTable(MIN_TABLE_SIZE);
  }

  /** Keys in the index. */
  get count(): number {
    return this.old === null ? this.main.count : this.main.count + this.old.count;
  }

  /** True while an old table is still draining. */
  get resizing(): boolean {
    return this.old !== null;
  }

  /** Bytes of the index's tables. */
  get bytes(): number {
    return this.main.bytes + (this.old?.bytes ?? 0);
  }

  /**
   * Bytes a new table would add if `newKeys` inserts happened now: 0 unless the growth would be
   * forced (past {@link HashTable.hardMaxCount}); a growth that may wait is only made when
   * `expandAllowed` says it fits.
   */
  growthBytes(newKeys: number): number {
    const main = this.main;
    return this.old === null && main.count + newKeys > main.hardMaxCount ? main.size * 2 * 16 : 0;
  }

  /** The ref (a slot of `main`) of the key, or -1. Inserts into `main` (never moving records). */
  find(hash: number, key: Uint8Array, off: number, len: number): number {
    if (this.old !== null) this.migrate(MIGRATE_SLOTS_PER_LOOKUP);
    const slot = probe(this.main, hash, key, off, len, this.keyEquals);
    if (slot >= 0 || this.old === null) return slot;
    const oldSlot = probe(this.old, hash, key, off, len, this.keyEquals);
    return oldSlot < 0 ? -1 : this.promote(oldSlot);
  }

  /** The ref of the entry with exactly this handle (found through its key), or -1. */
  findHandle(hash: number, handle: number, key: Uint8Array, off: number, len: number): number {
    const ref = this.find(hash, key, off, len);
    return ref >= 0 && this.main.handleAt(ref) === handle ? ref : -1;
  }

  /** Adds a record for a key that is not in the index; returns its ref. */
  insert(hash: number, meta: number, handle: number): number {
    if (this.retired.length > 0) this.reclaim(RECLAIM_BYTES_PER_INSERT);
    if (this.old !== null) {
      this.migrate(MIGRATE_SLOTS_PER_INSERT);
      // Growing, the old table drains long before the new one fills; shrinking, inserts can
      // outrun the drain, and then the (small) new table is poured back into the old one.
      if (this.old !== null && this.count >= this.main.maxCount) {
        if (this.old.size > this.main.size) this.abortShrink();
        else this.migrate(Number.MAX_SAFE_INTEGER);
      }
    }
    const main = this.main;
    if (this.old === null && main.count >= main.maxCount) {
      if (main.count >= main.hardMaxCount || this.expandAllowed(main.size * 2 * 16)) this.startResize(main.size * 2);
    }
    return this.main.insert(hash, meta, handle);
  }

  /** Removes the record at `ref`. */
  remove(ref: number): void {
    this.main.remove(ref);
  }

  /** Drops every record and returns to the smallest table. */
  reset(): void {
    this.release(this.main);
    if (this.old !== null) this.release(this.old);
    this.old = null;
    this.main = this.newTable(MIN_TABLE_SIZE);
  }

  /** Starts shrinking when the table is under 10% full (Redis's HASHTABLE_MIN_FILL); true if it did. */
  maybeShrink(): boolean {
    if (this.old !== null || this.main.size <= MIN_TABLE_SIZE || this.main.count * 10 >= this.main.size) return false;
    let size = MIN_TABLE_SIZE;
    while (size * 0.5 < this.main.count) size *= 2;
    if (size >= this.main.size) return false;
    this.startResize(size);
    return true;
  }

  /**
   * Moves records from the old table to `main`: at least `minSlots` old slots, then on to the
   * end of the current cluster. Returns true while the old table still has records.
   */
  migrate(minSlots: number): boolean {
    const old = this.old;
    if (old === null) return false;
    const main = this.main;
    const mask = old.mask;
    const words = old.words;
    const handles = old.handles;
    let visited = 0;
    while (this.migrated < old.size) {
      const slot = (this.migrateStart + this.migrated) & mask;
      this.migrated++;
      const handle = handles[(slot << 1) | 1]!;
      if (handle !== 0) {
        main.insert(old.hashes[slot << 2]!, words[(slot << 2) | 1]!, handle);
        old.clearUnchecked(slot);
      } else if (visited >= minSlots) {
        break;
      }
      visited++;
    }
    if (old.count === 0 || this.migrated >= old.size) {
      this.release(old);
      this.old = null;
      return false;
    }
    return true;
  }

  /**
   * One step of Redis's `dictScan`: emits every record whose home bucket is the cursor's bucket
   * (in both tables while resizing) and returns the next cursor, 0 when the scan is complete.
   * Cursors count in reversed binary, so a key present for the whole scan is emitted at least
   * once even if the table grows or shrinks in between.
   */
  scan(cursor: number, emit: (handle: number, meta: number) => void): number {
    let v = cursor >>> 0;
    if (this.old === null) {
      const t = this.main;
      emitBucket(t, v & t.mask, emit);
      return nextCursor(v, t.mask);
    }
    let small = this.main;
    let large = this.old;
    if (small.size > large.size) {
      small = this.old;
      large = this.main;
    }
    const m0 = small.mask;
    const m1 = large.mask;
    emitBucket(small, v & m0, emit);
    do {
      emitBucket(large, v & m1, emit);
      v = nextCursor(v, m1);
    } while ((v & (m0 ^ m1)) !== 0);
    return v;
  }

  /**
   * Up to `count` records starting at a random slot (Redis's `dictGetSomeKeys`): their handles
   * and meta words go to `handles`/`metas`. Returns how many were written.
   */
  sample(count: number, handles: Float64Array, metas: Uint32Array): number {
    const total = this.count;
    if (total === 0) return 0;
    let n = 0;
    let steps = count * 10;
    const tables = this.old === null ? 1 : 2;
    for (let t = 0; t < tables && n < count; t++) {
      const table = t === 0 ? this.main : (this.old as HashTable);
      if (table.count === 0) continue;
      let i = Math.floor(Math.random() * table.size);
      while (n < count && steps-- > 0) {
        const handle = table.handles[(i << 1) | 1]!;
        if (handle !== 0) {
          handles[n] = handle;
          metas[n] = table.words[(i << 2) | 1]!;
          n++;
        }
        i = (i + 1) & table.mask;
      }
    }
    return n;
  }

  /** The handle of a random record, 0 when empty. */
  randomHandle(): number {
    const total = this.count;
    if (total === 0) return 0;
    const old = this.old;
    const table = old !== null && Math.random() * total < old.count ? old : this.main;
    if (table.count === 0) return 0;
    let i = Math.floor(Math.random() * table.size);
    for (;;) {
      const handle = table.handles[(i << 1) | 1]!;
      if (handle !== 0) return handle;
      i = (i + 1) & table.mask;
    }
  }

  /** Calls `fn` for every record (the index must not change meanwhile). */
  forEach(fn: (handle: number, meta: number) => void): void {
    forEachIn(this.main, fn);
    if (this.old !== null) forEachIn(this.old, fn);
  }

  private promote(oldSlot: number): number {
    const old = this.old as HashTable;
    const ref = this.main.insert(old.hashAt(oldSlot), old.metaAt(oldSlot), old.handleAt(oldSlot));
    old.remove(oldSlot);
    if (old.count === 0) {
      this.release(old);
      this.old = null;
    }
    return ref;
  }

  private abortShrink(): void {
    const old = this.old as HashTable;
    const main = this.main;
    for (let i = 0; i < main.size; i++) {
      const handle = main.handleAt(i);
      if (handle !== 0) old.insert(main.hashAt(i), main.metaAt(i), handle);
    }
    this.release(main);
    this.main = old;
    this.old = null;
  }

  private startResize(size: number): void {
    const old = this.main;
    this.main = this.newTable(size);
    if (old.count === 0) {
      this.release(old);
      return;
    }
    // Start right after an empty slot so the first cluster drained is whole.
    let empty = 0;
    while (old.handleAt(empty) !== 0) empty++;
    this.old = old;
    this.migrateStart = empty + 1;
    this.migrated = 0;
  }

  private newTable(size: number): HashTable {
    const table = new HashTable(size);
    this.pool.adjustExternal(table.bytes);
    return table;
  }

  private release(table: HashTable): void {
    this.pool.adjustExternal(-table.bytes);
    if (table.reclaimable) this.retired.push(table);
  }

  /** Tables replaced by a resize whose memory is still being given back (see HashTable.reclaim). */
  private readonly retired: HashTable[] = [];

  /** Gives back up to `maxBytes` of retired tables' memory; true while some remains. */
  reclaim(maxBytes: number): boolean {
    const retired = this.retired;
    while (retired.length > 0) {
      if (!retired[0]!.reclaim(maxBytes)) return true;
      retired.shift();
    }
    return false;
  }
}

function probe(
  t: HashTable,
  hash: number,
  key: Uint8Array,
  off: number,
  len: number,
  keyEquals: KeyComparator,
): number {
  const mask = t.mask;
  const hashes = t.hashes;
  const handles = t.handles;
  for (let i = hash & mask; ; i = (i + 1) & mask) {
    const handle = handles[(i << 1) | 1]!;
    if (handle === 0) return -1;
    if (hashes[i << 2] === hash && keyEquals(handles, (i << 1) | 1, key, off, len)) return i;
  }
}

function emitBucket(t: HashTable, bucket: number, emit: (handle: number, meta: number) => void): void {
  const mask = t.mask;
  for (let i = bucket; ; i = (i + 1) & mask) {
    const handle = t.handles[(i << 1) | 1]!;
    if (handle === 0) return;
    if ((t.words[i << 2]! & mask) === bucket) emit(handle, t.words[(i << 2) | 1]!);
  }
}

function forEachIn(t: HashTable, fn: (handle: number, meta: number) => void): void {
  for (let i = 0; i < t.size; i++) {
    const handle = t.handles[(i << 1) | 1]!;
    if (handle !== 0) fn(handle, t.words[(i << 2) | 1]!);
  }
}

/** Redis's reverse-binary cursor increment over the bits of `mask`. */
function nextCursor(v: number, mask: number): number {
  v = (v | ~mask) >>> 0;
  v = reverseBits(v);
  v = (v + 1) >>> 0;
  return reverseBits(v);
}

function reverseBits(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return ((v >>> 16) | (v << 16)) >>> 0;
}

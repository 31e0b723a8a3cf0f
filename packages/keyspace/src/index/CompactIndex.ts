import { CompactTable } from "./CompactTable.js";

/** Smallest table: 16 records. */
const MIN_TABLE_SIZE = 16;
/**
 * Old-table records migrated per insert while resizing. Twice the key index's: a collection
 * that stops growing soon after a resize should not keep both tables (1.5× the memory) alive.
 */
const MIGRATE_SLOTS_PER_INSERT = 16;
/** Old-table slots migrated per lookup while resizing (a miss in main probes the old table too). */
const MIGRATE_SLOTS_PER_LOOKUP = 4;
/** Memory of a retired table given back per insert (see HashTable.reclaim). */
const RECLAIM_BYTES_PER_INSERT = 256 * 1024;

/**
 * Compares the entry of record `slot` of `table` with a key given as a byte range (the record
 * is passed by place, not its payload, so no double is boxed across the call).
 */
export type CompactKeyComparator = (
  table: CompactTable,
  slot: number,
  key: Uint8Array,
  off: number,
  len: number,
) => boolean;

/**
 * A member index for large collections: {@link KeyIndex}'s incremental two-table resize,
 * reverse-binary scan and shift-delete over {@link CompactTable}s (records without a meta word,
 * 8 or 12 bytes instead of 16). Refs are slots of `main`, valid until the next insert or
 * removal (a lookup that finds its key in the old table moves it to `main`).
 */
export class CompactIndex {
  main: CompactTable;
  old: CompactTable | null = null;
  private migrateStart = 0;
  private migrated = 0;
  /** Tables replaced by a resize whose memory is still being given back. */
  private readonly retired: CompactTable[] = [];

  constructor(
    readonly stride: 2 | 3,
    private readonly keyEquals: CompactKeyComparator,
    private readonly expandAllowed: (bytes: number) => boolean = () => true,
  ) {
    this.main = new CompactTable(MIN_TABLE_SIZE, stride);
  }

  get count(): number {
    return this.old === null ? this.main.count : this.main.count + this.old.count;
  }

  get resizing(): boolean {
    return this.old !== null;
  }

  /**
   * Old-table slots not migrated yet, from {@link oldRemainingStart} on (wrapping): the only place
   * the old table's records can be, since migration clears the slots it passes. Random draws
   * during a shrink use it, so the drained part of a large sparse table is not drawn from.
   */
  get oldRemaining(): number {
    return this.old === null ? 0 : this.old.size - this.migrated;
  }

  /** The first old-table slot not migrated yet (see {@link oldRemaining}). */
  get oldRemainingStart(): number {
    return this.old === null ? 0 : (this.migrateStart + this.migrated) & this.old.mask;
  }

  /** Bytes of the live tables. */
  get bytes(): number {
    return this.main.bytes + (this.old?.bytes ?? 0);
  }

  /** The ref (a slot of `main`) of the key, or -1. */
  find(hash: number, key: Uint8Array, off: number, len: number): number {
    if (this.old !== null) this.migrate(MIGRATE_SLOTS_PER_LOOKUP);
    const slot = this.probe(this.main, hash, key, off, len);
    if (slot >= 0 || this.old === null) return slot;
    const oldSlot = this.probe(this.old, hash, key, off, len);
    return oldSlot < 0 ? -1 : this.promote(oldSlot);
  }

  /** Adds a record for a key that is not in the index; returns its ref. */
  insert(hash: number, payload: number): number {
    if (this.retired.length > 0) this.reclaim(RECLAIM_BYTES_PER_INSERT);
    if (this.old !== null) {
      this.migrate(MIGRATE_SLOTS_PER_INSERT);
      if (this.old !== null && this.count >= this.main.maxCount) {
        if (this.old.size > this.main.size) this.abortShrink();
        else this.migrate(Number.MAX_SAFE_INTEGER);
      }
    }
    const main = this.main;
    if (this.old === null && main.count >= main.maxCount) {
      const bytes = main.bytes * 2;
      if (main.count >= main.hardMaxCount || this.expandAllowed(bytes)) this.startResize(main.size * 2);
    }
    return this.main.insert(hash, payload);
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
    this.main = new CompactTable(MIN_TABLE_SIZE, this.stride);
  }

  /** Starts shrinking when the table is under 10% full; true if it did. */
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
    const stride = old.stride;
    const words = old.words;
    let visited = 0;
    while (this.migrated < old.size) {
      const slot = (this.migrateStart + this.migrated) & mask;
      this.migrated++;
      if (words[slot * stride + 1] !== 0) {
        main.insertFrom(old, slot);
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

  /** One step of Redis's `dictScan` (see {@link KeyIndex.scan}); `emit` gets (table, slot). */
  scan(cursor: number, emit: (table: CompactTable, slot: number) => void): number {
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

  /** Calls `fn` for every record (the index must not change meanwhile). */
  forEach(fn: (table: CompactTable, slot: number) => void): void {
    forEachIn(this.main, fn);
    if (this.old !== null) forEachIn(this.old, fn);
  }

  /** The main-table ref of the record at `oldSlot` of the old table (moving it to `main`). */
  promote(oldSlot: number): number {
    const old = this.old as CompactTable;
    const ref = this.main.insertFrom(old, oldSlot);
    old.remove(oldSlot);
    if (old.count === 0) {
      this.release(old);
      this.old = null;
    }
    return ref;
  }

  /** Gives back up to `maxBytes` of retired tables' memory; true while some remains. */
  reclaim(maxBytes: number): boolean {
    const retired = this.retired;
    while (retired.length > 0) {
      if (!retired[0]!.reclaim(maxBytes)) return true;
      retired.shift();
    }
    return false;
  }

  private probe(t: CompactTable, hash: number, key: Uint8Array, off: number, len: number): number {
    const mask = t.mask;
    const stride = t.stride;
    const hashes = t.hashes;
    const keyEquals = this.keyEquals;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const at = i * stride;
      if (hashes[at + 1] === 0) return -1;
      if (hashes[at] === hash && keyEquals(t, i, key, off, len)) return i;
    }
  }

  private abortShrink(): void {
    const old = this.old as CompactTable;
    const main = this.main;
    for (let i = 0; i < main.size; i++) if (main.occupied(i)) old.insertFrom(main, i);
    this.release(main);
    this.main = old;
    this.old = null;
  }

  private startResize(size: number): void {
    const old = this.main;
    this.main = new CompactTable(size, this.stride);
    if (old.count === 0) {
      this.release(old);
      return;
    }
    // Start right after an empty slot so the first cluster drained is whole.
    let empty = 0;
    while (old.occupied(empty)) empty++;
    this.old = old;
    this.migrateStart = empty + 1;
    this.migrated = 0;
  }

  private release(table: CompactTable): void {
    if (table.reclaimable) this.retired.push(table);
  }
}

function emitBucket(t: CompactTable, bucket: number, emit: (table: CompactTable, slot: number) => void): void {
  const mask = t.mask;
  const stride = t.stride;
  const words = t.words;
  for (let i = bucket; ; i = (i + 1) & mask) {
    if (words[i * stride + 1] === 0) return;
    if ((words[i * stride]! & mask) === bucket) emit(t, i);
  }
}

function forEachIn(t: CompactTable, fn: (table: CompactTable, slot: number) => void): void {
  const stride = t.stride;
  const words = t.words;
  for (let i = 0; i < t.size; i++) if (words[i * stride + 1] !== 0) fn(t, i);
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

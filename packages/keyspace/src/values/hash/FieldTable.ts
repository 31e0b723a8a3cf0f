import type { KvHandle, KvPool } from "@nedis/allocators/kv-pool";
import {
  copyRange,
  entryBytes,
  entryKeyEquals,
  headerBytes,
  readKeyLength,
  writeKey,
} from "../../entry/EntryLayout.js";
import { halfSipHashSigned, randomHashKey } from "../../hash/halfSipHash.js";
import { CompactIndex } from "../../index/CompactIndex.js";
import type { CompactTable } from "../../index/CompactTable.js";
import type { OutOfLineValue } from "../ValueType.js";
import { type FieldAllocator, poolAllocator } from "./FieldAllocator.js";

const EMPTY = new Uint8Array(0);
/** One handle read out of a record, for the pool's `(array, index)` entry points (no boxing). */
const handleScratch = new Float64Array(1);

/**
 * Heap bytes of the objects around the tables (the FieldTable, its KeyIndex, the HashTable
 * wrappers and their typed-array views), added to the tables' buffers in {@link FieldTable.memoryUsage}.
 */
export const FIELD_TABLE_OVERHEAD = 512;

/** Old-table slots migrated per delete while resizing (on top of the key index's per-lookup steps). */
const MIGRATE_SLOTS_PER_DELETE = 16;

/** Uniform random draws {@link FieldTable.randomSlot} makes before walking to the next record. */
const RANDOM_TRIES = 64;

/** Called with a table whose field (and value) registers hold one entry; it must not change the table. */
export type FieldVisitor = (table: FieldTable) => void;

export interface FieldTableOptions {
  /** Where entries are allocated (default: the pool itself, throwing when it refuses). */
  allocator?: FieldAllocator;
  /** The 64-bit key of the field hash as two int32 halves (the keyspace's; default random). */
  hashKey?: readonly [number, number];
  /** Whether a table of `bytes` more may be allocated now (Redis's `dictExpandAllowed`). */
  expandAllowed?: (bytes: number) => boolean;
}

/**
 * The large encoding of hashes and sets (Redis's `hashtable`): a {@link CompactIndex} —
 * open addressing in typed arrays, incremental two-table resize, shift-delete, reverse-binary
 * SCAN cursor, 12-byte records (hash, entry handle) — whose records point to kv-pool entries
 * laid out like keyspace entries:
 *
 * ```
 * [field length: 1 byte if < 128, else 4 bytes][field bytes][value bytes]
 * ```
 *
 * The value length is the allocation's size minus the header and the field; a set's members
 * have no value bytes. No JS object exists per element.
 *
 * A slot ("ref") returned by {@link find} or {@link randomSlot} is a slot of the main table and
 * stays valid until the next {@link set} of a new field, {@link delete} or {@link deleteSlot}
 * (as the key index's refs). Read an entry with {@link load}, which fills the registers
 * `fieldBuf/fieldOff/fieldLen` and `valueBuf/valueOff/valueLen` (views into a pool page, valid
 * until the next change of the pool).
 */
export class FieldTable implements OutOfLineValue {
  fieldBuf: Uint8Array = EMPTY;
  fieldOff = 0;
  fieldLen = 0;
  valueBuf: Uint8Array = EMPTY;
  valueOff = 0;
  valueLen = 0;

  private readonly index: CompactIndex;
  private readonly allocator: FieldAllocator;
  private readonly k0: number;
  private readonly k1: number;
  private readonly options: FieldTableOptions;
  private visitor: FieldVisitor | null = null;
  /** Loads the entry of a record and calls the current visitor (one closure per table, not per call). */
  private readonly visit: (table: CompactTable, slot: number) => void;

  constructor(
    private readonly pool: KvPool,
    options: FieldTableOptions = {},
  ) {
    this.options = options;
    this.allocator = options.allocator ?? poolAllocator(pool);
    [this.k0, this.k1] = options.hashKey ?? randomHashKey();
    this.index = new CompactIndex(
      3,
      (table, slot, key, off, len) => {
        table.payloadInto(slot, handleScratch, 0);
        return entryKeyEquals(pool, handleScratch, 0, key, off, len);
      },
      options.expandAllowed,
    );
    this.visit = (table, slot) => {
      this.loadHandle(table.payloadAt(slot));
      (this.visitor as FieldVisitor)(this);
    };
  }

  /** Fields in the table. */
  get count(): number {
    return this.index.count;
  }

  /** True while an incremental resize is under way (two tables). */
  get resizing(): boolean {
    return this.index.resizing;
  }

  /** The hash of a field (int32), as the table computes it. */
  hashOf(field: Uint8Array, off: number, len: number): number {
    return halfSipHashSigned(this.k0, this.k1, field, off, len);
  }

  /** The slot of `field[off, off + len)`, or -1. */
  find(field: Uint8Array, off: number, len: number): number {
    return this.index.find(halfSipHashSigned(this.k0, this.k1, field, off, len), field, off, len);
  }

  /** {@link find} of a field whose {@link hashOf} is known. */
  findHashed(hash: number, field: Uint8Array, off: number, len: number): number {
    return this.index.find(hash, field, off, len);
  }

  /**
   * Adds a member known to be absent, whose {@link hashOf} is known: SADD's check-then-add
   * without a second hash and probe (the check comes first so that an existing member does not
   * pass the change gateway).
   */
  addHashed(hash: number, member: Uint8Array, off: number, len: number): void {
    const handle = this.allocator.alloc(entryBytes(len, 0, false));
    const pool = this.pool;
    writeKey(pool.pageOf(handle), pool.offsetOf(handle), member, off, len);
    this.index.insert(hash, handle);
  }

  /** Fills the field and value registers from the entry at `slot`. */
  load(slot: number): void {
    const pool = this.pool;
    this.index.main.payloadInto(slot, handleScratch, 0);
    const page = pool.bytesAt(handleScratch, 0);
    this.fill(page, pool.lastOffset, pool.lastLength);
  }

  /** Fills the registers from an entry's handle (what `scan`/`forEach` visitors see). */
  loadHandle(handle: number): void {
    const pool = this.pool;
    const page = pool.bytesOf(handle as KvHandle);
    this.fill(page, pool.lastOffset, pool.lastLength);
  }

  /**
   * Sets `field` to `value` (copying both into the pool); true when the field is new. Replacing
   * a value of another length reallocates the entry (its slot stays, its handle changes).
   */
  set(
    field: Uint8Array,
    fieldOff: number,
    fieldLen: number,
    value: Uint8Array,
    valueOff: number,
    valueLen: number,
  ): boolean {
    const hash = halfSipHashSigned(this.k0, this.k1, field, fieldOff, fieldLen);
    const index = this.index;
    const slot = index.find(hash, field, fieldOff, fieldLen);
    const size = entryBytes(fieldLen, valueLen, false);
    const pool = this.pool;
    if (slot >= 0) {
      const main = index.main;
      // One handle decode for page, offset and length (the common case: a value of the same size).
      main.payloadInto(slot, handleScratch, 0);
      let page = pool.bytesAt(handleScratch, 0);
      let at = pool.lastOffset;
      if (pool.lastLength !== size) {
        const handle = this.allocator.realloc(handleScratch[0] as KvHandle, size);
        main.setPayload(slot, handle);
        page = pool.pageOf(handle);
        at = pool.offsetOf(handle);
      }
      copyRange(value, valueOff, page, at + size - valueLen, valueLen);
      return false;
    }
    const handle = this.allocator.alloc(size);
    const page = pool.bytesOf(handle);
    const at = writeKey(page, pool.lastOffset, field, fieldOff, fieldLen);
    copyRange(value, valueOff, page, at, valueLen);
    index.insert(hash, handle);
    return true;
  }

  /** Adds a member without a value (sets); true when it is new. */
  add(member: Uint8Array, off: number, len: number): boolean {
    return this.set(member, off, len, EMPTY, 0, 0);
  }

  /** Removes `field`; true when it was there. */
  delete(field: Uint8Array, off: number, len: number): boolean {
    const slot = this.find(field, off, len);
    if (slot < 0) return false;
    this.deleteSlot(slot);
    return true;
  }

  /** Removes the entry at `slot` (SPOP, HRANDFIELD-then-delete) and frees its pool entry. */
  deleteSlot(slot: number): void {
    const index = this.index;
    const handle = index.main.payloadAt(slot) as KvHandle;
    index.remove(slot);
    this.allocator.free(handle);
    // Redis's htNeedsResize/dictResize after a hash or set delete: under 10% full, shrink. A
    // resize in progress drains faster on deletes, so a hash emptied by HDEL does not keep
    // its large old table (and two-table lookups) for long.
    if (index.resizing) index.migrate(MIGRATE_SLOTS_PER_DELETE);
    else index.maybeShrink();
  }

  /**
   * One step of Redis's `dictScan`: visits every entry of one home bucket (in both tables while
   * resizing) and returns the next cursor, 0 when the scan is complete. A field present for the
   * whole scan is visited at least once, across grows and shrinks; one may be visited twice.
   * The visitor must not change the table.
   */
  scan(cursor: number, visitor: FieldVisitor): number {
    const previous = this.visitor;
    this.visitor = visitor;
    try {
      return this.index.scan(cursor, this.visit);
    } finally {
      this.visitor = previous;
    }
  }

  /** Visits every entry (the visitor must not change the table). */
  forEach(visitor: FieldVisitor): void {
    const previous = this.visitor;
    this.visitor = visitor;
    try {
      this.index.forEach(this.visit);
    } finally {
      this.visitor = previous;
    }
  }

  /**
   * The slot of a uniformly random entry, -1 when empty (HRANDFIELD, SRANDMEMBER, SPOP). Draws
   * records of the main table and of the old table's part not migrated yet (the only place its
   * records are) uniformly until one is occupied — fairer than Redis's `dictGetFairRandomKey`,
   * and short because a table is kept over 10% full — and after {@link RANDOM_TRIES} misses
   * takes the next record after a random one. Leaving out the drained part of the old table
   * matters while a large set shrinks (SPOP toward empty): it is a long run of empty records.
   */
  randomSlot(): number {
    const index = this.index;
    if (index.count === 0) return -1;
    const main = index.main;
    const mainSize = main.size;
    const mainWords = main.words;
    const stride = main.stride;
    const old = index.old;
    const oldRemaining = index.oldRemaining;
    const slots = mainSize + oldRemaining;
    for (let t = 0; t < RANDOM_TRIES; t++) {
      const r = Math.floor(Math.random() * slots);
      if (r < mainSize) {
        if (mainWords[r * stride + 1] !== 0) return r;
      } else {
        const o = old as CompactTable;
        const slot = (index.oldRemainingStart + r - mainSize) & o.mask;
        if (o.occupied(slot)) return index.promote(slot);
      }
    }
    // Mostly empty so far: the next record after a random one.
    const r = Math.floor(Math.random() * slots);
    for (let i = 0; i < slots; i++) {
      const p = (r + i) % slots;
      if (p < mainSize) {
        if (mainWords[p * stride + 1] !== 0) return p;
      } else {
        const o = old as CompactTable;
        const slot = (index.oldRemainingStart + p - mainSize) & o.mask;
        if (o.occupied(slot)) return index.promote(slot);
      }
    }
    return -1;
  }

  /**
   * Record positions across both tables (the main table's, then the old one's while resizing),
   * for a walk without a visitor: {@link handleAtPosition} of each `0 ≤ i < positions`. The
   * table must not change during the walk.
   */
  get positions(): number {
    const old = this.index.old;
    return this.index.main.size + (old === null ? 0 : old.size);
  }

  /** The entry handle at record position `i` (see {@link positions}), 0 when it is empty. */
  handleAtPosition(i: number): number {
    const main = this.index.main;
    if (i < main.size) return main.payloadAt(i);
    return (this.index.old as CompactTable).payloadAt(i - main.size);
  }

  /** A deep copy (COPY): the same fields and values in new pool entries, the same allocator. */
  clone(): FieldTable {
    const copy = new FieldTable(this.pool, this.options);
    const positions = this.positions;
    for (let i = 0; i < positions; i++) {
      const handle = this.handleAtPosition(i);
      if (handle === 0) continue;
      this.loadHandle(handle);
      copy.set(this.fieldBuf, this.fieldOff, this.fieldLen, this.valueBuf, this.valueOff, this.valueLen);
    }
    return copy;
  }

  /** Heap bytes the table holds (its typed arrays and objects): what the value store charges. */
  memoryUsage(): number {
    return this.index.bytes + FIELD_TABLE_OVERHEAD;
  }

  /**
   * Bytes the value owns, like Redis's `objectComputeSize` for a hashtable: the heap part plus
   * the average charged size of the first `samples` entries (0: all) times the count.
   */
  ownedBytes(samples: number): number {
    const count = this.index.count;
    const heap = this.memoryUsage();
    if (count === 0) return heap;
    const limit = samples <= 0 ? count : Math.min(samples, count);
    const pool = this.pool;
    let sampled = 0;
    let sum = 0;
    for (let t = 0; t < 2 && sampled < limit; t++) {
      const table = t === 0 ? this.index.main : this.index.old;
      if (table === null) break;
      for (let i = 0; i < table.size && sampled < limit; i++) {
        if (!table.occupied(i)) continue;
        table.payloadInto(i, handleScratch, 0);
        pool.bytesAt(handleScratch, 0);
        sum += pool.usableSizeFor(pool.lastLength);
        sampled++;
      }
    }
    return heap + (sampled === count ? sum : Math.floor((sum / sampled) * count));
  }

  /** Frees every entry and returns to the smallest table (the table may be used again). */
  free(): void {
    const allocator = this.allocator;
    const index = this.index;
    for (let t = 0; t < 2; t++) {
      const table = t === 0 ? index.main : index.old;
      if (table === null) break;
      for (let i = 0; i < table.size; i++) {
        if (table.occupied(i)) allocator.free(table.payloadAt(i) as KvHandle);
      }
    }
    index.reset();
    index.reclaim(Number.MAX_SAFE_INTEGER);
    this.fieldBuf = EMPTY;
    this.valueBuf = EMPTY;
  }

  private fill(page: Uint8Array, at: number, size: number): void {
    const fieldLen = readKeyLength(page, at);
    const fieldOff = at + headerBytes(fieldLen);
    this.fieldBuf = page;
    this.fieldOff = fieldOff;
    this.fieldLen = fieldLen;
    this.valueBuf = page;
    this.valueOff = fieldOff + fieldLen;
    this.valueLen = size - (fieldOff + fieldLen - at);
  }
}

import { bytesEqual } from "../../entry/EntryLayout.js";
import { halfSipHashSigned, randomHashKey } from "../../hash/halfSipHash.js";
import { CompactIndex } from "../../index/CompactIndex.js";
import type { CompactTable } from "../../index/CompactTable.js";
import type { SkipList } from "./SkipList.js";
import { scoreBytes } from "./zsetScores.js";

/** Heap bytes of the objects around the tables (this object, its index, the table wrappers and views). */
export const ZSET_DICT_OVERHEAD = 384;

/** Old-table slots migrated per delete while resizing (on top of the index's per-lookup steps). */
const MIGRATE_SLOTS_PER_DELETE = 16;

const EMPTY = new Uint8Array(0);

/** Called with a dict whose member and score registers hold one element; it must not change the zset. */
export type ZSetDictVisitor = (dict: ZSetDict) => void;

/**
 * The member index of a large sorted set (the `dict` of Redis's `zset`), without a copy of the
 * member or the score: its 8-byte records (hash, skiplist node) point to the skiplist's nodes,
 * whose pool entries hold the member bytes and whose towers hold the score. A lookup compares
 * the member bytes through the node. The node of an element never changes while it is in the
 * set (`SkipList.updateScore` keeps it), so the record stays valid until the element goes.
 *
 * A slot ("ref") returned by {@link find} stays valid until the next {@link insert} or removal.
 */
export class ZSetDict {
  /** Registers a {@link scan} visitor reads: the member bytes, and the score as 8 raw bytes (`readScore`). */
  fieldBuf: Uint8Array = EMPTY;
  fieldOff = 0;
  fieldLen = 0;
  valueBuf: Uint8Array = EMPTY;
  valueOff = 0;

  private readonly index: CompactIndex;
  private readonly k0: number;
  private readonly k1: number;
  private visitor: ZSetDictVisitor | null = null;
  private readonly visit: (table: CompactTable, slot: number) => void;

  constructor(list: SkipList, expandAllowed?: (bytes: number) => boolean) {
    [this.k0, this.k1] = randomHashKey();
    this.index = new CompactIndex(
      2,
      (table, slot, key, off, len) => {
        const page = list.member(table.words[slot * 2 + 1]!);
        return list.memberLen === len && bytesEqual(page, list.memberOff, key, off, len);
      },
      expandAllowed,
    );
    this.visit = (table, slot) => {
      const node = table.words[slot * 2 + 1]!;
      this.fieldBuf = list.member(node);
      this.fieldOff = list.memberOff;
      this.fieldLen = list.memberLen;
      this.valueBuf = scoreBytes(list.score(node));
      this.valueOff = 0;
      (this.visitor as ZSetDictVisitor)(this);
    };
  }

  /** Members in the index. */
  get count(): number {
    return this.index.count;
  }

  /** The slot of member `buf[off, off + len)`, or -1. */
  find(buf: Uint8Array, off: number, len: number): number {
    return this.index.find(halfSipHashSigned(this.k0, this.k1, buf, off, len), buf, off, len);
  }

  /** The hash of a member, as {@link findHashed} and {@link insertHashed} take it. */
  hashOf(buf: Uint8Array, off: number, len: number): number {
    return halfSipHashSigned(this.k0, this.k1, buf, off, len);
  }

  /** {@link find} with the member's {@link hashOf} known. */
  findHashed(hash: number, buf: Uint8Array, off: number, len: number): number {
    return this.index.find(hash, buf, off, len);
  }

  /** {@link insert} with the member's {@link hashOf} known (ZADD looked it up first). */
  insertHashed(hash: number, node: number): void {
    this.index.insert(hash, node);
  }

  /** The skiplist node of the element at `slot`. */
  nodeAt(slot: number): number {
    return this.index.main.words[slot * 2 + 1]!;
  }

  /** Indexes a member that is not in the index, whose element is skiplist node `node`. */
  insert(buf: Uint8Array, off: number, len: number, node: number): void {
    this.index.insert(halfSipHashSigned(this.k0, this.k1, buf, off, len), node);
  }

  /** Removes the record at `slot` (before its node is freed or reused). */
  deleteSlot(slot: number): void {
    const index = this.index;
    index.remove(slot);
    // Redis's htNeedsResize/dictResize after a delete: under 10% full, shrink.
    if (index.resizing) index.migrate(MIGRATE_SLOTS_PER_DELETE);
    else index.maybeShrink();
  }

  /** Removes member `buf[off, off + len)`; true when it was there. */
  delete(buf: Uint8Array, off: number, len: number): boolean {
    const slot = this.find(buf, off, len);
    if (slot < 0) return false;
    this.deleteSlot(slot);
    return true;
  }

  /**
   * One step of Redis's `dictScan` (see `FieldTable.scan`): visits every element of one home
   * bucket and returns the next cursor, 0 when the scan is complete.
   */
  scan(cursor: number, visitor: ZSetDictVisitor): number {
    const previous = this.visitor;
    this.visitor = visitor;
    try {
      return this.index.scan(cursor, this.visit);
    } finally {
      this.visitor = previous;
    }
  }

  /** Heap bytes of the index (its tables and objects). */
  memoryUsage(): number {
    return this.index.bytes + ZSET_DICT_OVERHEAD;
  }

  /** Drops every record (the skiplist frees the members). */
  free(): void {
    this.index.reset();
    this.index.reclaim(Number.MAX_SAFE_INTEGER);
    this.fieldBuf = EMPTY;
    this.valueBuf = EMPTY;
  }
}

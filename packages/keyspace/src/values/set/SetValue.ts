import type { KvHandle, KvPool } from "@nedis/allocators/kv-pool";
import { intsetAdd, intsetAddSize, intsetBlobLen, intsetFind, intsetLen, intsetNew } from "@nedis/rdb/intset";
import { Encoding } from "../../types.js";
import { budgetAllocator, type FieldAllocator } from "../hash/FieldAllocator.js";
import { FieldTable } from "../hash/FieldTable.js";
import type { ValueWriter } from "../ValueType.js";
import { INT_TEXT_MAX, intsetMemberText, type MemberSink, memberInt } from "./setMembers.js";

/** Where a {@link SetValue} puts a large set: a `FieldTable` in this pool, charged to this allocator. */
export interface SetStorage {
  pool: KvPool;
  allocator: FieldAllocator;
  expandAllowed?: (bytes: number) => boolean;
}

/**
 * A set built outside the keyspace (Redis's `createIntsetObject` + `setTypeAdd` on an object not
 * yet in a database): the results of SUNION/SINTERSTORE/SDIFFSTORE, COPY's duplicate, and
 * RESTORE's decoded payload. An intset in a heap buffer while every member is an integer and
 * there are at most `maxIntsetEntries`, else a `FieldTable` in the pool. {@link writeTo} hands the value over; {@link discard} frees it.
 */
export class SetValue {
  private intset = new Uint8Array(64);
  private table: FieldTable | null = null;
  private readonly scratch = new Uint8Array(INT_TEXT_MAX);

  constructor(
    private readonly storage: SetStorage,
    private readonly maxIntsetEntries: number,
  ) {
    intsetNew(this.intset, 0);
  }

  /** Members held. */
  get count(): number {
    if (this.table !== null) return this.table.count;
    return intsetLen(this.intset, 0);
  }

  /** True while the set is an intset. */
  get isIntset(): boolean {
    return this.table === null;
  }

  /** Adds a member; true when it is new. */
  add(buf: Uint8Array, off: number, len: number): boolean {
    if (this.table !== null) return this.table.add(buf, off, len);
    const value = memberInt(buf, off, len);
    if (value === null) {
      this.convert();
      return this.add(buf, off, len);
    }
    const size = intsetAddSize(this.intset, 0, value);
    if (size > this.intset.length) {
      const grown = new Uint8Array(Math.max(size, this.intset.length * 2));
      grown.set(this.intset);
      this.intset = grown;
    }
    if (!intsetAdd(this.intset, 0, value)) return false;
    if (intsetLen(this.intset, 0) > this.maxIntsetEntries) this.convert();
    return true;
  }

  /** True when the member is in the set. */
  has(buf: Uint8Array, off: number, len: number): boolean {
    if (this.table !== null) return this.table.find(buf, off, len) >= 0;
    const value = memberInt(buf, off, len);
    return value !== null && intsetFind(this.intset, 0, value);
  }

  /** Visits every member. */
  forEach(sink: MemberSink): void {
    if (this.table !== null) {
      forEachInTable(this.table, sink);
    } else {
      const n = intsetLen(this.intset, 0);
      for (let i = 0; i < n; i++) sink.member(this.scratch, 0, intsetMemberText(this.intset, 0, i, this.scratch));
    }
  }

  /** Hands the set to `into` (inline intset or out-of-line table) and starts empty again. */
  writeTo(into: ValueWriter): void {
    const table = this.table;
    if (table !== null) {
      this.table = null;
      into.outOfLine(table, Encoding.HashTable);
    } else {
      const bytes = this.intset;
      into.inline(bytes, 0, intsetBlobLen(bytes, 0), Encoding.IntSet);
    }
    intsetNew(this.intset, 0);
  }

  /** Frees what the set holds and starts empty again. */
  discard(): void {
    if (this.table !== null) this.table.free();
    this.table = null;
    intsetNew(this.intset, 0);
  }

  /** Redis's `setTypeConvert(OBJ_ENCODING_HT)` of the intset built so far. */
  private convert(): void {
    const storage = this.storage;
    const table = new FieldTable(storage.pool, {
      allocator: storage.allocator,
      expandAllowed: storage.expandAllowed,
    });
    this.table = table;
    const n = intsetLen(this.intset, 0);
    for (let i = 0; i < n; i++) table.add(this.scratch, 0, intsetMemberText(this.intset, 0, i, this.scratch));
    intsetNew(this.intset, 0);
  }
}

/** What a set needs of its keyspace (a `DatabaseHost` is one): the pool, the budget, the limits. */
export interface SetHost {
  readonly pool: KvPool;
  readonly memory: {
    alloc(size: number): KvHandle;
    realloc(handle: KvHandle, size: number): KvHandle;
    expandAllowed(bytes: number): boolean;
  };
  readonly limits: { readonly setMaxIntsetEntries: number };
}

/** Where the sets of a keyspace allocate their members: its budget (commands reserved first). */
export function setStorageOf(host: SetHost): SetStorage {
  return {
    pool: host.pool,
    allocator: budgetAllocator(host.memory, host.pool),
    expandAllowed: (bytes) => host.memory.expandAllowed(bytes),
  };
}

let tableSink: MemberSink | null = null;
const visitTable = (table: FieldTable): void => {
  (tableSink as MemberSink).member(table.fieldBuf, table.fieldOff, table.fieldLen);
};

/** Visits every member of a set's `FieldTable` (one shared visitor, no closure per call). */
export function forEachInTable(table: FieldTable, sink: MemberSink): void {
  const previous = tableSink;
  tableSink = sink;
  try {
    table.forEach(visitTable);
  } finally {
    tableSink = previous;
  }
}

import {
  intsetAdd,
  intsetAddSize,
  intsetBlobLen,
  intsetFind,
  intsetLen,
  intsetNew,
  intsetRemove,
  intsetRemoveSize,
} from "@nedis/rdb/intset";
import type { Database } from "../../Database.js";
import type { DatabaseCore } from "../../DatabaseCore.js";
import { Encoding, ObjectType } from "../../types.js";
import { FieldTable } from "../hash/FieldTable.js";
import { forEachInTable, SetValue, setStorageOf } from "./SetValue.js";
import { INT_TEXT_MAX, intsetMemberText, type MemberSink, memberInt } from "./setMembers.js";

export { setTypeForEach, setTypeSize } from "./setRead.js";

/**
 * The set type API (Redis's t_set.c `setType*`), the only way set commands touch a set.
 * Encodings as Redis 7.0: `intset` (inline: the entry's value bytes are Redis's intset, so DUMP
 * copies them) while every member is a canonical int64 and there are at most
 * `set-max-intset-entries`; `hashtable` (out of line: a {@link FieldTable} of members in the
 * pool) beyond, never converted back. Mutations pass the database's `modify` gateway once per
 * member changed (Redis's `server.dirty += changed`).
 */

/** The member a random pick found (`setTypeRandomElement`): `buf[off, off + len)`, valid until the next set call. */
export const picked: { buf: Uint8Array; off: number; len: number } = { buf: new Uint8Array(0), off: 0, len: 0 };

const scratch = new Uint8Array(INT_TEXT_MAX);
/** An intset of one member (at most int64: 8 + 8 bytes), built for each new key. */
const oneMember = new Uint8Array(16);

/** A detached set to build a result in (SUNION, *STORE), charged to `db`'s budget. */
export function newSetValue(db: DatabaseCore): SetValue {
  return new SetValue(setStorageOf(db.host), db.host.limits.setMaxIntsetEntries);
}

/**
 * `setTypeCreate` + `dbAdd` + `setTypeAdd`: adds key `key[off, off + len)` (absent; its hash
 * in `db.lastHash`) holding the one member `m[mOff, mOff + mLen)`: an intset when the member is
 * an integer, else a hashtable. Returns the new ref.
 */
export function setTypeCreate(
  db: Database,
  key: Uint8Array,
  off: number,
  len: number,
  m: Uint8Array,
  mOff: number,
  mLen: number,
): number {
  const value = memberInt(m, mOff, mLen);
  if (value !== null && db.host.limits.setMaxIntsetEntries > 0) {
    intsetNew(oneMember, 0);
    intsetAdd(oneMember, 0, value);
    return db.insertValue(key, off, len, oneMember, 0, intsetBlobLen(oneMember, 0), ObjectType.Set, Encoding.IntSet);
  }
  const table = new FieldTable(db.host.pool, setStorageOf(db.host));
  table.add(m, mOff, mLen);
  return db.insertOutOfLine(key, off, len, table, ObjectType.Set, Encoding.HashTable);
}

/** `setTypeIsMember`. */
export function setTypeIsMember(db: Database, ref: number, m: Uint8Array, off: number, len: number): boolean {
  if (db.rawEncodingAt(ref) === Encoding.IntSet) {
    const value = memberInt(m, off, len);
    if (value === null) return false;
    db.loadValue(ref);
    return intsetFind(db.valueBuf, db.valueOff, value);
  }
  return tableOf(db, ref).find(m, off, len) >= 0;
}

/** `setTypeAdd`: true when the member is new (then converted past the intset limits). */
export function setTypeAdd(db: Database, ref: number, m: Uint8Array, off: number, len: number): boolean {
  if (db.rawEncodingAt(ref) === Encoding.IntSet) {
    const value = memberInt(m, off, len);
    if (value !== null) {
      db.loadValue(ref);
      const size = intsetAddSize(db.valueBuf, db.valueOff, value);
      if (size === db.valueLen) return false;
      db.modify(ref);
      db.resizeValue(ref, size, Encoding.IntSet);
      intsetAdd(db.valueBuf, db.valueOff, value);
      if (intsetLen(db.valueBuf, db.valueOff) > db.host.limits.setMaxIntsetEntries) convertToTable(db, ref);
      return true;
    }
    db.modify(ref);
    convertToTable(db, ref);
    addToTable(db, ref, m, off, len);
    return true;
  }
  const table = tableOf(db, ref);
  const hash = table.hashOf(m, off, len);
  if (table.findHashed(hash, m, off, len) >= 0) return false;
  db.modify(ref);
  const before = table.memoryUsage();
  table.addHashed(hash, m, off, len);
  if (table.memoryUsage() !== before) db.host.values.recharge(db.outOfLineId(ref));
  return true;
}

/** `setTypeRemove`: true when the member was there. The caller deletes an emptied key. */
export function setTypeRemove(db: Database, ref: number, m: Uint8Array, off: number, len: number): boolean {
  if (db.rawEncodingAt(ref) === Encoding.IntSet) {
    const value = memberInt(m, off, len);
    if (value === null) return false;
    db.loadValue(ref);
    const size = intsetRemoveSize(db.valueBuf, db.valueOff, value);
    if (size === db.valueLen) return false;
    db.modify(ref);
    intsetRemove(db.valueBuf, db.valueOff, value);
    db.resizeValue(ref, size, Encoding.IntSet);
    return true;
  }
  const table = tableOf(db, ref);
  const slot = table.find(m, off, len);
  if (slot < 0) return false;
  db.modify(ref);
  removeSlot(db, ref, table, slot);
  return true;
}

/**
 * `setTypeRandomElement`: fills {@link picked} with a uniformly random member and returns a token
 * for {@link setTypeRemovePicked} (the member's intset index or table slot). The set is not empty.
 */
export function setTypeRandom(db: Database, ref: number): number {
  if (db.rawEncodingAt(ref) === Encoding.IntSet) {
    db.loadValue(ref);
    const i = Math.floor(Math.random() * intsetLen(db.valueBuf, db.valueOff));
    picked.buf = scratch;
    picked.off = 0;
    picked.len = intsetMemberText(db.valueBuf, db.valueOff, i, scratch);
    return i;
  }
  const table = tableOf(db, ref);
  const slot = table.randomSlot();
  table.load(slot);
  picked.buf = table.fieldBuf;
  picked.off = table.fieldOff;
  picked.len = table.fieldLen;
  return slot;
}

/** Fills {@link picked} with the member of `token` (from {@link setTypeRandom}; the set unchanged since). */
export function setTypeLoadPicked(db: Database, ref: number, token: number): void {
  if (db.rawEncodingAt(ref) === Encoding.IntSet) {
    db.loadValue(ref);
    picked.buf = scratch;
    picked.off = 0;
    picked.len = intsetMemberText(db.valueBuf, db.valueOff, token, scratch);
    return;
  }
  const table = tableOf(db, ref);
  table.load(token);
  picked.buf = table.fieldBuf;
  picked.off = table.fieldOff;
  picked.len = table.fieldLen;
}

/** Removes the member {@link setTypeRandom} just picked (no other set call in between). */
export function setTypeRemovePicked(db: Database, ref: number, token: number): void {
  db.modify(ref);
  if (db.rawEncodingAt(ref) === Encoding.IntSet) {
    const value = memberInt(picked.buf, picked.off, picked.len) as number | bigint;
    db.loadValue(ref);
    const size = intsetRemoveSize(db.valueBuf, db.valueOff, value);
    intsetRemove(db.valueBuf, db.valueOff, value);
    db.resizeValue(ref, size, Encoding.IntSet);
    return;
  }
  removeSlot(db, ref, tableOf(db, ref), token);
}

/**
 * Rebuilds a hashtable set whose members are now all integers, at most `set-max-intset-entries`,
 * as an intset: what SPOP's "create a new set" strategy (Redis's case 3) leaves behind. Part of
 * the command's counted change.
 */
export function setTypeRebuild(db: Database, ref: number): void {
  if (db.rawEncodingAt(ref) === Encoding.IntSet) return;
  const table = tableOf(db, ref);
  if (table.count > db.host.limits.setMaxIntsetEntries) return;
  // Only integers, at most `table.count` of them: it stays an intset, the storage is never used.
  const rebuilt = new SetValue(setStorageOf(db.host), table.count);
  rebuilder.target = rebuilt;
  rebuilder.ints = true;
  forEachInTable(table, rebuilder);
  rebuilder.target = null;
  if (!rebuilder.ints || !rebuilt.isIntset) return;
  rebuilt.writeTo(inlineWriter);
  db.setInline(ref, inlineWriter.bytes, inlineWriter.off, inlineWriter.len, Encoding.IntSet);
}

const rebuilder = {
  target: null as SetValue | null,
  ints: true,
  member(buf: Uint8Array, off: number, len: number): void {
    if (this.ints && memberInt(buf, off, len) !== null) (this.target as SetValue).add(buf, off, len);
    else this.ints = false;
  },
};

/** Receives an inline value (the intset {@link setTypeRebuild} made). */
const inlineWriter = {
  host: null,
  bytes: new Uint8Array(0) as Uint8Array,
  off: 0,
  len: 0,
  inline(bytes: Uint8Array, off: number, len: number): void {
    // The builder reuses its buffer once it has handed the value over: keep a copy.
    this.bytes = bytes.slice(off, off + len);
    this.off = 0;
    this.len = len;
  },
  outOfLine(): void {
    throw new Error("keyspace: an intset rebuild made a table");
  },
};

/**
 * One step of SSCAN over a hashtable set (Redis's `dictScan`): passes the members of one bucket
 * to `sink` and returns the next cursor, 0 when done. The sink must not change the set.
 */
export function setTypeScan(db: Database, ref: number, cursor: number, sink: MemberSink): number {
  scanSink = sink;
  try {
    return tableOf(db, ref).scan(cursor, visitScanned);
  } finally {
    scanSink = null;
  }
}

let scanSink: MemberSink | null = null;
const visitScanned = (table: FieldTable): void => {
  (scanSink as MemberSink).member(table.fieldBuf, table.fieldOff, table.fieldLen);
};

/** The set's table (a hashtable-encoded set). */
function tableOf(db: Database, ref: number): FieldTable {
  return db.objectAt(ref) as FieldTable;
}

/** `setTypeConvert(OBJ_ENCODING_HT)` of the intset at `ref` (part of a change already counted). */
function convertToTable(db: Database, ref: number): void {
  const table = new FieldTable(db.host.pool, setStorageOf(db.host));
  db.loadValue(ref);
  const buf = db.valueBuf;
  const off = db.valueOff;
  const n = intsetLen(buf, off);
  for (let i = 0; i < n; i++) table.add(scratch, 0, intsetMemberText(buf, off, i, scratch));
  db.setOutOfLine(ref, table, Encoding.HashTable);
}

function addToTable(db: Database, ref: number, m: Uint8Array, off: number, len: number): void {
  const table = db.objectAt(ref) as FieldTable;
  const before = table.memoryUsage();
  table.add(m, off, len);
  if (table.memoryUsage() !== before) db.host.values.recharge(db.outOfLineId(ref));
}

function removeSlot(db: Database, ref: number, table: FieldTable, slot: number): void {
  const before = table.memoryUsage();
  table.deleteSlot(slot);
  if (table.memoryUsage() !== before) db.host.values.recharge(db.outOfLineId(ref));
}

import {
  lpAppend,
  lpBytes,
  lpDeleteRangeWithEntry,
  lpLength,
  lpNew,
  lpReplace,
  lpReplaceSize,
  lpSkip,
  lpStringEntrySize,
} from "@nedis/rdb";
import { Encoding, ObjectType } from "../../types.js";
import type { ValueHost, ValueReader } from "../ValueType.js";
import { budgetAllocator } from "./FieldAllocator.js";
import { FieldTable, type FieldTableOptions } from "./FieldTable.js";
import type { HashDatabase } from "./HashDatabase.js";
import { HashReader } from "./HashReader.js";
import { lpFindField } from "./hashListpack.js";

/**
 * The hash type API (Redis's t_hash.c `hashType*` functions), the only thing hash commands
 * touch. A small hash is a listpack `field, value, …` inside its entry (encoding listpack) while
 * it has at most `hash-max-listpack-entries` fields and no field or value longer than
 * `hash-max-listpack-value`; past either it becomes a {@link FieldTable} (encoding hashtable)
 * and, as in Redis 7.0, never goes back. Writes pass the `modify` gateway once per field
 * written, which is Redis's `server.dirty` count for HSET, HDEL and HINCRBY*.
 */

/** What {@link hashDelete} did. */
export const HashDeleted = {
  /** The field was not there. */
  None: 0,
  /** The field was removed. */
  Field: 1,
  /** It was the last field: the key was removed (Redis deletes empty hashes). */
  Key: 2,
} as const;
export type HashDeleted = (typeof HashDeleted)[keyof typeof HashDeleted];

const tableOptions = new WeakMap<ValueHost, FieldTableOptions>();

/** A new empty hash table allocating from `host`'s budget (commands reserved the room). */
export function newHashTable(host: ValueHost): FieldTable {
  let options = tableOptions.get(host);
  if (options === undefined) {
    const memory = host.memory;
    options = {
      allocator: budgetAllocator(memory, host.pool),
      expandAllowed: (bytes) => memory.expandAllowed(bytes),
    };
    tableOptions.set(host, options);
  }
  return new FieldTable(host.pool, options);
}

/** The table of a hashtable-encoded hash (HSCAN walks it by cursor), or null for a listpack. */
export function hashTableOf(db: ValueReader, ref: number): FieldTable | null {
  return db.rawEncodingAt(ref) === Encoding.HashTable ? (db.objectAt(ref) as FieldTable) : null;
}

/** Fields in the hash at `ref` (HLEN). */
export function hashLength(db: ValueReader, ref: number): number {
  if (db.rawEncodingAt(ref) === Encoding.HashTable) return (db.objectAt(ref) as FieldTable).count;
  db.loadValue(ref);
  return lpLength(db.valueBuf, db.valueOff) >>> 1;
}

const emptyListpack = new Uint8Array(7);
lpNew(emptyListpack, 0);

/**
 * Adds the absent key `key` (its hash in `db.lastHash`, from the lookup that missed) as a hash
 * holding `field` = `value`: one change, like the write that fills it in Redis. `asTable`
 * creates it as a hashtable (an argument of the command is too long for a listpack). Returns
 * the new ref.
 */
export function hashCreate(
  db: HashDatabase,
  key: Uint8Array,
  keyOff: number,
  keyLen: number,
  field: Uint8Array,
  fieldOff: number,
  fieldLen: number,
  value: Uint8Array,
  valueOff: number,
  valueLen: number,
  asTable: boolean,
): number {
  const host = db.host;
  if (
    asTable ||
    host.limits.hashMaxListpackEntries < 1 ||
    fieldLen > host.limits.hashMaxListpackValue ||
    valueLen > host.limits.hashMaxListpackValue
  ) {
    const table = newHashTable(host);
    table.set(field, fieldOff, fieldLen, value, valueOff, valueLen);
    return db.insertOutOfLine(key, keyOff, keyLen, table, ObjectType.Hash, Encoding.HashTable);
  }
  const size =
    7 +
    lpStringEntrySize(field, fieldOff, fieldOff + fieldLen) +
    lpStringEntrySize(value, valueOff, valueOff + valueLen);
  const lp = scratchOf(size);
  lp.set(emptyListpack, 0);
  lpAppend(lp, 0, field, fieldOff, fieldOff + fieldLen);
  lpAppend(lp, 0, value, valueOff, valueOff + valueLen);
  return db.insertValue(key, keyOff, keyLen, lp, 0, size, ObjectType.Hash, Encoding.ListPack);
}

let scratch = new Uint8Array(256);
function scratchOf(size: number): Uint8Array {
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, scratch.length * 2));
  return scratch;
}

/**
 * Redis's `hashTypeSet` on the hash at `ref`: sets `field` to `value`, converting to a
 * hashtable first when `toTable` (the command's `hashTypeTryConversion` found a long argument)
 * or the field or value is too long, and after, when the hash has too many fields. Passes the
 * `modify` gateway first. True when the field is new.
 */
export function hashSet(
  db: HashDatabase,
  ref: number,
  field: Uint8Array,
  fieldOff: number,
  fieldLen: number,
  value: Uint8Array,
  valueOff: number,
  valueLen: number,
  toTable = false,
): boolean {
  db.modify(ref);
  const host = db.host;
  const limits = host.limits;
  if (db.rawEncodingAt(ref) === Encoding.ListPack) {
    if (toTable || fieldLen > limits.hashMaxListpackValue || valueLen > limits.hashMaxListpackValue) {
      hashConvertToTable(db, ref);
    } else {
      const added = listpackSet(db, ref, field, fieldOff, fieldLen, value, valueOff, valueLen);
      if (added && lpLength(db.valueBuf, db.valueOff) >>> 1 > limits.hashMaxListpackEntries) {
        hashConvertToTable(db, ref);
      }
      return added;
    }
  }
  const table = db.objectAt(ref) as FieldTable;
  const added = table.set(field, fieldOff, fieldLen, value, valueOff, valueLen);
  if (added) host.values.recharge(db.outOfLineId(ref));
  return added;
}

/** Sets a field of an inline listpack hash in place (the registers then hold the listpack). */
function listpackSet(
  db: HashDatabase,
  ref: number,
  field: Uint8Array,
  fieldOff: number,
  fieldLen: number,
  value: Uint8Array,
  valueOff: number,
  valueLen: number,
): boolean {
  db.loadValue(ref);
  let buf = db.valueBuf;
  let off = db.valueOff;
  const oldSize = db.valueLen;
  const fp = lpFindField(buf, off, field, fieldOff, fieldLen);
  if (fp >= 0) {
    const vp = lpSkip(buf, fp);
    const newSize = lpReplaceSize(buf, off, vp, value, valueOff, valueOff + valueLen);
    if (newSize > oldSize) {
      const at = vp - off;
      db.resizeValue(ref, newSize, Encoding.ListPack);
      buf = db.valueBuf;
      off = db.valueOff;
      lpReplace(buf, off, off + at, value, valueOff, valueOff + valueLen);
    } else {
      lpReplace(buf, off, vp, value, valueOff, valueOff + valueLen);
      if (newSize < oldSize) db.resizeValue(ref, newSize, Encoding.ListPack);
    }
    return false;
  }
  const newSize =
    oldSize +
    lpStringEntrySize(field, fieldOff, fieldOff + fieldLen) +
    lpStringEntrySize(value, valueOff, valueOff + valueLen);
  db.resizeValue(ref, newSize, Encoding.ListPack);
  buf = db.valueBuf;
  off = db.valueOff;
  lpAppend(buf, off, field, fieldOff, fieldOff + fieldLen);
  lpAppend(buf, off, value, valueOff, valueOff + valueLen);
  return true;
}

/**
 * Redis's `hashTypeDelete` on the hash at `ref`. Deleting the last field removes the key
 * (counted once, as Redis's HDEL counts it); a removed field passes the `modify` gateway.
 */
export function hashDelete(db: HashDatabase, ref: number, field: Uint8Array, off: number, len: number): HashDeleted {
  if (db.rawEncodingAt(ref) === Encoding.HashTable) {
    const table = db.objectAt(ref) as FieldTable;
    const slot = table.find(field, off, len);
    if (slot < 0) return HashDeleted.None;
    if (table.count === 1) {
      db.deleteRef(ref);
      return HashDeleted.Key;
    }
    db.modify(ref);
    table.deleteSlot(slot);
    db.host.values.recharge(db.outOfLineId(ref));
    return HashDeleted.Field;
  }
  db.loadValue(ref);
  const buf = db.valueBuf;
  const lpOff = db.valueOff;
  const fp = lpFindField(buf, lpOff, field, off, len);
  if (fp < 0) return HashDeleted.None;
  if (lpLength(buf, lpOff) <= 2) {
    db.deleteRef(ref);
    return HashDeleted.Key;
  }
  db.modify(ref);
  lpDeleteRangeWithEntry(buf, lpOff, fp, 2);
  db.resizeValue(ref, lpBytes(buf, lpOff), Encoding.ListPack);
  return HashDeleted.Field;
}

const convertView = new HashReader();

/** Redis's `hashTypeConvert` (listpack → hashtable) of the hash at `ref`, after `modify`. */
export function hashConvertToTable(db: HashDatabase, ref: number): void {
  const table = newHashTable(db.host);
  const r = convertView.open(db, ref);
  while (r.next()) table.set(r.fieldBuf, r.fieldOff, r.fieldLen, r.valueBuf, r.valueOff, r.valueLen);
  db.setOutOfLine(ref, table, Encoding.HashTable);
}

/**
 * Bytes a write of `pairs` pairs totalling `bytes` argument bytes may allocate in the hash at
 * `ref` (-1: a new key), for the reserve before it: the new entries, and a conversion's table.
 */
export function hashWriteCharge(db: ValueReader, ref: number, pairs: number, bytes: number): number {
  let charge = bytes + pairs * 48;
  if (ref >= 0 && db.rawEncodingAt(ref) === Encoding.ListPack) {
    db.loadValue(ref);
    charge += db.valueLen * 2 + (db.valueLen >>> 2) * 16;
  }
  return charge;
}

import {
  type Database,
  HashReader,
  ListEnd,
  listTypeCreate,
  listTypeLength,
  listTypeNext,
  listTypePush,
  listTypeSeek,
  listValue,
  ObjectType,
  RemovalReason,
  setTypeForEach,
  setTypeSize,
  ZSetCursor,
  zset,
} from "@nedis/keyspace";
import type { SortVector } from "./SortVector.js";
import { type SortPattern, substitutePattern } from "./sortPattern.js";

/**
 * What SORT reads and writes through the types' own APIs (sort.c's listType*, setType*,
 * zset and hashTypeGetValueObject calls): the elements of the sorted key, pattern lookups and
 * the STORE list.
 */

/** Elements of the list, set or sorted set at `ref`. */
export function sortInputLength(db: Database, ref: number): number {
  switch (db.typeAt(ref)) {
    case ObjectType.List:
      return listTypeLength(db, ref);
    case ObjectType.Set:
      return setTypeSize(db, ref);
    case ObjectType.ZSet:
      return zset.zsetLength(db, ref);
    default:
      throw new Error("SORT: not a sortable type");
  }
}

/** Pushes every element of the key at `ref` (native order; sets in their own order). */
export function loadSortInput(db: Database, ref: number, into: SortVector): void {
  switch (db.typeAt(ref)) {
    case ObjectType.List:
      loadListRange(db, ref, 0, Number.MAX_SAFE_INTEGER, false, into);
      return;
    case ObjectType.Set:
      setSink.into = into;
      setTypeForEach(db, ref, setSink);
      return;
    case ObjectType.ZSet:
      loadZSetRange(db, ref, 0, zset.zsetLength(db, ref), false, into);
      return;
    default:
      throw new Error("SORT: not a sortable type");
  }
}

/**
 * Pushes `count` elements of the list or sorted set at `ref` in native order from position
 * `start` (from the tail end with `desc`): SORT's "nothing to sort" path.
 */
export function loadSortRange(
  db: Database,
  ref: number,
  start: number,
  count: number,
  desc: boolean,
  into: SortVector,
): void {
  switch (db.typeAt(ref)) {
    case ObjectType.List:
      loadListRange(db, ref, start, count, desc, into);
      return;
    case ObjectType.ZSet:
      loadZSetRange(db, ref, start, count, desc, into);
      return;
    default:
      throw new Error("SORT: not a sortable type");
  }
}

function loadListRange(db: Database, ref: number, start: number, count: number, desc: boolean, into: SortVector): void {
  const index = desc ? listTypeLength(db, ref) - start - 1 : start;
  if (!listTypeSeek(db, ref, index, !desc)) return;
  for (let n = 0; n < count && listTypeNext(); n++) {
    into.push(listValue.bytes, listValue.start, listValue.end - listValue.start);
  }
}

const setSink = {
  into: null as SortVector | null,
  member(buf: Uint8Array, off: number, len: number): void {
    (this.into as SortVector).push(buf, off, len);
  },
};

const cursor = new ZSetCursor();

function loadZSetRange(db: Database, ref: number, start: number, count: number, desc: boolean, into: SortVector): void {
  if (count <= 0) return;
  const length = zset.zsetLength(db, ref);
  let more = cursor.open(db, ref).seekRank(desc ? length - start - 1 : start);
  for (let n = 0; n < count && more; n++) {
    into.push(cursor.memberBuf, cursor.memberOff, cursor.memberLen);
    more = cursor.step(desc);
  }
}

/** The value a pattern lookup found (valid until the keyspace changes). */
export const found: { buf: Uint8Array; off: number; len: number } = { buf: new Uint8Array(0), off: 0, len: 0 };

const hashReader = new HashReader();
const keyScratch: { buf: Uint8Array } = { buf: new Uint8Array(64) };

/**
 * sort.c's `lookupKeyByPattern`: fills {@link found} with what `pattern` names for the element
 * (`#`: the element; `key*`: a string; `key*->field`: a hash field); false when nothing (a
 * constant pattern, a missing key or field, or a key of another type).
 */
export function lookupPattern(db: Database, pattern: SortPattern, elem: Uint8Array, off: number, len: number): boolean {
  if (pattern.self) {
    found.buf = elem;
    found.off = off;
    found.len = len;
    return true;
  }
  if (pattern.star < 0) return false;
  const keyLen = substitutePattern(pattern, elem, off, len, keyScratch);
  const ref = db.lookupRead(keyScratch.buf, 0, keyLen);
  if (ref < 0) return false;
  if (pattern.field < 0) {
    if (db.typeAt(ref) !== ObjectType.String) return false;
    db.loadValue(ref);
    found.buf = db.valueBuf;
    found.off = db.valueOff;
    found.len = db.valueLen;
    return true;
  }
  if (db.typeAt(ref) !== ObjectType.Hash) return false;
  const { bytes, field } = pattern;
  if (!hashReader.get(db, ref, bytes, field, bytes.length - field)) return false;
  found.buf = hashReader.valueBuf;
  found.off = hashReader.valueOff;
  found.len = hashReader.valueLen;
  return true;
}

/** STORE: `key` becomes a list of the vector's elements (whatever it held before). */
export function storeSortResult(db: Database, key: Uint8Array, off: number, len: number, elements: SortVector): void {
  const old = db.lookupWrite(key, off, len);
  if (old >= 0) {
    db.removeRef(old, RemovalReason.Overwritten);
    db.find(key, off, len);
  }
  const ref = listTypeCreate(db, key, off, len);
  for (let j = 0; j < elements.length; j++) {
    const buf = elements.bufferOf(j);
    const at = elements.offsetOf(j);
    listTypePush(db, ref, ListEnd.Tail, buf, at, at + elements.lengthOf(j));
  }
}

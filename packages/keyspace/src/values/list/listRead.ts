/**
 * The read side of the list type API, over a {@link ValueReader} only (so the `ValueType` row,
 * which the keyspace's registry imports, needs nothing of `Database`): length, iteration, index.
 * Elements read come out in {@link listValue}.
 */

import { lpLength, lpNext, lpPrev, lpSeek } from "@nedis/rdb/listpack";
import { Encoding } from "../../types.js";
import type { ValueReader } from "../ValueType.js";
import { listValue } from "./ListValue.js";
import { Quicklist } from "./Quicklist.js";

/** A list's out-of-line value: a quicklist whose nodes live in its keyspace's pool. */
export class ListQuicklist extends Quicklist {}

/** True when the list at `ref` is one listpack inside its entry. */
export function isInline(db: ValueReader, ref: number): boolean {
  return db.rawEncodingAt(ref) === Encoding.ListPackInline;
}

/** Elements in the list at `ref` (`listTypeLength`). */
export function listTypeLength(db: ValueReader, ref: number): number {
  if (!isInline(db, ref)) return (db.objectAt(ref) as ListQuicklist).length;
  db.loadValue(ref);
  return lpLength(db.valueBuf, db.valueOff);
}

const NO_PAGE = new Uint8Array(0);
// Iteration state of an inline list (a quicklist iterates itself).
let itQuicklist: ListQuicklist | null = null;
let itPage: Uint8Array = NO_PAGE;
let itOff = 0;
let itP = -1;
let itForward = true;

/**
 * Starts reading the list at `ref` from element `index` (negative: from the tail) towards the
 * tail (`forward`) or the head; false when out of range. Read with {@link listTypeNext}; any
 * edit of the list ends the iteration.
 */
export function listTypeSeek(db: ValueReader, ref: number, index: number, forward: boolean): boolean {
  itForward = forward;
  if (!isInline(db, ref)) {
    itQuicklist = db.objectAt(ref) as ListQuicklist;
    return itQuicklist.seek(index, forward);
  }
  itQuicklist = null;
  db.loadValue(ref);
  itPage = db.valueBuf;
  itOff = db.valueOff;
  itP = lpSeek(itPage, itOff, index);
  return itP >= 0;
}

/** The next element of the iteration into {@link listValue}; false at the end. */
export function listTypeNext(): boolean {
  const ql = itQuicklist;
  if (ql !== null) {
    if (!ql.next()) return false;
    listValue.fromQuicklist(ql);
    return true;
  }
  if (itP < 0) return false;
  listValue.fromListpack(itPage, itP);
  itP = itForward ? lpNext(itPage, itOff, itP) : lpPrev(itPage, itOff, itP);
  return true;
}

/** `listTypeIndex` (LINDEX): element `index` into {@link listValue}; false when out of range. */
export function listTypeIndex(db: ValueReader, ref: number, index: number): boolean {
  return listTypeSeek(db, ref, index, true) && listTypeNext();
}

import { intsetLen } from "@nedis/rdb/intset";
import { Encoding } from "../../types.js";
import type { FieldTable } from "../hash/FieldTable.js";
import type { ValueReader } from "../ValueType.js";
import { forEachInTable } from "./SetValue.js";
import { INT_TEXT_MAX, intsetMemberText, type MemberSink } from "./setMembers.js";

/** The read-only half of the set API, over any {@link ValueReader} (the value type row uses it too). */

const scratch = new Uint8Array(INT_TEXT_MAX);

/** `setTypeSize`: the number of members. */
export function setTypeSize(db: ValueReader, ref: number): number {
  if (db.rawEncodingAt(ref) === Encoding.IntSet) {
    db.loadValue(ref);
    return intsetLen(db.valueBuf, db.valueOff);
  }
  return (db.objectAt(ref) as FieldTable).count;
}

/** Visits every member (`setTypeIterator`); the sink must not change the set. */
export function setTypeForEach(db: ValueReader, ref: number, sink: MemberSink): void {
  if (db.rawEncodingAt(ref) === Encoding.IntSet) {
    db.loadValue(ref);
    const buf = db.valueBuf;
    const off = db.valueOff;
    const n = intsetLen(buf, off);
    for (let i = 0; i < n; i++) sink.member(scratch, 0, intsetMemberText(buf, off, i, scratch));
    return;
  }
  forEachInTable(db.objectAt(ref) as FieldTable, sink);
}

/**
 * The list type API (Redis's t_list.c `listType*`): what LPUSH, LRANGE, LREM… call, and nothing
 * else. A list is either one listpack inside its entry (`Encoding.ListPackInline`, a one-node
 * quicklist without the node) or an out-of-line {@link ListQuicklist} (`Encoding.QuickList`).
 *
 * Conversions. Inline → quicklist when an element would not fit the one node under
 * `list-max-listpack-size` (exactly where Redis's quicklist opens a second node, so node layouts
 * and DUMPs stay Redis's). Quicklist → inline after a removal leaves one packed node of at most
 * half the node limit (bytes, and elements for a count fill): the hysteresis keeps a list that
 * hovers at the limit from copying its node back and forth.
 *
 * Every mutator expects the caller to have passed `db.modify(ref)` and reserved memory; refs stay
 * valid (no key is added or removed here). Elements read come out in {@link listValue}.
 */

import {
  LISTPACK_HEADER_SIZE,
  LP_AFTER,
  LP_BEFORE,
  lpBytes,
  lpDelete,
  lpDeleteRange,
  lpDeleteSize,
  lpFirst,
  lpInsert,
  lpInsertSize,
  lpLast,
  lpLength,
  lpNext,
  lpPrev,
  lpReplace,
  lpReplaceSize,
  lpSeek,
} from "@nedis/rdb/listpack";
import type { Database } from "../../Database.js";
import { Encoding, ObjectType } from "../../types.js";
import { listValue } from "./ListValue.js";
import { poolAllocator } from "./listAllocators.js";
import { isInline, ListQuicklist, listTypeLength, listTypeNext, listTypeSeek } from "./listRead.js";
import { allowInsertSized, clampFill, nodeByteLimit } from "./quicklistNodeOps.js";

export const ListEnd = { Head: 0, Tail: 1 } as const;
export type ListEnd = (typeof ListEnd)[keyof typeof ListEnd];

const EMPTY_LISTPACK = Uint8Array.of(7, 0, 0, 0, 0, 0, 0xff);
let nodeScratch = new Uint8Array(256);

/** The quicklist of an out-of-line list. */
function quicklistOf(db: Database, ref: number): ListQuicklist {
  return db.objectAt(ref) as ListQuicklist;
}

/** Adds `key` (absent: its lookup just failed) as an empty inline list; returns its ref. */
export function listTypeCreate(db: Database, key: Uint8Array, off: number, len: number): number {
  return db.insertValue(
    key,
    off,
    len,
    EMPTY_LISTPACK,
    0,
    EMPTY_LISTPACK.length,
    ObjectType.List,
    Encoding.ListPackInline,
  );
}

/** Turns the inline list at `ref` into a one-node quicklist; returns it. */
function toQuicklist(db: Database, ref: number): ListQuicklist {
  db.loadValue(ref);
  const ql = new ListQuicklist(poolAllocator(db.host.memory), db.host.limits.listMaxListpackSize);
  ql.appendListpackNode(db.valueBuf, db.valueOff, db.valueLen);
  db.setOutOfLine(ref, ql, Encoding.QuickList);
  return ql;
}

/** After a removal: back to inline when one small packed node is left (see the file comment). */
function maybeInline(db: Database, ref: number, ql: ListQuicklist, nodesBefore = -1): void {
  if (ql.nodeCount !== 1 || ql.nodeIsPlain(0)) {
    // The node table's charge can change only with the node count.
    if (ql.nodeCount !== nodesBefore) db.host.values.recharge(db.outOfLineId(ref));
    return;
  }
  const size = ql.nodeSize(0);
  const fill = ql.fill;
  if (size > nodeByteLimit(fill) / 2 || (fill > 0 && ql.nodeElements(0) > fill / 2)) {
    db.host.values.recharge(db.outOfLineId(ref));
    return;
  }
  // Copy first: setInline frees the node before it writes the entry.
  if (nodeScratch.length < size) nodeScratch = new Uint8Array(Math.max(size, nodeScratch.length * 2));
  nodeScratch.set(ql.nodePage(0).subarray(ql.nodeOffset(0), ql.nodeOffset(0) + size), 0);
  db.setInline(ref, nodeScratch, 0, size, Encoding.ListPackInline);
}

/** `listTypePush`: adds `s[start, end)` at the head or tail of the list at `ref`; returns the new length. */
export function listTypePush(
  db: Database,
  ref: number,
  where: ListEnd,
  s: Uint8Array,
  start: number,
  end: number,
): number {
  const len = end - start;
  if (isInline(db, ref)) {
    db.loadValue(ref);
    const size = db.valueLen;
    const count = lpLength(db.valueBuf, db.valueOff);
    const fill = clampFill(db.host.limits.listMaxListpackSize);
    // An empty list's first element always makes the one node, whatever its size.
    if (count === 0 || allowInsertSized(size, count, fill, len)) {
      const newSize = lpInsertSize(db.valueBuf, db.valueOff, s, start, end);
      db.resizeValue(ref, newSize, Encoding.ListPackInline);
      const off = db.valueOff;
      lpInsert(
        db.valueBuf,
        off,
        where === ListEnd.Head ? off + LISTPACK_HEADER_SIZE : off + size - 1,
        LP_BEFORE,
        s,
        start,
        end,
      );
      return count + 1;
    }
    const ql = toQuicklist(db, ref);
    pushQuicklist(ql, where, s, start, end);
    db.host.values.recharge(db.outOfLineId(ref));
    return ql.length;
  }
  const ql = quicklistOf(db, ref);
  // Only a new node can grow the node table, the one heap-held part charged to the budget.
  if (pushQuicklist(ql, where, s, start, end)) db.host.values.recharge(db.outOfLineId(ref));
  return ql.length;
}

/** Pushes onto a quicklist; true when a node was added. */
function pushQuicklist(ql: ListQuicklist, where: ListEnd, s: Uint8Array, start: number, end: number): boolean {
  return where === ListEnd.Head ? ql.pushHead(s, start, end - start) : ql.pushTail(s, start, end - start);
}

/**
 * `listTypePop`: removes the head or tail element into {@link listValue} (a copy, with the
 * elements left in `listValue.remaining`); false when the list is empty. The caller deletes the key when the list is left empty.
 */
export function listTypePop(db: Database, ref: number, where: ListEnd): boolean {
  if (isInline(db, ref)) {
    db.loadValue(ref);
    const buf = db.valueBuf;
    const off = db.valueOff;
    const p = where === ListEnd.Head ? lpFirst(buf, off) : lpLast(buf, off);
    if (p < 0) return false;
    listValue.fromListpack(buf, p);
    listValue.detach();
    listValue.remaining = lpLength(buf, off) - 1;
    const newSize = lpDeleteSize(buf, off, p);
    lpDelete(buf, off, p);
    db.resizeValue(ref, newSize, Encoding.ListPackInline);
    return true;
  }
  const ql = quicklistOf(db, ref);
  const nodesBefore = ql.nodeCount;
  if (!(where === ListEnd.Head ? ql.popHead() : ql.popTail())) return false;
  listValue.fromQuicklist(ql);
  listValue.detach();
  listValue.remaining = ql.length;
  maybeInline(db, ref, ql, nodesBefore);
  return true;
}

/** `listTypeReplaceAtIndex` (LSET): false when `index` is out of range. */
export function listTypeReplace(
  db: Database,
  ref: number,
  index: number,
  s: Uint8Array,
  start: number,
  end: number,
): boolean {
  if (!isInline(db, ref)) {
    const ql = quicklistOf(db, ref);
    const done = ql.replaceAtIndex(index, s, start, end - start);
    if (done) db.host.values.recharge(db.outOfLineId(ref));
    return done;
  }
  db.loadValue(ref);
  const oldOff = db.valueOff;
  const p = lpSeek(db.valueBuf, oldOff, index);
  if (p < 0) return false;
  const newSize = lpReplaceSize(db.valueBuf, oldOff, p, s, start, end);
  if (newSize > db.valueLen) {
    db.resizeValue(ref, newSize, Encoding.ListPackInline);
    lpReplace(db.valueBuf, db.valueOff, p - oldOff + db.valueOff, s, start, end);
  } else {
    lpReplace(db.valueBuf, oldOff, p, s, start, end);
    db.resizeValue(ref, newSize, Encoding.ListPackInline);
  }
  return true;
}

/**
 * LINSERT: inserts `s` before or after the first element equal to `pivot[ps, pe)`; false when
 * there is no such element.
 */
export function listTypeInsert(
  db: Database,
  ref: number,
  after: boolean,
  pivot: Uint8Array,
  ps: number,
  pe: number,
  s: Uint8Array,
  start: number,
  end: number,
): boolean {
  let index = 0;
  if (!listTypeSeek(db, ref, 0, true)) return false;
  while (listTypeNext()) {
    if (listValue.equals(pivot, ps, pe)) break;
    index++;
  }
  if (!listValue.equals(pivot, ps, pe) || index >= listTypeLength(db, ref)) return false;
  if (isInline(db, ref)) {
    db.loadValue(ref);
    const size = db.valueLen;
    const count = lpLength(db.valueBuf, db.valueOff);
    if (allowInsertSized(size, count, clampFill(db.host.limits.listMaxListpackSize), end - start)) {
      const oldOff = db.valueOff;
      const p = lpSeek(db.valueBuf, oldOff, index);
      const newSize = lpInsertSize(db.valueBuf, oldOff, s, start, end);
      db.resizeValue(ref, newSize, Encoding.ListPackInline);
      lpInsert(db.valueBuf, db.valueOff, p - oldOff + db.valueOff, after ? LP_AFTER : LP_BEFORE, s, start, end);
      return true;
    }
    toQuicklist(db, ref);
  }
  const ql = quicklistOf(db, ref);
  if (after) ql.insertAfter(index, s, start, end - start);
  else ql.insertBefore(index, s, start, end - start);
  db.host.values.recharge(db.outOfLineId(ref));
  return true;
}

/** LTRIM's deletion: removes `ltrim` elements at the head and `rtrim` at the tail. */
export function listTypeTrim(db: Database, ref: number, ltrim: number, rtrim: number): void {
  if (isInline(db, ref)) {
    db.loadValue(ref);
    const buf = db.valueBuf;
    const off = db.valueOff;
    if (ltrim > 0) lpDeleteRange(buf, off, 0, ltrim);
    if (rtrim > 0) lpDeleteRange(buf, off, -rtrim, rtrim);
    db.resizeValue(ref, lpBytes(buf, off), Encoding.ListPackInline);
    return;
  }
  const ql = quicklistOf(db, ref);
  if (ltrim > 0) ql.delRange(0, ltrim);
  if (rtrim > 0) ql.delRange(-rtrim, rtrim);
  maybeInline(db, ref, ql);
}

/**
 * LREM: removes up to `count` elements equal to `s` (count > 0 from the head, < 0 from the
 * tail, 0 all); returns how many.
 */
export function listTypeRemove(
  db: Database,
  ref: number,
  count: number,
  s: Uint8Array,
  start: number,
  end: number,
): number {
  const forward = count >= 0;
  const limit = count === 0 ? Number.POSITIVE_INFINITY : Math.abs(count);
  let removed = 0;
  if (isInline(db, ref)) {
    db.loadValue(ref);
    const buf = db.valueBuf;
    const off = db.valueOff;
    let p = forward ? lpFirst(buf, off) : lpLast(buf, off);
    while (p >= 0 && removed < limit) {
      listValue.fromListpack(buf, p);
      if (listValue.equals(s, start, end)) {
        removed++;
        if (forward) p = lpDelete(buf, off, p);
        else {
          const prev = lpPrev(buf, off, p);
          lpDelete(buf, off, p);
          p = prev;
        }
      } else {
        p = forward ? lpNext(buf, off, p) : lpPrev(buf, off, p);
      }
    }
    if (removed > 0) db.resizeValue(ref, lpBytes(buf, off), Encoding.ListPackInline);
    return removed;
  }
  const ql = quicklistOf(db, ref);
  // Indexes from the end the walk starts at: deleting one leaves the next at the same index.
  let index = forward ? 0 : -1;
  let open = ql.seek(index, forward);
  while (open && removed < limit && ql.next()) {
    listValue.fromQuicklist(ql);
    if (listValue.equals(s, start, end)) {
      ql.delRange(index, 1);
      removed++;
      open = ql.seek(index, forward);
    } else {
      index += forward ? 1 : -1;
    }
  }
  if (removed > 0) maybeInline(db, ref, ql);
  return removed;
}

export { ListQuicklist, listTypeIndex, listTypeLength, listTypeNext, listTypeSeek } from "./listRead.js";

import {
  type Database,
  type Keyspace,
  ListEnd,
  listTypeCreate,
  listTypeLength,
  listTypePop,
  listTypePush,
  listValue,
} from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import type { CommandArgs } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";

/**
 * The pieces LPUSH, LPOP, LMOVE, LMPOP and the blocked-client server share (t_list.c's
 * `listElementsRemoved`, `lmoveHandlePush`, `listPopRangeAndReplyWithKey`). Keys are byte
 * ranges, not argument indexes, because a served blocked client's keys are its stored ones.
 */

/** Element header and encoding bytes a listpack adds per element, at most (for reserves). */
const ELEMENT_OVERHEAD = 16;

/** Bytes to reserve before pushing `elementBytes` bytes of `elements` elements. */
export function pushCharge(ks: Keyspace, db: Database, keyLen: number, elementBytes: number, elements: number): number {
  return ks.stringCharge(keyLen, 7, false) + db.growthCharge(1, 0) + elementBytes + elements * ELEMENT_OVERHEAD;
}

/** `LEFT` / `RIGHT` (any case) → {@link ListEnd}; -1 after replying a syntax error. */
export function listPositionOrReply(client: Client, args: CommandArgs, i: number): ListEnd | -1 {
  if (args.lengths[i] === 4 && args.argEquals(i, "left")) return ListEnd.Head;
  if (args.lengths[i] === 5 && args.argEquals(i, "right")) return ListEnd.Tail;
  client.writer.error(Errors.syntax);
  return -1;
}

/** The element in the list registers as a bulk reply. */
export function replyListValue(client: Client): void {
  client.writer.bulk(listValue.bytes, listValue.start, listValue.end);
}

/**
 * `listElementsRemoved`: the pop event, the key's removal when the list is empty (with `del`),
 * the modified-key signal, and `count` changes. `ref` is the source list's current ref;
 * `remaining` its length when the caller knows it (-1: looked up).
 */
export function listElementsRemoved(
  ks: Keyspace,
  db: Database,
  key: Uint8Array,
  off: number,
  len: number,
  where: ListEnd,
  ref: number,
  count: number,
  remaining = -1,
): void {
  ks.notify("l", where === ListEnd.Head ? "lpop" : "rpop", db.id, key, off, len);
  if ((remaining < 0 ? listTypeLength(db, ref) : remaining) === 0) removeEmptyList(ks, db, key, off, len, ref);
  ks.signalModifiedKey(db.id, key, off, len);
  ks.dirty += count - 1; // the first change was counted by db.modify
}

/** Deletes an emptied list key with its `del` event (Redis's dbDelete counts no change). */
export function removeEmptyList(
  ks: Keyspace,
  db: Database,
  key: Uint8Array,
  off: number,
  len: number,
  ref: number,
): void {
  db.deleteRef(ref);
  ks.dirty--;
  ks.notify("g", "del", db.id, key, off, len);
}

/**
 * Replies `count` (≥ 1) elements popped from `where` of the list at `ref` as an array (Redis's
 * addListRangeReply of the range, then listTypeDelRange), without the bookkeeping. Returns the
 * number popped.
 */
export function popRangeReply(client: Client, db: Database, ref: number, where: ListEnd, count: number): number {
  const n = Math.min(count, listTypeLength(db, ref));
  const w = client.writer;
  w.arrayHeader(n);
  for (let i = 0; i < n; i++) {
    listTypePop(db, ref, where);
    replyListValue(client);
  }
  return n;
}

/**
 * `listPopRangeAndReplyWithKey`: replies `[key, [elements…]]` popping up to `count` from
 * `where`, then does {@link listElementsRemoved}. The caller has passed `db.modify(ref)`.
 */
export function popRangeWithKeyReply(
  client: Client,
  ks: Keyspace,
  db: Database,
  key: Uint8Array,
  off: number,
  len: number,
  ref: number,
  where: ListEnd,
  count: number,
): number {
  client.writer.arrayHeader(2);
  client.writer.bulk(key, off, off + len);
  const n = popRangeReply(client, db, ref, where, count);
  listElementsRemoved(ks, db, key, off, len, where, ref, n);
  return n;
}

/**
 * `lmoveHandlePush`: pushes the element in the list registers (a popped copy) onto the list
 * `key` (created when absent; it must not hold another type), with its event and signal, and
 * replies the element.
 */
export function moveHandlePush(
  client: Client,
  ks: Keyspace,
  db: Database,
  key: Uint8Array,
  off: number,
  len: number,
  where: ListEnd,
): void {
  let ref = db.lookupWrite(key, off, len);
  if (ref < 0) ref = listTypeCreate(db, key, off, len);
  else db.modify(ref);
  ks.signalModifiedKey(db.id, key, off, len);
  // The popped element is a copy in the registers: the push may read it while it edits.
  listTypePush(db, ref, where, listValue.bytes, listValue.start, listValue.end);
  ks.notify("l", where === ListEnd.Head ? "lpush" : "rpush", db.id, key, off, len);
  replyListValue(client);
}

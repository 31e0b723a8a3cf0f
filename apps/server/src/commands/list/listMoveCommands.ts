import { type Database, type Keyspace, ListEnd, listTypeLength, listTypePop, ObjectType } from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { reserveOrReply } from "../support/keyArgs.js";
import { getRangeLongFromObjectOrReply, LONG_MAX } from "../support/numbers.js";
import {
  listPositionOrReply,
  moveHandlePush,
  popRangeWithKeyReply,
  pushCharge,
  removeEmptyList,
} from "./listSupport.js";

/**
 * `lmoveGenericCommand` for keys given as byte ranges: pops from `from` of the source list and
 * pushes onto `to` of the destination (created when absent), replying the element. Returns
 * false, having replied nothing, when the source does not exist (the caller replies nil or
 * blocks); true when it replied (the element or WRONGTYPE).
 */
export function moveGeneric(
  client: Client,
  ks: Keyspace,
  db: Database,
  src: Uint8Array,
  srcOff: number,
  srcLen: number,
  dst: Uint8Array,
  dstOff: number,
  dstLen: number,
  from: ListEnd,
  to: ListEnd,
): boolean {
  let ref = db.lookupWrite(src, srcOff, srcLen);
  if (ref < 0) return false;
  if (db.typeAt(ref) !== ObjectType.List) {
    client.writer.error(Errors.wrongType);
    return true;
  }
  const dref = db.lookupWrite(dst, dstOff, dstLen);
  if (dref >= 0 && db.typeAt(dref) !== ObjectType.List) {
    client.writer.error(Errors.wrongType);
    return true;
  }
  // The destination's lookup may have expired it: look the source up again (refs die then).
  ref = db.find(src, srcOff, srcLen);
  db.modify(ref);
  listTypePop(db, ref, from);
  moveHandlePush(client, ks, db, dst, dstOff, dstLen, to);
  ks.notify("l", from === ListEnd.Head ? "lpop" : "rpop", db.id, src, srcOff, srcLen);
  ref = db.find(src, srcOff, srcLen);
  if (listTypeLength(db, ref) === 0) removeEmptyList(ks, db, src, srcOff, srcLen, ref);
  ks.signalModifiedKey(db.id, src, srcOff, srcLen);
  // Redis counts one change for the move; the pop and the push each counted one here.
  ks.dirty--;
  return true;
}

/** LMOVE / RPOPLPUSH on their arguments 1 and 2 (reserving first); false when the source is missing. */
export function moveCommand(client: Client, ks: Keyspace, args: CommandArgs, from: ListEnd, to: ListEnd): boolean {
  const db = ks.db(client.db);
  // Net neutral for the pool (the element leaves one list for another) but for a new key.
  if (ks.maxmemory !== 0 && !reserveOrReply(client, ks, pushCharge(ks, db, args.lengths[2]!, 0, 1))) return true;
  const b = args.buffer;
  return moveGeneric(
    client,
    ks,
    db,
    b,
    args.offsets[1]!,
    args.lengths[1]!,
    b,
    args.offsets[2]!,
    args.lengths[2]!,
    from,
    to,
  );
}

/**
 * `mpopGenericCommand` over key arguments `first..first+numkeys-1`: pops up to `count` from the
 * first non-empty list, replying `[key, [elements]]`. Returns false, having replied nothing, when
 * every key is missing; true when it replied (the pop or WRONGTYPE).
 */
export function mpopGeneric(
  client: Client,
  ks: Keyspace,
  args: CommandArgs,
  first: number,
  numkeys: number,
  where: ListEnd,
  count: number,
): boolean {
  const db = ks.db(client.db);
  const buf = args.buffer;
  for (let j = first; j < first + numkeys; j++) {
    const off = args.offsets[j]!;
    const len = args.lengths[j]!;
    const ref = db.lookupWrite(buf, off, len);
    if (ref < 0) continue;
    if (db.typeAt(ref) !== ObjectType.List) {
      client.writer.error(Errors.wrongType);
      return true;
    }
    if (listTypeLength(db, ref) === 0) continue;
    db.modify(ref);
    mpopPopped.keyIndex = j;
    mpopPopped.count = popRangeWithKeyReply(client, ks, db, buf, off, len, ref, where, count);
    return true;
  }
  return false;
}

/** What the last {@link mpopGeneric} popped (keyIndex 0: nothing), for its propagation. */
export const mpopPopped = { keyIndex: 0, count: 0 };

/** [B]LMPOP propagates as LPOP|RPOP key count (t_list.c), the count being what was popped. */
export function propagateMpop(server: ServerContext, client: Client, args: CommandArgs, where: ListEnd): void {
  const prop = server.propagation;
  if (!prop.active || mpopPopped.keyIndex === 0) return;
  prop.replaceWith(
    client.db,
    where === ListEnd.Head ? "LPOP" : "RPOP",
    args.argView(mpopPopped.keyIndex),
    String(mpopPopped.count),
  );
}

/** What {@link parseMpop} read: numkeys, where and count (numkeys 0: an error was replied). */
export const mpopArgs = { numkeys: 0, where: ListEnd.Head as ListEnd, count: 1 };

/** `lmpopGenericCommand`'s parsing: `numkeys key… LEFT|RIGHT [COUNT n]` from argument `at`. */
export function parseMpop(client: Client, args: CommandArgs, at: number): boolean {
  mpopArgs.numkeys = 0;
  const numkeys = getRangeLongFromObjectOrReply(client, args, at, 1, LONG_MAX, Errors.numkeysNotPositive);
  if (numkeys === null) return false;
  const whereIdx = at + numkeys + 1;
  if (whereIdx >= args.argc) {
    client.writer.error(Errors.syntax);
    return false;
  }
  const where = listPositionOrReply(client, args, whereIdx);
  if (where === -1) return false;
  let count = -1;
  for (let j = whereIdx + 1; j < args.argc; j++) {
    const more = args.argc - 1 - j > 0;
    if (count === -1 && more && args.argEquals(j, "count")) {
      const c = getRangeLongFromObjectOrReply(client, args, ++j, 1, LONG_MAX, Errors.countNotPositive);
      if (c === null) return false;
      count = c;
    } else {
      client.writer.error(Errors.syntax);
      return false;
    }
  }
  mpopArgs.numkeys = numkeys;
  mpopArgs.where = where;
  mpopArgs.count = count === -1 ? 1 : count;
  return true;
}

/** Commands that move elements between lists or pop from several (t_list.c). */
export const listMoveCommands = [
  /** LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> */
  defineCommand({
    name: "lmove",
    handler(server, client, args) {
      const from = listPositionOrReply(client, args, 3);
      if (from === -1) return;
      const to = listPositionOrReply(client, args, 4);
      if (to === -1) return;
      if (!moveCommand(client, server.keyspace, args, from, to)) client.writer.nullBulk();
    },
  }),
  /** RPOPLPUSH source destination */
  defineCommand({
    name: "rpoplpush",
    handler(server, client, args) {
      if (!moveCommand(client, server.keyspace, args, ListEnd.Tail, ListEnd.Head)) client.writer.nullBulk();
    },
  }),
  /** LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count] */
  defineCommand({
    name: "lmpop",
    handler(server, client, args) {
      if (!parseMpop(client, args, 1)) return;
      const { numkeys, where, count } = mpopArgs;
      mpopPopped.keyIndex = 0;
      if (!mpopGeneric(client, server.keyspace, args, 2, numkeys, where, count)) client.writer.nullArray();
      else propagateMpop(server, client, args, where);
    },
  }),
];

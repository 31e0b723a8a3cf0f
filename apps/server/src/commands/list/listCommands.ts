import {
  type Keyspace,
  ListEnd,
  listTypeCreate,
  listTypeIndex,
  listTypeLength,
  listTypeNext,
  listTypePop,
  listTypePush,
  listTypeSeek,
  listValue,
  ObjectType,
} from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { lookupReadOrReply, lookupWriteOrReply, NO_REPLY, reserveOrReply, WRONG_TYPE } from "../support/keyArgs.js";
import { getLongFromObjectOrReply, getPositiveLongFromObjectOrReply } from "../support/numbers.js";
import { listElementsRemoved, popRangeReply, pushCharge, replyListValue } from "./listSupport.js";

/** `pushGenericCommand`: LPUSH / RPUSH, and with `xx` LPUSHX / RPUSHX. */
function pushGeneric(client: Client, ks: Keyspace, args: CommandArgs, where: ListEnd, xx: boolean): void {
  const db = ks.db(client.db);
  if (ks.maxmemory !== 0) {
    let bytes = 0;
    for (let j = 2; j < args.argc; j++) bytes += args.lengths[j]!;
    if (!reserveOrReply(client, ks, pushCharge(ks, db, args.lengths[1]!, bytes, args.argc - 2))) return;
  }
  let ref = lookupWriteOrReply(client, db, args, 1, ObjectType.List, NO_REPLY);
  if (ref === WRONG_TYPE) return;
  const buf = args.buffer;
  if (ref < 0) {
    if (xx) {
      client.writer.raw(SharedReplies.zero);
      return;
    }
    ref = listTypeCreate(db, buf, args.offsets[1]!, args.lengths[1]!);
  } else {
    db.modify(ref);
  }
  let length = 0;
  for (let j = 2; j < args.argc; j++) {
    const off = args.offsets[j]!;
    length = listTypePush(db, ref, where, buf, off, off + args.lengths[j]!);
  }
  // One change per element (the create or modify above counted the first).
  ks.dirty += args.argc - 3;
  client.writer.integer(length);
  const off = args.offsets[1]!;
  const len = args.lengths[1]!;
  ks.signalModifiedKey(db.id, buf, off, len);
  ks.notify("l", where === ListEnd.Head ? "lpush" : "rpush", db.id, buf, off, len);
}

/** `popGenericCommand`: LPOP / RPOP key [count]. */
function popGeneric(client: Client, ks: Keyspace, args: CommandArgs, where: ListEnd, name: string): void {
  if (args.argc > 3) {
    client.writer.error(`ERR wrong number of arguments for '${name}' command`);
    return;
  }
  const hasCount = args.argc === 3;
  let count = 0;
  if (hasCount) {
    const n = getPositiveLongFromObjectOrReply(client, args, 2);
    if (n === null) return;
    count = n;
  }
  const db = ks.db(client.db);
  const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.List, hasCount ? NO_REPLY : null);
  if (ref === WRONG_TYPE) return;
  if (ref < 0) {
    // A missing key with a count is a null array (RESP2 *-1, RESP3 _); without, nil was replied.
    if (hasCount) client.writer.nullArray();
    return;
  }
  if (hasCount && count === 0) {
    client.writer.raw(SharedReplies.emptyArray);
    return;
  }
  db.modify(ref);
  const buf = args.buffer;
  const off = args.offsets[1]!;
  const len = args.lengths[1]!;
  let popped = 1;
  let remaining = -1;
  if (!hasCount) {
    listTypePop(db, ref, where);
    remaining = listValue.remaining;
    replyListValue(client);
  } else {
    popped = popRangeReply(client, db, ref, where, count);
  }
  listElementsRemoved(ks, db, buf, off, len, where, ref, popped, remaining);
}

/** `addListRangeReply`: elements `start..end` (inclusive, negative from the tail) of the list at `ref`. */
function replyRange(client: Client, ks: Keyspace, ref: number, start: number, end: number): void {
  const db = ks.db(client.db);
  const llen = listTypeLength(db, ref);
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) {
    client.writer.raw(SharedReplies.emptyArray);
    return;
  }
  if (end >= llen) end = llen - 1;
  let n = end - start + 1;
  client.writer.arrayHeader(n);
  listTypeSeek(db, ref, start, true);
  while (n-- > 0 && listTypeNext()) replyListValue(client);
}

/** An integer argument as a number (an int64 beyond ±2^53 is clamped: only its sign matters to ranges). */
export function longArg(client: Client, args: CommandArgs, i: number): number | null {
  const n = getLongFromObjectOrReply(client, args, i);
  if (n === null) return null;
  return typeof n === "bigint" ? (n < 0n ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER) : n;
}

/** Push, pop and read commands (t_list.c). */
export const listCoreCommands = [
  /** LPUSH key element [element ...] */
  defineCommand({
    name: "lpush",
    handler(server, client, args) {
      pushGeneric(client, server.keyspace, args, ListEnd.Head, false);
    },
  }),
  /** RPUSH key element [element ...] */
  defineCommand({
    name: "rpush",
    handler(server, client, args) {
      pushGeneric(client, server.keyspace, args, ListEnd.Tail, false);
    },
  }),
  /** LPUSHX key element [element ...] */
  defineCommand({
    name: "lpushx",
    handler(server, client, args) {
      pushGeneric(client, server.keyspace, args, ListEnd.Head, true);
    },
  }),
  /** RPUSHX key element [element ...] */
  defineCommand({
    name: "rpushx",
    handler(server, client, args) {
      pushGeneric(client, server.keyspace, args, ListEnd.Tail, true);
    },
  }),
  /** LPOP key [count] */
  defineCommand({
    name: "lpop",
    handler(server, client, args) {
      popGeneric(client, server.keyspace, args, ListEnd.Head, "lpop");
    },
  }),
  /** RPOP key [count] */
  defineCommand({
    name: "rpop",
    handler(server, client, args) {
      popGeneric(client, server.keyspace, args, ListEnd.Tail, "rpop");
    },
  }),
  /** LLEN key */
  defineCommand({
    name: "llen",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.List, SharedReplies.zero);
      if (ref >= 0) client.writer.integer(listTypeLength(db, ref));
    },
  }),
  /** LINDEX key index */
  defineCommand({
    name: "lindex",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.List);
      if (ref < 0) return;
      const index = longArg(client, args, 2);
      if (index === null) return;
      if (listTypeIndex(db, ref, index)) replyListValue(client);
      else client.writer.nullBulk();
    },
  }),
  /** LRANGE key start stop */
  defineCommand({
    name: "lrange",
    handler(server, client, args) {
      const start = longArg(client, args, 2);
      if (start === null) return;
      const end = longArg(client, args, 3);
      if (end === null) return;
      const db = server.keyspace.db(client.db);
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.List, SharedReplies.emptyArray);
      if (ref >= 0) replyRange(client, server.keyspace, ref, start, end);
    },
  }),
];

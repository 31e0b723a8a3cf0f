import { ObjectType, stream } from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { StreamErrors } from "../support/errors.js";
import {
  keyChanged,
  keyEvent,
  lookupReadOrReply,
  lookupWriteOrReply,
  NO_REPLY,
  reserveOrReply,
} from "../support/keyArgs.js";
import { createStream, parseAddOrTrimOrReply, parseIdOrReply, recharge, replyId, streamOf } from "./streamArgs.js";
import { propagateAddOrTrim } from "./streamPropagate.js";

/**
 * Bytes an XADD may allocate: its fields and values with their entry overhead, and a new node
 * (preallocated to 4 KiB, as Redis's STREAM_LISTPACK_MAX_PRE_ALLOCATE).
 */
function chargeOf(args: CommandArgs, first: number): number {
  let bytes = 4096 + 160 + args.lengths[1]!;
  for (let j = first; j < args.argc; j++) bytes += args.lengths[j]! + 10;
  return bytes;
}

/** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
function xadd(server: ServerContext, client: Client, args: CommandArgs): void {
  const w = client.writer;
  const ks = server.keyspace;
  const parsed = parseAddOrTrimOrReply(client, args, true, ks.limits.streamNodeMaxEntries);
  if (parsed === null) return;
  const fieldPos = parsed.idPos + 1;
  const rest = args.argc - fieldPos;
  if (rest < 2 || rest % 2 === 1) {
    w.error("ERR wrong number of arguments for 'xadd' command");
    return;
  }
  const id = parsed.id;
  if (id !== null && parsed.seqGiven && stream.isZeroStreamId(id)) {
    w.error(StreamErrors.idZero);
    return;
  }
  if (!reserveOrReply(client, ks, chargeOf(args, fieldPos))) return;
  const db = ks.db(client.db);
  let ref = lookupWriteOrReply(client, db, args, 1, ObjectType.Stream, NO_REPLY);
  if (ref === -2) return;
  if (ref < 0) {
    if (parsed.noMkStream) {
      w.nullBulk();
      return;
    }
    ref = createStream(db, args, 1);
    ks.dirty--; // Redis counts the XADD once, not the new key too
  }
  const s = streamOf(db, ref);
  if (stream.isMaxStreamId(s.lastId)) {
    w.error(StreamErrors.exhausted);
    return;
  }
  db.modify(ref);
  const result = stream.streamAppendItem(s, args, fieldPos, rest / 2, id, parsed.seqGiven, Date.now(), ks.limits);
  if (result !== stream.APPEND_OK) {
    ks.dirty--; // nothing changed after all
    w.error(result === stream.APPEND_ID_TOO_SMALL ? StreamErrors.idTooSmall : StreamErrors.tooLarge);
    return;
  }
  replyId(w, stream.appendedId);
  keyChanged(ks, client.db, args, 1, "t", "xadd");
  if (parsed.strategy !== stream.TRIM_NONE && stream.streamTrim(s, parsed) > 0)
    keyEvent(ks, client.db, args, 1, "t", "xtrim");
  if (server.propagation.active) propagateAddOrTrim(server.propagation, client, args, parsed, s, stream.appendedId);
  recharge(db, ref);
  server.blocking.signalKeyAsReady(client.db, args.buffer, args.offsets[1]!, args.lengths[1]!);
}

/** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
function xtrim(server: ServerContext, client: Client, args: CommandArgs): void {
  const ks = server.keyspace;
  const parsed = parseAddOrTrimOrReply(client, args, false, ks.limits.streamNodeMaxEntries);
  if (parsed === null) return;
  const db = ks.db(client.db);
  const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.Stream, SharedReplies.zero);
  if (ref < 0) return;
  const s = streamOf(db, ref);
  const before = ks.dirty;
  db.modify(ref);
  const deleted = stream.streamTrim(s, parsed);
  ks.dirty = before + deleted;
  if (deleted > 0) {
    keyEvent(ks, client.db, args, 1, "t", "xtrim");
    if (server.propagation.active) propagateAddOrTrim(server.propagation, client, args, parsed, s, null);
    ks.signalModifiedKey(client.db, args.buffer, args.offsets[1]!, args.lengths[1]!);
    recharge(db, ref);
  }
  client.writer.integer(deleted);
}

/** XDEL key id [id ...] */
function xdel(server: ServerContext, client: Client, args: CommandArgs): void {
  const ks = server.keyspace;
  const db = ks.db(client.db);
  const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.Stream, SharedReplies.zero);
  if (ref < 0) return;
  const ids: stream.StreamId[] = [];
  for (let j = 2; j < args.argc; j++) {
    const id = parseIdOrReply(client, args, j, 0, true);
    if (id === null) return;
    ids.push(id);
  }
  const s = streamOf(db, ref);
  const before = ks.dirty;
  db.modify(ref);
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (!stream.streamDeleteItem(s, id)) continue;
    if (stream.compareStreamId(id, s.firstId) === 0) firstEntry = true;
    if (stream.compareStreamId(id, s.maxDeletedId) > 0) s.maxDeletedId = id;
    deleted++;
  }
  ks.dirty = before + deleted;
  if (deleted > 0) {
    if (s.length === 0) s.firstId = stream.zeroStreamId();
    else if (firstEntry) s.firstId = stream.streamGetEdgeId(s, true, true);
    keyChanged(ks, client.db, args, 1, "t", "xdel");
    recharge(db, ref);
  }
  client.writer.integer(deleted);
}

/** XLEN key */
function xlen(server: ServerContext, client: Client, args: CommandArgs): void {
  const db = server.keyspace.db(client.db);
  const ref = lookupReadOrReply(client, db, args, 1, ObjectType.Stream, SharedReplies.zero);
  if (ref < 0) return;
  client.writer.integer(streamOf(db, ref).length);
}

/** XADD, XTRIM, XDEL, XLEN. */
export const xaddCommands = [
  defineCommand({ name: "xadd", handler: xadd }),
  defineCommand({ name: "xtrim", handler: xtrim }),
  defineCommand({ name: "xdel", handler: xdel }),
  defineCommand({ name: "xlen", handler: xlen }),
];

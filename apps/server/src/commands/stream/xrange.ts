import { ObjectType, stream } from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { lookupReadOrReply } from "../support/keyArgs.js";
import { getLongLongFromObjectOrReply } from "../support/numbers.js";
import { intervalExclusive, parseIntervalOrReply, replyEntry, streamOf } from "./streamArgs.js";

const iterator = new stream.StreamIterator();

/**
 * `streamReplyWithRange` without a group: the entries from `start` to `end` (at most `count`,
 * 0: all), oldest first or, with `rev`, newest first.
 */
export function replyRange(
  client: Client,
  s: stream.StreamObject,
  start: stream.StreamId | null,
  end: stream.StreamId | null,
  count: number,
  rev: boolean,
): number {
  const w = client.writer;
  const token = w.deferLength();
  const it = iterator.begin(s, start, end, rev);
  let n = 0;
  while (it.next()) {
    replyEntry(w, it);
    n++;
    if (count !== 0 && n === count) break;
  }
  w.setDeferredArrayLength(token, n);
  return n;
}

/** `xrangeGenericCommand` */
function xrangeGeneric(server: ServerContext, client: Client, args: CommandArgs, rev: boolean): void {
  const w = client.writer;
  let start = parseIntervalOrReply(client, args, rev ? 3 : 2, 0);
  if (start === null) return;
  if (intervalExclusive) {
    start = stream.incrStreamId(start);
    if (start === null) {
      w.error("ERR invalid start ID for the interval");
      return;
    }
  }
  let end = parseIntervalOrReply(client, args, rev ? 2 : 3, stream.U64_MAX);
  if (end === null) return;
  if (intervalExclusive) {
    end = stream.decrStreamId(end);
    if (end === null) {
      w.error("ERR invalid end ID for the interval");
      return;
    }
  }
  let count = -1;
  for (let j = 4; j < args.argc; j++) {
    if (args.argEquals(j, "count") && j + 1 < args.argc) {
      const n = getLongLongFromObjectOrReply(client, args, j + 1);
      if (n === null) return;
      count = n < 0 ? 0 : Number(n);
      j++;
    } else {
      w.error(Errors.syntax);
      return;
    }
  }
  const db = server.keyspace.db(client.db);
  const ref = lookupReadOrReply(client, db, args, 1, ObjectType.Stream, SharedReplies.emptyArray);
  if (ref < 0) return;
  if (count === 0) {
    w.nullArray();
    return;
  }
  replyRange(client, streamOf(db, ref), start, end, count === -1 ? 0 : count, rev);
}

/** XRANGE, XREVRANGE. */
export const xrangeCommands = [
  /** XRANGE key start end [COUNT count] */
  defineCommand({ name: "xrange", handler: (server, client, args) => xrangeGeneric(server, client, args, false) }),
  /** XREVRANGE key end start [COUNT count] */
  defineCommand({ name: "xrevrange", handler: (server, client, args) => xrangeGeneric(server, client, args, true) }),
];

import { type Database, ObjectType, stream } from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { keyEvent, lookupReadOrReply, NO_REPLY } from "../support/keyArgs.js";
import { getLongLongFromObjectOrReply, getRangeLongFromObjectOrReply } from "../support/numbers.js";
import {
  intervalExclusive,
  parseIdOrReply,
  parseIntervalOrReply,
  replyEntry,
  replyId,
  streamOf,
} from "./streamArgs.js";
import { idText, NO_BYTES, propagateGroupId, propagateXclaim } from "./streamPropagate.js";

const iterator = new stream.StreamIterator();

/** The group named by argument 2 of the stream at argument 1, or null after replying NOGROUP (or WRONGTYPE). */
function groupOrReply(
  client: Client,
  db: Database,
  args: CommandArgs,
): { ref: number; s: stream.StreamObject; group: stream.ConsumerGroup } | null {
  const ref = lookupReadOrReply(client, db, args, 1, ObjectType.Stream, NO_REPLY);
  if (ref === -2) return null;
  const s = ref >= 0 ? streamOf(db, ref) : null;
  const group = s?.groups?.get(args.argView(2));
  if (s === null || group === undefined) {
    client.writer.error(`NOGROUP No such key '${args.argString(1)}' or consumer group '${args.argString(2)}'`);
    return null;
  }
  return { ref, s, group };
}

/** The claiming consumer (argument 3), created (with its event and dirty) on first use. */
function claimer(
  server: ServerContext,
  client: Client,
  db: Database,
  ref: number,
  args: CommandArgs,
  g: stream.ConsumerGroup,
): stream.StreamConsumer {
  const name = args.argView(3);
  const found = g.consumer(name);
  if (found !== undefined) {
    found.seenTime = Date.now();
    return found;
  }
  db.modify(ref);
  const created = g.createConsumer(name, Date.now()) as stream.StreamConsumer;
  keyEvent(server.keyspace, client.db, args, 1, "t", "xgroup-createconsumer");
  return created;
}

/** Moves pending entry `at` to `consumer`. */
function takeOver(g: stream.ConsumerGroup, at: number, consumer: stream.StreamConsumer): void {
  const pel = g.pel;
  const owner = pel.owner[at]!;
  if (owner === consumer.slot) return;
  const previous = owner >= 0 ? g.slots[owner] : null;
  if (previous) previous.pending--;
  pel.owner[at] = consumer.slot;
  consumer.pending++;
}

/** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
function xpending(server: ServerContext, client: Client, args: CommandArgs): void {
  const w = client.writer;
  const justInfo = args.argc === 3;
  if (args.argc !== 3 && (args.argc < 6 || args.argc > 9)) {
    w.error(Errors.syntax);
    return;
  }
  let minIdle = 0;
  let count = 0;
  let start: stream.StreamId | null = null;
  let end: stream.StreamId | null = null;
  let consumerArg = 0;
  if (args.argc >= 6) {
    let first = 3;
    if (args.argEquals(3, "idle")) {
      const n = getLongLongFromObjectOrReply(client, args, 4);
      if (n === null) return;
      minIdle = Number(n);
      if (args.argc < 8) {
        w.error(Errors.syntax);
        return;
      }
      first += 2;
    }
    const c = getLongLongFromObjectOrReply(client, args, first + 2);
    if (c === null) return;
    count = c < 0 ? 0 : Number(c);
    start = parseIntervalOrReply(client, args, first, 0);
    if (start === null) return;
    if (intervalExclusive) {
      start = stream.incrStreamId(start);
      if (start === null) {
        w.error("ERR invalid start ID for the interval");
        return;
      }
    }
    end = parseIntervalOrReply(client, args, first + 1, stream.U64_MAX);
    if (end === null) return;
    if (intervalExclusive) {
      end = stream.decrStreamId(end);
      if (end === null) {
        w.error("ERR invalid end ID for the interval");
        return;
      }
    }
    if (first + 3 < args.argc) consumerArg = first + 3;
  }
  const db = server.keyspace.db(client.db);
  const found = groupOrReply(client, db, args);
  if (found === null) return;
  const g = found.group;
  const pel = g.pel;
  if (justInfo) {
    w.arrayHeader(4);
    w.integer(pel.length);
    if (pel.length === 0) {
      w.nullBulk();
      w.nullBulk();
      w.nullArray();
      return;
    }
    replyId(w, pel.idAt(0));
    replyId(w, pel.idAt(pel.length - 1));
    const owners = g.consumersInOrder().filter((c) => c.pending > 0);
    w.arrayHeader(owners.length);
    for (const c of owners) {
      w.arrayHeader(2);
      w.bulk(c.name);
      w.bulkString(String(c.pending));
    }
    return;
  }
  let only: stream.StreamConsumer | undefined;
  if (consumerArg > 0) {
    only = g.consumer(args.argView(consumerArg));
    if (only === undefined) {
      w.arrayHeader(0);
      return;
    }
  }
  const now = Date.now();
  const token = w.deferLength();
  let n = 0;
  for (let i = pel.lowerBound(start as stream.StreamId); count > 0 && i < pel.length; i++) {
    const id = pel.idAt(i);
    if (stream.compareStreamId(id, end as stream.StreamId) > 0) break;
    if (only !== undefined && pel.owner[i] !== only.slot) continue;
    const idle = now - pel.deliveryTime[i]!;
    if (minIdle !== 0 && idle < minIdle) continue;
    n++;
    count--;
    w.arrayHeader(4);
    replyId(w, id);
    w.bulk(g.slots[pel.owner[i]!]?.name ?? new Uint8Array(0));
    w.integer(idle < 0 ? 0 : idle);
    w.integer(pel.deliveryCount[i]!);
  }
  w.setDeferredArrayLength(token, n);
}

/** XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-ms] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid] */
function xclaim(server: ServerContext, client: Client, args: CommandArgs): void {
  const w = client.writer;
  const ks = server.keyspace;
  const db = ks.db(client.db);
  const found = groupOrReply(client, db, args);
  if (found === null) return;
  const { ref, s, group: g } = found;
  const minIdleArg = getLongLongFromObjectOrReply(client, args, 4, "ERR Invalid min-idle-time argument for XCLAIM");
  if (minIdleArg === null) return;
  const minIdle = minIdleArg < 0 ? 0 : Number(minIdleArg);
  const ids: stream.StreamId[] = [];
  let j = 5;
  for (; j < args.argc; j++) {
    const id = stream.parseStreamId(args.buffer, args.offsets[j]!, args.lengths[j]!, 0, true);
    if (id === null) break;
    ids.push(id);
  }
  const now = Date.now();
  let force = false;
  let justid = false;
  let retrycount = -1;
  let deliveryTime = -1;
  let lastId: stream.StreamId = stream.zeroStreamId();
  for (; j < args.argc; j++) {
    const more = args.argc - 1 - j;
    if (args.argEquals(j, "force")) force = true;
    else if (args.argEquals(j, "justid")) justid = true;
    else if (args.argEquals(j, "idle") && more > 0) {
      const n = getLongLongFromObjectOrReply(client, args, ++j, "ERR Invalid IDLE option argument for XCLAIM");
      if (n === null) return;
      deliveryTime = now - Number(n);
    } else if (args.argEquals(j, "time") && more > 0) {
      const n = getLongLongFromObjectOrReply(client, args, ++j, "ERR Invalid TIME option argument for XCLAIM");
      if (n === null) return;
      deliveryTime = Number(n);
    } else if (args.argEquals(j, "retrycount") && more > 0) {
      const n = getLongLongFromObjectOrReply(client, args, ++j, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
      if (n === null) return;
      retrycount = Number(n);
    } else if (args.argEquals(j, "lastid") && more > 0) {
      const id = parseIdOrReply(client, args, ++j, 0, true);
      if (id === null) return;
      lastId = id;
    } else {
      w.error(`ERR Unrecognized XCLAIM option '${args.argString(j)}'`);
      return;
    }
  }
  // Propagated as one XCLAIM per changed entry (or XGROUP SETID for LASTID alone), not as sent.
  server.propagation.prevent();
  const prop = server.propagation.active ? server.propagation : null;
  const key = prop !== null ? args.argView(1) : NO_BYTES;
  const groupName = prop !== null ? args.argView(2) : NO_BYTES;
  let propagateLastId = false;
  if (stream.compareStreamId(lastId, g.lastId) > 0) {
    db.modify(ref);
    g.lastId = lastId;
    propagateLastId = true;
  }
  if (deliveryTime !== -1) {
    if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  } else deliveryTime = now;
  let consumer: stream.StreamConsumer | null = null;
  const token = w.deferLength();
  let n = 0;
  const pel = g.pel;
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k]!;
    let at = pel.find(id);
    if (!stream.streamEntryExists(s, id)) {
      if (at >= 0) {
        db.modify(ref);
        if (prop !== null) propagateXclaim(prop, client.db, key, g, groupName, at, args.argView(5 + k));
        propagateLastId = false;
        g.ackAt(at);
      }
      continue;
    }
    if (force && at < 0) {
      at = -at - 1;
      pel.insertAt(at, id, now, 0, -1);
    }
    if (at < 0) continue;
    if (pel.owner[at]! >= 0 && minIdle !== 0 && now - pel.deliveryTime[at]! < minIdle) continue;
    consumer ??= claimer(server, client, db, ref, args, g);
    db.modify(ref);
    takeOver(g, at, consumer);
    pel.deliveryTime[at] = deliveryTime;
    if (retrycount >= 0) pel.deliveryCount[at] = retrycount;
    else if (!justid) pel.deliveryCount[at]!++;
    if (justid) replyId(w, id);
    else {
      iterator.begin(s, id, id, false).next();
      replyEntry(w, iterator);
    }
    n++;
    if (prop !== null) propagateXclaim(prop, client.db, key, g, groupName, at, args.argView(5 + k));
    propagateLastId = false;
  }
  if (propagateLastId && prop !== null) propagateGroupId(prop, client.db, key, g, groupName);
  w.setDeferredArrayLength(token, n);
  db.host.values.recharge(db.outOfLineId(ref));
}

/** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
function xautoclaim(server: ServerContext, client: Client, args: CommandArgs): void {
  const w = client.writer;
  const ks = server.keyspace;
  const minIdleArg = getLongLongFromObjectOrReply(client, args, 4, "ERR Invalid min-idle-time argument for XAUTOCLAIM");
  if (minIdleArg === null) return;
  const minIdle = minIdleArg < 0 ? 0 : Number(minIdleArg);
  let start = parseIntervalOrReply(client, args, 5, 0);
  if (start === null) return;
  if (intervalExclusive) {
    start = stream.incrStreamId(start);
    if (start === null) {
      w.error("ERR invalid start ID for the interval");
      return;
    }
  }
  let count = 100;
  let justid = false;
  for (let j = 6; j < args.argc; j++) {
    const more = args.argc - 1 - j;
    if (args.argEquals(j, "count") && more > 0) {
      // LONG_MAX / max(sizeof(streamID), attempts_factor)
      const n = getRangeLongFromObjectOrReply(client, args, j + 1, 1, 576460752303423487n, "ERR COUNT must be > 0");
      if (n === null) return;
      count = Number(n);
      j++;
    } else if (args.argEquals(j, "justid")) justid = true;
    else {
      w.error(Errors.syntax);
      return;
    }
  }
  const db = ks.db(client.db);
  const found = groupOrReply(client, db, args);
  if (found === null) return;
  const { ref, s, group: g } = found;
  const pel = g.pel;
  const now = Date.now();
  let attempts = count * 10;
  let consumer: stream.StreamConsumer | null = null;
  const claimed: stream.StreamId[] = [];
  const deleted: stream.StreamId[] = [];
  server.propagation.prevent();
  const prop = server.propagation.active ? server.propagation : null;
  const key = prop !== null ? args.argView(1) : NO_BYTES;
  const groupName = prop !== null ? args.argView(2) : NO_BYTES;
  let i = pel.lowerBound(start);
  while (attempts-- > 0 && count > 0 && i < pel.length) {
    const id = pel.idAt(i);
    if (!stream.streamEntryExists(s, id)) {
      db.modify(ref);
      if (prop !== null) propagateXclaim(prop, client.db, key, g, groupName, i, idText(id));
      g.ackAt(i);
      deleted.push(id);
      count--;
      continue;
    }
    if (minIdle !== 0 && now - pel.deliveryTime[i]! < minIdle) {
      i++;
      continue;
    }
    consumer ??= claimer(server, client, db, ref, args, g);
    db.modify(ref);
    takeOver(g, i, consumer);
    pel.deliveryTime[i] = now;
    if (!justid) pel.deliveryCount[i]!++;
    if (prop !== null) propagateXclaim(prop, client.db, key, g, groupName, i, idText(id));
    claimed.push(id);
    count--;
    i++;
  }
  w.arrayHeader(3);
  replyId(w, i < pel.length ? pel.idAt(i) : stream.zeroStreamId());
  w.arrayHeader(claimed.length);
  for (const id of claimed) {
    if (justid) replyId(w, id);
    else {
      iterator.begin(s, id, id, false).next();
      replyEntry(w, iterator);
    }
  }
  w.arrayHeader(deleted.length);
  for (const id of deleted) replyId(w, id);
  db.host.values.recharge(db.outOfLineId(ref));
}

/** XPENDING, XCLAIM, XAUTOCLAIM. */
export const xclaimCommands = [
  defineCommand({ name: "xpending", handler: xpending }),
  defineCommand({ name: "xclaim", handler: xclaim }),
  defineCommand({ name: "xautoclaim", handler: xautoclaim }),
];

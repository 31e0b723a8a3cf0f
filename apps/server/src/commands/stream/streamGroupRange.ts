import { stream } from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import type { Propagator } from "../../propagation/Propagator.js";
import { replyEntry, replyId } from "./streamArgs.js";
import { idText, propagateGroupId, propagateXclaim } from "./streamPropagate.js";

const iterator = new stream.StreamIterator();

/**
 * `streamReplyWithRange` for a consumer group reading new entries (XREADGROUP `>`): each
 * delivered entry moves the group's last ID (and read counter) and, unless `noack`, enters the
 * PEL as pending for `consumer`. Replies the entries' array; returns how many. With `prop`
 * (an AOF or replica listens) each delivery propagates as XCLAIM, and a NOACK read's new last ID
 * as XGROUP SETID (`streamPropInfo`).
 */
export function replyGroupRange(
  client: Client,
  s: stream.StreamObject,
  start: stream.StreamId,
  count: number,
  group: stream.ConsumerGroup,
  consumer: stream.StreamConsumer,
  noack: boolean,
  prop: Propagator | null,
  key: Uint8Array,
  groupName: Uint8Array,
): number {
  const w = client.writer;
  const token = w.deferLength();
  const it = iterator.begin(s, start, null, false);
  const now = Date.now();
  const lastIdBefore = group.lastId;
  let n = 0;
  while (it.next()) {
    const id = it.id;
    stream.advanceGroup(s, group, id);
    replyEntry(w, it);
    if (!noack) {
      group.deliver(id, consumer, now);
      if (prop !== null) propagateXclaim(prop, client.db, key, group, groupName, group.pel.find(id), idText(id));
    }
    n++;
    if (count !== 0 && n === count) break;
  }
  if (prop !== null && noack && group.lastId !== lastIdBefore) propagateGroupId(prop, client.db, key, group, groupName);
  w.setDeferredArrayLength(token, n);
  return n;
}

/**
 * `streamReplyWithRangeFromConsumerPEL`: the consumer's own pending entries from `start` on
 * (XREADGROUP with an ID), each delivered again; an entry deleted meanwhile is `[id, nil]`.
 */
export function replyConsumerHistory(
  client: Client,
  s: stream.StreamObject,
  start: stream.StreamId,
  count: number,
  group: stream.ConsumerGroup,
  consumer: stream.StreamConsumer,
): number {
  const w = client.writer;
  const token = w.deferLength();
  const pel = group.pel;
  const now = Date.now();
  let n = 0;
  for (let i = pel.lowerBound(start); i < pel.length && (count === 0 || n < count); i++) {
    if (pel.owner[i] !== consumer.slot) continue;
    const id = pel.idAt(i);
    const it = iterator.begin(s, id, id, false);
    if (it.next()) {
      replyEntry(w, it);
      pel.deliveryTime[i] = now;
      pel.deliveryCount[i]!++;
    } else {
      w.arrayHeader(2);
      replyId(w, id);
      w.nullArray();
    }
    n++;
  }
  w.setDeferredArrayLength(token, n);
  return n;
}

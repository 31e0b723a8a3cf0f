import { stream } from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import { replyEntry, replyId } from "./streamArgs.js";

const iterator = new stream.StreamIterator();

/**
 * `streamReplyWithRange` for a consumer group reading new entries (XREADGROUP `>`): each
 * delivered entry moves the group's last ID (and read counter) and, unless `noack`, enters the
 * PEL as pending for `consumer`. Replies the entries' array; returns how many.
 */
export function replyGroupRange(
  client: Client,
  s: stream.StreamObject,
  start: stream.StreamId,
  count: number,
  group: stream.ConsumerGroup,
  consumer: stream.StreamConsumer,
  noack: boolean,
): number {
  const w = client.writer;
  const token = w.deferLength();
  const it = iterator.begin(s, start, null, false);
  const now = Date.now();
  let n = 0;
  while (it.next()) {
    const id = it.id;
    stream.advanceGroup(s, group, id);
    replyEntry(w, it);
    if (!noack) group.deliver(id, consumer, now);
    n++;
    if (count !== 0 && n === count) break;
  }
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

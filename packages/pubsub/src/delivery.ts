/**
 * Delivery of one published message: to a channel's subscribers and to the subscribers of every
 * matching pattern, each frame encoded at most once per protocol and shared by its receivers.
 *
 * @module
 */
import { encodeMessageRange, encodePatternMessageRange } from "./frames.js";
import { globMatchRange } from "./globMatch.js";
import type { Subscriber } from "./Subscriber.js";

/** One channel, pattern or shard channel with everyone subscribed to it. */
export interface Subscription<S> {
  /** The name as first subscribed (a private copy). */
  readonly name: Uint8Array;
  /** Insertion-ordered like Redis's client list, with O(1) removal instead of a list search. */
  readonly subscribers: Set<S>;
}

/** Whether `name` equals `b[off, off + len)`. */
export function sameBytes(name: Uint8Array, b: Uint8Array, off: number, len: number): boolean {
  if (name.length !== len) return false;
  for (let i = 0; i < len; i++) if (name[i] !== b[off + i]) return false;
  return true;
}

/**
 * Delivers one message to every subscriber of a channel (`smessage` for a shard channel),
 * encoding it at most once per protocol.
 *
 * @returns the number of deliveries
 */
export function deliverToSubscribers<S extends Subscriber>(
  subscribers: Set<S>,
  shard: boolean,
  ch: Uint8Array,
  chOff: number,
  chLen: number,
  msg: Uint8Array,
  msgOff: number,
  msgLen: number,
): number {
  let resp2: Uint8Array | undefined;
  let resp3: Uint8Array | undefined;
  let delivered = 0;
  for (const subscriber of subscribers) {
    if (subscriber.protocol === 3)
      subscriber.deliver((resp3 ??= encodeMessageRange(3, shard, ch, chOff, chLen, msg, msgOff, msgLen)));
    else subscriber.deliver((resp2 ??= encodeMessageRange(2, shard, ch, chOff, chLen, msg, msgOff, msgLen)));
    delivered++;
  }
  return delivered;
}

/**
 * Delivers `pmessage` to the subscribers of every pattern matching the channel (each pattern is
 * tested, as Redis does), one encode per protocol per matching pattern.
 *
 * @returns the number of deliveries
 */
export function deliverToPatterns<S extends Subscriber>(
  patterns: Iterable<Subscription<S>>,
  ch: Uint8Array,
  chOff: number,
  chLen: number,
  msg: Uint8Array,
  msgOff: number,
  msgLen: number,
): number {
  let delivered = 0;
  for (const subscription of patterns) {
    const pattern = subscription.name;
    if (!globMatchRange(pattern, 0, pattern.length, ch, chOff, chOff + chLen)) continue;
    let resp2: Uint8Array | undefined;
    let resp3: Uint8Array | undefined;
    for (const subscriber of subscription.subscribers) {
      if (subscriber.protocol === 3) {
        resp3 ??= encodePatternMessageRange(3, pattern, ch, chOff, chLen, msg, msgOff, msgLen);
        subscriber.deliver(resp3);
      } else {
        resp2 ??= encodePatternMessageRange(2, pattern, ch, chOff, chLen, msg, msgOff, msgLen);
        subscriber.deliver(resp2);
      }
      delivered++;
    }
  }
  return delivered;
}

import { intTextLength, writeInt } from "@nedis/resp-codec/int64";
/**
 * The RESP frames of pub/sub, byte-exact with Redis 7.0 `pubsub.c`: message deliveries
 * (`message`, `pmessage`, `smessage`) and the replies to the subscribe family of commands.
 *
 * RESP2 frames are arrays (`*3`, `*4`); RESP3 frames are the same elements in a push (`>3`,
 * `>4`). An unsubscribe reply without a channel (the client was subscribed to nothing) carries a
 * null: `$-1` in RESP2, `_` in RESP3.
 *
 * Every function returns a freshly allocated frame that is never written again, so a transport
 * may keep a reference (queue it for a vectored write) instead of copying it.
 *
 * @module
 */

/** The RESP protocol version a client speaks (`HELLO 2` / `HELLO 3`). */
export type RespProtocol = 2 | 3;

/** The first element of a subscribe-family reply, which is also the command's name. */
export type SubscriptionReplyKind =
  | "subscribe"
  | "unsubscribe"
  | "psubscribe"
  | "punsubscribe"
  | "ssubscribe"
  | "sunsubscribe";

const CR = 0x0d;
const LF = 0x0a;

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Pre-encoded `<array or push header><bulk kind name>` prefixes, indexed by protocol. */
interface FramePrefix {
  readonly resp2: Uint8Array;
  readonly resp3: Uint8Array;
}

function framePrefix(elements: number, kind: string): FramePrefix {
  const bulk = `$${kind.length}\r\n${kind}\r\n`;
  return { resp2: ascii(`*${elements}\r\n${bulk}`), resp3: ascii(`>${elements}\r\n${bulk}`) };
}

const MESSAGE = framePrefix(3, "message");
const PMESSAGE = framePrefix(4, "pmessage");
const SMESSAGE = framePrefix(3, "smessage");

const REPLY_PREFIX: Readonly<Record<SubscriptionReplyKind, FramePrefix>> = {
  subscribe: framePrefix(3, "subscribe"),
  unsubscribe: framePrefix(3, "unsubscribe"),
  psubscribe: framePrefix(3, "psubscribe"),
  punsubscribe: framePrefix(3, "punsubscribe"),
  ssubscribe: framePrefix(3, "ssubscribe"),
  sunsubscribe: framePrefix(3, "sunsubscribe"),
};

const RESP2_NULL = ascii("$-1\r\n");
const RESP3_NULL = ascii("_\r\n");

/*
 * Frames are carved from 256 KiB slabs: a view per frame, one ArrayBuffer per slab. Node's own
 * pool (`Buffer.allocUnsafe`) has 8 KiB slabs, so 1 KiB messages cost a new ArrayBuffer every
 * seven frames — external memory that drives V8's full collections — and its bookkeeping costs
 * more than a view. A frame is never written again once handed out, so slabs are never reused:
 * a slab lives as long as some frame in it is referenced.
 */
const SLAB_SIZE = 256 * 1024;
const SLAB_MAX_FRAME = SLAB_SIZE / 8;
let slab = new Uint8Array(0);
let slabUsed = 0;

function allocate(size: number): Uint8Array {
  if (size > SLAB_MAX_FRAME) return new Uint8Array(size);
  if (slabUsed + size > slab.length) {
    slab = new Uint8Array(SLAB_SIZE);
    slabUsed = 0;
  }
  const frame = slab.subarray(slabUsed, slabUsed + size);
  slabUsed += (size + 7) & ~7;
  return frame;
}

/** Size of `$<len>\r\n<bytes>\r\n`. */
function bulkSize(length: number): number {
  return 1 + intTextLength(length) + 2 + length + 2;
}

function writeBulk(out: Uint8Array, at: number, bytes: Uint8Array): number {
  return writeBulkRange(out, at, bytes, 0, bytes.length);
}

/** `$<len>\r\n<source[off, off + len)>\r\n` at `at`; returns the end offset. */
function writeBulkRange(out: Uint8Array, at: number, source: Uint8Array, off: number, len: number): number {
  out[at++] = 0x24; // $
  at += writeInt(len, out, at);
  out[at++] = CR;
  out[at++] = LF;
  // Channel names are short: a plain loop beats `set()`'s call overhead below ~32 bytes.
  if (len < 32) {
    for (let i = 0; i < len; i++) out[at + i] = source[off + i]!;
  } else {
    out.set(source.subarray(off, off + len), at);
  }
  at += len;
  out[at++] = CR;
  out[at++] = LF;
  return at;
}

/** Prefixes are at most 20 bytes: copied by a loop, cheaper than `set()` at that size. */
function writePrefix(out: Uint8Array, prefix: Uint8Array): number {
  for (let i = 0; i < prefix.length; i++) out[i] = prefix[i]!;
  return prefix.length;
}

function prefixFor(protocol: RespProtocol, prefix: FramePrefix): Uint8Array {
  return protocol === 3 ? prefix.resp3 : prefix.resp2;
}

function encodeChannelMessage(prefix: Uint8Array, channel: Uint8Array, message: Uint8Array): Uint8Array {
  return encodeChannelMessageRange(prefix, channel, 0, channel.length, message, 0, message.length);
}

function encodeChannelMessageRange(
  prefix: Uint8Array,
  channel: Uint8Array,
  channelOff: number,
  channelLen: number,
  message: Uint8Array,
  messageOff: number,
  messageLen: number,
): Uint8Array {
  const out = allocate(prefix.length + bulkSize(channelLen) + bulkSize(messageLen));
  let at = writePrefix(out, prefix);
  at = writeBulkRange(out, at, channel, channelOff, channelLen);
  writeBulkRange(out, at, message, messageOff, messageLen);
  return out;
}

/**
 * The frame a `SUBSCRIBE`d client receives for `PUBLISH channel message`:
 * RESP2 `*3\r\n$7\r\nmessage\r\n$<n>\r\n<channel>\r\n$<n>\r\n<message>\r\n`, RESP3 the same
 * behind `>3`.
 */
export function encodeMessageFrame(protocol: RespProtocol, channel: Uint8Array, message: Uint8Array): Uint8Array {
  return encodeChannelMessage(prefixFor(protocol, MESSAGE), channel, message);
}

/** The frame a `SSUBSCRIBE`d client receives for `SPUBLISH`: as {@link encodeMessageFrame} with `smessage`. */
export function encodeShardMessageFrame(protocol: RespProtocol, channel: Uint8Array, message: Uint8Array): Uint8Array {
  return encodeChannelMessage(prefixFor(protocol, SMESSAGE), channel, message);
}

/**
 * The frame a `PSUBSCRIBE`d client receives when `channel` matches `pattern`:
 * `*4` (`>4`) `pmessage`, pattern, channel, message.
 */
export function encodePatternMessageFrame(
  protocol: RespProtocol,
  pattern: Uint8Array,
  channel: Uint8Array,
  message: Uint8Array,
): Uint8Array {
  return encodePatternMessageRange(protocol, pattern, channel, 0, channel.length, message, 0, message.length);
}

/**
 * {@link encodeMessageFrame} (with `shard`, {@link encodeShardMessageFrame}) from byte ranges:
 * for a hub reading its arguments in place from a read buffer.
 */
export function encodeMessageRange(
  protocol: RespProtocol,
  shard: boolean,
  channel: Uint8Array,
  channelOff: number,
  channelLen: number,
  message: Uint8Array,
  messageOff: number,
  messageLen: number,
): Uint8Array {
  const prefix = prefixFor(protocol, shard ? SMESSAGE : MESSAGE);
  return encodeChannelMessageRange(prefix, channel, channelOff, channelLen, message, messageOff, messageLen);
}

/** {@link encodePatternMessageFrame} with the channel and message as byte ranges. */
export function encodePatternMessageRange(
  protocol: RespProtocol,
  pattern: Uint8Array,
  channel: Uint8Array,
  channelOff: number,
  channelLen: number,
  message: Uint8Array,
  messageOff: number,
  messageLen: number,
): Uint8Array {
  const prefix = prefixFor(protocol, PMESSAGE);
  const out = allocate(prefix.length + bulkSize(pattern.length) + bulkSize(channelLen) + bulkSize(messageLen));
  let at = writePrefix(out, prefix);
  at = writeBulk(out, at, pattern);
  at = writeBulkRange(out, at, channel, channelOff, channelLen);
  writeBulkRange(out, at, message, messageOff, messageLen);
  return out;
}

/**
 * A reply of the subscribe family: `*3` (`>3`) `<kind>`, the channel or pattern (or null when
 * an argument-less unsubscribe found nothing to remove), and the client's subscription count
 * after the operation.
 *
 * @param count - the count Redis reports: channels + patterns for (p)(un)subscribe, shard
 *   channels for s(un)subscribe
 */
export function encodeSubscriptionReply(
  protocol: RespProtocol,
  kind: SubscriptionReplyKind,
  channel: Uint8Array | null,
  count: number,
): Uint8Array {
  const prefix = prefixFor(protocol, REPLY_PREFIX[kind]);
  const nullFrame = protocol === 3 ? RESP3_NULL : RESP2_NULL;
  const channelSize = channel === null ? nullFrame.length : bulkSize(channel.length);
  const out = allocate(prefix.length + channelSize + 1 + intTextLength(count) + 2);
  let at = writePrefix(out, prefix);
  if (channel === null) {
    out.set(nullFrame, at);
    at += nullFrame.length;
  } else {
    at = writeBulk(out, at, channel);
  }
  out[at++] = 0x3a; // :
  at += writeInt(count, out, at);
  out[at++] = CR;
  out[at] = LF;
  return out;
}

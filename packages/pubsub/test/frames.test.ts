import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  encodeMessageFrame,
  encodePatternMessageFrame,
  encodeShardMessageFrame,
  encodeSubscriptionReply,
  type SubscriptionReplyKind,
} from "../src/frames.js";
import { bytesOf, latin1 } from "./utils/resp.js";

interface RedisParser {
  execute(buffer: Buffer): void;
}
type RedisParserConstructor = new (options: {
  returnReply(reply: unknown): void;
  returnError(error: Error): void;
  returnBuffers: boolean;
}) => RedisParser;
const Parser = createRequire(import.meta.url)("redis-parser") as RedisParserConstructor;

/** Parses one RESP2 frame with an independent implementation (node-redis's redis-parser). */
function parseResp2(frame: Uint8Array): unknown {
  const replies: unknown[] = [];
  const parser = new Parser({
    returnReply: (reply) => replies.push(reply),
    returnError: (error) => replies.push(error),
    returnBuffers: true,
  });
  parser.execute(Buffer.from(frame));
  expect(replies).toHaveLength(1);
  return replies[0];
}

describe("message frames are byte-exact with Redis", () => {
  it("encodes message in RESP2 and RESP3", () => {
    expect(latin1(encodeMessageFrame(2, bytesOf("news"), bytesOf("hi")))).toBe(
      "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n",
    );
    expect(latin1(encodeMessageFrame(3, bytesOf("news"), bytesOf("hi")))).toBe(
      ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n",
    );
  });

  it("encodes pmessage with the pattern before the channel", () => {
    expect(latin1(encodePatternMessageFrame(2, bytesOf("n*"), bytesOf("news"), bytesOf("hi")))).toBe(
      "*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$2\r\nhi\r\n",
    );
    expect(latin1(encodePatternMessageFrame(3, bytesOf("n*"), bytesOf("news"), bytesOf("hi")))).toBe(
      ">4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$2\r\nhi\r\n",
    );
  });

  it("encodes smessage for shard channels", () => {
    expect(latin1(encodeShardMessageFrame(2, bytesOf("s"), bytesOf("")))).toBe(
      "*3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$0\r\n\r\n",
    );
    expect(latin1(encodeShardMessageFrame(3, bytesOf("s"), bytesOf("")))).toBe(
      ">3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$0\r\n\r\n",
    );
  });

  it("writes multi-digit lengths and binary payloads verbatim", () => {
    const message = new Uint8Array(1024).map((_, i) => i & 0xff);
    const frame = encodeMessageFrame(2, bytesOf("\xff\x00\r\n"), message);
    expect(latin1(frame)).toBe(`*3\r\n$7\r\nmessage\r\n$4\r\n\xff\x00\r\n\r\n$1024\r\n${latin1(message)}\r\n`);
  });
});

describe("subscription replies are byte-exact with Redis", () => {
  const kinds: SubscriptionReplyKind[] = [
    "subscribe",
    "unsubscribe",
    "psubscribe",
    "punsubscribe",
    "ssubscribe",
    "sunsubscribe",
  ];
  for (const kind of kinds) {
    it(`encodes ${kind} with a channel and with a null channel`, () => {
      expect(latin1(encodeSubscriptionReply(2, kind, bytesOf("ch"), 12))).toBe(
        `*3\r\n$${kind.length}\r\n${kind}\r\n$2\r\nch\r\n:12\r\n`,
      );
      expect(latin1(encodeSubscriptionReply(3, kind, bytesOf("ch"), 0))).toBe(
        `>3\r\n$${kind.length}\r\n${kind}\r\n$2\r\nch\r\n:0\r\n`,
      );
      expect(latin1(encodeSubscriptionReply(2, kind, null, 0))).toBe(
        `*3\r\n$${kind.length}\r\n${kind}\r\n$-1\r\n:0\r\n`,
      );
      expect(latin1(encodeSubscriptionReply(3, kind, null, 7))).toBe(`>3\r\n$${kind.length}\r\n${kind}\r\n_\r\n:7\r\n`);
    });
  }
});

describe("frame properties", () => {
  const bytes = fc.uint8Array({ maxLength: 300 });

  it("RESP2 frames parse back to their parts with an independent parser", () => {
    fc.assert(
      fc.property(bytes, bytes, bytes, fc.nat(), (pattern, channel, message, count) => {
        const b = (u: Uint8Array) => Buffer.from(u);
        expect(parseResp2(encodeMessageFrame(2, channel, message))).toEqual([
          b(bytesOf("message")),
          b(channel),
          b(message),
        ]);
        expect(parseResp2(encodeShardMessageFrame(2, channel, message))).toEqual([
          b(bytesOf("smessage")),
          b(channel),
          b(message),
        ]);
        expect(parseResp2(encodePatternMessageFrame(2, pattern, channel, message))).toEqual([
          b(bytesOf("pmessage")),
          b(pattern),
          b(channel),
          b(message),
        ]);
        expect(parseResp2(encodeSubscriptionReply(2, "subscribe", channel, count))).toEqual([
          b(bytesOf("subscribe")),
          b(channel),
          count,
        ]);
      }),
      { numRuns: 300 },
    );
  });

  it("RESP3 frames are the RESP2 frames behind a push header", () => {
    fc.assert(
      fc.property(bytes, bytes, (channel, message) => {
        const resp2 = encodeMessageFrame(2, channel, message);
        const resp3 = encodeMessageFrame(3, channel, message);
        expect(resp3[0]).toBe(0x3e);
        expect(resp3.subarray(1)).toEqual(resp2.subarray(1));
      }),
      { numRuns: 200 },
    );
  });

  it("returns a fresh frame each call, so receivers may keep it", () => {
    const a = encodeMessageFrame(2, bytesOf("c"), bytesOf("m"));
    const b = encodeMessageFrame(2, bytesOf("c"), bytesOf("m"));
    expect(a).not.toBe(b);
    expect(a).toEqual(b);
  });
});

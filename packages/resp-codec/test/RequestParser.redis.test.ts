import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exchange, hasRedisServer, type RedisServer, startRedis } from "./utils/redisServer.js";
import { anyStream, type ParseOutcome, parseChunks } from "./utils/requestStreams.js";

// What Redis 7.0 replies to a command it does not know (server.c processCommand): the name and
// the first arguments as C strings (cut at NUL), 128 bytes at most, CR/LF shown as spaces.
function unknownCommandReply(args: string[]): string {
  const cstr = (s: string): string => {
    const nul = s.indexOf("\0");
    return nul < 0 ? s : s.slice(0, nul);
  };
  let rest = "";
  for (let i = 1; i < args.length && rest.length < 128; i++) rest += `'${cstr(args[i]!).slice(0, 128 - rest.length)}' `;
  const text = `ERR unknown command '${cstr(args[0]!).slice(0, 128)}', with args beginning with: ${rest}`;
  return `-${text.replace(/[\r\n]/g, " ")}\r\n`;
}

function expectedReplies(outcome: ParseOutcome): string {
  let out = "";
  for (const cmd of outcome.commands) out += unknownCommandReply(cmd);
  if (outcome.error !== null) out += `-ERR Protocol error: ${outcome.error}\r\n`;
  return out;
}

describe.skipIf(!hasRedisServer)("RequestParser against a real redis-server", () => {
  let open: RedisServer;
  let withPassword: RedisServer;
  beforeAll(async () => {
    [open, withPassword] = await Promise.all([startRedis(), startRedis(["--requirepass", "secret"])]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), withPassword?.stop()]);
  });

  it("splits, skips and rejects random, mutated and valid streams exactly as Redis does", async () => {
    const streams = fc.sample(anyStream, { numRuns: 250, seed: 7 });
    // 250 connections at once: on a loaded machine Redis may take longer than the default wait
    // to answer them all (an empty read was seen under CI load), so wait longer.
    const replies = await Promise.all(streams.map((s) => exchange(open.port, s, 2000)));
    streams.forEach((stream, i) => {
      expect(replies[i]!.toString("latin1"), Buffer.from(stream).toString("latin1")).toBe(
        expectedReplies(parseChunks([stream])),
      );
    });
  });

  it("applies the unauthenticated limits exactly as Redis does", async () => {
    const cases = [
      "*11\r\n",
      "*10\r\n$1\r\na\r\n",
      "*1\r\n$16385\r\n",
      "*1\r\n$16384\r\n",
      "a b c d e f g h i j k l\r\n",
      "*2\r\n$1\r\nx\r\n$-1\r\n",
    ].map((s) => Buffer.from(s, "latin1"));
    const replies = await Promise.all(cases.map((s) => exchange(withPassword.port, s, 2000)));
    cases.forEach((stream, i) => {
      expect(replies[i]!.toString("latin1")).toBe(expectedReplies(parseChunks([stream], { authenticated: false })));
    });
  });

  it("gives Redis's exact protocol error texts", async () => {
    const cases: [string, string][] = [
      ["*1\r\n$-1\r\n", "invalid bulk length"],
      ["*1\r\n$536870913\r\n", "invalid bulk length"],
      ["*1\r\n$01\r\n", "invalid bulk length"],
      ["*x\r\n", "invalid multibulk length"],
      ["*2147483648\r\n", "invalid multibulk length"],
      ["*-9223372036854775809\r\n", "invalid multibulk length"],
      ["*1\r\n+foo\r\n", "expected '$', got '+'"],
      ["*1\r\n\r\n\r\n", "expected '$', got ' '"],
      ['set "a\r\n', "unbalanced quotes in request"],
      ["'a'b\r\n", "unbalanced quotes in request"],
      ["*" + "1".repeat(70_000), "too big mbulk count string"],
      ["*1\r\n$" + "1".repeat(70_000), "too big bulk count string"],
      ["a".repeat(70_000), "too big inline request"],
      ["\0" + "a".repeat(70_000) + "\n", "too big inline request"],
    ];
    const replies = await Promise.all(cases.map(([s]) => exchange(open.port, Buffer.from(s, "latin1"), 1000)));
    cases.forEach(([stream, reason], i) => {
      const expected = `-ERR Protocol error: ${reason}\r\n`;
      expect(replies[i]!.toString("latin1")).toBe(expected);
      expect(expectedReplies(parseChunks([Buffer.from(stream, "latin1")]))).toBe(expected);
    });
  });
});

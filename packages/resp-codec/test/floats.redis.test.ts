import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeResp, encodeCommand, formatDouble, incrByFloat, ReplyWriter } from "../src/index.js";
import { hasRedisServer, type RedisServer, roundTrip, startRedis } from "./utils/redisServer.js";

/** Sends commands pipelined on one connection and returns the decoded replies. */
async function pipeline(port: number, commands: (string | number)[][]): Promise<unknown[]> {
  const raw = await roundTrip(port, Buffer.concat(commands.map((c) => encodeCommand(c))));
  return decodeResp(raw);
}

const decimal = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 }).map(String),
  fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.nat({ max: 99999 })).map(([a, b]) => `${a}.${b}`),
  fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => `${m}.5e${e}`),
  fc.constantFrom("0", "-0", "1e-20", "0.1", "1e308", "1e4000", "inf", "abc", " 1", "0x10", "1.5e"),
);

describe.skipIf(!hasRedisServer)("floats against a real redis-server", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis(["--zset-max-listpack-entries", "0"]);
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("formatDouble and ReplyWriter.double give ZSCORE's exact bytes in RESP2 and RESP3", async () => {
    const values = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { numRuns: 300, seed: 3 });
    values.push(Infinity, -Infinity, -0, 2 ** -25, 1e16, 1e17);
    const commands = values.flatMap((v, i) => [
      ["ZADD", "z", Object.is(v, -0) ? "-0" : String(v), `m${i}`],
      ["ZSCORE", "z", `m${i}`],
    ]);
    const replies = await pipeline(redis.port, commands);
    values.forEach((v, i) => expect(replies[2 * i + 1], String(v)).toBe(formatDouble(v)));

    // Raw bytes: RESP3 double and RESP2 bulk, as the writer produces them.
    const sample = values.slice(0, 40);
    const hello = encodeCommand(["HELLO", "3"]);
    const raw3 = await roundTrip(
      redis.port,
      Buffer.concat([hello, ...sample.map((_, i) => encodeCommand(["ZSCORE", "z", `m${i}`]))]),
    );
    const raw2 = await roundTrip(
      redis.port,
      Buffer.concat(sample.map((_, i) => encodeCommand(["ZSCORE", "z", `m${i}`]))),
    );
    const w3 = new ReplyWriter();
    w3.protocol = 3;
    const w2 = new ReplyWriter();
    for (const v of sample) {
      w3.double(v);
      w2.double(v);
    }
    expect(raw3.toString("latin1").endsWith(w3.take().toString("latin1"))).toBe(true);
    expect(raw2.toString("latin1")).toBe(w2.take().toString("latin1"));
  });

  it("incrByFloat gives INCRBYFLOAT's exact text and errors", async () => {
    const pairs = fc.sample(fc.tuple(fc.option(decimal, { nil: null }), decimal), { numRuns: 300, seed: 5 });
    pairs.push(["10.5", "0.1"], [null, "5.0e3"], ["1e4000", "0x10"]);
    const commands = pairs.flatMap(([current, increment], i) => [
      ["DEL", `k${i}`],
      current === null ? ["EXISTS", `k${i}`] : ["SET", `k${i}`, current],
      ["INCRBYFLOAT", `k${i}`, increment],
    ]);
    const replies = await pipeline(redis.port, commands);
    pairs.forEach(([current, increment], i) => {
      const reply = replies[3 * i + 2];
      const ours = incrByFloat(current, increment);
      const shown = reply instanceof Error ? reply.message : reply;
      expect(shown, `${current} + ${increment}`).toBe(ours.ok ? ours.text : ours.error);
    });
  });
});

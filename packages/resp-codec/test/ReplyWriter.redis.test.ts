import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCommand, ReplyWriter } from "../src/index.js";
import { hasRedisServer, type RedisServer, roundTrip, startRedis } from "./utils/redisServer.js";

// Each case: a command, and the same reply written with ReplyWriter.
const cases: [string, (string | number)[], (w: ReplyWriter) => void][] = [
  [
    "map (HGETALL)",
    ["HGETALL", "h"],
    (w) => {
      w.mapHeader(1);
      w.bulkString("f");
      w.bulkString("v");
    },
  ],
  [
    "set (SMEMBERS)",
    ["SMEMBERS", "s"],
    (w) => {
      w.setHeader(1);
      w.bulkString("m");
    },
  ],
  ["null bulk (GET)", ["GET", "missing"], (w) => w.nullBulk()],
  [
    "null in an array (MGET)",
    ["MGET", "missing"],
    (w) => {
      w.arrayHeader(1);
      w.nullBulk();
    },
  ],
  ["null array (LPOP count)", ["LPOP", "missing", "2"], (w) => w.nullArray()],
  ["integer (EXISTS)", ["EXISTS", "h"], (w) => w.integer(1)],
  [
    "doubles (ZRANGE WITHSCORES)",
    ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
    (w) => {
      if (w.protocol === 3) {
        w.arrayHeader(1);
        w.arrayHeader(2);
      } else w.arrayHeader(2);
      w.bulkString("a");
      w.double(1.5);
    },
  ],
  ["double (Lua)", ["EVAL", "return {double=0.1}", "0"], (w) => w.double(0.1)],
  [
    "big number (Lua)",
    ["EVAL", "return {big_number='123456789012345678901234567890'}", "0"],
    (w) => w.bigNumber(123456789012345678901234567890n),
  ],
  ["verbatim (Lua)", ["EVAL", "return {verbatim_string={format='txt', string='abc'}}", "0"], (w) => w.verbatim("abc")],
  ["boolean (Lua true under RESP3)", ["EVAL", "redis.setresp(3); return true", "0"], (w) => w.boolean(true)],
  [
    "map (Lua)",
    ["EVAL", "return {map={a=1}}", "0"],
    (w) => {
      w.mapHeader(1);
      w.bulkString("a");
      w.integer(1);
    },
  ],
  [
    "set (Lua)",
    ["EVAL", "return {set={a=true}}", "0"],
    (w) => {
      w.setHeader(1);
      w.bulkString("a");
    },
  ],
  ["error (Lua)", ["EVAL", "return {err='MY error'}", "0"], (w) => w.error("MY error")],
];

describe.skipIf(!hasRedisServer)("ReplyWriter against a real redis-server", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
    const setup = [
      ["HSET", "h", "f", "v"],
      ["SADD", "s", "m"],
      ["ZADD", "z", "1.5", "a"],
    ];
    await roundTrip(redis.port, Buffer.concat(setup.map((c) => encodeCommand(c))));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  for (const [name, command, write] of cases) {
    it(`writes ${name} byte for byte as Redis does, in RESP2 and RESP3`, async () => {
      for (const protocol of [2, 3] as const) {
        const hello = protocol === 3 ? [encodeCommand(["HELLO", "3"])] : [];
        const raw = await roundTrip(redis.port, Buffer.concat([...hello, encodeCommand(command)]));
        const w = new ReplyWriter();
        w.protocol = protocol;
        write(w);
        const expected = w.take().toString("latin1");
        const got = raw.toString("latin1");
        if (protocol === 2) expect(got).toBe(expected);
        else
          expect(got.endsWith(expected), `${JSON.stringify(got.slice(-80))} vs ${JSON.stringify(expected)}`).toBe(true);
      }
    });
  }
});

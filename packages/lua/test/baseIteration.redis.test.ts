import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRedisServer, type RedisServer, startRedis } from "../../../test-support/redisServer.js";
import { openBit, openRedisBaseFixes, openRedisMath, openStruct } from "../src/index.js";
import { compareWithRedis, luaNumber, newScriptVM } from "./baseHarness.js";

/**
 * `pairs` order depends on the hash of each key and on the table's node layout; for strings,
 * numbers and booleans both are the same in the wasm Lua as in redis-server (keys that are
 * tables or functions hash by address and differ, as between two Redis processes).
 */
describe.skipIf(!hasRedisServer)("pairs order against redis-server", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const vm = newScriptVM(openRedisBaseFixes, (vm) => openRedisMath(vm), openStruct, openBit);
  const keysOf = (table: string) =>
    `local t = ${table} local o = {} for k in pairs(t) do o[#o + 1] = tostring(k) end return table.concat(o, ',')`;

  it("visits library tables and built tables in the same order", async () => {
    const cases = [
      keysOf("string"),
      keysOf("table"),
      keysOf("math"),
      keysOf("bit"),
      keysOf("struct"),
      keysOf("{a = 1, b = 2, c = 3, ['hello world'] = 4, [true] = 5, [false] = 6}"),
      keysOf(
        "(function() local t = {} for i = 1, 100 do t[i] = i end for i = 1, 100, 3 do t[i] = nil end t.x = 1 t[1000] = 2 return t end)()",
      ),
    ];
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });

  it("visits random string and number keys in the same order", async () => {
    const key = fc.oneof(
      fc.string({ maxLength: 8 }).map((s) => `'${s.replace(/[\\']/g, "")}'`),
      fc.integer({ min: -50, max: 200 }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(luaNumber),
    );
    const samples = fc.sample(fc.array(key, { maxLength: 40 }), { numRuns: 200, seed: 12 });
    const cases = samples.map((keys) =>
      keysOf(`(function() local t = {} ${keys.map((k) => `t[${k}] = true`).join(" ")} return t end)()`),
    );
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });
});

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRedisServer, type RedisServer, startRedis } from "../../../test-support/redisServer.js";
import { openTonumberFix } from "../src/index.js";
import { compareWithRedis, newScriptVM } from "./baseHarness.js";

describe.skipIf(!hasRedisServer)("tonumber against redis-server", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const vm = newScriptVM(openTonumberFix);

  it("converts with 64-bit strtoul in other bases and glibc's strtod rules in base 10", async () => {
    const cases = [
      "return show(tonumber('ffffffffff', 16), tonumber('-ffffffffff', 16), tonumber('1' .. string.rep('0', 70), 2))",
      "return show(tonumber(string.rep('f', 17), 16), tonumber('-1', 36), tonumber('zz', 36), tonumber('zz', 35))",
      "return show(tonumber('0x1f', 16), tonumber('0x', 16), tonumber('0xg', 16), tonumber(' 1f ', 16), tonumber('1f\\0zz', 16))",
      "return show(tonumber('0b101', 2), tonumber('  ', 2), tonumber('-', 8), tonumber('+7', 8), tonumber('8', 8), tonumber('1 2', 10))",
      "return show(tonumber('10', 2^32 + 16), tonumber('10', 2^32 + 10), tonumber('10', '16'), tonumber(16, 16))",
      "return show(tonumber('10', 1))",
      "return show(tonumber('10', 37))",
      "return show(tonumber('10', 'x'))",
      "return show(tonumber({}, 16))",
      "return show(tonumber('12'), tonumber(' 0x10 '), tonumber('1e2'), tonumber('x'), tonumber(nil))",
      "return show(tonumber())",
      "return show(tonumber('7fffffffff', 2^32 + 16), tonumber('7fffffffff', -2^32 + 16))",
      "return show(tonumber('0x'), tonumber('0X'), tonumber('-0x'), tonumber(' 0x '), tonumber('+0x\\t'), tonumber('0x\\0zz'))",
      "return show(tonumber('0x', 10), tonumber('0x', '10'), tonumber('0x.'), tonumber('0xp1'), tonumber('0x1p'), tonumber('0x0'))",
      "return show(tonumber('-nan'), tonumber(' -NaN '), tonumber('-nan(12)'), tonumber('nan'), tonumber('-nanx'), tonumber('-inf'))",
      "return show(tonumber(' -nan ', 10), tonumber('-0x', 16), tonumber(12, 10), tonumber(true))",
    ];
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });

  it("parses random strings in random bases like glibc's strtoul", async () => {
    const text = fc.stringMatching(/^[ \t+\-0-9a-zA-Z]{0,24}$/);
    const samples = fc.sample(fc.tuple(text, fc.integer({ min: 2, max: 36 })), { numRuns: 800, seed: 65 });
    const cases = samples.map(([s, base]) => `return show(tonumber('${s}', ${base}))`);
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });

  it("reads random decimal-looking strings like glibc's strtod", async () => {
    const text = fc.stringMatching(/^[ +\-0-9xXeEpP.a-fnNiI]{0,12}$/);
    const samples = fc.sample(text, { numRuns: 800, seed: 66 });
    const cases = samples.map((s) => `return show(tonumber('${s}'))`);
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });
});

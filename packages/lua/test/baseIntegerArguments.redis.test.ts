import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRedisServer, type RedisServer, startRedis } from "../../../test-support/redisServer.js";
import { openIntegerArgumentFixes } from "../src/index.js";
import { compareWithRedis, luaNumber, newScriptVM } from "./baseHarness.js";

/** Integers around the 32-bit edges and beyond, plus fractions and specials. */
const integer = fc.oneof(
  fc.integer({ min: -8, max: 8 }),
  fc.integer({ min: -8, max: 8 }).map((n) => 2 ** 32 + n),
  fc.integer({ min: -8, max: 8 }).map((n) => -(2 ** 32) + n),
  fc.integer({ min: -3, max: 3 }).map((n) => 2 ** 31 + n),
  fc.integer({ min: -3, max: 3 }).map((n) => -(2 ** 31) + n),
  fc.constantFrom(2 ** 53, 2 ** 63, 2 ** 64, -(2 ** 63), 1e300, -1e300, 0.5, -0.5, 2.9),
);

describe.skipIf(!hasRedisServer)("integer arguments against redis-server", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const vm = newScriptVM(openIntegerArgumentFixes);

  it("reads integer arguments as a 64-bit lua_Integer does", async () => {
    const cases = [
      "return string.rep('a', 2^32 + 2)",
      "return ('x'):rep(-2^32 + 3)",
      "return string.rep('ab', '4294967298')",
      "return string.rep('ab', 'x')",
      "return string.rep('ab')",
      "return string.sub('hello', 2^32 + 2)",
      "return string.sub('hello', 2, 2^32)",
      "return string.sub('hello', -2^32)",
      "return string.sub('hello', 0/0, 1/0)",
      "return string.sub('hello', {}, 1)",
      "return show(string.byte('hello', 2^32 + 1))",
      "return show(string.byte('hello', 1, 2^40))",
      "return show(string.byte('hello', -2^40, 2))",
      "return string.char(2^32 + 65, 66, '67')",
      "return string.char(256 + 65)",
      "return string.char(-1)",
      "return string.char('x')",
      "return show(select(2^32 + 1, 'a', 'b'))",
      "return show(select(-2^32, 'a', 'b'))",
      "return show(select('#', 1, nil, 3))",
      "return show(select('2', 'a', 'b'))",
      "return show(select(-1, 'a', 'b'))",
      "return show(unpack({1, 2, 3}, 2^32 + 1, 2^32 + 2))",
      "return show(unpack({1, 2, 3}, -1, 1))",
      "return show(unpack({1, 2, 3}, 1, 2^31))",
      "return show(unpack({1, 2, 3}, -2147483647, 0))",
      "return show(unpack({1, 2, 3}, -2^31))",
      "return show(unpack({1, 2, 3}, 2, -2^31))",
      "return show(unpack({1, 2, 3}, -2^31, 2^31 - 1))",
      "return table.concat({1, 2, 3}, ',', 2^32 + 1, 2^32 + 3)",
      "return table.concat({1, 2, 3}, ',', 2, '3')",
      "local t = {1, 2, 3} table.insert(t, 2^32 + 1, 'x') return table.concat(t, ',')",
      "local t = {1, 2, 3} table.insert(t, 2^32 + 1) return show(t[4])",
      "local t = {1, 2, 3} table.insert(t, 1, 2, 3) return 'no'",
      "local t = {1, 2, 3} return show(table.remove(t, 2^32 + 1), table.concat(t, ','))",
      "return show(math.ldexp(1, 2^32 + 1), math.ldexp(1, 2^31), math.ldexp(3, -2^32 - 1))",
      "return show(string.find('hello', 'l', 2^32 + 1), string.find('hello', 'l', -2^32))",
      "return show(string.match('hello', '.', 2^32 + 1), string.match('hello', '.', -2^40))",
      "return show(string.gsub('aaa', 'a', 'b', 2^32 + 1))",
      "return show(string.gsub('aaa', 'a', 'b', -1))",
    ];
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });

  it("gives the same results for random integer arguments", async () => {
    const calls = [
      (a: string, b: string) => `return show(string.sub('hello world', ${a}, ${b}))`,
      (a: string, b: string) => `return show(string.byte('hello', ${a}, ${b}))`,
      (a: string) => `return show(#string.rep('ab', ${a} % 2^32 < 50 and ${a} or 3))`,
      (a: string) => `return show(string.find('hello', 'l', ${a}))`,
      (a: string) => `return show(select(${a}, 'a', 'b', 'c'))`,
      (a: string, b: string) => `return show(unpack({1, 2, 3}, ${a}, (${b}) % 2^32 < 8 and ${b} or 3))`,
      (a: string, b: string) => `return show(table.concat({1, 2, 3, 4}, '-', ${a}, ${b}))`,
      (a: string) => `return show(math.ldexp(1.5, ${a}))`,
      (a: string) => `return show(string.char(${a}))`,
      (a: string) => `return show(string.gsub('abab', 'a', 'c', ${a}))`,
    ];
    const samples = fc.sample(fc.tuple(fc.nat(calls.length - 1), integer, integer), { numRuns: 800, seed: 64 });
    const cases = samples.map(([c, a, b]) => calls[c]!(luaNumber(a), luaNumber(b)));
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });
});

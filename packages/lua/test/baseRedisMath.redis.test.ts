import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRedisServer, type RedisServer, startRedis } from "../../../test-support/redisServer.js";
import { openRedisMath } from "../src/index.js";
import { compareWithRedis, luaNumber, newScriptVM } from "./baseHarness.js";

describe.skipIf(!hasRedisServer)("math.random and math.randomseed against redis-server", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const vm = newScriptVM((vm) => openRedisMath(vm));

  it("starts from the same state as a fresh server and continues it across scripts (7.0 does not reseed)", async () => {
    const draws = Array.from({ length: 5 }, () => "return show(math.random(), math.random(100), math.random(-5, 5))");
    const first = await compareWithRedis(vm, redis, draws);
    expect(first.ours).toEqual(first.theirs);
    const second = await compareWithRedis(vm, redis, draws);
    expect(second.ours).toEqual(second.theirs);
    expect(second.ours).not.toEqual(first.ours);
  });

  it("gives the same sequences for random seeds and bounds, and the same errors", async () => {
    const seed = fc.oneof(
      fc.integer(),
      fc.double({ noNaN: false, noDefaultInfinity: false }),
      fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map((n) => Number(n)),
    );
    const bound = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.integer(), fc.double({ min: -1e12, max: 1e12 }));
    const samples = fc.sample(fc.tuple(seed, bound, bound), { numRuns: 300, seed: 48 });
    const cases = samples.map(
      ([s, a, b]) =>
        `math.randomseed(${luaNumber(s)}) return show(math.random(), math.random(${luaNumber(a)}), math.random(${luaNumber(a)}, ${luaNumber(b)}), math.random())`,
    );
    cases.push(
      "math.randomseed(7) return show(math.random(2^32 + 5), math.random(-2^31, 2^31 - 1), math.random(0))",
      "return show(math.random(1, 2, 3))",
      "return show(math.random('x'))",
      "return show(math.random('10'))",
      "return show(math.random(5, 1))",
      "return show(math.random(nil))",
      "return show(math.randomseed())",
      "return show(math.randomseed('x'))",
      "math.randomseed('12') return show(math.random())",
      "return show(pcall(math.random, 1, 2, 3))",
    );
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });
});

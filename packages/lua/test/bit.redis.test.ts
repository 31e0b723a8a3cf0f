import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRedisServer, type RedisServer, startRedis } from "../../../test-support/redisServer.js";
import { openBit } from "../src/index.js";
import { compareWithRedis, luaNumber, newScriptVM } from "./baseHarness.js";

/** Doubles that exercise bit's normalisation: small and huge integers, halves, fractions, specials. */
const double = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 32 }),
  fc.integer({ min: -10, max: 10 }).map((n) => n + 0.5),
  fc.double({ noDefaultInfinity: false, noNaN: false }),
  fc.constantFrom(2 ** 51, 2 ** 52, 2 ** 53, 2 ** 63, 2 ** 64, -(2 ** 52) - 0.5, 4294967295.5, 2147483647.5, 1e300),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => Number(n)),
);

describe.skipIf(!hasRedisServer)("bit against redis-server", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const vm = newScriptVM(openBit);

  it("handles the documented cases, argument errors and odd arguments alike", async () => {
    const cases = [
      "return bit.tobit(0xffffffff)",
      "return bit.tobit(0xffffffff + 1)",
      "return bit.tobit(2^40 + 1234)",
      "return bit.tohex(1)",
      "return bit.tohex(-1)",
      "return bit.tohex(0x87654321, -4)",
      "return bit.tohex(0x87654321, 4)",
      "return bit.tohex(255, -2^31)",
      "return bit.tohex(255, -2^31 - 1)",
      "return bit.tohex(255, 0)",
      "return bit.tohex(255, 100)",
      "return bit.tohex(255, nil)",
      "return bit.bnot(0)",
      "return bit.band(0x12345678, 0xff)",
      "return bit.band()",
      "return bit.bor(1, 2, 4, 8, '16')",
      "return bit.bxor(1, 3, 'x')",
      "return bit.bxor(1, 3, {})",
      "return bit.lshift(1, 31)",
      "return bit.lshift(1, 32)",
      "return bit.lshift(1, -1)",
      "return bit.rshift(-256, 4)",
      "return bit.arshift(-256, 4)",
      "return bit.rol(0x12345678, 12)",
      "return bit.ror(0x12345678, 12)",
      "return bit.rol(0x12345678, 0)",
      "return bit.ror(0x12345678, 32)",
      "return bit.bswap(0x12345678)",
      "return bit.tobit('0x10')",
      "return bit.tobit(' 12 ')",
      "return bit.tobit('0')",
      "return bit.tobit('')",
      "return bit.tobit(nil)",
      "return bit.tobit()",
      "return bit.tobit(true)",
      "local f = bit.tobit return f('x')",
      "return bit.tobit(0/0)",
      "return bit.tobit(1/0)",
      "return bit.tobit(-1/0)",
      "return select('#', bit.tobit(1, 2))",
      "local t = {} for k in pairs(bit) do t[#t + 1] = k end return table.concat(t, ' ')",
    ];
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });

  it("gives the same results for random operands", async () => {
    const fns = ["tobit", "bnot", "bswap", "tohex"];
    const binary = ["band", "bor", "bxor", "lshift", "rshift", "arshift", "rol", "ror", "tohex"];
    const cases = fc
      .sample(fc.tuple(double, double, double, fc.nat()), { numRuns: 600, seed: 22 })
      .map(([a, b, c, pick]) => {
        const n = pick % (fns.length + binary.length + 1);
        if (n < fns.length) return `return bit.${fns[n]}(${luaNumber(a)})`;
        if (n < fns.length + binary.length)
          return `return bit.${binary[n - fns.length]}(${luaNumber(a)}, ${luaNumber(b)})`;
        return `return bit.band(${luaNumber(a)}, ${luaNumber(b)}, ${luaNumber(c)})`;
      });
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });
});

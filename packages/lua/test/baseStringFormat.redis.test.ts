import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRedisServer, type RedisServer, startRedis } from "../../../test-support/redisServer.js";
import { openStringFormat } from "../src/index.js";
import { compareWithRedis, luaNumber, newScriptVM } from "./baseHarness.js";

const number = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer(),
  fc.double({ noNaN: false, noDefaultInfinity: false }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => Number(n)),
  fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 63, 2 ** 64, -(2 ** 63), -(2 ** 31) - 1, 255.9, -0.5, 65, 0),
);

/** A conversion spec: flags, width, precision and a letter (mostly integer ones). */
const spec = fc
  .tuple(
    fc.subarray(["-", "+", " ", "#", "0"]),
    fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }),
    fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }),
    fc.constantFrom("d", "i", "o", "u", "x", "X", "c", "d", "x", "e", "f", "g", "G", "E", "s", "q"),
  )
  .map(
    ([flags, width, precision, letter]) =>
      `%${flags.join("")}${width ?? ""}${precision === undefined ? "" : `.${precision}`}${letter}`,
  );

describe.skipIf(!hasRedisServer)("string.format against redis-server", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const vm = newScriptVM(openStringFormat);

  it("formats the hand-picked cases and fails with the same errors", async () => {
    const cases = [
      "return string.format('%d', 2^31)",
      "return string.format('%d|%i|%u|%o|%x|%X', 2^53, -2^53, -1, -1, -1, 2^63)",
      "return string.format('%x|%x|%x|%x', 2^64, 2^70, 0/0, -1/0)",
      "return string.format('%d|%d|%d', 0/0, 1/0, -1/0)",
      "return string.format('%c%c%c', 72, 105, 2^40 + 33)",
      "return #string.format('%c', 0) .. #string.format('%5c', 0) .. #string.format('%-5c|', 0)",
      "return string.format('[%05c][%-5c][%5.3c][%+c][%#c]', 65, 66, 67, 68, 69)",
      "return string.format('[% 05d][%+05d][%-+5d][%.0d][%#.0o][%#.0x][%#5o][%#08x][%-#8X][%08.3d][%+u][% x][%.10d][%+.0d]', 42, 42, 42, 0, 0, 0, 8, 255, 255, 7, 5, 5, -3, 0)",
      "return string.format('%5.2f|%g|%e|%s|%q|%%|%5s', 3.14159, 1e20, 12345.678, 'str', 'a\\0b\\n', 'x')",
      "return string.format('%s %d', 'x', 3.99)",
      "return string.format('%d %s', 2^40, string.rep('y', 120))",
      "return hex(string.format('%d|%s|%5s|%-5s|%.2s|%08s|%.0s', 1, 'a\\0b', 'a\\0b', 'xy', 'abc', 'q', 'zzz'))",
      "return hex(string.format('%d|%s|%.200s|%150s', 1, string.rep('a\\0', 60), string.rep('b\\0', 60), 'c'))",
      "return hex(string.format('%x|%s|%s', 255, 12, 1.5))",
      "return string.format('%d %s', 1, {})",
      "return string.format('%d %s', 1)",
      "return hex(string.format('\\0%d\\0%%\\0', 7))",
      "return string.format('%d', '12')",
      "return string.format('%d', '0x10')",
      "return string.format('%d', 'x')",
      "return string.format('%d')",
      "return string.format('%s %d', {}, 'x')",
      "return string.format('%d %s', 5)",
      "return string.format('%y', 5)",
      "return string.format('%d %y', 2^40, 5)",
      "return string.format('%', 5)",
      "return string.format('abc%')",
      "return string.format('%-----d', 5)",
      "return string.format('%------d', 5)",
      "return string.format('%100d', 5)",
      "return string.format('%.100d', 5)",
      "return string.format('%099.99d', -5)",
      "return string.format('a\\0b%dc\\0', 2^33)",
      "return string.format('%5\\0d', 1)",
      "return string.format()",
      "return string.format(12, 1)",
      "return ('%x'):format(2^40)",
      "local f = string.format return f('%d', {})",
      "return tostring(pcall(string.format, '%d', {}))",
    ];
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });

  it("formats random specs and values like redis-server", async () => {
    const samples = fc.sample(
      fc.array(fc.tuple(fc.constantFrom("", "a", " ", "%%", "-"), spec, number), { minLength: 1, maxLength: 3 }),
      { numRuns: 1500, seed: 31 },
    );
    const cases = samples.map((items) => {
      const format = items.map(([lit, s]) => lit + s).join("");
      const args = items.map(([, s, v], k) => {
        if (!s.endsWith("s") && !s.endsWith("q")) return luaNumber(v);
        // Alternate numbers' text with strings holding NULs, some of 100 bytes or more.
        const count = Number.isFinite(v) ? Math.abs(Math.trunc(v)) % 60 : 7;
        return k % 2 === 0 ? `tostring(${luaNumber(v)})` : `string.rep('a\\0b', ${count})`;
      });
      return `return hex(string.format('${format}', ${args.join(", ")}))`;
    });
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });
});

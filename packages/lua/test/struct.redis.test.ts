import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRedisServer, type RedisServer, startRedis } from "../../../test-support/redisServer.js";
import { openStruct } from "../src/index.js";
import { compareWithRedis, luaNumber, newScriptVM } from "./baseHarness.js";

const lua = (s: string): string => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

const integerValue = fc.oneof(
  fc.integer({ min: -300, max: 300 }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 32 }),
  fc.bigInt({ min: -(2n ** 66n), max: 2n ** 66n }).map((n) => Number(n)),
  fc.double({ noNaN: false, noDefaultInfinity: false }),
  fc.constantFrom(2 ** 63, 2 ** 64, -(2 ** 63), 2 ** 64 - 2048, -0.5, 255.9, 65535, 65536),
);

/** A random format item and a Lua argument for it. */
const item = fc.oneof(
  fc
    .tuple(fc.constantFrom("b", "B", "h", "H", "l", "L", "T", "i", "I"), integerValue)
    .map(([o, v]) => [o, luaNumber(v)]),
  fc
    .tuple(fc.constantFrom("i", "I"), fc.integer({ min: 0, max: 33 }), integerValue)
    .map(([o, n, v]) => [`${o}${n}`, luaNumber(v)]),
  fc
    .tuple(fc.constantFrom("f", "d"), fc.double({ noNaN: false, noDefaultInfinity: false }))
    .map(([o, v]) => [o, luaNumber(v)]),
  fc.tuple(fc.integer({ min: 0, max: 5 }), fc.string({ maxLength: 6 })).map(([n, s]) => [`c${n}`, lua(s)]),
  fc.string({ maxLength: 5 }).map((s) => ["s", lua(s.replace(/\0/g, ""))]),
  fc.constantFrom(["x", ""], ["<", ""], [">", ""], ["!", ""], ["!2", ""], ["!4", ""], [" ", ""], ["!16", ""]),
);

describe.skipIf(!hasRedisServer)("struct against redis-server", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const vm = newScriptVM(openStruct);

  it("packs, unpacks and sizes the hand-picked cases and fails with the same errors", async () => {
    const cases = [
      "return hex(struct.pack('>i4<i4', 1, 1))",
      "return hex(struct.pack('bBhHlLTiI', -1, 255, -2, 65535, -3, 2^63, 2^64 - 2048, -4, 2^32 - 1))",
      "return hex(struct.pack('<L>L', 2^64, -1))",
      "return hex(struct.pack('<l<L<I8', 0/0, 0/0, 1/0))",
      "return hex(struct.pack('<i16>i16<I12', -2, -2, 2^40))",
      "return hex(struct.pack('i0', 5))",
      "return hex(struct.pack('!4bi!8bd!2bh', 1, 2, 3, 4.5, 5, 6))",
      "return hex(struct.pack('!bxi3i', 1, 2, 3))",
      "return hex(struct.pack('c3c0s', 'abcdef', 'xy', 'z\\0w'))",
      "return hex(struct.pack('c5', 'abc'))",
      "return hex(struct.pack('i'))",
      "return hex(struct.pack('ii', 1))",
      "return hex(struct.pack('c', {}))",
      "return hex(struct.pack('i', 'x'))",
      "return hex(struct.pack('i', '12'))",
      "return hex(struct.pack('y', 1))",
      "return hex(struct.pack('i33', 1))",
      "return hex(struct.pack('i99999999999', 1))",
      "return hex(struct.pack('!3i', 1))",
      "return hex(struct.pack('!0i', 1))",
      "return hex(struct.pack('i\\0y', 1))",
      "return hex(struct.pack('f', 0.1) .. struct.pack('>f', 1e300) .. struct.pack('d', -0.0))",
      "return hex(struct.pack(12, 1))",
      "return hex(struct.pack())",
      "return show(struct.unpack('>i4<i4', '\\0\\0\\0\\1\\1\\0\\0\\0'))",
      "return show(struct.unpack('bBhHlLTiI', string.rep('\\255', 40)))",
      "return show(struct.unpack('<i9<i16>i16<I12>I9<i0>i0', string.rep('\\128', 80)))",
      "return show(struct.unpack('<i9<i10<i12<i15>i9', string.rep('\\127\\1\\200', 30)))",
      "return show(struct.unpack('i', 'abc'))",
      "return show(struct.unpack('i', 'abcdefgh', 5))",
      "return show(struct.unpack('i', 'abcdefgh', 6))",
      "return show(struct.unpack('i', 'abcdefgh', 0))",
      "return show(struct.unpack('i', 'abcdefgh', -1))",
      "return show(struct.unpack('!4i', 'abcdefgh', -1))",
      "return show(struct.unpack('!4i', 'abcdefgh', -2))",
      "return show(struct.unpack('', 'abc', -7))",
      "return show(struct.unpack('', 'abc', 2^60))",
      "return show(struct.unpack('', 'abc', 1e300))",
      "return show(struct.unpack(' ', 'abc', 9))",
      "return show(struct.unpack('i', 'abcdefgh', '3'))",
      "return show(struct.unpack('i', 'abcdefgh', 'x'))",
      "return show(struct.unpack('i', 'abcdefgh', 2.9))",
      "return show(struct.unpack('i', 'abcdefgh', nil))",
      "return show(struct.unpack('bc0', '\\3abcd'))",
      "return show(struct.unpack('c1c0', '2abcd'))",
      "return show(struct.unpack('c0', 'abcd'))",
      "return show(struct.unpack('bc0', '\\9abcd'))",
      "return show(struct.unpack('bc0', '\\255abcd'))",
      "return show(struct.unpack('szs', 'ab\\0\\0c\\0'))",
      "return show(struct.unpack('s', 'ab'))",
      "return show(struct.unpack('xxb', 'abc'))",
      "return show(struct.unpack('fd', struct.pack('fd', 1.5, -2.25)))",
      "return show(struct.unpack('>f>d', struct.pack('>f>d', 0/0, -(0/0))))",
      "return show(struct.unpack('y', 'abc'))",
      "return show(struct.unpack('i', {}))",
      "return show(struct.unpack({}, 'x'))",
      "return show(struct.unpack(string.rep('b', 9000), string.rep('a', 9000)))",
      "return show(struct.size('bhilTfdxc5!8i'), struct.size(''), struct.size('<>! '))",
      "return show(struct.size('!4bi3i'))",
      "return show(struct.size('s'))",
      "return show(struct.size('c0'))",
      "return show(struct.size('y'))",
      "return show(struct.size('#'))",
      "return show(struct.size('i40'))",
      "return show(struct.size('c2147483647c2147483647'))",
      "local t = {} for k in pairs(struct) do t[#t + 1] = k end return table.concat(t, ' ')",
    ];
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });

  it("round-trips random formats and values like redis-server", async () => {
    const samples = fc.sample(fc.array(item, { minLength: 1, maxLength: 6 }), { numRuns: 400, seed: 7 });
    const cases = samples.flatMap((items) => {
      const format = lua(items.map(([o]) => o).join(""));
      const args = items.map(([, a]) => a).filter((a) => a !== "");
      return [
        `return hex(struct.pack(${[format, ...args].join(", ")}))`,
        `return show(struct.unpack(${format}, struct.pack(${[format, ...args].join(", ")})))`,
        `return show(struct.size(${format}))`,
      ];
    });
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });

  it("unpacks random bytes with random formats like redis-server", async () => {
    const formats = fc.array(
      fc.oneof(
        fc.constantFrom(
          "b",
          "B",
          "h",
          "H",
          "l",
          "L",
          "T",
          "i",
          "I",
          "f",
          "d",
          "x",
          "s",
          "c2",
          "c0",
          "<",
          ">",
          "!",
          "!2",
        ),
        fc.integer({ min: 0, max: 20 }).map((n) => `i${n}`),
        fc.integer({ min: 0, max: 20 }).map((n) => `I${n}`),
      ),
      { minLength: 1, maxLength: 5 },
    );
    const samples = fc.sample(fc.tuple(formats, fc.uint8Array({ maxLength: 40 }), fc.integer({ min: -3, max: 6 })), {
      numRuns: 500,
      seed: 9,
    });
    const cases = samples.map(([f, bytes, offset]) => {
      const data = Array.from(bytes, (b) => `\\${b}`).join("");
      return `return show(struct.unpack('${f.join("")}', '${data}', ${offset}))`;
    });
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });
});

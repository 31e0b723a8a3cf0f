/**
 * Differential tests: each script runs in our VM and through EVAL on a real Redis 7.0, and the
 * returned bytes must be identical (packed bytes, unpacked values, error messages).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RedisServer } from "../../../test-support/redisServer.js";
import { type LuaVM, openCjson, openCmsgpack } from "../src/index.js";
import { hasRedisServer, luaStringLiteral, newScriptVM, runBoth, startRedis } from "./support/luaHarness.js";
import { LUA_DUMP, luaNumber, luaValue } from "./support/luaSource.js";

const SEED = Number(process.env.LUA_PROPERTY_SEED ?? 20260701);

describe.skipIf(!hasRedisServer)("cmsgpack, byte for byte against Redis 7.0", () => {
  let server: RedisServer;
  let vm: LuaVM;

  beforeAll(async () => {
    server = await startRedis();
    vm = newScriptVM(openCjson, openCmsgpack);
  });
  afterAll(async () => {
    await server?.stop();
    vm?.close();
  });

  async function expectSame(bodies: string[]): Promise<void> {
    const results = await runBoth(
      vm,
      server,
      bodies.map((body) => LUA_DUMP + body),
    );
    const differences = results
      .filter((r) => r.ours !== r.redis)
      .map((r) => ({ code: r.code.slice(LUA_DUMP.length), ours: r.ours, redis: r.redis }));
    expect(differences).toEqual([]);
  }

  const pack = (args: string): string => `local ok, s = pcall(cmsgpack.pack, ${args}) return ok and hex(s) or s`;
  const unpack = (bytes: Uint8Array): string => `return try(cmsgpack.unpack, ${luaStringLiteral(bytes)})`;

  it("packs numbers as the smallest integer format, else float32 when lossless, else float64", async () => {
    const numbers = [
      0,
      -0,
      1,
      127,
      128,
      255,
      256,
      65535,
      65536,
      2 ** 32 - 1,
      2 ** 32,
      2 ** 53,
      2 ** 63,
      2 ** 64,
      -1,
      -32,
      -33,
      -128,
      -129,
      -32768,
      -32769,
      -(2 ** 31),
      -(2 ** 31) - 1,
      -(2 ** 53),
      -(2 ** 63),
      -(2 ** 64),
      0.5,
      0.1,
      1.5,
      3.4e38,
      3.5e38,
      1e-45,
      1e-46,
      5e-324,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ];
    await expectSame([...numbers.map((n) => pack(luaNumber(n))), pack("0/0"), pack("-(0/0)")]);
  });

  it("packs strings, booleans, nil and unsupported types, and several arguments in one string", async () => {
    await expectSame([
      pack("''"),
      pack("string.rep('a', 31)"),
      pack("string.rep('a', 32)"),
      pack("string.rep('a', 255)"),
      pack("string.rep('a', 256)"),
      pack("string.rep('a', 65535)"),
      pack("string.rep('a', 65536)"),
      pack("true, false, nil"),
      pack("tostring, cjson.null, coroutine.create(function() end)"),
      pack("1, 'two', {3}, nil"),
      "return try(cmsgpack.pack) .. try(function() return cmsgpack.pack() end)",
      "local t = {} for i = 1, 7990 do t[i] = i end return try(function() return #cmsgpack.pack(unpack(t)) end)",
      "local t = {} for i = 1, 3000 do t[i] = i end return try(function() return #cmsgpack.pack(unpack(t)) end)",
    ]);
  });

  it("packs tables as arrays only when keyed exactly 1..n, and nil past 16 levels", async () => {
    await expectSame([
      pack("{}"),
      pack("{1, 2, 3}"),
      pack("{1, nil, 3}"),
      pack("{[1] = 'a', [2] = 'b'}"),
      pack("{[2] = 'b'}"),
      pack("{[0] = 'z', 'a'}"),
      pack("{[1.5] = 1}"),
      pack("{[2^31] = 1}"),
      pack("{a = 1, b = 2, [1] = 3}"),
      pack("{[true] = 1, [{}] = 2}"),
      pack("(function() local t = {} for i = 1, 16 do t[i] = i end return t end)()"),
      pack("(function() local t = {} for i = 1, 70000 do t[i] = i % 3 end return t end)()"),
      pack("(function() local t = {} for i = 1, 17 do t['k' .. i] = i end return t end)()"),
      pack("(function() local t = {} for i = 1, 70000 do t['k' .. i] = i end return t end)()"),
      pack("setmetatable({1, 2}, {__index = function() return 9 end})"),
      ...[15, 16, 17, 20].map(
        (depth) =>
          `local t = {} local c = t for i = 1, ${depth} do c[1] = {} c = c[1] end return (hex(cmsgpack.pack(t)))`,
      ),
      "local t = {} t[1] = t return (hex(cmsgpack.pack(t)))",
      "local t = {} t.self = t return (hex(cmsgpack.pack(t)))",
    ]);
  });

  it("unpacks every format, and fails on truncated or unknown input with Redis's messages", async () => {
    const inputs: number[][] = [
      [0x00],
      [0x7f],
      [0xe0],
      [0xff],
      [0xcc, 0xff],
      [0xcd, 0xff, 0xff],
      [0xce, 0xff, 0xff, 0xff, 0xff],
      [0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
      [0xcf, 0x80, 0, 0, 0, 0, 0, 0, 0],
      [0xcf, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
      [0xd0, 0x80],
      [0xd1, 0x80, 0x00],
      [0xd2, 0x80, 0, 0, 0],
      [0xd3, 0x80, 0, 0, 0, 0, 0, 0, 1],
      [0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe],
      [0xca, 0x3f, 0xc0, 0, 0],
      [0xca, 0x7f, 0xc0, 0, 0],
      [0xca, 0xff, 0xc0, 0, 0],
      [0xca, 0x7f, 0x80, 0, 0],
      [0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0],
      [0xcb, 0xff, 0xf8, 0, 0, 0, 0, 0, 0],
      [0xc0, 0xc2, 0xc3],
      [0xa3, 0x61, 0x62, 0x63],
      [0xd9, 0x01, 0x41],
      [0xda, 0x00, 0x01, 0x41],
      [0xdb, 0x00, 0x00, 0x00, 0x01, 0x41],
      [0x93, 0x01, 0x02, 0x03],
      [0xdc, 0x00, 0x02, 0x01, 0x02],
      [0xdd, 0x00, 0x00, 0x00, 0x01, 0xc0],
      [0x82, 0xa1, 0x61, 0x01, 0x01, 0xa1, 0x62],
      [0xde, 0x00, 0x01, 0xc0, 0x01],
      [0xdf, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02],
      [0x92, 0xc0, 0x01],
      [0x81, 0x93, 0x01, 0x02, 0x03, 0x04],
      [],
      [0xc1],
      [0xc4, 0x01, 0x41],
      [0xd4, 0x01, 0x02],
      [0xcd, 0x01],
      [0xa5, 0x61],
      [0xdb, 0xff, 0xff, 0xff, 0xff, 0x61],
      [0x93, 0x01],
      [0x82, 0x01],
      [0xdd, 0xff, 0xff, 0xff, 0xff],
      [0x01, 0x02, 0x03, 0xc1],
    ];
    await expectSame([
      ...inputs.map((bytes) => unpack(Uint8Array.from(bytes))),
      "return try(cmsgpack.unpack)",
      "return try(cmsgpack.unpack, {})",
      "return try(cmsgpack.unpack, 1)",
      `return try(cmsgpack.unpack, string.rep('\\1', 9000))`,
      `return try(function() return select('#', cmsgpack.unpack(string.rep('\\1', 7000))) end)`,
      // Nesting deep enough to hit Lua's stack limit, in arrays and in maps.
      `return try(cmsgpack.unpack, string.rep('\\145', 9000))`,
      `return try(cmsgpack.unpack, string.rep('\\129\\1', 9000))`,
      `return try(cmsgpack.unpack, string.rep('\\129\\145', 9000))`,
      `return #try(cmsgpack.unpack, string.rep('\\145', 3990) .. '\\1')`,
      `return #try(cmsgpack.unpack, string.rep('\\129\\1', 1990) .. '\\1\\1')`,
    ]);
  });

  it("unpacks a stream piece by piece with unpack_one and unpack_limit", async () => {
    const stream = "cmsgpack.pack(1, 'two', {3, 4}, nil, true)";
    await expectSame([
      `local s = ${stream} return try(cmsgpack.unpack_one, s)`,
      `local s = ${stream} local out, offset = {}, 0 repeat local r = {cmsgpack.unpack_one(s, offset)} offset = r[1] out[#out + 1] = dump(r[2]) .. '@' .. offset until offset == -1 return table.concat(out, ' ')`,
      `local s = ${stream} return try(cmsgpack.unpack_limit, s, 2) .. ' | ' .. try(cmsgpack.unpack_limit, s, 2, 3) .. ' | ' .. try(cmsgpack.unpack_limit, s, 100)`,
      `local s = ${stream} return try(cmsgpack.unpack_limit, s, 0) .. ' | ' .. try(cmsgpack.unpack_limit, s, 0, 1)`,
      `local s = ${stream} return try(cmsgpack.unpack_one, s, #s) .. ' | ' .. try(cmsgpack.unpack_one, s, #s + 1)`,
      `local s = ${stream} return try(cmsgpack.unpack_one, s, -1) .. ' | ' .. try(cmsgpack.unpack_limit, s, -1)`,
      `local s = ${stream} return try(cmsgpack.unpack_one, s, 1.9) .. ' | ' .. try(cmsgpack.unpack_one, s, '1')`,
      `local s = ${stream} return try(cmsgpack.unpack_one, s, 'x') .. ' | ' .. try(cmsgpack.unpack_limit, s)`,
      `local s = ${stream} return try(cmsgpack.unpack_one, s, 2^40) .. ' | ' .. try(cmsgpack.unpack_one, s, 0/0)`,
      "return try(cmsgpack.unpack_one) .. ' | ' .. try(cmsgpack.unpack_limit) .. ' | ' .. try(cmsgpack.unpack_one, nil, 1)",
      "return try(cmsgpack.unpack_one, '\\205\\1') .. ' | ' .. try(cmsgpack.unpack_limit, '\\1\\193', 2)",
    ]);
  });

  it("has Redis's fields", async () => {
    await expectSame([
      "return cmsgpack._NAME .. '|' .. cmsgpack._VERSION .. '|' .. cmsgpack._COPYRIGHT .. '|' .. cmsgpack._DESCRIPTION",
      "local names = {} for k in pairs(cmsgpack) do names[#names + 1] = k end table.sort(names) return table.concat(names, ',')",
    ]);
  });

  it("packs random Lua values and unpacks them back (property)", async () => {
    const values = fc.sample(luaValue, { numRuns: 400, seed: SEED });
    await expectSame(
      values.flatMap((value) => [pack(value), `return try(cmsgpack.unpack, cmsgpack.pack(${value}, ${value}))`]),
    );
  });

  it("unpacks random bytes to the same values or errors (property)", async () => {
    // Bytes biased to headers so that some inputs decode deep before they fail.
    const headers = [
      0x00, 0x7f, 0xe0, 0xa1, 0x91, 0x92, 0x81, 0xc0, 0xc3, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd3, 0xca, 0xcb,
    ];
    const inputs = fc.sample(
      fc.array(fc.oneof(fc.constantFrom(...headers), fc.integer({ min: 0, max: 255 })), { maxLength: 24 }),
      { numRuns: 500, seed: SEED },
    );
    await expectSame(inputs.map((bytes) => unpack(Uint8Array.from(bytes))));
  });
});

/**
 * Differential tests: each script runs in our VM and through EVAL on a real Redis 7.0, and the
 * returned bytes must be identical (encodings, decoded values, error messages and positions).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RedisServer } from "../../../test-support/redisServer.js";
import { type LuaVM, openCjson } from "../src/index.js";
import { hasRedisServer, luaStringLiteral, newScriptVM, runBoth, startRedis } from "./support/luaHarness.js";
import { LUA_DUMP, luaNumber, luaValue } from "./support/luaSource.js";

const SEED = Number(process.env.LUA_PROPERTY_SEED ?? 20260701);

describe.skipIf(!hasRedisServer)("cjson, byte for byte against Redis 7.0", () => {
  let server: RedisServer;
  let vm: LuaVM;

  beforeAll(async () => {
    server = await startRedis();
    vm = newScriptVM(openCjson);
  });
  afterAll(async () => {
    await server?.stop();
    vm?.close();
  });

  /** Runs each script on both sides (with the dump helpers in scope) and lists any difference. */
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

  const encode = (expr: string): string => `return try(cjson.encode, ${expr})`;
  const decode = (json: string): string => `return try(cjson.decode, ${luaStringLiteral(Buffer.from(json, "latin1"))})`;
  const roundTrip = (json: string): string =>
    `local ok, v = pcall(cjson.decode, ${luaStringLiteral(Buffer.from(json, "latin1"))}) if not ok then return v end return try(cjson.encode, v)`;

  it("encodes scalars, escapes every byte as lua_cjson does, and writes numbers with %.14g", async () => {
    const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await expectSame([
      encode("nil"),
      encode("true"),
      encode("false"),
      encode("cjson.null"),
      encode("''"),
      encode(luaStringLiteral(allBytes)),
      encode("'a/b\"c\\\\d'"),
      ...[
        0,
        -0,
        1,
        -1,
        0.1,
        1 / 3,
        1e14,
        1e15,
        123456789012345,
        2 ** 53,
        1e300,
        5e-324,
        1e-5,
        0.0001,
        2.5,
        -(2 ** 63),
      ].map((n) => encode(luaNumber(n))),
      encode("1/0"),
      encode("-1/0"),
      encode("0/0"),
    ]);
  });

  it("tells arrays from objects and follows the sparse-array rules", async () => {
    await expectSame([
      encode("{}"),
      encode("{1, 2, 3}"),
      encode("{1, nil, 3}"),
      encode("{[1] = 'a', [2] = 'b', [4] = 'd'}"),
      encode("{[10] = 1}"),
      encode("{[11] = 1}"),
      encode("{[1] = 1, [20] = 2}"),
      encode("{[0] = 1}"),
      encode("{[-1] = 1}"),
      encode("{[1.5] = 1}"),
      encode("{[2^31] = 1}"),
      encode("{[2^30] = 1}"),
      encode("{a = 1, b = {c = {1, 2, {d = 'e'}}}}"),
      encode("{[1] = 1, x = 2}"),
      encode("{[true] = 1}"),
      encode("{[{}] = 1}"),
      encode("{f = tostring}"),
      encode("coroutine.create(function() end)"),
      encode("{[1/0] = 1}"),
      "cjson.encode_sparse_array(true) local r = try(cjson.encode, {[1] = 1, [20] = 2}) cjson.encode_sparse_array(false) return r",
      "cjson.encode_sparse_array(nil, 0) local r = try(cjson.encode, {[1000] = 1}) cjson.encode_sparse_array(nil, 2) return r",
      "cjson.encode_sparse_array(nil, nil, 100) local r = try(cjson.encode, {[50] = 1}) cjson.encode_sparse_array(nil, nil, 10) return r",
    ]);
  });

  it("stops at the nesting limits with Redis's messages", async () => {
    const nested = (depth: number) =>
      `local t = {} local c = t for i = 1, ${depth - 1} do c[1] = {} c = c[1] end return try(cjson.encode, t)`;
    await expectSame([
      nested(1000),
      nested(1001),
      "cjson.encode_max_depth(3) local r = try(cjson.encode, {{{{}}}}) .. try(cjson.encode, {{{}}}) cjson.encode_max_depth(1000) return r",
      "local t = {} t[1] = t return try(cjson.encode, t)",
      decode("[".repeat(1000) + "]".repeat(1000))
        .replace("return try", "local r = try")
        .concat(" return #r"),
      decode("[".repeat(1001)),
      decode(`${'{"a":'.repeat(1001)}1`),
      "cjson.decode_max_depth(2) local r = try(cjson.decode, '[[1]]') .. try(cjson.decode, '[[[1]]]') cjson.decode_max_depth(1000) return r",
      // Past the configured limits, Lua's own stack limit (LUAI_MAXCSTACK) stops both sides alike.
      "cjson.encode_max_depth(100000) local t = {} local c = t for i = 1, 9000 do c[1] = {} c = c[1] end local r = try(cjson.encode, t) cjson.encode_max_depth(1000) return r",
      "cjson.encode_max_depth(100000) local t = {} local c = t for i = 1, 9000 do c.k = {} c = c.k end local r = try(cjson.encode, t) cjson.encode_max_depth(1000) return r",
      "cjson.decode_max_depth(100000) local r = try(cjson.decode, string.rep('[', 9000)) .. try(cjson.decode, string.rep('{\"a\":', 9000)) cjson.decode_max_depth(1000) return r",
    ]);
  });

  it("decodes values, whitespace, escapes, unicode and surrogate pairs", async () => {
    await expectSame(
      [
        '{"a":1,"b":[true,false,null],"c":"x"}',
        " \t\r\n[ 1 , 2 ]\n ",
        '"\\"\\\\\\/\\b\\f\\n\\r\\t"',
        '"\\u0000\\u0041\\u00e9\\u20ac\\uFFFF"',
        '"\\ud83d\\ude00"',
        '"\\ud83d"',
        '"\\ude00"',
        '"\\ud83d\\u0041"',
        '"\\u12"',
        '"\\x"',
        '"abc',
        '"a\u0001b"',
        "[1,2,]",
        '{"a":1,}',
        '{"a" 1}',
        "{1:2}",
        "[1 2]",
        "",
        "   ",
        "nul",
        "truex",
        "[true false]",
        '{"a":1,"a":2}',
        "{}",
        "[]",
        "1 2",
        "[1]\u0000garbage",
        "\u0000[",
        '"a\u0000b"',
        "é",
      ].map(decode),
    );
  });

  it("reads numbers with strtod, including what strict JSON rejects", async () => {
    const numbers = [
      "0",
      "-0",
      "1.5",
      "1e3",
      "1E-3",
      "-1.25e+2",
      "123456789012345678901234567890",
      "0.1",
      "1e400",
      "-1e400",
      "1e-400",
      "01",
      "+1",
      "0x1F",
      "0x",
      "0x1.8p3",
      "-0x10",
      "NaN",
      "-nan",
      "nan(123)",
      "Infinity",
      "-inf",
      "infinit",
      "-",
      "-x",
      ".5",
      "1.",
      "1e",
      "1e+",
      "[1.5e3x]",
    ];
    await expectSame([
      ...numbers.map(decode),
      ...numbers.map(
        (n) =>
          `cjson.decode_invalid_numbers(false) local r = try(cjson.decode, ${luaStringLiteral(Buffer.from(n))}) cjson.decode_invalid_numbers(true) return r`,
      ),
    ]);
  });

  it("configures like lua_cjson: returned settings, option errors, argument errors, new()", async () => {
    await expectSame([
      "return try(cjson.encode_sparse_array)",
      "return try(cjson.encode_sparse_array, true, 3, 5) .. try(cjson.encode_sparse_array, false, 2, 10)",
      "return try(cjson.encode_sparse_array, 'on') .. try(cjson.encode_sparse_array, 'off')",
      "return try(cjson.encode_sparse_array, 'maybe')",
      "return try(cjson.encode_sparse_array, nil, -1)",
      "return try(cjson.encode_sparse_array, nil, 'x')",
      "return try(cjson.encode_sparse_array, 1, 2, 3, 4)",
      "return try(cjson.encode_max_depth) .. try(cjson.decode_max_depth) .. try(cjson.encode_number_precision)",
      "return try(cjson.encode_max_depth, 0)",
      "return try(cjson.encode_max_depth, '5') .. try(cjson.encode_max_depth, 1000)",
      "return try(cjson.encode_max_depth, 2^32 + 7) .. try(cjson.encode_max_depth, 1000)",
      "return try(cjson.encode_number_precision, 0) .. try(cjson.encode_number_precision, 15)",
      "return try(cjson.encode_number_precision, 3) .. try(cjson.encode, math.pi) .. try(cjson.encode_number_precision, 14)",
      "return try(cjson.encode_keep_buffer) .. try(cjson.encode_keep_buffer, false) .. try(cjson.encode_keep_buffer, 'on')",
      "return try(cjson.encode_invalid_numbers) .. try(cjson.encode_invalid_numbers, 'null') .. try(cjson.encode, {1/0, -1/0, 0/0})",
      "return try(cjson.encode_invalid_numbers, true) .. try(cjson.encode, {1/0, -1/0, 0/0, -(0/0)}) .. try(cjson.encode_invalid_numbers, 'off')",
      "return try(cjson.encode_invalid_numbers, 'nope') .. try(cjson.encode_invalid_numbers, 2)",
      "return try(cjson.decode_invalid_numbers) .. try(cjson.decode_invalid_numbers, 'off') .. try(cjson.decode_invalid_numbers, 'on')",
      "return try(cjson.encode) .. try(cjson.encode, 1, 2) .. try(cjson.decode) .. try(cjson.decode, 'a', 'b')",
      "return try(cjson.decode, {}) .. try(cjson.decode, true) .. try(cjson.decode, 12)",
      "local j = cjson.new() j.encode_number_precision(2) return j.encode(1/3) .. cjson.encode(1/3) .. tostring(j.null == cjson.null)",
      "local ok, e = pcall(function() return cjson.encode(tostring) end) return e",
      "local ok, e = pcall(function() return cjson.decode('[') end) return e",
      "local ok, e = pcall(function() return cjson.encode_max_depth(0) end) return e",
      "return cjson._NAME .. ' ' .. cjson._VERSION .. ' ' .. type(cjson.null) .. ' ' .. tostring(cjson.null == cjson.decode('null'))",
      "local names = {} for k in pairs(cjson) do names[#names + 1] = k end table.sort(names) return table.concat(names, ',')",
    ]);
  });

  it("encodes random Lua values (property)", async () => {
    const values = fc.sample(luaValue, { numRuns: 400, seed: SEED });
    await expectSame(values.map(encode));
  });

  it("writes random numbers at every precision (property)", async () => {
    const cases = fc.sample(fc.tuple(fc.double({ noNaN: true }), fc.integer({ min: 1, max: 14 })), {
      numRuns: 400,
      seed: SEED,
    });
    await expectSame(
      cases.map(
        ([x, precision]) =>
          `cjson.encode_number_precision(${precision}) local r = try(cjson.encode, {${luaNumber(x)}}) cjson.encode_number_precision(14) return r`,
      ),
    );
  });

  it("decodes random text over JSON's alphabet: escapes, surrogates, numbers, errors (property)", async () => {
    const pieces = [
      '"',
      "\\",
      "\\u",
      "\\ud83d",
      "\\ude00",
      "\\u00e9",
      "\\n",
      "\\/",
      "\\x",
      "[",
      "]",
      "{",
      "}",
      ":",
      ",",
      " ",
      "\n",
      "null",
      "true",
      "fals",
      "-",
      ".",
      "e",
      "E+",
      "0",
      "1",
      "9",
      "0x1f",
      "NaN",
      "-Inf",
      "+",
      "\u00e9",
      "\u0000",
    ];
    const texts = fc.sample(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), { numRuns: 500, seed: SEED });
    await expectSame(texts.map((parts) => roundTrip(parts.join(""))));
  });

  it("decodes random JSON, valid and damaged, to the same values and errors (property)", async () => {
    const documents = fc.sample(
      fc.tuple(fc.json({ maxDepth: 4 }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 1, 2, 3)),
      { numRuns: 400, seed: SEED },
    );
    const scripts: string[] = [];
    for (const [json, at, byte, damage] of documents) {
      const bytes = Buffer.from(json, "utf8");
      const position = bytes.length === 0 ? 0 : at % bytes.length;
      let text = bytes.toString("latin1");
      if (damage === 1) text = text.slice(0, position);
      if (damage === 2) text = text.slice(0, position) + String.fromCharCode(byte) + text.slice(position + 1);
      if (damage === 3) text = text.slice(0, position) + String.fromCharCode(byte) + text.slice(position);
      scripts.push(decode(text), roundTrip(text));
    }
    await expectSame(scripts);
  });
});

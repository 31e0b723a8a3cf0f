/**
 * cjson in our VM alone (no Redis needed): expectations taken from Redis 7.0.15's replies, plus the
 * pieces that must match C's libraries (printf's %.14g, strtod) and memory growth mid-decode.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openCjson } from "../src/index.js";
import { formatNumberG } from "../src/libs/cjson/formatNumber.js";
import { type StrtodResult, strtod } from "../src/libs/cjson/strtod.js";
import { newScriptVM, runScript } from "./support/luaHarness.js";

const vm = newScriptVM(openCjson);
const run = (code: string): string => runScript(vm, code).toString("latin1");

describe("cjson.encode", () => {
  it("writes JSON as Redis does: escapes, %.14g numbers, arrays vs objects, null", () => {
    expect(run("return cjson.encode({1, 2, 3, {a = 1}})")).toBe('[1,2,3,{"a":1}]');
    expect(run("return cjson.encode('a/b\"c\\\\d\\0\\127\\200')")).toBe('"a\\/b\\"c\\\\d\\u0000\\u007f\xc8"');
    expect(run("return cjson.encode({123456789012345, 0.1, -0, 1e300, 2^53})")).toBe(
      "[1.2345678901234e+14,0.1,-0,1e+300,9.007199254741e+15]",
    );
    expect(run("return cjson.encode({})")).toBe("{}");
    expect(run("return cjson.encode({1, nil, 3})")).toBe("[1,null,3]");
    expect(run("return cjson.encode(cjson.null)")).toBe("null");
    expect(run("local t = {} t[2^31] = 1 return cjson.encode(t)")).toBe('{"2147483648":1}');
  });

  it("fails with lua_cjson's messages, positioned like luaL_error", () => {
    expect(run("local t = {} t[2^30] = 1 local ok, e = pcall(cjson.encode, t) return e")).toBe(
      "Cannot serialise table: excessively sparse array",
    );
    expect(run("return select(2, pcall(function() return cjson.encode(1/0) end))")).toBe(
      "user_script:1: Cannot serialise number: must not be NaN or Inf",
    );
    expect(run("return select(2, pcall(function() return cjson.encode({[true] = 1}) end))")).toBe(
      "user_script:1: Cannot serialise boolean: table key must be a number or string",
    );
    expect(run("return select(2, pcall(function() return cjson.encode() end))")).toBe(
      "user_script:1: bad argument #1 to 'encode' (expected 1 argument)",
    );
    expect(run("local t = {} t[1] = t return select(2, pcall(cjson.encode, t))")).toBe(
      "Cannot serialise, excessive nesting (1001)",
    );
  });
});

describe("cjson.decode", () => {
  it("decodes values, escapes and surrogate pairs", () => {
    expect(run(`return cjson.encode(cjson.decode('{"a":[1,2.5,"\\\\u00e9\\\\ud83d\\\\ude00",null,true,{}]}'))`)).toBe(
      '{"a":[1,2.5,"\u00c3\u00a9\u00f0\u009f\u0098\u0080",null,true,{}]}',
    );
    expect(run("return tostring(cjson.decode('null') == cjson.null)")).toBe("true");
    expect(run("return tostring(cjson.decode('-nan')) .. tostring(cjson.decode('0x1p4'))")).toBe("-nan16");
  });

  it("reports the token and 1-based character of a syntax error", () => {
    expect(run("return select(2, pcall(cjson.decode, '[1,'))")).toBe("Expected value but found T_END at character 4");
    expect(run("return select(2, pcall(cjson.decode, '{\"a\":1,}'))")).toBe(
      "Expected object key string but found T_OBJ_END at character 8",
    );
    expect(run("return select(2, pcall(cjson.decode, '\"\\\\ud800\"'))")).toBe(
      "Expected value but found invalid unicode escape code at character 2",
    );
    expect(run("return select(2, pcall(cjson.decode, string.rep('[', 1001)))")).toBe(
      "Found too many nested data structures (1001) at character 1001",
    );
    expect(run("return select(2, pcall(cjson.decode, '\\0['))")).toBe("JSON parser does not support UTF-16 or UTF-32");
  });

  it("keeps reading the input correctly while building values grows wasm memory", () => {
    const code = `
      local parts = {}
      for i = 1, 20000 do parts[i] = '"' .. string.rep(string.char(97 + i % 26), 200) .. '\\\\n"' end
      local json = '[' .. table.concat(parts, ',') .. ']'
      local decoded = cjson.decode(json)
      return tostring(cjson.encode(decoded) == json) .. ' ' .. #decoded .. ' ' .. decoded[20000]:sub(1, 3)`;
    const fresh = newScriptVM(openCjson);
    const memoryBefore = fresh.u8.length;
    expect(runScript(fresh, code).toString()).toBe("true 20000 ggg");
    expect(fresh.u8.length).toBeGreaterThan(memoryBefore);
    fresh.close();
  });
});

describe("cjson configuration", () => {
  it("returns settings and validates them as lua_cjson does", () => {
    expect(run("local a, b, c = cjson.encode_sparse_array() return tostring(a) .. b .. c")).toBe("false210");
    expect(run("return select(2, pcall(function() return cjson.encode_number_precision(15) end))")).toBe(
      "user_script:1: bad argument #1 to 'encode_number_precision' (expected integer between 1 and 14)",
    );
    expect(run("return select(2, pcall(function() return cjson.encode_keep_buffer('x') end))")).toBe(
      "user_script:1: bad argument #1 to 'encode_keep_buffer' (invalid option 'x')",
    );
    expect(
      run(
        "return cjson.encode_invalid_numbers('null') .. cjson.encode({1/0}) .. tostring(cjson.encode_invalid_numbers(false))",
      ),
    ).toBe("null[null]false");
    expect(
      run(
        "local j = cjson.new() j.encode_number_precision(3) return j.encode(math.pi) .. ' ' .. cjson.encode(math.pi)",
      ),
    ).toBe("3.14 3.1415926535898");
  });

  it("cjson.new() tables are collected by Lua: no JS function or memory is kept per call", () => {
    const fresh = newScriptVM(openCjson);
    runScript(fresh, "collectgarbage() return 1");
    const functions = fresh.registeredFunctions;
    const memory = fresh.memoryUsed();
    const loop =
      "for i = 1, 20000 do local j = cjson.new() j.encode_max_depth(i % 50 + 1) end collectgarbage() return 1";
    runScript(fresh, loop);
    runScript(fresh, loop);
    expect(fresh.registeredFunctions).toBe(functions);
    expect(fresh.memoryUsed()).toBeLessThan(memory + 64 * 1024);
    // Each table keeps its own settings; the global one is untouched.
    expect(
      runScript(
        fresh,
        "local a, b = cjson.new(), cjson.new() a.encode_max_depth(1) return tostring(pcall(a.encode, {{1}})) .. ' ' .. b.encode({{1}}) .. ' ' .. cjson.encode({{1}})",
      ).toString(),
    ).toBe("false [[1]] [[1]]");
  });
});

describe("formatNumberG (C's %.<p>g)", () => {
  it("rounds exact ties to even as glibc does, unlike toPrecision", () => {
    expect(formatNumberG(123456789012345, 14)).toBe("1.2345678901234e+14");
    expect(formatNumberG(2.5, 1)).toBe("2");
    expect(formatNumberG(3.5, 1)).toBe("4");
    expect(formatNumberG(0.125, 2)).toBe("0.12");
    expect(formatNumberG(0.375, 2)).toBe("0.38");
    // 0.15 is really 0.1499999…: not a tie.
    expect(formatNumberG(0.15, 1)).toBe("0.1");
  });

  it("chooses fixed or exponential notation and trims zeros like %g", () => {
    expect(formatNumberG(1e-5, 14)).toBe("1e-05");
    expect(formatNumberG(0.0001, 14)).toBe("0.0001");
    expect(formatNumberG(1e14, 14)).toBe("1e+14");
    expect(formatNumberG(99999999999999, 14)).toBe("99999999999999");
    expect(formatNumberG(1e100, 14)).toBe("1e+100");
    expect(formatNumberG(-0, 14)).toBe("-0");
    expect(formatNumberG(Number.NaN, 14)).toBe("nan");
    expect(formatNumberG(Number.NEGATIVE_INFINITY, 14)).toBe("-inf");
    expect(formatNumberG(5e-324, 14)).toBe("4.9406564584125e-324");
  });

  it("agrees with toPrecision wherever no exact tie is involved (property)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 14 }), (x, p) => {
        const ours = formatNumberG(x, p);
        // Whatever the notation, it denotes the same value as JS's own rounding to p digits
        // (or to the even neighbour at an exact tie, which is at most one unit away).
        const reference = Number(x.toPrecision(p));
        const value = Number(ours);
        if (value !== reference) {
          const unit = 10 ** (Math.floor(Math.log10(Math.abs(reference))) - p + 1);
          expect(Math.abs(value - reference)).toBeLessThanOrEqual(unit * 1.0000001);
        }
      }),
    );
  });
});

describe("strtod (glibc)", () => {
  const parse = (text: string): [number, number] => {
    const bytes = Buffer.from(text, "latin1");
    const out: StrtodResult = { value: 0, end: 0 };
    strtod(bytes, 0, bytes.length, out);
    return [out.value, out.end];
  };

  it("reads decimal, hexadecimal, inf and nan forms and stops where glibc stops", () => {
    expect(parse("12345")).toEqual([12345, 5]);
    expect(parse("-1.5e3x")).toEqual([-1500, 6]);
    expect(parse("1e")).toEqual([1, 1]);
    expect(parse("1.")).toEqual([1, 2]);
    expect(parse(".5")).toEqual([0.5, 2]);
    expect(parse(".")).toEqual([0, 0]);
    expect(parse("-")).toEqual([0, 0]);
    expect(parse("+7")).toEqual([7, 2]);
    expect(parse("0x1F")).toEqual([31, 4]);
    expect(parse("0x")).toEqual([0, 1]);
    expect(parse("0x1.8p3")).toEqual([12, 7]);
    expect(parse("0x1p-1074")).toEqual([5e-324, 9]);
    expect(parse("0x1p-1075")).toEqual([0, 9]);
    expect(parse("0x1p1024")).toEqual([Number.POSITIVE_INFINITY, 8]);
    expect(parse("infinity")).toEqual([Number.POSITIVE_INFINITY, 8]);
    expect(parse("-INFx")).toEqual([Number.NEGATIVE_INFINITY, 4]);
    expect(parse("nan(abc)x")[1]).toBe(8);
    expect(parse("nan(abc")[1]).toBe(3);
    expect(parse("1e400")).toEqual([Number.POSITIVE_INFINITY, 5]);
    expect(parse("123456789012345678901234567890")).toEqual([1.2345678901234568e29, 30]);
  });

  it("rounds decimals exactly like a correctly rounded parser (property)", () => {
    const decimal = fc
      .tuple(
        fc.constantFrom("", "-", "+"),
        fc.stringMatching(/^[0-9]{0,18}$/),
        fc.stringMatching(/^[0-9]{0,18}$/),
        fc.option(fc.integer({ min: -340, max: 340 })),
      )
      .filter(([, whole, fraction]) => whole.length + fraction.length > 0)
      .map(
        ([sign, whole, fraction, exponent]) => `${sign}${whole}.${fraction}${exponent === null ? "" : `e${exponent}`}`,
      );
    fc.assert(
      fc.property(decimal, (text) => {
        const [value, end] = parse(text);
        expect(end).toBe(text.length);
        expect(Object.is(value, Number(text.replace("+", "")))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

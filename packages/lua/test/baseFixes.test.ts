import { describe, expect, it } from "vitest";
import { openRedisBaseFixes } from "../src/index.js";
import { newScriptVM, runInVM } from "./baseHarness.js";

/** Expected values read from redis-server 7.0.15 (the base*.redis tests compare many more live). */
describe("Redis's base libraries on a 64-bit long", () => {
  const vm = newScriptVM(openRedisBaseFixes);
  const run = (code: string): string => runInVM(vm, code).toString("latin1");

  it("formats integers, reads integer arguments and parses numbers as redis-server does", () => {
    expect(
      run(
        "return table.concat({string.format('%d %x %c|%5.2f', 2^31, 2^40, 2^32 + 65, 3.14159), string.rep('ab', 2^32 + 2), string.sub('hello', 2, 2^32), tostring(tonumber('ffffffffff', 16)), tostring(tonumber('0x')), select(2^32 + 2, 'a', 'b')}, '|')",
      ),
    ).toBe("2147483648 10000000000 | 3.14|abab|ello|1099511627775|nil|b");
  });

  it("keeps the function name and line in errors raised by the wrapped C functions", () => {
    expect(run("return string.rep('x', {})")).toBe(
      "ERR user_script:1: bad argument #2 to 'rep' (number expected, got table)",
    );
    expect(run("return ('%d'):format('x')")).toBe(
      "ERR user_script:1: bad argument #1 to 'format' (number expected, got string)",
    );
  });

  it("refuses bytecode as Redis does, and survives unpack's overflowing range", () => {
    expect(run("return select(2, loadstring(string.dump(function() end)))")).toMatch(
      /^\[string "\x1bLuaQ.*"\]:1: unexpected symbol near 'char\(27\)'$/,
    );
    expect(run("return select(2, pcall(unpack, {}, -2^31 + 1, 0))")).toBe("too many results to unpack");
  });
});

describe("opening the fixes", () => {
  it("refuses to wrap a function twice", () => {
    const vm = newScriptVM(openRedisBaseFixes);
    expect(() => openRedisBaseFixes(vm)).toThrow(/already replaced/);
  });
});

import { describe, expect, it } from "vitest";
import { openBit } from "../src/index.js";
import { newScriptVM, runInVM } from "./baseHarness.js";

/** Expected values read from redis-server 7.0.15 (bit.redis.test.ts compares many more live). */
describe("bit", () => {
  const vm = newScriptVM(openBit);
  const run = (code: string): string => runInVM(vm, code).toString("latin1");

  it("computes as LuaBitOp does, with signed 32-bit results", () => {
    expect(
      run(
        "return table.concat({bit.tobit(0xffffffff + 1), bit.tohex(-1), bit.tohex(0x87654321, -4), bit.bnot(0), bit.band(0x12345678, 0xff), bit.rol(0x12345678, 12), bit.ror(0x12345678, 12), bit.bswap(0x12345678), bit.arshift(-256, 4), bit.rshift(-256, 4), bit.tobit(2^40 + 1234), bit.lshift(1, 31)}, ' ')",
      ),
    ).toBe("0 ffffffff 4321 -1 120 1164411171 1736516421 2018915346 -16 268435440 1234 -2147483648");
  });

  it("rejects non-numbers with the function's name and the caller's line", () => {
    expect(run("return bit.bxor(1, 3, 'x')")).toBe(
      "ERR user_script:1: bad argument #3 to 'bxor' (number expected, got string)",
    );
    expect(run("return select(2, pcall(bit.tobit))")).toBe("bad argument #1 to '?' (number expected, got no value)");
  });
});

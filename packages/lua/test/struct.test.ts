import { describe, expect, it } from "vitest";
import { openStruct } from "../src/index.js";
import { newScriptVM, runInVM } from "./baseHarness.js";

/** Expected values read from redis-server 7.0.15 (struct.redis.test.ts compares many more live). */
describe("struct", () => {
  const vm = newScriptVM(openStruct);
  const run = (code: string): string => runInVM(vm, code).toString("latin1");

  it("packs with x86-64 sizes, endianness and alignment", () => {
    expect(run("return struct.pack('>i4<hBc2s!4bi', 1, -2, 255, 'ab', 'z', 1, 7)")).toBe(
      Buffer.from("00000001feffff61627a000107000000", "hex").toString("latin1"),
    );
    expect(run("return #struct.pack('lLT', 1, 2, 3) .. ' ' .. struct.size('!4bi3i')")).toBe("24 12");
  });

  it("unpacks wide integers with C's 64-bit wrap-around", () => {
    expect(run("return table.concat({struct.unpack('<i9>I9<i0', string.rep('\\128', 20))}, ' ')")).toBe(
      "-128 9.2595421232738e+18 0 19",
    );
  });

  it("fails with lua_struct.c's messages", () => {
    expect(run("return select(2, pcall(struct.pack, 'i33', 1))")).toBe("integral size 33 is larger than limit of 32");
    expect(run("return select(2, pcall(struct.unpack, 'i', 'abc'))")).toBe(
      "bad argument #2 to '?' (data string too short)",
    );
    expect(run("return struct.pack('y')")).toBe(
      "ERR user_script:1: bad argument #1 to 'pack' (invalid format option 'y')",
    );
  });
});

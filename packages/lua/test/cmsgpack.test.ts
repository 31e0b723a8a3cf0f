/**
 * cmsgpack in our VM alone (no Redis needed): expectations taken from Redis 7.0.15's replies, and
 * round trips through a real MessagePack reading of the bytes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openCjson, openCmsgpack } from "../src/index.js";
import { luaStringLiteral, newScriptVM, runScript } from "./support/luaHarness.js";
import { LUA_DUMP, luaNumber } from "./support/luaSource.js";

const vm = newScriptVM(openCjson, openCmsgpack);
const run = (code: string): string => runScript(vm, LUA_DUMP + code).toString("latin1");
const packHex = (args: string): string => run(`return hex(cmsgpack.pack(${args}))`);

describe("cmsgpack.pack", () => {
  it("picks integer formats by value, float32 when lossless, float64 otherwise", () => {
    expect(packHex("1, -1, 127, 128, 255, 256, 65535, 65536")).toBe("01ff7fcc80ccffcd0100cdffffce00010000");
    expect(packHex("2^32 - 1, 2^32, -32, -33, -128, -129")).toBe("ceffffffffcf0000000100000000e0d0dfd080d1ff7f");
    expect(packHex("-32768, -32769, -2^31, -2^31 - 1")).toBe("d18000d2ffff7fffd280000000d3ffffffff7fffffff");
    expect(packHex("2^63, -2^63, 2^64")).toBe("ca5f000000d38000000000000000ca5f800000");
    expect(packHex("0.5, 0.1, 1/0, -0")).toBe("ca3f000000cb3fb999999999999aca7f80000000");
  });

  it("packs 1..n tables as arrays, others as maps, and nil 16 levels down", () => {
    expect(packHex("{1, 2, 3}, {a = 1}, {}, {[1] = 1, [3] = 3}")).toBe("9301020381a16101908201010303");
    expect(packHex("true, false, nil, tostring, 'abc'")).toBe("c3c2c0c0a3616263");
    expect(run("local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end return hex(cmsgpack.pack(t))")).toBe(
      `${"91".repeat(16)}c0`,
    );
    expect(run("return select(2, pcall(function() return cmsgpack.pack() end))")).toBe(
      "user_script:23: bad argument #0 to 'pack' (MessagePack pack needs input.)",
    );
  });

  it("writes integers that a MessagePack reader reads back exactly (property)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger()), (n) => {
        const hex = packHex(luaNumber(n));
        expect(readMsgpackInteger(Buffer.from(hex, "hex"))).toBe(n);
      }),
      { numRuns: 200 },
    );
  });
});

describe("cmsgpack.unpack", () => {
  it("returns every value of a stream, with uint64 wrapping through int64 as on Redis", () => {
    expect(run("return try(cmsgpack.unpack, cmsgpack.pack(1.5, 2^40, 'x', {a = {b = 1}}, {1, {2}}, nil, true))")).toBe(
      "n:1.5 n:1099511627776 s:78 {s:61={s:62=n:1}} {n:1=n:1,n:2={n:1=n:2}} n:nil b:true",
    );
    expect(run(`return try(cmsgpack.unpack, ${luaStringLiteral(Buffer.from("cfffffffffffffffff", "hex"))})`)).toBe(
      "n:-1",
    );
    expect(run(`return try(cmsgpack.unpack, ${luaStringLiteral(Buffer.from("ca7fc00000caffc00000", "hex"))})`)).toBe(
      "n:nan n:-nan",
    );
  });

  it("fails with lua_cmsgpack's messages", () => {
    expect(run("return try(function() return cmsgpack.unpack('\\193') end)")).toBe(
      "error: user_script:23: Bad data format in input.",
    );
    expect(run("return try(function() return cmsgpack.unpack('\\205\\1') end)")).toBe(
      "error: user_script:23: Missing bytes in input.",
    );
    expect(run("return try(cmsgpack.unpack, string.rep('\\1', 9000))")).toBe(
      "error: stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)",
    );
    expect(run("return try(cmsgpack.unpack_one, 'abc', -1) .. ' ' .. try(cmsgpack.unpack_one, 'abc', 10)")).toBe(
      "error: Invalid request to unpack with offset of -1 and limit of 3. error: Start offset 10 greater than input length 3.",
    );
    expect(run("return try(cmsgpack.unpack_one)")).toBe(
      "error: bad argument #1 to '?' (string expected, got no value)",
    );
  });

  it("walks a stream with offsets from unpack_one and unpack_limit", () => {
    expect(
      run(`local s = cmsgpack.pack(1, 'a', {1, 2})
        return try(cmsgpack.unpack_one, s) .. ' | ' .. try(cmsgpack.unpack_one, s, 1) .. ' | ' ..
          try(cmsgpack.unpack_limit, s, 2, 1) .. ' | ' .. try(cmsgpack.unpack_limit, s, 0)`),
    ).toBe("n:1 n:1 | n:3 s:61 | n:-1 s:61 {n:1=n:1,n:2=n:2} | n:1 s:61 {n:1=n:1,n:2=n:2}");
  });

  it("keeps reading the input correctly while building values grows wasm memory", () => {
    const fresh = newScriptVM(openCmsgpack);
    const memoryBefore = fresh.u8.length;
    // An array32 of 900000 elements (0x000dbba0): building its table needs far more than the
    // initial memory, so the reader must follow the memory as it moves.
    const code = `
      local packed = '\\221\\0\\13\\187\\160' .. string.rep('\\1\\161\\120\\204\\200', 300000)
      local back = cmsgpack.unpack(packed)
      local sum = 0
      for i = 1, #back, 3 do sum = sum + back[i] + back[i + 2] end
      return #back .. ' ' .. back[899999] .. ' ' .. sum`;
    expect(runScript(fresh, code).toString()).toBe("900000 x 60300000");
    expect(fresh.u8.length).toBeGreaterThan(memoryBefore);
    fresh.close();
  });
});

/** Reads one MessagePack integer (any integer format) as a JS number. */
function readMsgpackInteger(bytes: Buffer): number {
  const tag = bytes[0]!;
  if (tag < 0x80) return tag;
  if (tag >= 0xe0) return tag - 256;
  switch (tag) {
    case 0xcc:
      return bytes.readUInt8(1);
    case 0xcd:
      return bytes.readUInt16BE(1);
    case 0xce:
      return bytes.readUInt32BE(1);
    case 0xcf:
      return Number(bytes.readBigUInt64BE(1));
    case 0xd0:
      return bytes.readInt8(1);
    case 0xd1:
      return bytes.readInt16BE(1);
    case 0xd2:
      return bytes.readInt32BE(1);
    case 0xd3:
      return Number(bytes.readBigInt64BE(1));
    default:
      throw new Error(`not an integer format: ${tag.toString(16)}`);
  }
}

import type { LuaVM } from "../../LuaVM.js";
import { registerLibrary, typeError } from "../base/libSupport.js";

/**
 * Redis's `bit` library (LuaBitOp 1.0.2, deps/lua/src/lua_bit.c): 32-bit operations on Lua
 * numbers, results as signed 32-bit numbers.
 */

/** Scratch for the double → bits trick (little-endian, as on x86-64). */
const number = new Float64Array(1);
const low32 = new Uint32Array(number.buffer, 0, 1);
/** 2^52 + 2^51: adding it puts the integer part, rounded to even and wrapped, in the low 32 bits. */
const MAGIC = 6755399441055744.0;
const HEX_LOWER = "0123456789abcdef";
const HEX_UPPER = "0123456789ABCDEF";

/** Opens the global `bit` table with the functions of `luaopen_bit`, in its order. */
export function openBit(vm: LuaVM): void {
  const x = vm.x;

  /** `barg`: `lua_tonumber` normalised to 32 bits; a non-number is a type error only when it gives 0. */
  const arg = (L: number, index: number): number => {
    number[0] = x.lua_tonumber(L, index) + MAGIC;
    const bits = low32[0]!;
    if (bits === 0 && x.lua_isnumber(L, index) === 0) typeError(vm, L, index, "number");
    return bits;
  };
  const result = (L: number, bits: number): number => {
    x.lua_pushnumber(L, bits | 0);
    return 1;
  };
  const fold = (op: (a: number, b: number) => number) => (L: number) => {
    let bits = arg(L, 1);
    for (let i = x.lua_gettop(L); i > 1; i--) bits = op(bits, arg(L, i));
    return result(L, bits);
  };
  const shift = (op: (bits: number, n: number) => number) => (L: number) => {
    const bits = arg(L, 1);
    return result(L, op(bits, arg(L, 2) & 31));
  };

  registerLibrary(vm, "bit", [
    ["tobit", (L) => result(L, arg(L, 1))],
    ["bnot", (L) => result(L, ~arg(L, 1))],
    ["band", fold((a, b) => a & b)],
    ["bor", fold((a, b) => a | b)],
    ["bxor", fold((a, b) => a ^ b)],
    ["lshift", shift((b, n) => b << n)],
    ["rshift", shift((b, n) => b >>> n)],
    ["arshift", shift((b, n) => b >> n)],
    // JS masks shift counts to 5 bits as x86 does, so n = 0 gives b | b as in the C.
    ["rol", shift((b, n) => (b << n) | (b >>> (32 - n)))],
    ["ror", shift((b, n) => (b << (32 - n)) | (b >>> n))],
    [
      "bswap",
      (L) => {
        const b = arg(L, 1);
        return result(L, (b >>> 24) | ((b >>> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24));
      },
    ],
    [
      "tohex",
      (L) => {
        let b = arg(L, 1);
        let n = x.lua_type(L, 2) === -1 ? 8 : arg(L, 2) | 0;
        let digits = HEX_LOWER;
        if (n < 0) {
          n = -n;
          digits = HEX_UPPER;
        }
        // gcc assumes -n cannot overflow, so INT_MIN (negated, still negative in C) counts as > 8.
        if (n > 8) n = 8;
        let out = "";
        for (let i = 0; i < n; i++) {
          out = digits[b & 15]! + out;
          b >>>= 4;
        }
        vm.pushString(L, out);
        return 1;
      },
    ],
  ]);
}

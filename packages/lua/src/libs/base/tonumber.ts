import { LUA_GLOBALSINDEX, LuaType, type LuaVM } from "../../LuaVM.js";
import { argError, checkInt, originalFunction } from "./libSupport.js";

/**
 * `tonumber` as redis-server computes it. With a base other than 10 Lua calls `strtoul`, whose
 * `unsigned long` has 64 bits on x86-64 and 32 in the wasm Lua (`tonumber('ffffffffff', 16)`
 * would stop at 4294967295). In base 10 it calls `strtod`, where glibc and the wasm's musl
 * disagree on two inputs: "0x" without hex digits (glibc: not a number) and "-nan" (glibc keeps
 * the sign). The same strtod serves arithmetic on strings and the lexer, which cannot be wrapped;
 * those two inputs still differ there.
 */
export function openTonumberFix(vm: LuaVM): void {
  const x = vm.x;
  const L0 = vm.L;
  x.lua_pushvalue(L0, LUA_GLOBALSINDEX);
  const tonumber = originalFunction(vm, "tonumber");

  const decimal = (L: number): number => {
    if (x.lua_type(L, 1) !== LuaType.String) return tonumber(L);
    const s = vm.bytesView(L, 1)!;
    const kind = strtodDifference(s);
    if (kind === "hexPrefixOnly") {
      x.lua_settop(L, 0);
      x.lua_pushnil(L);
      return 1;
    }
    const n = tonumber(L);
    if (kind === "negativeNaN" && x.lua_type(L, -1) === LuaType.Number) {
      x.lua_settop(L, -2);
      x.lua_pushnumber(L, NEGATIVE_NAN);
    }
    return n;
  };

  vm.setFunction(L0, "tonumber", (L) => {
    if (x.lua_type(L, 2) <= LuaType.Nil) return decimal(L);
    const base = checkInt(vm, L, 2);
    if (base === 10) {
      x.lua_pushnumber(L, 10);
      x.lua_replace(L, 2);
      return decimal(L);
    }
    x.luaL_checklstring(L, 1, 0);
    const s = vm.bytesView(L, 1)!;
    if (!(base >= 2 && base <= 36)) argError(vm, L, 2, "base out of range");
    const n = parseUnsignedLong(s, base);
    if (n === null) x.lua_pushnil(L);
    else x.lua_pushnumber(L, n);
    return 1;
  });
  x.lua_settop(L0, -2);
}

/** x86's default NaN (sign bit set), which glibc's strtod returns for "-nan". */
const NEGATIVE_NAN = new Float64Array(new Uint32Array([0, 0xfff80000]).buffer)[0]!;

/** Inputs where musl's strtod (in the wasm) and glibc's (in redis-server) differ, as Lua reads them. */
function strtodDifference(bytes: Uint8Array): "hexPrefixOnly" | "negativeNaN" | null {
  const end = bytes.length;
  let i = 0;
  while (isSpace(bytes[i])) i++;
  const sign = bytes[i];
  if (sign === 0x2b || sign === 0x2d) i++;
  const c = bytes[i];
  if (c === 0x30 && (bytes[i + 1] === 0x78 || bytes[i + 1] === 0x58)) {
    // "0x" and then only spaces up to the end of the C string.
    i += 2;
    while (isSpace(bytes[i])) i++;
    return i === end || bytes[i] === 0 ? "hexPrefixOnly" : null;
  }
  return sign === 0x2d && (c === 0x6e || c === 0x4e) ? "negativeNaN" : null;
}

const isSpace = (c: number | undefined): boolean => c === 0x20 || (c !== undefined && c >= 0x09 && c <= 0x0d);

function digitValue(c: number | undefined): number {
  if (c === undefined) return 99;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41 + 10;
  return 99;
}

const ULONG_MAX = 2n ** 64n - 1n;

/**
 * Lua 5.1's `tonumber(s, base)` for base ≠ 10: glibc's 64-bit `strtoul` on the C string (up to
 * the first NUL), then only spaces may follow. Overflow gives ULONG_MAX; a '-' negates modulo 2^64.
 */
export function parseUnsignedLong(bytes: Uint8Array, base: number): number | null {
  const nul = bytes.indexOf(0);
  const end = nul < 0 ? bytes.length : nul;
  const at = (i: number): number | undefined => (i < end ? bytes[i] : undefined);
  let i = 0;
  while (isSpace(at(i))) i++;
  let negative = false;
  if (at(i) === 0x2d || at(i) === 0x2b) negative = at(i++) === 0x2d;
  if (base === 16 && at(i) === 0x30 && (at(i + 1) === 0x78 || at(i + 1) === 0x58)) {
    // "0x" with no digit after it converts the "0" alone, leaving the "x" unparsed.
    if (digitValue(at(i + 2)) >= 16) return null;
    i += 2;
  }
  const digitsStart = i;
  let value = 0n;
  let overflow = false;
  const bigBase = BigInt(base);
  while (digitValue(at(i)) < base) {
    if (!overflow) {
      value = value * bigBase + BigInt(digitValue(at(i)));
      if (value > ULONG_MAX) overflow = true;
    }
    i++;
  }
  if (i === digitsStart) return null;
  while (isSpace(at(i))) i++;
  if (i !== end) return null;
  if (overflow) return Number(ULONG_MAX);
  return Number(negative ? BigInt.asUintN(64, -value) : value);
}

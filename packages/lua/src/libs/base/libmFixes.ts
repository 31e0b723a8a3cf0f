import { LUA_GLOBALSINDEX, type LuaVM } from "../../LuaVM.js";
import { originalFunction } from "./libSupport.js";

/**
 * math functions where the wasm's musl libm and redis-server's glibc (2.36, x86-64) answer
 * differently, found by differential tests:
 * - `log10`: glibc computes fdlibm's `k*log10(2) + log(m)/ln(10)` on its own `log` (musl uses
 *   another reduction, 1 ulp apart now and then);
 * - domain errors of `log10`, `asin`, `acos` return glibc's positive NaN (its SVID wrapper), not
 *   x86's negative default NaN;
 * - `sinh` and `cosh` of a NaN return that NaN (musl drops its sign);
 * - `frexp` of inf or NaN gives exponent 0 (musl leaves it unset).
 * Other functions matched on thousands of random inputs.
 */

const words = new Float64Array(1);
const halves = new Int32Array(words.buffer);
const TWO54 = 1.8014398509481984e16;
/** A double from its two 32-bit halves, as fdlibm gives its constants. */
function fromWords(high: number, low: number): number {
  return new Float64Array(new Uint32Array([low, high]).buffer)[0]!;
}
const IVLN10 = fromWords(0x3fdbcb7b, 0x1526e50e);
const LOG10_2HI = fromWords(0x3fd34413, 0x509f6000);
const LOG10_2LO = fromWords(0x3d59fef3, 0x11f12b36);

export function openLibmFixes(vm: LuaVM): void {
  const x = vm.x;
  const L0 = vm.L;
  vm.getField(L0, LUA_GLOBALSINDEX, "math");
  const log = originalFunction(vm, "log");
  const sinh = originalFunction(vm, "sinh");
  const cosh = originalFunction(vm, "cosh");
  const asin = originalFunction(vm, "asin");
  const acos = originalFunction(vm, "acos");
  const frexp = originalFunction(vm, "frexp");

  /** Lua's (the wasm's) natural log of `v`, by calling math.log's C function in this frame. */
  const naturalLog = (L: number, v: number): number => {
    x.lua_pushnumber(L, v);
    x.lua_replace(L, 1);
    log(L);
    const result = x.lua_tonumber(L, -1);
    x.lua_settop(L, -2);
    return result;
  };

  vm.setFunction(L0, "log10", (L) => {
    const v = x.luaL_checknumber(L, 1);
    x.lua_pushnumber(L, v < 0 ? Number.NaN : v === 0 ? Number.NEGATIVE_INFINITY : glibcLog10(L, v));
    return 1;
  });

  /** glibc's `__ieee754_log10` for v > 0 or NaN (a NaN or inf comes back as `v + v`). */
  const glibcLog10 = (L: number, v: number): number => {
    words[0] = v;
    let high = halves[1]!;
    let k = 0;
    if (high >= 0 && high < 0x00100000) {
      // Subnormal: scale into the normal range.
      k -= 54;
      words[0] = v * TWO54;
      high = halves[1]!;
    }
    if (high >= 0x7ff00000 || high < 0) return v + v;
    k += (high >> 20) - 1023;
    const i = k < 0 ? 1 : 0;
    halves[1] = (high & 0x000fffff) | ((0x3ff - i) << 20);
    const y = k + i;
    const z = y * LOG10_2LO + IVLN10 * naturalLog(L, words[0]!);
    return z + y * LOG10_2HI;
  };

  const keepNaN = (original: (L: number) => number) => (L: number) => {
    const v = x.luaL_checknumber(L, 1);
    if (!Number.isNaN(v)) return original(L);
    x.lua_pushnumber(L, v);
    return 1;
  };
  vm.setFunction(L0, "sinh", keepNaN(sinh));
  vm.setFunction(L0, "cosh", keepNaN(cosh));

  const unitDomain = (original: (L: number) => number) => (L: number) => {
    const v = x.luaL_checknumber(L, 1);
    if (!(v > 1 || v < -1)) return original(L);
    x.lua_pushnumber(L, Number.NaN);
    return 1;
  };
  vm.setFunction(L0, "asin", unitDomain(asin));
  vm.setFunction(L0, "acos", unitDomain(acos));

  vm.setFunction(L0, "frexp", (L) => {
    const v = x.luaL_checknumber(L, 1);
    if (Number.isFinite(v)) return frexp(L);
    x.lua_pushnumber(L, v);
    x.lua_pushnumber(L, 0);
    return 2;
  });
  x.lua_settop(L0, -2);
}

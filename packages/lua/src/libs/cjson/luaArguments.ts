import type { LuaVM } from "../../LuaVM.js";

/**
 * Argument checks as Redis's 64-bit build does them. `luaL_checkinteger` there truncates a double
 * to a 64-bit `lua_Integer` (x86-64 turns NaN and out-of-range values into INT64_MIN); this wasm
 * build's `lua_Integer` is 32-bit, so the conversion is done here instead.
 */

const TWO_63 = 2 ** 63;

/** `(lua_Integer)d` on x86-64. */
export function toInteger64(d: number): number {
  return d >= -TWO_63 && d < TWO_63 ? Math.trunc(d) : -TWO_63;
}

/** `(int)` of a 64-bit integer: its low 32 bits, signed. */
export function toInt32(integer64: number): number {
  return Number(BigInt.asIntN(32, BigInt(integer64)));
}

/** `luaL_checkinteger(L, narg)` with a 64-bit result. */
export function checkInteger(vm: LuaVM, L: number, narg: number): number {
  const d = vm.x.lua_tonumber(L, narg);
  if (d === 0 && vm.x.lua_isnumber(L, narg) === 0) vm.x.luaL_typerror(L, narg, vm.name("number"));
  return toInteger64(d);
}

/** `luaL_optinteger(L, narg, def)`. */
export function optInteger(vm: LuaVM, L: number, narg: number, def: number): number {
  return vm.x.lua_type(L, narg) <= 0 ? def : checkInteger(vm, L, narg);
}

/** `luaL_checkstack`: fails with "stack overflow (<message>)" where Redis's would. */
export function checkStack(vm: LuaVM, L: number, space: number, message: string): void {
  if (vm.x.lua_checkstack(L, space) === 0) vm.errorAt(L, `stack overflow (${message})`);
}

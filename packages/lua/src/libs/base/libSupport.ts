import { LUA_GLOBALSINDEX, LUA_REGISTRYINDEX, type LuaFunction, LuaType, type LuaVM } from "../../LuaVM.js";
import { doubleToLongToInt32 } from "./x86Conversions.js";

/**
 * What the C libraries get from lauxlib, for libraries written as host functions: registering a
 * library table the way `luaL_register` does, and raising the errors `luaL_error`,
 * `luaL_argerror` and `luaL_typerror` raise, through the real C functions where they exist so
 * the function name in "bad argument #1 to 'tobit'" comes from Lua's own call information.
 */

/**
 * `luaL_register(L, name, funcs)` as called by `luaopen_*`: a table presized for the functions
 * (so `pairs` visits them in the same order as in Redis), filled in order, stored as the global
 * `name` and in `package.loaded` (the registry's `_LOADED`).
 */
export function registerLibrary(vm: LuaVM, name: string, functions: readonly [string, LuaFunction][]): void {
  const L = vm.L;
  const x = vm.x;
  x.lua_createtable(L, 0, functions.length);
  for (const [field, fn] of functions) vm.setFunction(L, field, fn);
  vm.getField(L, LUA_REGISTRYINDEX, "_LOADED");
  if (x.lua_type(L, -1) === LuaType.Table) {
    x.lua_pushvalue(L, -2);
    vm.setField(L, -2, name);
  }
  x.lua_settop(L, -2);
  vm.setField(L, LUA_GLOBALSINDEX, name);
}

/** `luaL_error`: the message prefixed with the caller's position (`luaL_where(L, 1)`). */
export function errorAt(vm: LuaVM, L: number, message: string | Uint8Array): never {
  vm.x.luaL_where(L, 1);
  if (typeof message === "string") vm.pushString(L, message);
  else vm.pushBytes(L, message);
  vm.x.lua_concat(L, 2);
  return vm.x.lua_error(L);
}

/** `luaL_argerror(L, narg, message)`: "bad argument #narg to 'f' (message)". */
export function argError(vm: LuaVM, L: number, narg: number, message: string | Uint8Array): never {
  if (typeof message === "string") vm.pushString(L, message);
  else vm.pushBytes(L, message);
  // The message stays on the stack, so the pointer stays valid while luaL_argerror formats it.
  return vm.x.luaL_argerror(L, narg, vm.x.lua_tolstring(L, -1, 0));
}

/** `luaL_typerror(L, narg, tname)`: "bad argument #narg to 'f' (tname expected, got X)". */
export function typeError(vm: LuaVM, L: number, narg: number, typeName: string): never {
  return vm.x.luaL_typerror(L, narg, vm.name(typeName));
}

/**
 * `luaL_checkint` as redis-server computes it on x86-64: the 64-bit `lua_Integer` conversion,
 * then its low 32 bits (the wasm Lua's own would saturate at 32 bits instead).
 */
export function checkInt(vm: LuaVM, L: number, narg: number): number {
  const n = vm.x.lua_tonumber(L, narg);
  if (n === 0 && vm.x.lua_isnumber(L, narg) === 0) typeError(vm, L, narg, "number");
  return doubleToLongToInt32(n);
}

export type CFunction = (L: number) => number;

/** The C function behind every host function of a VM (its dispatcher), per VM. */
const hostTrampolines = new WeakMap<LuaVM, number>();

function hostTrampoline(vm: LuaVM): number {
  let pointer = hostTrampolines.get(vm);
  if (pointer === undefined) {
    vm.pushFunction(vm.L, () => 0);
    pointer = vm.x.lua_tocfunction(vm.L, -1);
    vm.x.lua_settop(vm.L, -2);
    hostTrampolines.set(vm, pointer);
  }
  return pointer;
}

/**
 * Lua's C function stored at `t[name]` for the table at the top of the stack, callable from JS
 * in the caller's frame. Refuses a function already replaced by a host function (opening a fix
 * twice), whose dispatcher would find itself instead.
 */
export function originalFunction(vm: LuaVM, name: string): CFunction {
  vm.getField(vm.L, -1, name);
  const pointer = vm.x.lua_tocfunction(vm.L, -1);
  vm.x.lua_settop(vm.L, -2);
  if (pointer === 0) throw new Error(`${name} is not a C function`);
  if (pointer === hostTrampoline(vm)) throw new Error(`${name} is already replaced (a fix opened twice?)`);
  return vm.x.__indirect_function_table.get(pointer) as CFunction;
}

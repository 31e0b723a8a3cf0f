import type { WasmMemory, WasmTable } from "./wasmApi.js";

/**
 * The Lua 5.1 C API as the wasm module exports it. `L` is a `lua_State*`; every pointer is a byte
 * offset into the module's memory; `lua_Number` is an f64 and `lua_Integer`/`size_t` are 32-bit.
 * Only the functions nedis calls are typed.
 */
export interface LuaExports {
  readonly memory: WasmMemory;
  readonly __indirect_function_table: WasmTable;
  __wasm_call_ctors(): void;
  emscripten_stack_init(): void;
  stackSave(): number;
  stackRestore(sp: number): void;
  setThrew(threw: number, value: number): void;
  malloc(size: number): number;
  free(ptr: number): void;

  luaL_newstate(): number;
  lua_close(L: number): void;
  lua_newthread(L: number): number;
  lua_status(L: number): number;
  lua_resume(L: number, nargs: number): number;
  lua_yield(L: number, nresults: number): number;
  lua_xmove(from: number, to: number, n: number): void;
  lua_gc(L: number, what: number, data: number): number;
  lua_sethook(L: number, hook: number, mask: number, count: number): number;
  lua_getstack(L: number, level: number, ar: number): number;
  lua_getinfo(L: number, what: number, ar: number): number;

  lua_gettop(L: number): number;
  lua_settop(L: number, index: number): void;
  lua_pushvalue(L: number, index: number): void;
  lua_remove(L: number, index: number): void;
  lua_insert(L: number, index: number): void;
  lua_replace(L: number, index: number): void;
  lua_checkstack(L: number, extra: number): number;

  lua_type(L: number, index: number): number;
  lua_typename(L: number, type: number): number;
  lua_isnumber(L: number, index: number): number;
  lua_isstring(L: number, index: number): number;
  lua_tonumber(L: number, index: number): number;
  lua_toboolean(L: number, index: number): number;
  lua_tolstring(L: number, index: number, lenPtr: number): number;
  lua_objlen(L: number, index: number): number;
  lua_touserdata(L: number, index: number): number;
  lua_topointer(L: number, index: number): number;
  lua_tothread(L: number, index: number): number;
  lua_tocfunction(L: number, index: number): number;

  lua_pushnil(L: number): void;
  lua_pushnumber(L: number, n: number): void;
  lua_pushinteger(L: number, n: number): void;
  lua_pushlstring(L: number, s: number, len: number): void;
  lua_pushstring(L: number, s: number): void;
  lua_pushboolean(L: number, b: number): void;
  lua_pushcclosure(L: number, fn: number, n: number): void;
  lua_pushlightuserdata(L: number, p: number): void;

  lua_createtable(L: number, narr: number, nrec: number): void;
  lua_gettable(L: number, index: number): void;
  lua_getfield(L: number, index: number, k: number): void;
  lua_rawget(L: number, index: number): void;
  lua_rawgeti(L: number, index: number, n: number): void;
  lua_settable(L: number, index: number): void;
  lua_setfield(L: number, index: number, k: number): void;
  lua_rawset(L: number, index: number): void;
  lua_rawseti(L: number, index: number, n: number): void;
  lua_next(L: number, index: number): number;
  lua_getmetatable(L: number, index: number): number;
  lua_setmetatable(L: number, index: number): number;
  lua_newuserdata(L: number, size: number): number;

  lua_call(L: number, nargs: number, nresults: number): void;
  lua_pcall(L: number, nargs: number, nresults: number, errfunc: number): number;
  lua_error(L: number): never;
  lua_concat(L: number, n: number): void;
  luaL_where(L: number, level: number): void;
  luaL_argerror(L: number, narg: number, extramsg: number): never;
  luaL_typerror(L: number, narg: number, tname: number): never;
  luaL_checkoption(L: number, narg: number, def: number, lst: number): number;
  luaL_loadbuffer(L: number, buf: number, size: number, name: number): number;
  luaL_ref(L: number, t: number): number;
  luaL_unref(L: number, t: number, ref: number): void;
  luaL_checknumber(L: number, narg: number): number;
  luaL_checklstring(L: number, narg: number, lenPtr: number): number;
  luaL_checkstack(L: number, extra: number, msg: number): void;

  luaopen_base(L: number): number;
  luaopen_table(L: number): number;
  luaopen_string(L: number): number;
  luaopen_math(L: number): number;
  luaopen_debug(L: number): number;
}

import { LUA_GLOBALSINDEX, type LuaVM } from "../../LuaVM.js";
import { checkInteger, optInteger } from "../cjson/luaArguments.js";
import { MsgpackEncoder } from "./pack.js";
import { MsgpackDecoder } from "./unpack.js";

/**
 * Redis 7.0's `cmsgpack` library (lua_cmsgpack.c 0.4.0), byte for byte: the global table with
 * pack, unpack, unpack_one, unpack_limit and the _NAME, _VERSION, _COPYRIGHT, _DESCRIPTION fields.
 */
export function openCmsgpack(vm: LuaVM): void {
  const L = vm.L;
  const x = vm.x;
  const encoder = new MsgpackEncoder(vm);
  const decoder = new MsgpackDecoder(vm);
  x.lua_createtable(L, 0, 0);
  vm.setFunction(L, "pack", (L) => encoder.pack(L));
  vm.setFunction(L, "unpack", (L) => decoder.unpack(L, 0, 0));
  vm.setFunction(L, "unpack_one", (L) => {
    const offset = optInteger(vm, L, 2, 0);
    dropExtraArguments(vm, L);
    return decoder.unpack(L, 1, offset);
  });
  vm.setFunction(L, "unpack_limit", (L) => {
    const limit = checkInteger(vm, L, 2);
    const offset = optInteger(vm, L, 3, 0);
    dropExtraArguments(vm, L);
    return decoder.unpack(L, limit, offset);
  });
  const fields: [string, string][] = [
    ["_NAME", "cmsgpack"],
    ["_VERSION", "lua-cmsgpack 0.4.0"],
    ["_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo"],
    ["_DESCRIPTION", "MessagePack C implementation for Lua"],
  ];
  for (const [name, value] of fields) {
    vm.pushString(L, value);
    vm.setField(L, -2, name);
  }
  vm.setField(L, LUA_GLOBALSINDEX, "cmsgpack");
}

/** C's `lua_pop(L, lua_gettop(L) - 1)`: keeps arg 1; with no arguments at all, leaves none. */
function dropExtraArguments(vm: LuaVM, L: number): void {
  vm.x.lua_settop(L, -(vm.x.lua_gettop(L) - 1) - 1);
}

import { LUA_GLOBALSINDEX, LUA_REGISTRYINDEX, LuaType, type LuaVM } from "../../LuaVM.js";
import { originalFunction } from "./libSupport.js";

/**
 * Redis's Lua never loads precompiled bytecode: its `f_parser` (deps/lua/src/ldo.c) always runs
 * the text parser, so a chunk starting with ESC ("\27Lua...") fails with "unexpected symbol near
 * 'char(27)'". The wasm Lua is stock and would load it (and bytecode can corrupt the VM). A
 * leading space sends such a chunk to the text parser with the same error, on the same line
 * (`LuaVM.load` does the same for the chunks the host loads).
 */

const ESC = 0x1b;

/** Wraps `loadstring` and `load` so they parse binary chunks as text, as in Redis. */
export function openTextOnlyLoaders(vm: LuaVM): void {
  const x = vm.x;
  const L0 = vm.L;
  x.lua_pushvalue(L0, LUA_GLOBALSINDEX);
  const loadstring = originalFunction(vm, "loadstring");
  const load = originalFunction(vm, "load");

  vm.setFunction(L0, "loadstring", (L) => {
    if (x.lua_type(L, 1) !== LuaType.String) return loadstring(L);
    const code = vm.bytesView(L, 1)!;
    if (code[0] !== ESC) return loadstring(L);
    // The chunk name defaults to the source itself: keep the original string for it.
    if (x.lua_type(L, 2) <= LuaType.Nil) {
      x.lua_settop(L, 1);
      x.lua_pushvalue(L, 1);
    }
    vm.pushString(L, " ");
    x.lua_pushvalue(L, 1);
    x.lua_concat(L, 2);
    x.lua_replace(L, 1);
    return loadstring(L);
  });

  vm.setFunction(L0, "load", (L) => {
    // Only wrap a call that cannot fail before reading (load's own checks raise their errors).
    const nameType = x.lua_type(L, 2);
    const nameOk = nameType <= LuaType.Nil || nameType === LuaType.String || nameType === LuaType.Number;
    if (x.lua_type(L, 1) !== LuaType.Function || !nameOk) return load(L);
    // The reader is a host (C) function, as generic_reader's caller sees a C frame in Redis too.
    x.lua_pushvalue(L, 1);
    const userReader = x.luaL_ref(L, LUA_REGISTRYINDEX);
    let heldPiece = -1;
    let first = true;
    vm.pushFunction(L, (R) => {
      if (heldPiece >= 0) {
        x.lua_rawgeti(R, LUA_REGISTRYINDEX, heldPiece);
        x.luaL_unref(R, LUA_REGISTRYINDEX, heldPiece);
        heldPiece = -1;
        return 1;
      }
      x.lua_rawgeti(R, LUA_REGISTRYINDEX, userReader);
      x.lua_call(R, 0, 1);
      if (first) {
        first = false;
        if (x.lua_type(R, -1) === LuaType.String && vm.bytesView(R, -1)![0] === ESC) {
          heldPiece = x.luaL_ref(R, LUA_REGISTRYINDEX);
          vm.pushString(R, " ");
        }
      }
      return 1;
    });
    x.lua_replace(L, 1);
    // lua_load is protected: reader errors come back as (nil, message), so this always returns.
    const results = load(L);
    x.luaL_unref(L, LUA_REGISTRYINDEX, userReader);
    if (heldPiece >= 0) x.luaL_unref(L, LUA_REGISTRYINDEX, heldPiece);
    return results;
  });
  x.lua_settop(L0, -2);
}

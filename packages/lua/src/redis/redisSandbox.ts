import { LUA_GLOBALSINDEX, LUA_MULTRET, LUA_REGISTRYINDEX, LuaStatus, LuaType, type LuaVM } from "../LuaVM.js";
import { SANDBOX_CHUNK, SANDBOX_SOURCE } from "./sandboxSource.js";

/**
 * Globals a script sees: Redis 7.0.15's allow lists (script_lua.c) minus what its patched Lua
 * no longer defines (getfenv, setfenv, newproxy); anything else is dropped.
 */
const ALLOWED_GLOBALS = new Set([
  // libraries
  "string",
  "cjson",
  "bit",
  "cmsgpack",
  "math",
  "table",
  "struct",
  // the Redis API
  "redis",
  "__redis__err__handler",
  // Lua builtins
  "xpcall",
  "tostring",
  "setmetatable",
  "next",
  "assert",
  "tonumber",
  "rawequal",
  "collectgarbage",
  "getmetatable",
  "rawset",
  "pcall",
  "coroutine",
  "type",
  "_G",
  "select",
  "unpack",
  "gcinfo",
  "pairs",
  "rawget",
  "loadstring",
  "ipairs",
  "_VERSION",
  "load",
  "error",
  // removed again once the error handler captured it
  "debug",
]);

/** Redis's `__redis__err__handler`, defined as Redis defines it (it also removes `debug`). */
const ERROR_HANDLER_SOURCE = `local dbg = debug
debug = nil
function __redis__err__handler(err)
  local i = dbg.getinfo(2,'nSl')
  if i and i.what == 'C' then
    i = dbg.getinfo(3,'nSl')
  end
  if type(err) ~= 'table' then
    err = {err='ERR ' .. tostring(err)}  end  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end  return err
end
`;

export interface RedisSandboxOptions {
  /** Libraries opened after Lua's own, as globals (Redis: cjson, struct, cmsgpack, bit). */
  libraries?: readonly ((vm: LuaVM) => void)[];
  /** Fills the `redis` table on top of the main thread's stack. */
  redisApi(vm: LuaVM, L: number): void;
  /** Runs after the `redis` table is set and before the globals are sealed (math.random…). */
  beforeSeal?(vm: LuaVM): void;
}

/**
 * Builds Redis 7.0's scripting environment in `vm` (script_lua.c `luaRegisterRedisAPI` and
 * eval.c `scriptingInit`): Lua's base, table, string, math and debug libraries, the given extra
 * libraries, only the allow-listed globals, Redis's `pcall`, the `redis` table, the error
 * handler, then read-only globals. Returns a registry reference to the real globals table,
 * where the host sets `KEYS` and `ARGV` with `rawset`.
 */
export function createRedisSandbox(vm: LuaVM, options: RedisSandboxOptions): number {
  const L = vm.L;
  const x = vm.x;
  vm.openLibrary((s) => x.luaopen_base(s), "");
  vm.openLibrary((s) => x.luaopen_table(s), "table");
  vm.openLibrary((s) => x.luaopen_string(s), "string");
  vm.openLibrary((s) => x.luaopen_math(s), "math");
  vm.openLibrary((s) => x.luaopen_debug(s), "debug");
  for (const open of options.libraries ?? []) open(vm);
  dropUnlistedGlobals(vm);
  vm.pushFunction(L, (s) => redisPcall(vm, s));
  vm.setField(L, LUA_GLOBALSINDEX, "pcall");
  x.lua_createtable(L, 0, 32);
  options.redisApi(vm, L);
  vm.setField(L, LUA_GLOBALSINDEX, "redis");
  options.beforeSeal?.(vm);
  runChunk(vm, ERROR_HANDLER_SOURCE, "@err_handler_def", 0);

  // Seal: the sandbox chunk returns the proxy that becomes the globals of every thread.
  x.lua_pushvalue(L, LUA_GLOBALSINDEX);
  const globalsRef = x.luaL_ref(L, LUA_REGISTRYINDEX);
  if (vm.load(L, Buffer.from(SANDBOX_SOURCE), SANDBOX_CHUNK) !== LuaStatus.Ok)
    throw new Error(vm.toString(L, -1) ?? "");
  x.lua_rawgeti(L, LUA_REGISTRYINDEX, globalsRef);
  vm.pushFunction(L, (s) => vm.errorAt(s, "Attempt to modify a readonly table"));
  vm.pushFunction(L, (s) => {
    const name = x.lua_type(s, 2) === LuaType.String || x.lua_type(s, 2) === LuaType.Number ? vm.toString(s, 2) : null;
    if (name === null) return vm.errorAt(s, "Second argument to luaProtectedTableError must be a string or number");
    return vm.errorAt(s, `Script attempted to access nonexistent global variable '${name}'`);
  });
  if (x.lua_pcall(L, 3, 1, 0) !== LuaStatus.Ok) throw new Error(vm.toString(L, -1) ?? "");
  x.lua_replace(L, LUA_GLOBALSINDEX);
  return globalsRef;
}

function runChunk(vm: LuaVM, source: string, name: string, nresults: number): void {
  const L = vm.L;
  if (vm.load(L, Buffer.from(source), name) !== LuaStatus.Ok || vm.x.lua_pcall(L, 0, nresults, 0) !== LuaStatus.Ok) {
    throw new Error(`Lua sandbox setup failed: ${vm.toString(L, -1)}`);
  }
}

/** Removes the globals Redis's allow list would never have let in (`print`, `dofile`, `loadfile`). */
function dropUnlistedGlobals(vm: LuaVM): void {
  const L = vm.L;
  const x = vm.x;
  const drop: string[] = [];
  x.lua_pushnil(L);
  while (x.lua_next(L, LUA_GLOBALSINDEX) !== 0) {
    x.lua_settop(L, -2);
    if (x.lua_type(L, -1) === LuaType.String) {
      const name = vm.toString(L, -1) ?? "";
      if (!ALLOWED_GLOBALS.has(name)) drop.push(name);
    }
  }
  for (const name of drop) {
    x.lua_pushnil(L);
    vm.setField(L, LUA_GLOBALSINDEX, name);
  }
}

/**
 * Redis's `pcall` (luaRedisPcall): as Lua's, but an error table from redis.call becomes its
 * message, so scripts written for Redis 6 (string errors) keep working.
 */
function redisPcall(vm: LuaVM, L: number): number {
  const x = vm.x;
  const argc = x.lua_gettop(L);
  x.lua_pushboolean(L, 1);
  x.lua_insert(L, 1);
  if (x.lua_pcall(L, argc - 1, LUA_MULTRET, 0) !== 0) {
    x.lua_remove(L, 1);
    if (x.lua_type(L, -1) === LuaType.Table) {
      vm.getField(L, -1, "err");
      if (x.lua_isstring(L, -1) !== 0) x.lua_replace(L, -2);
    }
    x.lua_pushboolean(L, 0);
    x.lua_insert(L, 1);
  }
  return x.lua_gettop(L);
}

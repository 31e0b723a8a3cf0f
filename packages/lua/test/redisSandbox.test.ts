import { describe, expect, it } from "vitest";
import { createRedisSandbox, LuaStatus, LuaVM } from "../src/index.js";

/** A sandbox whose `redis` table has one function, `redis.fail()`, raising an error table as redis.call does. */
function sandbox(): LuaVM {
  const vm = new LuaVM();
  createRedisSandbox(vm, {
    redisApi(v, L) {
      v.setFunction(L, "fail", (s) => {
        v.x.lua_createtable(s, 0, 1);
        v.pushString(s, "ERR failed");
        v.setField(s, -2, "err");
        return v.x.lua_error(s);
      });
    },
  });
  return vm;
}

function run(vm: LuaVM, code: string): [number, string | null] {
  const L = vm.L;
  const loaded = vm.load(L, Buffer.from(code), "@user_script");
  const status = loaded !== LuaStatus.Ok ? loaded : vm.x.lua_pcall(L, 0, 1, 0);
  const out = vm.toString(L, -1);
  vm.x.lua_settop(L, 0);
  return [status, out];
}

describe("createRedisSandbox", () => {
  it("exposes exactly Redis 7.0.15's globals (without the extra libraries here)", () => {
    const vm = sandbox();
    const [, names] = run(
      vm,
      "local t = {} for k in pairs(_G) do t[#t + 1] = k end table.sort(t) return table.concat(t, ' ')",
    );
    expect(names).toBe(
      "_G _VERSION __redis__err__handler assert collectgarbage coroutine error gcinfo getmetatable ipairs load loadstring math next pairs pcall rawequal rawget rawset redis select setmetatable string table tonumber tostring type unpack xpcall",
    );
  });

  it("refuses reading unknown globals and writing any global, with the script's line", () => {
    const vm = sandbox();
    expect(run(vm, "return a")).toEqual([
      LuaStatus.ErrRun,
      "user_script:1: Script attempted to access nonexistent global variable 'a'",
    ]);
    expect(run(vm, "\nx = 1")).toEqual([LuaStatus.ErrRun, "user_script:2: Attempt to modify a readonly table"]);
    expect(run(vm, "redis = nil")).toEqual([LuaStatus.ErrRun, "user_script:1: Attempt to modify a readonly table"]);
    expect(run(vm, "_G.string = nil")).toEqual([LuaStatus.ErrRun, "user_script:1: Attempt to modify a readonly table"]);
    expect(run(vm, "string.format = nil")).toEqual([
      LuaStatus.ErrRun,
      "user_script:1: Attempt to modify a readonly table",
    ]);
    expect(run(vm, "redis.fail = nil")).toEqual([
      LuaStatus.ErrRun,
      "user_script:1: Attempt to modify a readonly table",
    ]);
    expect(run(vm, "getmetatable(_G).__index = {}")).toEqual([
      LuaStatus.ErrRun,
      "user_script:1: Attempt to modify a readonly table",
    ]);
    expect(run(vm, "setmetatable(_G, {})")).toEqual([LuaStatus.ErrRun, "Attempt to modify a readonly table"]);
    expect(run(vm, "rawset(_G, 'x', 1)")).toEqual([LuaStatus.ErrRun, "Attempt to modify a readonly table"]);
  });

  it("still reads through the protection: methods on strings, rawget, next and pairs on libraries", () => {
    const vm = sandbox();
    expect(run(vm, "return ('abc'):upper() .. string.rep('x', 2)")).toEqual([LuaStatus.Ok, "ABCxx"]);
    expect(run(vm, "return type(rawget(_G, 'redis'))")).toEqual([LuaStatus.Ok, "table"]);
    expect(run(vm, "local n = 0 for k in pairs(string) do n = n + 1 end return tostring(n > 10)")[1]).toBe("true");
    expect(run(vm, "return next(redis)")).toEqual([LuaStatus.Ok, "fail"]);
    expect(run(vm, "return getmetatable(redis)")).toEqual([LuaStatus.Ok, null]);
    expect(run(vm, "local t = {} t.x = 1 setmetatable(t, {}) return t.x")).toEqual([LuaStatus.Ok, "1"]);
  });

  it("turns an error table caught by pcall into its message, as Redis's pcall does", () => {
    const vm = sandbox();
    expect(run(vm, "local ok, e = pcall(redis.fail) return tostring(ok) .. ' ' .. e")).toEqual([
      LuaStatus.Ok,
      "false ERR failed",
    ]);
    expect(run(vm, "local ok, e = pcall(error, 'plain') return e")).toEqual([LuaStatus.Ok, "plain"]);
    expect(run(vm, "return select('#', pcall(function() return 1, 2 end))")).toEqual([LuaStatus.Ok, "3"]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRedisServer, type RedisServer, startRedis } from "../../../test-support/redisServer.js";
import { LuaStatus, openTextOnlyLoaders } from "../src/index.js";
import { compareWithRedis, newScriptVM } from "./baseHarness.js";

describe.skipIf(!hasRedisServer)("loadstring and load against redis-server", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const vm = newScriptVM(openTextOnlyLoaders);

  it("parse precompiled chunks as text, as Redis's patched f_parser does", async () => {
    const dump = "string.dump(function() return 1 end)";
    const cases = [
      `return show(loadstring(${dump}))`,
      `return show(loadstring(${dump}, 'named'))`,
      `return show(loadstring(${dump}, '=named'))`,
      "return show(loadstring('\\27'))",
      "return show(loadstring('\\27\\nreturn 1'))",
      "return show(loadstring('\\27Lua\\0', nil))",
      "return show(loadstring('return 1 +', '@x'))",
      "return show(loadstring('return 6 * 7')())",
      "return show(loadstring())",
      "return show(loadstring({}))",
      "return show(loadstring(12)())",
      `local s = ${dump} local done = false return show(load(function() if done then return nil end done = true return s end))`,
      `local s = ${dump} local i = 0 return show(load(function() i = i + 1 return s:sub(i, i) end, 'pieces'))`,
      "local i = 0 local parts = {'return ', '6 ', '* 7'} return show(load(function() i = i + 1 return parts[i] end)())",
      "return show(load(function() error('reader failed') end))",
      "return show(load(function() error('level two', 2) end))",
      "return show(load(function() return {} end))",
      "return show(type(load(function() return nil end)))",
      "return show(load('return 1'))",
      "return show(load())",
      "return show(load(function() return nil end, {}))",
    ];
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });

  it("gives the engine a loader for script bodies with the same rule", () => {
    const code = Buffer.from("\x1bLuaQ\0");
    expect(vm.load(vm.L, code, "@user_script")).toBe(LuaStatus.ErrSyntax);
    expect(vm.toString(vm.L, -1)).toBe("user_script:1: unexpected symbol near 'char(27)'");
    vm.x.lua_settop(vm.L, 0);
    expect(vm.load(vm.L, Buffer.from("return 1"), "@user_script")).toBe(LuaStatus.Ok);
    vm.x.lua_settop(vm.L, 0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRedisServer, type RedisServer, startRedis } from "../../../test-support/redisServer.js";
import { openStringDump } from "../src/index.js";
import { compareWithRedis, newScriptVM } from "./baseHarness.js";

describe.skipIf(!hasRedisServer)("string.dump against redis-server", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const vm = newScriptVM(openStringDump);

  it("dumps the same bytes (x86-64 header, 8-byte string lengths)", async () => {
    const cases = [
      "return hex(string.dump(function() return 1 end))",
      "return hex(string.dump(function(a, b, ...) local x, y = a + 1.5, 'str' local function g(z) return z .. x .. tostring(nil) .. tostring(true) end return g(b), select('#', ...) end))",
      "local up = 5 return hex(string.dump(function() up = up + 1 return up, {1, 2, a = 'b'}, function() return up end end))",
      "return hex(string.dump(loadstring('local t = {} for i = 1, 10 do t[i] = i * 2 end return t', '=chunk')))",
      `return hex(string.dump(loadstring(${JSON.stringify(`local s = '${"x".repeat(300)}' return s, false, nil, 2^70`)})))`,
      "return show(pcall(string.dump, tostring))",
      "return show(pcall(string.dump))",
    ];
    const { ours, theirs } = await compareWithRedis(vm, redis, cases);
    expect(ours).toEqual(theirs);
  });
});

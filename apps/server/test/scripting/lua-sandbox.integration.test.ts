import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";
import { errorOf, type ScriptMode, scriptModes } from "./scripting.js";

/** The sandbox scripts run in (read-only globals, removed libraries) and the redis.* helpers. */

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
  await r.call("FUNCTION", "FLUSH");
});

describe.each(scriptModes)("$name: globals protection", (mode: ScriptMode) => {
  const readonly = (body: string) => `ERR ${mode.place()}: Attempt to modify a readonly table${mode.errorSuffix(body)}`;

  it("refuses creating globals and replacing the library tables", async () => {
    for (const body of [
      "a=10",
      "redis = function() return 1 end",
      "_G = {}",
      "redis.call = function() return 1 end",
      "cjson.encode = function() return 1 end",
      "cmsgpack.pack = function() return 1 end",
      "bit.lshift = function() return 1 end",
      "struct.pack = function() return 1 end",
      "string.format = function() return 1 end",
      "math.random = function() return 1 end",
      "table.insert = function() return 1 end",
      "local g = getmetatable(_G) g.__index = {}",
    ]) {
      expect(await errorOf(mode.run(r, body, 0)), body).toBe(readonly(body));
    }
  });

  it("errors raised inside C functions carry no position", async () => {
    for (const body of ["setmetatable(_G, {})", "rawset(_G, 'a', 1)"]) {
      expect(await errorOf(mode.run(r, body, 0)), body).toBe(
        `ERR Attempt to modify a readonly table${mode.errorSuffix(body)}`,
      );
    }
  });

  it("has no os, io, print, loadfile, dofile, require, module, setfenv, getfenv, debug or newproxy", async () => {
    for (const name of [
      "os",
      "io",
      "print",
      "loadfile",
      "dofile",
      "require",
      "module",
      "setfenv",
      "getfenv",
      "debug",
      "newproxy",
    ]) {
      const body = `return type(${name})`;
      expect(await errorOf(mode.run(r, body, 0)), name).toBe(
        `ERR ${mode.place()}: Script attempted to access nonexistent global variable '${name}'${mode.errorSuffix(body)}`,
      );
    }
  });

  it("keeps the base library, string, table, math, coroutine and loadstring", async () => {
    const body =
      "return {type(coroutine), type(unpack), type(select), type(xpcall), type(rawset), type(loadstring), type(collectgarbage), _VERSION}";
    expect(await mode.run(r, body, 0)).toEqual([
      "table",
      "function",
      "function",
      "function",
      "function",
      "function",
      "function",
      "Lua 5.1",
    ]);
  });

  it("unpack refuses huge ranges", async () => {
    for (const range of ["0, 2147483647", "-2, 2147483647", "-2147483648, -2"]) {
      const body = `local a = {1,2,3} return {unpack(a, ${range})}`;
      expect(await errorOf(mode.run(r, body, 0)), range).toBe(
        `ERR ${mode.place()}: too many results to unpack${mode.errorSuffix(body)}`,
      );
    }
    expect(await mode.run(r, "return {unpack({1,2,3}, 2)}", 0)).toEqual([2, 3]);
  });

  it("xpcall passes the error to its handler and returns the handler's first result", async () => {
    const cases: [string, unknown][] = [
      ["return {xpcall(function() error('x') end, function(e) return 'h:' .. e end)}", [null, `h:${mode.place()}: x`]],
      ["return {xpcall(function() return 1, 2 end, function(e) return e end)}", [1, 1, 2]],
      ["return {xpcall(function() error('x') end, function(e) error('y') end)}", [null, "error in error handling"]],
      ["return {xpcall(function() redis.call('nosuch') end, function(e) return type(e) end)}", [null, "table"]],
      ["return {xpcall(function() error({1}) end, function(e) return type(e) end)}", [null, "table"]],
      ["return {xpcall(function() error('x', 0) end, function(e) return e, 'more' end)}", [null, "x"]],
      ["return {xpcall(nil, function(e) return 'h:' .. e end)}", [null, "h:attempt to call a nil value"]],
      ["return {xpcall(error, function(e) return 'h:' .. tostring(e) end)}", [null, "h:nil"]],
    ];
    for (const [body, expected] of cases) expect(await mode.run(r, body, 0), body).toEqual(expected);
    const body = "local a = xpcall(function() end) return a";
    expect(await errorOf(mode.run(r, body, 0))).toBe(
      `ERR ${mode.place()}: bad argument #2 to 'xpcall' (value expected)${mode.errorSuffix(body)}`,
    );
  });
});

describe.each(scriptModes)("$name: the redis table", (mode: ScriptMode) => {
  it("redis.sha1hex hashes its argument", async () => {
    expect(await mode.run(r, "return redis.sha1hex('')", 0)).toBe("da39a3ee5e6b4b0d3255bfef95601890afd80709");
    expect(await mode.run(r, "return redis.sha1hex('Pizza & Mandolino')", 0)).toBe(
      "74822d82031af7493c20eefa13bd07ec4fada82f",
    );
    expect(await mode.run(r, "return redis.sha1hex(1)", 0)).toBe("356a192b7913b04c54574d18c28d46e6395428ab");
  });

  it("redis.log takes the four levels and checks its arguments", async () => {
    expect(
      await mode.run(r, "return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}", 0),
    ).toEqual([0, 1, 2, 3]);
    expect(await mode.run(r, "return redis.log(redis.LOG_WARNING, 'hello from lua', 3)", 0)).toBeNull();
    for (const [body, message] of [
      ["return redis.log(redis.LOG_WARNING)", "ERR redis.log() requires two arguments or more."],
      ["return redis.log(99, 'x')", "ERR Invalid debug level."],
      ["return redis.log('x', 'x')", "ERR First argument must be a number (log level)."],
    ] as const) {
      expect(await errorOf(mode.run(r, body, 0))).toBe(`${message}${mode.errorSuffix(body)}`);
    }
  });

  it("redis.set_repl takes the REPL_* flags", async () => {
    const flags = "return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}";
    expect(await mode.run(r, flags, 0)).toEqual([0, 1, 2, 2, 3]);
    expect(await mode.run(r, "return redis.set_repl(redis.REPL_ALL)", 0)).toBeNull();
    const invalid = "redis.set_repl(12345)";
    expect(await errorOf(mode.run(r, invalid, 0))).toBe(
      `ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.${mode.errorSuffix(invalid)}`,
    );
    const missing = "redis.set_repl()";
    expect(await errorOf(mode.run(r, missing, 0))).toBe(
      `ERR redis.set_repl() requires two arguments.${mode.errorSuffix(missing)}`,
    );
  });

  it("redis.set_repl still applies the writes locally", async () => {
    const body = `
      redis.call('set','a','1')
      redis.set_repl(redis.REPL_NONE)
      redis.call('set','b','2')
      redis.set_repl(redis.REPL_AOF)
      redis.call('set','c','3')
      redis.set_repl(redis.REPL_ALL)
      redis.call('set','d','4')`;
    await mode.run(r, body, 0);
    expect(await r.mget("a", "b", "c", "d")).toEqual(["1", "2", "3", "4"]);
  });

  it("EVAL has redis.replicate_commands (always true), redis.breakpoint and redis.debug; functions do not", async () => {
    const calls = ["redis.replicate_commands()", "redis.breakpoint()", "redis.debug('x')"];
    if (mode.name === "EVAL") {
      const replies = [];
      for (const call of calls) replies.push(await mode.run(r, `redis.call('set','foo','bar') return ${call}`, 0));
      expect(replies).toEqual([1, null, null]);
      return;
    }
    for (const call of calls) {
      const body = `return ${call}`;
      const field = call.slice("redis.".length, call.indexOf("("));
      expect(await errorOf(mode.run(r, body, 0))).toBe(
        `ERR ${mode.place()}: attempt to call field '${field}' (a nil value)${mode.errorSuffix(body)}`,
      );
    }
  });

  it("redis.REDIS_VERSION and REDIS_VERSION_NUM name the server's version", async () => {
    const info = await r.info("server");
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? "";
    const [major, minor, patch] = version.split(".").map(Number);
    const body = "return {redis.REDIS_VERSION, redis.REDIS_VERSION_NUM}";
    expect(await mode.run(r, body, 0)).toEqual([version, ((major ?? 0) << 16) | ((minor ?? 0) << 8) | (patch ?? 0)]);
  });

  it("redis.acl_check_cmd answers whether the user may run a command", async () => {
    await r.call("ACL", "SETUSER", "bob", "on", ">123", "+@scripting", "+set", "~x*");
    const bob = target.client();
    try {
      expect(await bob.call("AUTH", "bob", "123")).toBe("OK");
      expect(await mode.run(bob, "return redis.acl_check_cmd('set','xx',1)", 1, "xx")).toBe(1);
      expect(await mode.run(bob, "return redis.acl_check_cmd('hset','xx','f',1)", 1, "xx")).toBeNull();
      // "yy" is not declared as a key, so only acl_check_cmd looks at it.
      expect(await mode.run(bob, "return redis.acl_check_cmd('set','yy',1)", 0)).toBeNull();
      const invalid = "return redis.acl_check_cmd('invalid-cmd','arg')";
      expect(await errorOf(mode.run(r, invalid, 0))).toBe(
        `ERR Invalid command passed to redis.acl_check_cmd()${mode.errorSuffix(invalid)}`,
      );
    } finally {
      bob.disconnect();
      await r.call("ACL", "DELUSER", "bob");
    }
  });
});

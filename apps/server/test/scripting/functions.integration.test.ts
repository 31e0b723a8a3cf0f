import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";
import { errorOf, fcallErrorSuffix, libraryCode, rawReplies } from "./scripting.js";

/** FUNCTION LOAD|DELETE|LIST|FLUSH|DUMP|RESTORE|STATS and FCALL/FCALL_RO (functions.tcl). */

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
  await r.call("FUNCTION", "FLUSH");
});

const load = (code: string, ...options: string[]) => r.call("FUNCTION", "LOAD", ...options, code);
/** The error FUNCTION LOAD gives when running the library code fails. */
const registering = (message: string) => `ERR Error registering functions: ${message}`;
/** A library `lib2` whose code is `body` on its second line. */
const lib2 = (body: string) => `#!lua name=lib2\n${body}`;
const listed = (library: string, functions: [string, string | null, string[]][]) => [
  "library_name",
  library,
  "engine",
  "LUA",
  "functions",
  functions.map(([name, description, flags]) => ["name", name, "description", description, "flags", flags]),
];

describe("FUNCTION LOAD", () => {
  it("loads a library, replies its name, and FCALL runs its function", async () => {
    expect(await load(libraryCode("test", "test", "return 'hello'"))).toBe("test");
    expect(await r.call("FCALL", "test", 0)).toBe("hello");
    expect(await r.call("FCALL", "TEST", 0)).toBe("hello");
  });

  it("refuses an existing library unless REPLACE, and a failed REPLACE keeps the old one", async () => {
    await load(libraryCode("test", "test", "return 'hello'"));
    expect(await errorOf(load(libraryCode("test", "test", "return 'hello1'")))).toBe(
      "ERR Library 'test' already exists",
    );
    expect(await load(libraryCode("test", "test", "return 'hello1'"), "REPLACE")).toBe("test");
    expect(await r.call("FCALL", "test", 0)).toBe("hello1");
    expect(await errorOf(load(libraryCode("test", "test", "bad script"), "REPLACE"))).toBe(
      "ERR Error compiling function: user_function:3: '=' expected near 'script'",
    );
    expect(await r.call("FCALL", "test", 0)).toBe("hello1");
    expect(await errorOf(load(libraryCode("test", "test", "return 1"), "foo", "bar"))).toBe(
      "ERR Unknown option given: foo",
    );
  });

  it("checks the #! header", async () => {
    const fn = "redis.register_function('foo', function() return 1 end)";
    for (const [code, error] of [
      ["return 1", "ERR Missing library metadata"],
      [`#!bad_engine name=test\n${fn}`, "ERR Engine 'bad_engine' not found"],
      [`#! name=test\n${fn}`, "ERR Engine '' not found"],
      [`#!lua name=test foo=bar\n${fn}`, "ERR Invalid metadata value given: foo=bar"],
      [`#!lua\n${fn}`, "ERR Library name was not given"],
      [`#!lua name=foo name=bar\n${fn}`, "ERR Invalid metadata value, name argument was given multiple times"],
      [
        `#!lua name=bad\\0format\n${fn}`,
        "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long",
      ],
      [
        `#!lua name=a-b\n${fn}`,
        "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long",
      ],
    ]) {
      expect(await errorOf(load(code as string)), code).toBe(error);
    }
    expect(await load(`#!lua name="foo"\n${fn}`)).toBe("foo");
  });

  it("a library must register a function and may share local helpers", async () => {
    expect(await errorOf(load(lib2("return 1")))).toBe("ERR No functions registered");
    const shared = `#!lua name=lib1
      local function add1(a) return a + 1 end
      local function ping() return redis.call('ping') end
      redis.register_function('f1', function(keys, args) return add1(1) end)
      redis.register_function('f2', function(keys, args) return add1(2) end)
      redis.register_function('f3', function(keys, args) return ping() end)`;
    expect(await load(shared)).toBe("lib1");
    expect([await r.call("FCALL", "f1", 0), await r.call("FCALL", "f2", 0), await r.call("FCALL", "f3", 0)]).toEqual([
      2,
      3,
      "PONG",
    ]);
  });

  it("a failed registration reverts the whole load; function names are global", async () => {
    await load("#!lua name=lib1\nredis.register_function('f1', function() return 2 end)");
    const failing =
      "#!lua name=lib1\nredis.register_function('f1', function() return 3 end)\nredis.register_function('f2', 'x')";
    expect(await errorOf(load(failing, "REPLACE"))).toBe(
      registering("ERR second argument to redis.register_function must be a function"),
    );
    expect(await r.call("FCALL", "f1", 0)).toBe(2);
    expect(await errorOf(load(lib2("redis.register_function('f1', function() return 1 end)")))).toBe(
      "ERR Function f1 already exists",
    );
  });

  it("validates redis.register_function's positional arguments", async () => {
    const fn = "function() return 1 end";
    for (const [body, error] of [
      [
        `redis.register_function('f1', ${fn}) redis.register_function('f1', ${fn})`,
        "ERR Function already exists in the library",
      ],
      ["redis.register_function()", "ERR wrong number of arguments to redis.register_function"],
      [
        "redis.register_function('f1')",
        "ERR calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).",
      ],
      [
        `redis.register_function('f1', ${fn}, {}, 'description', 'extra arg')`,
        "ERR wrong number of arguments to redis.register_function",
      ],
      [`redis.register_function(nil, ${fn})`, "ERR first argument to redis.register_function must be a string"],
      [
        `redis.register_function('test\\\\0test', ${fn})`,
        "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long",
      ],
      [
        `redis.register_function('', ${fn})`,
        "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long",
      ],
    ]) {
      expect(await errorOf(load(lib2(body as string))), body).toBe(registering(error as string));
    }
  });

  it("validates redis.register_function's named arguments and flags", async () => {
    const cb = "callback=function() return 'hello' end";
    for (const [args, error] of [
      [
        `function_name=function() return 1 end, ${cb}`,
        "function_name argument given to redis.register_function must be a string",
      ],
      ["function_name='f1', callback='bad'", "callback argument given to redis.register_function must be a function"],
      [
        `function_name='f1', ${cb}, description=function() return 1 end`,
        "description argument given to redis.register_function must be a string",
      ],
      [`function_name='f1', ${cb}, some_unknown='unknown'`, "unknown argument given to redis.register_function"],
      [cb, "redis.register_function must get a function name argument"],
      ["function_name='f1'", "redis.register_function must get a callback argument"],
      [
        `function_name='f1', ${cb}, flags='bad flags type'`,
        "flags argument to redis.register_function must be a table representing function flags",
      ],
      [`function_name='f1', ${cb}, flags={function() return 1 end}`, "unknown flag given"],
      [`function_name='f1', ${cb}, flags={'unknown'}`, "unknown flag given"],
    ]) {
      expect(await errorOf(load(lib2(`redis.register_function{${args}}`))), args).toBe(registering(`ERR ${error}`));
    }
    const all = `function_name='f1', ${cb}, description='some desc', flags={'no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys'}`;
    expect(await load(lib2(`redis.register_function{${all}}`))).toBe("lib2");
    expect(await r.call("FUNCTION", "LIST")).toEqual([
      listed("lib2", [
        ["f1", "some desc", ["no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"]],
      ]),
    ]);
  });

  it("the load run sees only redis.register_function, redis.log and the version, under global protection", async () => {
    for (const [body, error] of [
      ["return math.random()", "ERR user_function:2: Script attempted to access nonexistent global variable 'math'"],
      [
        "return redis.call('ping')",
        "ERR user_function:2: Script attempted to access nonexistent global variable 'call'",
      ],
      [
        "return redis.setresp(3)",
        "ERR user_function:2: Script attempted to access nonexistent global variable 'setresp'",
      ],
      [
        "return redis.set_repl(redis.REPL_NONE)",
        "ERR user_function:2: Script attempted to access nonexistent global variable 'set_repl'",
      ],
      ["a = 1", "ERR user_function:2: Attempt to modify a readonly table"],
      [
        "mt = getmetatable(_G)",
        "ERR user_function:2: Script attempted to access nonexistent global variable 'getmetatable'",
      ],
      ["redis.math.random()", "ERR user_function:2: Script attempted to access nonexistent global variable 'math'"],
      [
        "redis.redis.call('ping')",
        "ERR user_function:2: Script attempted to access nonexistent global variable 'redis'",
      ],
      ["error('boom')", "ERR user_function:2: Script attempted to access nonexistent global variable 'error'"],
      ["local t = type(1)", "ERR user_function:2: Script attempted to access nonexistent global variable 'type'"],
      [
        "local s = string.rep('x', 2)",
        "ERR user_function:2: Script attempted to access nonexistent global variable 'string'",
      ],
      [
        "local j = cjson.encode({})",
        "ERR user_function:2: Script attempted to access nonexistent global variable 'cjson'",
      ],
    ]) {
      expect(await errorOf(load(lib2(body as string))), body).toBe(registering(error as string));
    }
    const logging = lib2(
      "redis.log(redis.LOG_NOTICE, 'loading ' .. redis.REDIS_VERSION .. ' ' .. redis.REDIS_VERSION_NUM)\n" +
        "redis.register_function('f1', function() return 1 end)",
    );
    expect(await load(logging)).toBe("lib2");
  });

  it("a load that runs too long is stopped", async () => {
    expect(await errorOf(load(lib2("local a = 1 while 1 do a = a + 1 end")))).toBe(
      registering("ERR FUNCTION LOAD timeout"),
    );
    expect(await r.ping()).toBe("PONG");
  });
});

describe("FCALL and FCALL_RO", () => {
  beforeEach(async () => {
    await load(libraryCode("test", "test", "return redis.call('set', KEYS[1], ARGV[1])"));
    await load(libraryCode("ro", "ro", "return redis.call('get', KEYS[1])", ["no-writes"]));
  });

  it("passes KEYS and ARGV and checks numkeys", async () => {
    expect(await r.call("FCALL", "test", 1, "x", "foo")).toBe("OK");
    expect(await r.get("x")).toBe("foo");
    expect(await errorOf(r.call("FCALL", "test", "bad_arg"))).toBe("ERR Bad number of keys provided");
    expect(await errorOf(r.call("FCALL", "test", 10, "key1"))).toBe(
      "ERR Number of keys can't be greater than number of args",
    );
    expect(await errorOf(r.call("FCALL", "test", -1, "key1"))).toBe("ERR Number of keys can't be negative");
    expect(await errorOf(r.call("FCALL", "nosuch", 0))).toBe("ERR Function not found");
    expect(await errorOf(r.call("FCALL", "test"))).toBe("ERR wrong number of arguments for 'fcall' command");
    expect(await r.call("COMMAND", "GETKEYS", "FCALL", "test", 1, "x", "foo")).toEqual(["x"]);
    expect(await r.call("COMMAND", "GETKEYS", "FCALL_RO", "test", 1, "x", "foo")).toEqual(["x"]);
  });

  it("FCALL_RO runs only no-writes functions; no-writes functions cannot write", async () => {
    await r.set("x", "1");
    expect(await r.call("FCALL_RO", "ro", 1, "x")).toBe("1");
    expect(await errorOf(r.call("FCALL_RO", "test", 1, "x", "y"))).toBe(
      "ERR Can not execute a script with write flag using *_ro command.",
    );
    await load(libraryCode("ro", "ro", "return redis.call('set', 'x', '1')", ["no-writes"]), "REPLACE");
    for (const command of ["FCALL", "FCALL_RO"]) {
      expect(await errorOf(r.call(command, "ro", 0))).toBe(
        `ERR Write commands are not allowed from read-only scripts.${fcallErrorSuffix("ro", 3)}`,
      );
    }
  });

  it("the library API is gone once the load has run", async () => {
    const code = `#!lua name=lib1
      local lib = redis
      lib.register_function('f1', function () lib.redis = redis return {ok='OK'} end)
      lib.register_function('f2', function () lib.register_function('f1', function () return 1 end) end)
      redis.register_function('f3', function () redis.register_function('f4', function () return 2 end) return 1 end)`;
    await load(code);
    expect(await errorOf(r.call("FCALL", "f1", 0))).toBe(
      `ERR user_function:3: Attempt to modify a readonly table${fcallErrorSuffix("f1", 3)}`,
    );
    expect(await errorOf(r.call("FCALL", "f2", 0))).toBe(
      `ERR redis.register_function can only be called on FUNCTION LOAD command${fcallErrorSuffix("f2", 4)}`,
    );
    expect(await errorOf(r.call("FCALL", "f3", 0))).toBe(
      `ERR user_function:5: attempt to call field 'register_function' (a nil value)${fcallErrorSuffix("f3", 5)}`,
    );
  });
});

describe("FUNCTION LIST, DELETE, FLUSH, STATS", () => {
  it("lists libraries, by name pattern, with code", async () => {
    const code = "#!lua name=library1\nredis.register_function('f6', function(keys, args) return 7 end)";
    await load(code);
    await load("#!lua name=lib1\nredis.register_function('f7', function(keys, args) return 7 end)");
    expect(await r.call("FUNCTION", "LIST", "LIBRARYNAME", "library*")).toEqual([
      listed("library1", [["f6", null, []]]),
    ]);
    expect(await r.call("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "library1")).toEqual([
      [...listed("library1", [["f6", null, []]]), "library_code", code],
    ]);
    expect(await r.call("FUNCTION", "LIST")).toHaveLength(2);
  });

  it("rejects bad arguments", async () => {
    const expected =
      "-ERR Unknown argument bad_argument\r\n-ERR library name argument was not given\r\n" +
      "-ERR Unknown argument withcode\r\n-ERR Unknown argument libraryname\r\n-ERR Library not found\r\n" +
      "-NOTBUSY No scripts in execution right now.\r\n-ERR unknown subcommand 'bad_subcommand'. Try FUNCTION HELP.\r\n" +
      "-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n" +
      "-ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP.\r\n" +
      "-ERR wrong number of arguments for 'function|stats' command\r\n-ERR wrong number of arguments for 'function|load' command\r\n";
    const replies = await rawReplies(
      target.port,
      [
        ["FUNCTION", "LIST", "bad_argument"],
        ["FUNCTION", "LIST", "libraryname"],
        ["FUNCTION", "LIST", "withcode", "withcode"],
        ["FUNCTION", "LIST", "withcode", "libraryname", "foo", "libraryname", "foo"],
        ["FUNCTION", "DELETE", "test1"],
        ["FUNCTION", "KILL"],
        ["FUNCTION", "bad_subcommand"],
        ["FUNCTION", "FLUSH", "bad_arg"],
        ["function", "flush", "sync", "extra_arg"],
        ["FUNCTION", "STATS", "x"],
        ["FUNCTION", "LOAD"],
      ],
      expected,
    );
    expect(replies).toBe(expected);
  });

  it("DELETE removes a library and its functions; FLUSH [SYNC|ASYNC] removes all; FLUSHALL keeps them", async () => {
    await load(libraryCode("test", "test", "return 'hello'"));
    await r.flushall();
    await r.flushdb();
    expect(await r.call("FUNCTION", "LIST")).toEqual([listed("test", [["test", null, []]])]);
    expect(await r.call("FUNCTION", "DELETE", "test")).toBe("OK");
    expect(await errorOf(r.call("FCALL", "test", 0))).toBe("ERR Function not found");
    for (const mode of [[], ["ASYNC"], ["SYNC"]]) {
      await load(libraryCode("test", "test", "return 'hello'"));
      expect(await r.call("FUNCTION", "FLUSH", ...mode)).toBe("OK");
      expect(await r.call("FUNCTION", "LIST")).toEqual([]);
    }
  });

  it("STATS counts libraries and functions", async () => {
    const idle = (libraries: number, functions: number) => [
      "running_script",
      null,
      "engines",
      ["LUA", ["libraries_count", libraries, "functions_count", functions]],
    ];
    expect(await r.call("FUNCTION", "STATS")).toEqual(idle(0, 0));
    await load(
      "#!lua name=test1\nredis.register_function('f1', function() return 1 end)\nredis.register_function('f2', function() return 1 end)",
    );
    await load("#!lua name=test2\nredis.register_function('f3', function() return 1 end)");
    expect(await r.call("FUNCTION", "STATS")).toEqual(idle(2, 3));
    expect(await errorOf(load("#!lua name=test1\nredis.register_function('f4', function() return 1 end)"))).toBe(
      "ERR Library 'test1' already exists",
    );
    await r.call("FUNCTION", "DELETE", "test1");
    expect(await r.call("FUNCTION", "STATS")).toEqual(idle(1, 1));
  });
});

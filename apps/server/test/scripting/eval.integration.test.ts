import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";
import { errorOf, rawReplies, type ScriptMode, scriptModes, sha1hex } from "./scripting.js";

/** EVAL/FCALL basics, KEYS/ARGV, and the errors a script meets (scripting.tcl, both modes). */

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.call("SELECT", "0");
  await r.flushall();
  await r.call("FUNCTION", "FLUSH");
  await r.call("SCRIPT", "FLUSH");
});

describe.each(scriptModes)("$name: running a script", (mode: ScriptMode) => {
  it("replies what the script returns", async () => {
    expect(await mode.run(r, "return 'hello'", 0)).toBe("hello");
  });

  it("fills KEYS and ARGV from the arguments", async () => {
    const body = "return {KEYS[1],KEYS[2],ARGV[1],ARGV[2]}";
    expect(await mode.run(r, body, 2, "a{t}", "b{t}", "c{t}", "d{t}")).toEqual(["a{t}", "b{t}", "c{t}", "d{t}"]);
    expect(await mode.run(r, "return {#KEYS, #ARGV}", 0)).toEqual([0, 0]);
  });

  it("calls Redis commands through redis.call", async () => {
    await r.set("mykey", "myval");
    expect(await mode.run(r, "return redis.call('get',KEYS[1])", 1, "mykey")).toBe("myval");
  });

  it("parses a trailing comment", async () => {
    expect(await mode.run(r, "return 'hello' --trailing comment", 0)).toBe("hello");
  });

  it("runs the DECR_IF_GT example", async () => {
    const body = `
      local current
      current = redis.call('get',KEYS[1])
      if not current then return nil end
      if current > ARGV[1] then
          return redis.call('decr',KEYS[1])
      else
          return redis.call('get',KEYS[1])
      end`;
    await r.set("foo", "5");
    const replies: unknown[] = [];
    for (let i = 0; i < 5; i++) replies.push(await mode.run(r, body, 1, "foo", 2));
    expect(replies).toEqual([4, 3, 2, "2", "2"]);
  });

  it("passes many arguments to a command with unpack", async () => {
    const body = `
      local x={}
      redis.call('del','mylist')
      for i=1,100 do table.insert(x,i) end
      redis.call('rpush','mylist',unpack(x))
      return redis.call('lrange','mylist',0,-1)`;
    expect(await mode.run(r, body, 1, "mylist")).toEqual(Array.from({ length: 100 }, (_, i) => String(i + 1)));
    const massive = "local a = {} for i=1,7999 do a[i] = 1 end return redis.call('lpush', 'l', unpack(a))";
    expect(await mode.run(r, massive, 0)).toBe(7999);
  });

  it("formats Lua numbers passed as arguments with %.17g; command names ignore case", async () => {
    const body =
      "return {redis.call('echo', 1/3), redis.call('ECHO', 3.0), redis.call('EcHo', 0.1), redis.call('echo', 1e20), " +
      "redis.call('echo', 2^53), redis.call('echo', 123456789), redis.call('echo', 1e300)}";
    expect(await mode.run(r, body, 0)).toEqual([
      "0.33333333333333331",
      "3",
      "0.10000000000000001",
      "1e+20",
      "9007199254740992",
      "123456789",
      "1.0000000000000001e+300",
    ]);
  });

  it("keeps integer precision up to 2^53 and long numeric strings intact", async () => {
    const precise = "local value = 9007199254740991 redis.call('set','foo',value) return redis.call('get','foo')";
    expect(await mode.run(r, precise, 1, "foo")).toBe("9007199254740991");
    const text = "redis.call('set', 'key', '12039611435714932082') return redis.call('get', 'key')";
    expect(await mode.run(r, text, 1, "key")).toBe("12039611435714932082");
  });

  it("reuses argv across commands of different lengths", async () => {
    const body = `
      for i = 0, 10 do
        redis.call('SET', 'a{t}', '1')
        redis.call('MGET', 'a{t}', 'b{t}', 'c{t}')
        redis.call('EXPIRE', 'a{t}', 0)
        redis.call('GET', 'a{t}')
        redis.call('MGET', 'a{t}', 'b{t}', 'c{t}')
      end`;
    expect(await mode.run(r, body, 3, "a{t}", "b{t}", "c{t}")).toBeNull();
  });

  it("uses the caller's database, and SELECT inside does not leak out", async () => {
    await r.call("SELECT", "10");
    await r.set("mykey", "this is DB 10");
    expect(await mode.run(r, "return redis.pcall('get',KEYS[1])", 1, "mykey")).toBe("this is DB 10");
    expect(await mode.run(r, "return redis.pcall('select','9')", 0)).toBe("OK");
    expect(await r.get("mykey")).toBe("this is DB 10");
  });

  it("reads and deletes keys that carry a TTL", async () => {
    await r.set("key", "value", "EX", 10);
    const read = "if redis.call('EXISTS', 'key') then return redis.call('GET', 'key') end";
    expect(await mode.run(r, read, 0)).toBe("value");
    expect(await mode.run(r, "redis.call('DEL', 'key') return redis.call('EXISTS', 'key')", 0)).toBe(0);
  });

  it("may run non-deterministic commands before writing", async () => {
    expect(await mode.run(r, "redis.pcall('randomkey'); return redis.pcall('set','x','ciao')", 0)).toBe("OK");
  });

  it("does not leak across 1000 pipelined calls", async () => {
    const c = target.client();
    const pipeline = c.pipeline();
    if (mode.name === "EVAL") {
      for (let i = 0; i < 1000; i++) pipeline.call("EVAL", "return redis.call('incr',KEYS[1])", 1, "x");
      await pipeline.exec();
    } else {
      await mode.run(c, "return redis.call('incr',KEYS[1])", 1, "x");
      for (let i = 0; i < 999; i++) pipeline.call("FCALL", "test", 1, "x");
      await pipeline.exec();
    }
    expect(await r.get("x")).toBe("1000");
    const lua = /used_memory_lua:(\d+)/.exec(await r.info("memory"))?.[1];
    expect(Number(lua)).toBeLessThan(1024 * 100);
  });
});

describe.each(scriptModes)("$name: errors", (mode: ScriptMode) => {
  it("reading an undeclared global fails", async () => {
    expect(await errorOf(mode.run(r, "return a", 0))).toBe(
      `ERR ${mode.place()}: Script attempted to access nonexistent global variable 'a'${mode.errorSuffix("return a")}`,
    );
  });

  it("error() raises a Lua error with its place", async () => {
    const body = "error('boom')";
    expect(await errorOf(mode.run(r, body, 0))).toBe(`ERR ${mode.place()}: boom${mode.errorSuffix(body)}`);
  });

  it("error() of an {err=...} table replies that error as is", async () => {
    const body = "error({err='MYERR x'})";
    expect(await errorOf(mode.run(r, body, 0))).toBe(`MYERR x${mode.errorSuffix(body)}`);
  });

  it("any Lua error value becomes an ERR reply", async () => {
    for (const [body, message] of [
      ["error(42)", `ERR ${mode.place()}: 42`],
      ["error()", "ERR nil"],
      ["error('x', 0)", "ERR x"],
      ["error('x', 2)", "ERR x"],
      ["assert(false)", `ERR ${mode.place()}: assertion failed!`],
      ["assert(false, 'boom')", `ERR ${mode.place()}: boom`],
      ["local x = nil; return x.y", `ERR ${mode.place()}: attempt to index local 'x' (a nil value)`],
      ["return 1 + {}", `ERR ${mode.place()}: attempt to perform arithmetic on a table value`],
      ["error(redis.error_reply('MY x'))", "MY x"],
    ] as const) {
      expect(await errorOf(mode.run(r, body, 0)), body).toBe(`${message}${mode.errorSuffix(body)}`);
    }
  });

  it("errors name the line they come from", async () => {
    const raised = "\nlocal a = 1\nerror('x')";
    expect(await errorOf(mode.run(r, raised, 0))).toBe(`ERR ${mode.place(3)}: x${mode.errorSuffix(raised, 3)}`);
    const called = "\nlocal a = 1\nredis.call('nosuch')";
    expect(await errorOf(mode.run(r, called, 0))).toBe(
      `ERR Unknown Redis command called from script${mode.errorSuffix(called, 3)}`,
    );
  });

  it("Lua's pcall around redis.call catches the error as a string", async () => {
    const body = "local ok, e = pcall(redis.call, 'nosuch') return {tostring(ok), type(e), e}";
    expect(await mode.run(r, body, 0)).toEqual(["false", "string", "ERR Unknown Redis command called from script"]);
  });

  it("redis.call raises unknown commands, wrong arity and command errors", async () => {
    const unknown = "redis.call('nosuchcommand')";
    expect(await errorOf(mode.run(r, unknown, 0))).toBe(
      `ERR Unknown Redis command called from script${mode.errorSuffix(unknown)}`,
    );
    for (const arity of ["redis.call('get','a','b','c')", "redis.call('set','invalid')", "redis.call('incr')"]) {
      expect(await errorOf(mode.run(r, arity, 0))).toBe(
        `ERR Wrong number of args calling Redis command from script${mode.errorSuffix(arity)}`,
      );
    }
    await r.set("foo", "bar");
    const wrongType = "redis.call('lpush',KEYS[1],'val')";
    expect(await errorOf(mode.run(r, wrongType, 1, "foo"))).toBe(
      `WRONGTYPE Operation against a key holding the wrong kind of value${mode.errorSuffix(wrongType)}`,
    );
  });

  it("redis.pcall returns command errors as {err=...} tables", async () => {
    expect(await errorOf(mode.run(r, "return redis.pcall('nosuchcommand')", 0))).toBe(
      "ERR Unknown Redis command called from script",
    );
    await r.set("mykey", "myval");
    const body = "local foo = redis.pcall('incr',KEYS[1]) return {type(foo),foo['err']}";
    expect(await mode.run(r, body, 1, "mykey")).toEqual(["table", "ERR value is not an integer or out of range"]);
  });

  it("redis.call with no arguments fails", async () => {
    const body = "return redis.call()";
    expect(await errorOf(mode.run(r, body, 0))).toBe(
      `ERR Please specify at least one argument for this redis lib call${mode.errorSuffix(body)}`,
    );
  });

  it("command arguments must be strings or numbers", async () => {
    const body = "local x={} return redis.call('ping', x)";
    expect(await errorOf(mode.run(r, body, 0))).toBe(
      `ERR Lua redis lib command arguments must be strings or integers${mode.errorSuffix(body)}`,
    );
    const bool = "return redis.call('echo', true)";
    expect(await errorOf(mode.run(r, bool, 0))).toBe(
      `ERR Lua redis lib command arguments must be strings or integers${mode.errorSuffix(bool)}`,
    );
    expect(await mode.run(r, "return redis.call('ping', 'asdf')", 0)).toBe("asdf");
    expect(await mode.run(r, "return redis.call('echo', 1.5)", 0)).toBe("1.5");
  });

  it("functions of the redis table report wrong arguments", async () => {
    const body = "redis.sha1hex()";
    expect(await errorOf(mode.run(r, body, 0))).toBe(`ERR wrong number of arguments${mode.errorSuffix(body)}`);
  });

  it("refuses commands flagged noscript, checking arity first", async () => {
    for (const call of [
      "redis.call('subscribe','x')",
      "redis.call('blpop','x',0)",
      "redis.call('brpop','empty_list',0)",
      "redis.call('brpoplpush','empty_list1','empty_list2',0)",
      "redis.call('blmove','empty_list1','empty_list2','LEFT','LEFT',0)",
      "redis.call('bzpopmin','empty_zset',0)",
      "redis.call('bzpopmax','empty_zset',0)",
      "redis.call('cluster','reset','hard')",
      "redis.call('multi')",
      "redis.call('eval','return 1',0)",
      "redis.call('client','list')",
      "redis.call('script','load','return 1')",
      "redis.call('function','list')",
      "redis.call('wait',0,0)",
      "redis.call('hello','3')",
      "redis.call('config','set','maxmemory','0')",
    ]) {
      expect(await errorOf(mode.run(r, call, 0)), call).toBe(
        `ERR This Redis command is not allowed from script${mode.errorSuffix(call)}`,
      );
    }
    expect(await errorOf(mode.run(r, "return redis.pcall('blpop','x',0)", 0))).toBe(
      "ERR This Redis command is not allowed from script",
    );
    const noArgs = "redis.call('blpop')";
    expect(await errorOf(mode.run(r, noArgs, 0))).toBe(
      `ERR Wrong number of args calling Redis command from script${mode.errorSuffix(noArgs)}`,
    );
  });

  it("BLMPOP and BZMPOP run without blocking; XREAD/XREADGROUP refuse BLOCK", async () => {
    expect(await mode.run(r, "return redis.call('blmpop',0,1,'nolist','left')", 0)).toBeNull();
    expect(await mode.run(r, "return redis.call('bzmpop',0,1,'nozset','min')", 0)).toBeNull();
    await r.rpush("l", "a", "b");
    expect(await mode.run(r, "return redis.call('blmpop',0,1,KEYS[1],'left')", 1, "l")).toEqual(["l", ["a"]]);
    await r.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    expect(await mode.run(r, "return redis.pcall('xread','STREAMS','s','$')", 1, "s")).toBeNull();
    expect(await mode.run(r, "return redis.pcall('xreadgroup','group','g','c','STREAMS','s','>')", 1, "s")).toBeNull();
    expect(await errorOf(mode.run(r, "return redis.pcall('xread','BLOCK',0,'STREAMS','s','$')", 1, "s"))).toBe(
      "ERR xread command is not allowed with BLOCK option from scripts",
    );
    const group = "return redis.call('xreadgroup','group','g','c','BLOCK',0,'STREAMS','s','>')";
    expect(await errorOf(mode.run(r, group, 1, "s"))).toBe(
      `ERR xreadgroup command is not allowed with BLOCK option from scripts${mode.errorSuffix(group)}`,
    );
  });

  it("a metatable __index that errors or writes is not consulted when replying", async () => {
    const raising = "local a = {}; setmetatable(a,{__index=function() foo() end}) return a";
    expect(await mode.run(r, raising, 0)).toEqual([]);
    const writing = "local a = {}; setmetatable(a,{__index=function() redis.call('set', 'x', '1') end}) return a";
    expect(await mode.run(r, writing, 0)).toEqual([]);
    expect(await r.get("x")).toBeNull();
  });

  it("loading binary chunks is refused", async () => {
    const body = "return loadstring(string.dump(function() return 1 end))()";
    expect(await errorOf(mode.run(r, body, 0))).toBe(
      `ERR ${mode.place()}: attempt to call a nil value${mode.errorSuffix(body)}`,
    );
  });

  it("Lua pcall catches script errors", async () => {
    const ok =
      "local status, res = pcall(function() return 1 end); return 'status: ' .. tostring(status) .. ' result: ' .. res";
    expect(await mode.run(r, ok, 0)).toBe("status: true result: 1");
    const failing =
      "local status, res = pcall(function() return foo end); return 'status: ' .. tostring(status) .. ' result: ' .. res";
    expect(await mode.run(r, failing, 0)).toBe(
      `status: false result: ${mode.place()}: Script attempted to access nonexistent global variable 'foo'`,
    );
  });
});

describe("EVAL only", () => {
  it("checks numkeys", async () => {
    expect(await errorOf(r.call("EVAL", "return 1", 2, "a"))).toBe(
      "ERR Number of keys can't be greater than number of args",
    );
    expect(await errorOf(r.call("EVAL", "return 'hello'", -12))).toBe("ERR Number of keys can't be negative");
    expect(await errorOf(r.call("EVAL", "return 1", "abc"))).toBe("ERR value is not an integer or out of range");
    expect(await errorOf(r.call("EVAL", "return 1"))).toBe("ERR wrong number of arguments for 'eval' command");
  });

  it("accepts an empty script and extra arguments", async () => {
    expect(await r.call("EVAL", "", 0)).toBeNull();
    expect(await r.call("EVAL", "return ARGV[1]", 0, "extra")).toBe("extra");
    expect(await errorOf(r.call("EVAL", "return 1", "99999999999999999999"))).toBe(
      "ERR value is not an integer or out of range",
    );
  });

  it("reports compile errors without running anything", async () => {
    expect(await errorOf(r.call("EVAL", "\n#!lua\nreturn 1", 0))).toBe(
      "ERR Error compiling script (new function): user_script:2: unexpected symbol near '#'",
    );
    expect(await errorOf(r.call("EVAL", "return x(", 0))).toBe(
      "ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'",
    );
  });

  it("EVAL_RO runs reads and refuses writes", async () => {
    await r.set("foo", "bar");
    expect(await r.call("EVAL_RO", "return redis.call('get', KEYS[1]);", 1, "foo")).toBe("bar");
    const body = "redis.call('del', KEYS[1]);";
    expect(await errorOf(r.call("EVAL_RO", body, 1, "foo"))).toBe(
      `ERR Write commands are not allowed from read-only scripts. script: ${sha1hex(body)}, on @user_script:1.`,
    );
    const pcall = "return redis.pcall('set','x','y')";
    expect(await errorOf(r.call("EVAL_RO", pcall, 1, "x"))).toBe(
      "ERR Write commands are not allowed from read-only scripts.",
    );
    expect(await r.get("foo")).toBe("bar");
  });

  it("redis.error_reply and redis.status_reply build replies", async () => {
    const replies = await rawReplies(
      target.port,
      [
        ["EVAL", "return redis.error_reply('MY_ERR_CODE custom msg')", 0],
        ["EVAL", "return redis.error_reply('')", 0],
        ["EVAL", "return redis.error_reply('-MY x')", 0],
        ["EVAL", "return {err='no code here'}", 0],
        ["EVAL", "return redis.status_reply('MY_OK_CODE custom msg')", 0],
        ["EVAL", "return {ok=''}", 0],
      ],
      "-MY_ERR_CODE custom msg\r\n-ERR \r\n-MY x\r\n-no code here\r\n+MY_OK_CODE custom msg\r\n+\r\n",
    );
    expect(replies).toBe(
      "-MY_ERR_CODE custom msg\r\n-ERR \r\n-MY x\r\n-no code here\r\n+MY_OK_CODE custom msg\r\n+\r\n",
    );
  });

  it("SORT replies are not re-ordered, except SORT BY a constant", async () => {
    await r.sadd("myset", 1, 2, 3, 4, 10);
    expect(await r.call("EVAL", "return redis.call('sort',KEYS[1],'desc')", 1, "myset")).toEqual([
      "10",
      "4",
      "3",
      "2",
      "1",
    ]);
    const letters = "a b c d e f g h i l m n o p q r s t u v z aa aaa azz".split(" ");
    await r.sadd("letters", ...letters);
    expect(await r.call("EVAL", "return redis.call('sort',KEYS[1],'by','_')", 1, "letters")).toEqual(
      [...letters].sort(),
    );
    await r.sadd("abc", "a", "b", "c");
    expect(await r.call("EVAL", "return redis.call('sort',KEYS[1],'by','_','get','#','get','_:*')", 1, "abc")).toEqual([
      "a",
      null,
      "b",
      null,
      "c",
      null,
    ]);
  });
});

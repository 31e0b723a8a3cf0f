import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rawExchange } from "../utils/raw.js";
import { useTarget } from "../utils/target.js";
import { encodeCommand, rawReplies, resp3Replies, type ScriptMode, scriptModes } from "./scripting.js";

/** Lua → RESP (RESP2 and RESP3 clients) and RESP → Lua (redis.setresp 2 and 3) conversions. */

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});

/** The replies, as raw RESP, to EVAL of each script with no keys. */
const evalEach = (...scripts: string[]) => scripts.map((s) => ["EVAL", s, 0]);

describe("Lua → RESP2", () => {
  it("numbers truncate to integers, booleans become 1 and nil", async () => {
    const expected = ":100\r\n:-100\r\n:0\r\n:1\r\n$-1\r\n$-1\r\n$0\r\n\r\n$11\r\nhello world\r\n";
    const replies = await rawReplies(
      target.port,
      evalEach(
        "return 100.5",
        "return -100.9",
        "return -0.5",
        "return true",
        "return false",
        "return nil",
        "return ''",
        "return 'hello world'",
      ),
      expected,
    );
    expect(replies).toBe(expected);
  });

  it("{ok=...} is a status, {err=...} an error (err wins over ok)", async () => {
    const expected = "+fine\r\n-ERR this is an error\r\n-x\r\n";
    const replies = await rawReplies(
      target.port,
      evalEach("return {ok='fine'}", "return {err='ERR this is an error'}", "return {err='x',ok='y'}"),
      expected,
    );
    expect(replies).toBe(expected);
  });

  it("tables become arrays, nested, stopping at the first nil; false inside is a null", async () => {
    const expected =
      "*5\r\n:1\r\n:2\r\n:3\r\n$4\r\nciao\r\n*2\r\n:1\r\n:2\r\n" +
      "*2\r\n:1\r\n:2\r\n*3\r\n:1\r\n$-1\r\n:3\r\n*3\r\n:1\r\n:1\r\n:3\r\n*0\r\n*1\r\n*0\r\n*0\r\n";
    const replies = await rawReplies(
      target.port,
      evalEach(
        "return {1,2,3,'ciao',{1,2}}",
        "return {1,2,nil,4}",
        "return {1,false,3}",
        "return {1,true,3}",
        "return {a=1,b=2}",
        "return {{}}",
        "return _G",
      ),
      expected,
    );
    expect(replies).toBe(expected);
  });

  it("RESP3-only tables fall back to RESP2 shapes", async () => {
    const expected =
      "$18\r\n3.1400000000000001\r\n*2\r\n$1\r\na\r\n:1\r\n*1\r\n$1\r\na\r\n$3\r\n123\r\n$2\r\nhi\r\n$8\r\n123  123\r\n";
    const replies = await rawReplies(
      target.port,
      evalEach(
        "return {double=3.14}",
        "return {map={a=1}}",
        "return {set={a=true}}",
        "return {big_number='123'}",
        "return {verbatim_string={format='txt',string='hi'}}",
        "return {big_number='123\\r\\n123'}",
      ),
      expected,
    );
    expect(replies).toBe(expected);
  });

  it("strings, KEYS and ARGV are binary safe", async () => {
    const reply = await r.callBuffer(
      "EVAL",
      "return {KEYS[1], ARGV[1], '\\0\\1ab'}",
      1,
      Buffer.from("a\0b"),
      Buffer.from([0xff, 0]),
    );
    expect(reply).toEqual([Buffer.from("a\0b"), Buffer.from([0xff, 0]), Buffer.from("\0\u0001ab")]);
  });

  it("a number beyond the 64-bit range, or NaN, converts like C's double → long long cast on x86-64", async () => {
    const expected = ":-9223372036854775808\r\n".repeat(3);
    const replies = await rawReplies(target.port, evalEach("return 1e20", "return -1e20", "return 0/0"), expected);
    expect(replies).toBe(expected);
  });

  it("a self-referencing table stops at the Lua stack limit and the connection survives", async () => {
    const { text } = await rawExchange(
      target.port,
      encodeCommand(["EVAL", "local a = {}; local b = {a}; a[1] = b; return a", 0]) + encodeCommand(["PING"]),
      { until: (t) => t.endsWith("+PONG\r\n"), timeoutMs: 5000 },
    );
    const lines = text.split("\r\n");
    const error = lines.indexOf("-ERR reached lua stack limit");
    // Redis 7.0.15 on x86-64 nests 7995 arrays before giving up; the depth follows from Lua's C stack limit.
    expect(error).toBeGreaterThan(1000);
    expect(lines.slice(0, error).every((line) => line === "*1")).toBe(true);
    expect(lines.slice(error + 1)).toEqual(["+PONG", ""]);
  });
});

describe("Lua → RESP3", () => {
  it("booleans, nil and RESP3 tables keep their types; false is a null", async () => {
    const expected =
      ":100\r\n:1\r\n_\r\n_\r\n,3.1400000000000001\r\n%1\r\n$1\r\na\r\n:1\r\n~1\r\n$1\r\na\r\n(123\r\n" +
      "(123  123\r\n=6\r\ntxt:hi\r\n*1\r\n:1\r\n,0.10000000000000001\r\n,inf\r\n,-inf\r\n*0\r\n*3\r\n:1\r\n_\r\n:3\r\n";
    const replies = await resp3Replies(
      target.port,
      evalEach(
        "return 100.5",
        "return true",
        "return false",
        "return nil",
        "return {double=3.14}",
        "return {map={a=1}}",
        "return {set={a=true}}",
        "return {big_number='123'}",
        "return {big_number='123\\r\\n123'}",
        "return {verbatim_string={format='txt',string='hi'}}",
        "return {1,nil,3}",
        "return {double=0.1}",
        "return {double=1/0}",
        "return {double=-1/0}",
        "return {double='abc'}",
        "return {1,false,3}",
      ),
      expected,
    );
    expect(replies).toBe(expected);
  });
});

describe.each(scriptModes)("$name: RESP → Lua", (mode: ScriptMode) => {
  it("integers, bulks, arrays, statuses, errors and nil", async () => {
    await r.set("x", "0");
    expect(await mode.run(r, "local foo = redis.pcall('incr',KEYS[1]) return {type(foo),foo}", 1, "x")).toEqual([
      "number",
      1,
    ]);
    await r.set("mykey", "myval");
    expect(await mode.run(r, "local foo = redis.pcall('get',KEYS[1]) return {type(foo),foo}", 1, "mykey")).toEqual([
      "string",
      "myval",
    ]);
    await r.rpush("mylist", "a", "b", "c");
    const list = "local foo = redis.pcall('lrange',KEYS[1],0,-1) return {type(foo),foo[1],foo[2],foo[3],# foo}";
    expect(await mode.run(r, list, 1, "mylist")).toEqual(["table", "a", "b", "c", 3]);
    const status = "local foo = redis.pcall('set',KEYS[1],'myval') return {type(foo),foo['ok']}";
    expect(await mode.run(r, status, 1, "mykey")).toEqual(["table", "OK"]);
    const error = "local foo = redis.pcall('incr',KEYS[1]) return {type(foo),foo['err']}";
    expect(await mode.run(r, error, 1, "mykey")).toEqual(["table", "ERR value is not an integer or out of range"]);
    await r.del("mykey");
    const nil = "local foo = redis.pcall('get',KEYS[1]) return {type(foo),foo == false}";
    expect(await mode.run(r, nil, 1, "mykey")).toEqual(["boolean", 1]);
  });

  it("redis.setresp(3) shows maps, sets, doubles, verbatim strings and nulls", async () => {
    await r.hset("h", "f", "v");
    await r.sadd("s", "a");
    await r.zadd("z", 1.5, "m");
    const map = "redis.setresp(3) local m = redis.call('hgetall','h') return {type(m), type(m.map), m.map.f}";
    expect(await mode.run(r, map, 0)).toEqual(["table", "table", "v"]);
    const set = "redis.setresp(3) local m = redis.call('smembers','s') return {type(m.set), tostring(m.set.a)}";
    expect(await mode.run(r, set, 0)).toEqual(["table", "true"]);
    const double =
      "redis.setresp(3) local d = redis.call('zscore','z','m') return {type(d.double), tostring(d.double)}";
    expect(await mode.run(r, double, 0)).toEqual(["number", "1.5"]);
    const info = "redis.setresp(3) local i = redis.call('info','server') return i.verbatim_string.format";
    expect(await mode.run(r, info, 0)).toBe("txt");
    expect(await mode.run(r, "redis.setresp(3) return type(redis.call('get','nokey'))", 0)).toBe("nil");
    expect(await mode.run(r, "redis.setresp(2) return type(redis.call('get','nokey'))", 0)).toBe("boolean");
  });

  it("redis.setresp accepts only 2 or 3", async () => {
    const four = "redis.setresp(4)";
    expect(await r.call("EVAL", "redis.setresp('3')", 0)).toBeNull();
    await expect(mode.run(r, four, 0)).rejects.toThrow(`ERR RESP version must be 2 or 3.${mode.errorSuffix(four)}`);
    const none = "redis.setresp()";
    await expect(mode.run(r, none, 0)).rejects.toThrow(
      `ERR redis.setresp() requires one argument.${mode.errorSuffix(none)}`,
    );
  });
});

describe("Script with RESP3 map (scripting.tcl)", () => {
  it("a RESP3 client sees a map only when the script also speaks RESP3", async () => {
    await r.hset("hash", "field", "value");
    const run = (resp: number) => ["EVAL", `redis.setresp(${resp}); return redis.call('hgetall', KEYS[1])`, 1, "hash"];
    const map = "%1\r\n$5\r\nfield\r\n$5\r\nvalue\r\n";
    const flat = "*2\r\n$5\r\nfield\r\n$5\r\nvalue\r\n";
    expect(await resp3Replies(target.port, [run(3), run(2)], map + flat)).toBe(map + flat);
    expect(await rawReplies(target.port, [run(3), run(2)], flat + flat)).toBe(flat + flat);
  });

  it("doubles and sets from commands reach a RESP3 client through a RESP3 script", async () => {
    await r.zadd("z", 1.5, "m");
    await r.sadd("s", "a");
    const expected = ",1.5\r\n~1\r\n$1\r\na\r\n$3\r\n1.5\r\n*1\r\n$1\r\na\r\n";
    const replies = await resp3Replies(
      target.port,
      evalEach(
        "redis.setresp(3) return redis.call('zscore','z','m')",
        "redis.setresp(3) return redis.call('smembers','s')",
        "return redis.call('zscore','z','m')",
        "return redis.call('smembers','s')",
      ),
      expected,
    );
    expect(replies).toBe(expected);
  });
});

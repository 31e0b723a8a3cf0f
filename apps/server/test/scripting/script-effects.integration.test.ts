import type { Redis } from "ioredis";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";
import { errorOf, evalErrorSuffix, libraryCode, rawReplies, sha1hex, sleep, waitUntil } from "./scripting.js";

/** Scripts among the rest of the server: transactions, WATCH, maxmemory, INFO, stats and expiry. */

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
  await r.call("FUNCTION", "FLUSH");
  await r.call("CONFIG", "RESETSTAT");
});
afterEach(async () => {
  await r.call("CONFIG", "SET", "maxmemory", "0");
  await r.call("CONFIG", "SET", "min-replicas-to-write", "0");
});

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

describe("transactions", () => {
  it("EVAL and EVALSHA queue in MULTI; their errors stay inside EXEC's reply", async () => {
    const incr = "return redis.call('incr',KEYS[1])";
    const nosuch = "return redis.call('nosuch')";
    const expected =
      "+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*4\r\n:1\r\n" +
      `-ERR Unknown Redis command called from script${evalErrorSuffix(nosuch)}\r\n` +
      "-NOSCRIPT No matching script. Please use EVAL.\r\n-ERR value is not an integer or out of range\r\n";
    const replies = await rawReplies(
      target.port,
      [
        ["MULTI"],
        ["EVAL", incr, 1, "c"],
        ["EVAL", nosuch, 0],
        ["EVALSHA", "ffd632c7d33e571e9f24556ebed26c3479a87130", 0],
        ["EVAL", "return 1", "x"],
        ["EXEC"],
      ],
      expected,
    );
    expect(replies).toBe(expected);
  });

  it("a wrong-arity EVAL aborts the transaction", async () => {
    const expected =
      "+OK\r\n-ERR wrong number of arguments for 'eval' command\r\n-EXECABORT Transaction discarded because of previous errors.\r\n";
    expect(await rawReplies(target.port, [["MULTI"], ["EVAL", "return 1"], ["EXEC"]], expected)).toBe(expected);
  });

  it("SCRIPT FLUSH inside MULTI drops scripts loaded before it", async () => {
    const sha = sha1hex("return 7");
    const expected = `+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*4\r\n$40\r\n${sha}\r\n+OK\r\n-NOSCRIPT No matching script. Please use EVAL.\r\n$40\r\n${sha}\r\n`;
    const replies = await rawReplies(
      target.port,
      [
        ["MULTI"],
        ["SCRIPT", "LOAD", "return 7"],
        ["SCRIPT", "FLUSH"],
        ["EVALSHA", sha, 0],
        ["SCRIPT", "LOAD", "return 7"],
        ["EXEC"],
      ],
      expected,
    );
    expect(replies).toBe(expected);
    expect(await r.call("EVALSHA", sha, 0)).toBe(7);
  });

  it("a script's write touches WATCHed keys and aborts the watcher's EXEC", async () => {
    const watcher = target.client();
    await watcher.watch("w");
    await r.call("EVAL", "return redis.call('set',KEYS[1],'by script')", 1, "w");
    const exec = await watcher.multi().set("w", "by watcher").exec();
    expect(exec).toBeNull();
    expect(await r.get("w")).toBe("by script");
  });

  it("a read-only script does not abort the watcher", async () => {
    const watcher = target.client();
    await watcher.watch("w");
    await r.call("EVAL", "return redis.call('get',KEYS[1])", 1, "w");
    expect(await watcher.multi().set("w", "by watcher").exec()).toEqual([[null, "OK"]]);
  });
});

describe("what other clients see", () => {
  it("SELECT inside a script switches the database for the rest of that script only", async () => {
    const body = "redis.call('select','1') redis.call('set',KEYS[1],'in db 1') return redis.call('get',KEYS[1])";
    expect(await r.call("EVAL", body, 1, "k1")).toBe("in db 1");
    expect(await r.get("k1")).toBeNull();
    const db1 = target.client({ db: 1 });
    expect(await db1.get("k1")).toBe("in db 1");
  });

  it("PUBLISH and keyspace events from a script reach subscribers", async () => {
    await r.call("CONFIG", "SET", "notify-keyspace-events", "KA");
    try {
      const subscriber = target.client();
      const messages: string[] = [];
      subscriber.on("message", (channel: string, message: string) => messages.push(`${channel} ${message}`));
      await subscriber.subscribe("ch", "__keyspace@0__:k");
      await r.call("EVAL", "redis.call('set',KEYS[1],'v') return redis.call('publish','ch','hi')", 1, "k");
      await waitUntil(async () => messages.length >= 2, 3000, "two messages");
      expect(messages).toEqual(["__keyspace@0__:k set", "ch hi"]);
    } finally {
      await r.call("CONFIG", "SET", "notify-keyspace-events", "");
    }
  });

  it("MONITOR shows the script, then each command it runs as coming from lua", async () => {
    const monitor = await target.client().monitor();
    const seen: string[] = [];
    monitor.on("monitor", (_time: string, args: string[], source: string, database: string) =>
      seen.push(`[${database} ${source === "lua" ? "lua" : "client"}] ${args.join(" ")}`),
    );
    await r.call(
      "EVAL",
      "redis.call('set',KEYS[1],'v') redis.call('select','1') return redis.call('get',KEYS[1])",
      1,
      "k",
    );
    await r.ping();
    await waitUntil(async () => seen.some((line) => line.endsWith("ping")), 3000, "the PING after the script");
    expect(seen).toEqual([
      "[0 client] EVAL redis.call('set',KEYS[1],'v') redis.call('select','1') return redis.call('get',KEYS[1]) 1 k",
      "[0 lua] set k v",
      "[1 lua] select 1",
      "[1 lua] get k",
      "[0 client] ping",
    ]);
    monitor.disconnect();
  });
});

describe("maxmemory", () => {
  beforeEach(async () => {
    await r.set("x", "123");
    await r.call("FUNCTION", "LOAD", libraryCode("w", "w", "return redis.call('set', 'x', '1')"));
    await r.call("FUNCTION", "LOAD", libraryCode("ro", "ro", "return 'hello'", ["no-writes"]));
    await r.call("FUNCTION", "LOAD", libraryCode("oom", "oom", "return redis.call('set', 'x', '1')", ["allow-oom"]));
    await r.call("CONFIG", "SET", "maxmemory", "1");
  });

  it("a script without shebang runs, but its denyoom commands fail with OOM", async () => {
    const write = "return redis.call('set','x','y')";
    expect(await errorOf(r.call("EVAL", write, 1, "x"))).toBe(`${OOM}${evalErrorSuffix(write)}`);
    const pcall = "local t = redis.pcall('set','x','y') return t['err']";
    expect(await r.call("EVAL", pcall, 1, "x")).toBe(OOM);
    expect(await errorOf(r.call("EVAL", "return redis.pcall('set','x','y')", 1, "x"))).toBe(OOM);
    expect(await r.call("EVAL", "return redis.call('get','x')", 1, "x")).toBe("123");
    expect(await r.call("EVAL_RO", "return redis.call('get','x')", 1, "x")).toBe("123");
  });

  it("a shebang script is refused up front unless allow-oom or no-writes", async () => {
    expect(await errorOf(r.call("EVAL", "#!lua flags=\nreturn 1", 0))).toBe(OOM);
    expect(await errorOf(r.call("EVAL", "#!lua\nreturn 1", 0))).toBe(OOM);
    expect(await r.call("EVAL", "#!lua flags=allow-oom\nredis.call('set','x',1)\nreturn 1", 1, "x")).toBe(1);
    expect(await r.call("EVAL", "#!lua flags=no-writes\nreturn redis.call('get','x')", 0)).toBe("1");
    expect(await r.call("EVAL_RO", "#!lua flags=no-writes\nreturn redis.call('get','x')", 1, "x")).toBe("1");
    for (let i = 0; i < 50; i++) expect(await errorOf(r.call("EVAL", "#!lua\nreturn 1", 0))).toBe(OOM);
    await r.call("CONFIG", "SET", "maxmemory", "0");
    expect(await r.call("EVAL", "#!lua\nreturn 1", 0)).toBe(1);
  });

  it("functions are refused unless no-writes or allow-oom; FUNCTION LOAD and RESTORE are refused", async () => {
    expect(await errorOf(r.call("FCALL", "w", 1, "k"))).toBe(OOM);
    expect(await r.call("FCALL", "ro", 1, "k")).toBe("hello");
    expect(await r.call("FCALL_RO", "ro", 1, "k")).toBe("hello");
    expect(await r.call("FCALL", "oom", 1, "x")).toBe("OK");
    expect(await r.get("x")).toBe("1");
    expect(await errorOf(r.call("FUNCTION", "LOAD", libraryCode("more", "more", "return 1")))).toBe(OOM);
    const payload = (await r.callBuffer("FUNCTION", "DUMP")) as Buffer;
    await r.call("FUNCTION", "FLUSH");
    expect(await errorOf(r.call("FUNCTION", "RESTORE", payload))).toBe(OOM);
  });
});

describe("min-replicas-to-write without replicas", () => {
  it("reads run; shebang scripts and writes get NOREPLICAS", async () => {
    await r.set("x", "some value");
    await r.call("CONFIG", "SET", "min-replicas-to-write", "1");
    expect(await r.call("EVAL", "#!lua flags=no-writes\nreturn redis.call('get','x')", 1, "x")).toBe("some value");
    expect(await r.call("EVAL", "return redis.call('get','x')", 1, "x")).toBe("some value");
    expect(await errorOf(r.call("EVAL", "#!lua\nreturn redis.call('get','x')", 1, "x"))).toBe(
      "NOREPLICAS Not enough good replicas to write.",
    );
    const write = "return redis.call('set','x',1)";
    expect(await errorOf(r.call("EVAL", write, 1, "x"))).toBe(
      `NOREPLICAS Not enough good replicas to write.${evalErrorSuffix(write)}`,
    );
    expect(await errorOf(r.call("EVAL", "return redis.pcall('set','x',1)", 1, "x"))).toBe(
      "NOREPLICAS Not enough good replicas to write.",
    );
    expect(await r.get("x")).toBe("some value");
  });
});

describe("error and command statistics", () => {
  const stat = async (section: string, name: string) =>
    new RegExp(`^${name}:(.*)$`, "m").exec(await r.info(section))?.[1]?.trim();

  it("a rejected command inside a script counts as rejected, the script as failed", async () => {
    await r.call("CONFIG", "SET", "maxmemory", "1");
    await errorOf(r.call("EVAL", "return redis.call('set','x','y')", 1, "x"));
    expect(await stat("errorstats", "errorstat_OOM")).toBe("count=1");
    expect(await stat("stats", "total_error_replies")).toBe("1");
    expect(await stat("commandstats", "cmdstat_set")).toMatch(/calls=0,.*rejected_calls=1,failed_calls=0/);
    expect(await stat("commandstats", "cmdstat_eval")).toMatch(/calls=1,.*rejected_calls=0,failed_calls=1/);
  });

  it("an error caught by redis.pcall counts once, and the script does not fail", async () => {
    expect(await r.call("EVAL", "local t = redis.pcall('select',99) return t['err']", 0)).toBe(
      "ERR DB index is out of range",
    );
    expect(await stat("errorstats", "errorstat_ERR")).toBe("count=1");
    expect(await stat("stats", "total_error_replies")).toBe("1");
    expect(await stat("commandstats", "cmdstat_select")).toMatch(/calls=1,.*rejected_calls=0,failed_calls=1/);
    expect(await stat("commandstats", "cmdstat_eval")).toMatch(/calls=1,.*rejected_calls=0,failed_calls=0/);
  });

  it("redis.error_reply counts under its own code; status_reply counts nothing", async () => {
    expect(await errorOf(r.call("EVAL", "return redis.error_reply('MY_ERR_CODE custom msg')", 0))).toBe(
      "MY_ERR_CODE custom msg",
    );
    expect(await stat("errorstats", "errorstat_MY_ERR_CODE")).toBe("count=1");
    await r.call("EVAL", "return redis.status_reply('MY_OK_CODE custom msg')", 0);
    expect(await stat("stats", "total_error_replies")).toBe("1");
  });

  it("a WRONGTYPE raised through redis.call counts once", async () => {
    await r.set("Sicily", "1");
    const geoadd = "return redis.call('GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo')";
    expect(await errorOf(r.call("EVAL", geoadd, 1, "x"))).toBe(
      `WRONGTYPE Operation against a key holding the wrong kind of value${evalErrorSuffix(geoadd)}`,
    );
    expect(await stat("errorstats", "errorstat_WRONGTYPE")).toBe("count=1");
    expect(await stat("stats", "total_error_replies")).toBe("1");
    expect(await stat("commandstats", "cmdstat_geoadd")).toMatch(/calls=1,.*failed_calls=1/);
  });
});

describe("INFO and expiry", () => {
  it("INFO memory reports the Lua and script memory fields", async () => {
    await r.call("SCRIPT", "FLUSH");
    await r.call("EVAL", "return 1", 0);
    await r.call("FUNCTION", "LOAD", libraryCode("lib", "f", "return 1"));
    const info = await r.info("memory");
    for (const field of [
      "used_memory_lua",
      "used_memory_vm_eval",
      "used_memory_lua_human",
      "used_memory_scripts_eval",
      "used_memory_vm_functions",
      "used_memory_vm_total",
      "used_memory_vm_total_human",
      "used_memory_functions",
      "used_memory_scripts",
      "used_memory_scripts_human",
    ]) {
      expect(info, field).toMatch(new RegExp(`\\r\\n${field}:\\S+\\r\\n`));
    }
    expect(info).toContain("\r\nnumber_of_cached_scripts:1\r\n");
    expect(info).toContain("\r\nnumber_of_functions:1\r\n");
  });

  it("keys do not expire while a script runs, though TIME moves on", async () => {
    const body = `
      redis.call('SET','key','value','PX',1)
      local t = redis.call('TIME')
      local i = 0
      while i < 3000000 do i = i + 1 end
      local t2 = redis.call('TIME')
      return {redis.call('EXISTS','key'), t[1] ~= t2[1] or t[2] ~= t2[2]}`;
    expect(await r.call("EVAL", body, 0)).toEqual([1, 1]);
    expect(await r.exists("key")).toBe(0);
  });

  it("a script does not see a key whose TTL passed", async () => {
    await r.set("key", "value", "PX", 1);
    await sleep(10);
    expect(await r.call("EVAL", "return redis.call('EXISTS', 'key')", 0)).toBe(0);
    expect(await r.exists("key")).toBe(0);
  });

  it("FUNCTION FLUSH and SCRIPT FLUSH leave the keyspace alone", async () => {
    await r.call("FUNCTION", "LOAD", libraryCode("setter", "setter", "return redis.call('set', KEYS[1], ARGV[1])"));
    await r.call("FCALL", "setter", 1, "k", "v");
    await r.call("EVAL", "return redis.call('set', KEYS[1], ARGV[1])", 1, "e", "w");
    await r.call("SCRIPT", "FLUSH");
    await r.call("FUNCTION", "FLUSH");
    expect(await r.mget("k", "e")).toEqual(["v", "w"]);
    expect(await errorOf(r.call("FCALL", "setter", 1, "k", "v"))).toBe("ERR Function not found");
  });
});

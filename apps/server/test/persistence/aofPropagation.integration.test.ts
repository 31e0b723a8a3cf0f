import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aofFiles, propagatedBy, removeDir, type ServerProcess, startInDir, tempDir } from "./aofProcess.js";

/**
 * What reaches the AOF, read from the incremental file after a script of commands (Redis's
 * `call()` → `propagatePendingCommands` → `feedAppendOnlyFile`): relative times made absolute,
 * non-deterministic commands as their effects, expiries as DEL, SELECT when the database
 * changes, MULTI/EXEC around a unit of several writes. Every expectation holds on real Redis.
 */
const dir = tempDir("nedis-aof-prop-");
let server: ServerProcess;

beforeAll(async () => {
  server = (await startInDir(dir, ["--appendfsync", "always"]))!;
  expect(server).not.toBeNull();
});
afterAll(async () => {
  await server?.stop();
  removeDir(dir);
});

/** Runs `script`, then returns what it appended to the incr file. */
const propagated = (script: (c: ServerProcess["client"]) => Promise<unknown>) => propagatedBy(server, dir, script);

describe("AOF propagation (t_string.c, expire.c, t_set.c, t_list.c, t_zset.c, t_hash.c, multi.c)", () => {
  it("uses the multi-part layout: manifest, base and incr files named as Redis 7.0", () => {
    const files = aofFiles(dir);
    expect(files).toContain("appendonly.aof.manifest");
    expect(files).toContain("appendonly.aof.1.incr.aof");
    expect(files.some((f) => /^appendonly\.aof\.1\.base\.(rdb|aof)$/.test(f))).toBe(true);
  });

  it("SET EX / SETEX / PSETEX propagate as SET … PXAT; SET GET without GET; GETSET as SET", async () => {
    const out = await propagated(async (c) => {
      await c.set("a", "1", "EX", 100);
      await c.setex("b", 100, "v");
      await c.psetex("c", 100000, "v");
      await c.call("SET", "a", "2", "GET");
      await c.getset("a", "3");
      await c.set("plain", "x");
    });
    expect(out).toEqual([
      ["SET", "a", "1", "PXAT", "<ms>"],
      ["SET", "b", "v", "PXAT", "<ms>"],
      ["SET", "c", "v", "PXAT", "<ms>"],
      ["SET", "a", "2"],
      ["SET", "a", "3"],
      ["set", "plain", "x"],
    ]);
  });

  it("EXPIRE family → PEXPIREAT (flags kept), in the past → DEL; GETEX → PEXPIREAT / PERSIST / DEL; GETDEL → DEL", async () => {
    const out = await propagated(async (c) => {
      await c.set("k", "v");
      await c.expire("k", 100);
      await c.call("PEXPIRE", "k", "200000", "GT");
      await c.pexpireat("k", 99999999999999);
      await c.call("GETEX", "k", "PX", "5000");
      await c.call("GETEX", "k", "PERSIST");
      await c.call("GETEX", "k", "PERSIST");
      await c.getdel("k");
      await c.set("k", "v");
      await c.expire("k", -1);
    });
    expect(out).toEqual([
      ["set", "k", "v"],
      ["PEXPIREAT", "k", "<ms>"],
      ["PEXPIREAT", "k", "<ms>", "GT"],
      ["pexpireat", "k", "99999999999999"],
      ["PEXPIREAT", "k", "<ms>"],
      ["PERSIST", "k"],
      ["DEL", "k"],
      ["set", "k", "v"],
      ["DEL", "k"],
    ]);
  });

  it("INCRBYFLOAT → SET … KEEPTTL, HINCRBYFLOAT → HSET, SPOP → SREM / DEL", async () => {
    const out = await propagated(async (c) => {
      await c.incrbyfloat("f", 1.5);
      await c.hincrbyfloat("h", "x", 2.5);
      await c.sadd("s", "only");
      await c.spop("s");
      await c.sadd("s", "a", "b");
      await c.spop("s", 5);
    });
    expect(out).toEqual([
      ["SET", "f", "1.5", "KEEPTTL"],
      ["HSET", "h", "x", "2.5"],
      ["sadd", "s", "only"],
      ["SREM", "s", "only"],
      ["sadd", "s", "a", "b"],
      ["DEL", "s"],
    ]);
  });

  it("SPOP with a count below the size: one SREM per member inside MULTI/EXEC", async () => {
    const out = await propagated(async (c) => {
      await c.sadd("s3", "1", "2", "3", "4", "5");
      await c.spop("s3", 2);
    });
    expect(out.length).toBe(5);
    expect(out[1]).toEqual(["MULTI"]);
    expect(out[2]![0]).toBe("SREM");
    expect(out[3]![0]).toBe("SREM");
    expect(out[4]).toEqual(["EXEC"]);
  });

  it("list and zset pops propagate as LPOP/RPOP/ZPOPMIN/ZPOPMAX with the popped count", async () => {
    const out = await propagated(async (c) => {
      await c.rpush("l", "a", "b", "c", "d");
      await c.call("LMPOP", "2", "none", "l", "LEFT", "COUNT", "3");
      await c.call("BLMPOP", "0", "1", "l", "RIGHT", "COUNT", "5");
      await c.rpush("l", "x");
      await c.blpop("l", 0);
      await c.zadd("z", 1, "a", 2, "b", 3, "c");
      await c.call("ZMPOP", "1", "z", "MAX", "COUNT", "2");
      await c.call("BZPOPMIN", "z", "0");
    });
    expect(out).toEqual([
      ["rpush", "l", "a", "b", "c", "d"],
      ["LPOP", "l", "3"],
      ["RPOP", "l", "1"],
      ["rpush", "l", "x"],
      ["LPOP", "l"],
      ["zadd", "z", "1", "a", "2", "b", "3", "c"],
      ["ZPOPMAX", "z", "2"],
      ["ZPOPMIN", "z"],
    ]);
  });

  it("a blocked pop served later is its own unit after the push; BLMOVE served names the ends", async () => {
    const waiter = server.client.duplicate();
    try {
      const out = await propagated(async (c) => {
        const popped = waiter.blpop("bl", 0);
        await waitBlocked(c);
        await c.rpush("bl", "x", "y");
        await popped;
        const moved = waiter.blmove("src", "dst", "LEFT", "RIGHT", 0);
        await waitBlocked(c);
        await c.rpush("src", "m");
        await moved;
      });
      expect(out).toEqual([
        ["rpush", "bl", "x", "y"],
        ["LPOP", "bl"],
        ["rpush", "src", "m"],
        ["LMOVE", "src", "dst", "left", "right"],
      ]);
    } finally {
      waiter.disconnect();
    }
  });

  it("MULTI/EXEC: several writes wrapped, a single write alone; SELECT when the db changes", async () => {
    const out = await propagated(async (c) => {
      await c.multi().set("x", "1").incr("x").get("x").exec();
      await c.multi().set("y", "1").get("y").exec();
      await c.select(3);
      await c.set("in3", "v");
      await c.select(0);
    });
    expect(out).toEqual([
      ["MULTI"],
      ["set", "x", "1"],
      ["incr", "x"],
      ["EXEC"],
      ["set", "y", "1"],
      ["SELECT", "3"],
      ["set", "in3", "v"],
    ]);
  });

  it("an expired key propagates as DEL (lazy and active expiry); FLUSHDB always propagates", async () => {
    const out = await propagated(async (c) => {
      await c.set("e", "1", "PX", 1);
      await sleep(20);
      await c.get("e");
      await c.set("e2", "1", "PX", 1);
      // The active cycle finds it (Redis's activeExpireCycle runs every 100 ms).
      await waitFor(async () => (await c.dbsize()) === 0 || (await c.exists("e2")) === 0, 3000);
      await c.select(7);
      await c.flushdb();
      await c.select(0);
    });
    expect(out.slice(0, 4)).toEqual([
      ["SET", "e", "1", "PXAT", "<ms>"],
      ["DEL", "e"],
      ["SET", "e2", "1", "PXAT", "<ms>"],
      ["DEL", "e2"],
    ]);
    expect(out.slice(4)).toEqual([["SELECT", "7"], ["flushdb"]]);
  });

  it("INFO persistence reports the AOF as enabled, with its size", async () => {
    const info = await server.client.info("persistence");
    expect(info).toContain("aof_enabled:1");
    expect(info).toContain("aof_last_write_status:ok");
    expect(info).toMatch(/aof_current_size:\d+/);
    expect(info).toContain("loading:0");
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error("timed out");
}

async function waitBlocked(c: ServerProcess["client"]): Promise<void> {
  await waitFor(async () => /blocked_clients:1/.test(await c.info("clients")), 3000);
}

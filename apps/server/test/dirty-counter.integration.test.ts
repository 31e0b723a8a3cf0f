import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

/**
 * `rdb_changes_since_last_save` is Redis's `server.dirty`: what each write counts decides when
 * `save` points fire and what a replica or the AOF is sent. The counts below are Redis 7.0's (the
 * test passes against redis-server): one per key written or deleted, none for expiry, eviction
 * or a write that changed nothing.
 */

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});

async function info(section: string): Promise<Record<string, string>> {
  const text = (await r.info(section)) as string;
  const fields: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    const at = line.indexOf(":");
    if (at > 0) fields[line.slice(0, at)] = line.slice(at + 1);
  }
  return fields;
}

const dirty = async () => Number((await info("persistence")).rdb_changes_since_last_save);

/** Runs `cmd` and checks it added `delta` to the counter. */
async function counts(delta: number, ...cmd: (string | number)[]): Promise<void> {
  const before = await dirty();
  await r.call(String(cmd[0]), ...cmd.slice(1).map(String)).catch(() => undefined);
  expect(await dirty(), cmd.join(" ")).toBe(before + delta);
}

describe("the dirty counter", () => {
  it("counts string writes as Redis does", async () => {
    await r.flushall();
    await counts(1, "SET", "a", "1");
    await counts(1, "INCR", "a");
    await counts(1, "INCRBY", "a", "100");
    await counts(1, "APPEND", "a", "x");
    await counts(1, "SET", "b", "2", "EX", "100");
    await counts(1, "SETRANGE", "a", "0", "zz");
    await counts(1, "SETRANGE", "new", "3", "zz");
    await counts(0, "SETRANGE", "missing", "0", "");
    await counts(1, "APPEND", "empty", "");
    await counts(1, "APPEND", "empty", "");
    await counts(3, "MSET", "c", "1", "d", "2", "e", "3");
    await counts(0, "MSETNX", "c", "1", "f", "2");
    await counts(2, "MSETNX", "f", "1", "g", "2");
    await counts(0, "SETNX", "a", "x");
    await counts(1, "SET", "a", "5", "GET");
    await counts(0, "SET", "a", "6", "NX");
    await counts(1, "SET", "a", "6", "KEEPTTL");
    await counts(1, "INCRBYFLOAT", "a", "1.5");
    await counts(1, "DECR", "c");
    await counts(1, "GETSET", "c", "9");
    await counts(1, "GETDEL", "c");
    await counts(0, "GETDEL", "c");
    await counts(0, "INCR", "wrong-arity", "extra");
    await counts(1, "SET", "b", "not an int");
    await counts(0, "INCR", "b");
  });

  it("counts key commands as Redis does: one per key deleted, one per rename, copy, move or expire change", async () => {
    await r.flushall();
    await r.mset("k1", "v", "k2", "v", "k3", "v");
    await counts(2, "DEL", "k1", "k2", "nosuch");
    await counts(1, "UNLINK", "k3");
    await r.mset("s", "v", "t", "v");
    await counts(1, "RENAME", "s", "s2");
    await counts(1, "RENAME", "s2", "t");
    await counts(1, "COPY", "t", "u");
    await counts(1, "COPY", "t", "u", "REPLACE");
    await counts(0, "COPY", "t", "u");
    await counts(1, "MOVE", "u", "1");
    await counts(1, "EXPIRE", "t", "100");
    await counts(0, "EXPIRE", "t", "100", "NX");
    await counts(1, "PEXPIREAT", "t", String(Date.now() + 100_000));
    await counts(1, "PERSIST", "t");
    await counts(0, "PERSIST", "t");
    await counts(1, "GETEX", "t", "EX", "50");
    await counts(1, "GETEX", "t", "PERSIST");
    await counts(0, "GETEX", "t");
    await counts(1, "EXPIRE", "t", "-1");
    await counts(1, "SWAPDB", "0", "1");
    await counts(1, "SWAPDB", "0", "0");
    await r.mset("x", "1", "y", "2");
    // u came back from database 1 with the SWAPDB.
    await counts(3, "FLUSHDB");
    await counts(0, "FLUSHDB");
  });

  it("does not count expiry or eviction, while INFO stats counts them like Redis", async () => {
    await r.flushall();
    await r.config("RESETSTAT");
    await r.set("soon", "v", "PX", 20);
    await r.set("kept", "v");
    const before = await dirty();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await r.get("soon")).toBeNull();
    expect(await r.get("kept")).toBe("v");
    expect(await dirty()).toBe(before);
    let stats = await info("stats");
    expect([stats.expired_keys, stats.keyspace_hits, stats.keyspace_misses]).toEqual(["1", "1", "1"]);

    for (let i = 0; i < 50; i++) await r.set(`fill:${i}`, "x".repeat(100));
    const filled = await dirty();
    await r.config("SET", "maxmemory-policy", "allkeys-lru");
    await r.config("SET", "maxmemory", "1");
    try {
      // The next command evicts what it can; writes are refused once nothing is left.
      await expect(r.set("more", "v")).rejects.toThrow(/^OOM /);
      expect(await r.dbsize()).toBe(0);
    } finally {
      await r.config("SET", "maxmemory", "0");
      await r.config("SET", "maxmemory-policy", "noeviction");
    }
    expect(await dirty()).toBe(filled);
    stats = await info("stats");
    expect(stats.evicted_keys).toBe("51");
  });
});

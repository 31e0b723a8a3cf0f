import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { startServer } from "../../src/index.js";
import { spawnRealRedis, type Target, withClients } from "../utils/target.js";

/**
 * RDB files exchanged both ways with the real redis-server 7.0.15: a file Redis wrote loads
 * into nedis with the same DEBUG DIGEST and TTLs, and a file nedis wrote loads into Redis the
 * same way and passes redis-check-rdb.
 */
const REDIS = process.env.REDIS_SERVER_BIN ?? "/usr/bin/redis-server";
const CHECK_RDB = "/usr/bin/redis-check-rdb";
const haveRedis = existsSync(REDIS) && !process.env.NEDIS_TEST_URL;

const dirs: string[] = [];
const home = process.cwd();
afterAll(() => {
  process.chdir(home);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "nedis-rdb-interop-"));
  dirs.push(d);
  return d;
}

async function fill(r: Redis): Promise<void> {
  const p = r.pipeline();
  p.set("int", "12345").set("embstr", "hello").set("raw", "r".repeat(200)).set("big-int", "-9223372036854775808");
  p.set("ttl", "v", "PX", 5_000_000);
  p.rpush("list-lp", "a", "1", "-2");
  for (let i = 0; i < 300; i++) p.rpush("list-ql", `element-${i}-${"x".repeat(i % 50)}`);
  p.hset("hash-lp", "a", "1", "b", "2");
  for (let i = 0; i < 200; i++) p.hset("hash-ht", `f${i}`, `v${i}`);
  p.sadd("set-is", 1, 2, 3, -5);
  p.sadd("set-ht", "a", "b", "c");
  p.zadd("zset-lp", 1, "a", 2.5, "b");
  for (let i = 0; i < 200; i++) p.zadd("zset-sl", i / 3, `m${i}`);
  // A stream of several nodes with a consumer group, a pending entry and a deleted entry.
  for (let i = 1; i <= 250; i++) p.xadd("stream", `${i}-1`, "f", `v${i}`, "n", i);
  p.xgroup("CREATE", "stream", "g", "0").xreadgroup("GROUP", "g", "c", "COUNT", 3, "STREAMS", "stream", ">");
  p.xdel("stream", "5-1");
  p.select(5).set("db5", "x").hset("db5-hash", "f", "v").pexpire("db5-hash", 9_000_000).select(0);
  await p.exec();
}

async function ttls(r: Redis): Promise<(number | null)[]> {
  const a = await r.call("PEXPIRETIME", "ttl");
  await r.select(5);
  const b = await r.call("PEXPIRETIME", "db5-hash");
  await r.select(0);
  return [a as number, b as number];
}

async function nedisOn(dir: string): Promise<Target> {
  const server = await startServer({
    anyPort: true,
    options: [
      ["bind", ["127.0.0.1"]],
      ["save", [""]],
      ["loglevel", ["warning"]],
      ["dir", [dir]],
      ["enable-debug-command", ["yes"]],
    ],
  });
  const addr = server.addresses[0]!;
  return { ...withClients("nedis", addr.host, addr.port, () => server.close()), server };
}

const redisOn = (dir: string) =>
  spawnRealRedis(
    [],
    [
      ["bind", ["127.0.0.1"]],
      ["save", [""]],
      ["dir", [dir]],
      ["enable-debug-command", ["yes"]],
    ],
  );

describe.skipIf(!haveRedis)("RDB files exchanged with redis-server 7.0.15", () => {
  it("a file Redis saved loads into nedis with the same digest and TTLs", async () => {
    const dir = tempDir();
    const redis = await redisOn(dir);
    const rc = redis.client();
    await fill(rc);
    const digest = await rc.call("DEBUG", "DIGEST");
    const expected = await ttls(rc);
    expect(await rc.save()).toBe("OK");
    await redis.stop();
    const nedis = await nedisOn(dir);
    try {
      const nc = nedis.client();
      expect(await nc.call("DEBUG", "DIGEST")).toBe(digest);
      expect(await ttls(nc)).toEqual(expected);
      expect(await nc.object("ENCODING", "list-ql")).toBe("quicklist");
      expect(await nc.object("ENCODING", "set-is")).toBe("intset");
      expect(await nc.object("ENCODING", "zset-sl")).toBe("skiplist");
      const info = await nc.info("persistence");
      expect(info).toContain("rdb_last_load_keys_loaded:16");
    } finally {
      await nedis.stop();
    }
  });

  for (const compression of ["yes", "no"]) {
    it(`a file nedis saved (rdbcompression ${compression}) loads into Redis with the same digest`, async () => {
      const dir = tempDir();
      const nedis = await nedisOn(dir);
      const nc = nedis.client();
      await nc.config("SET", "rdbcompression", compression);
      await fill(nc);
      const digest = await nc.call("DEBUG", "DIGEST");
      const expected = await ttls(nc);
      expect(await nc.save()).toBe("OK");
      await nedis.stop();
      execFileSync(CHECK_RDB, [join(dir, "dump.rdb")], { stdio: "pipe" });
      const redis = await redisOn(dir);
      try {
        const rc = redis.client();
        expect(await rc.call("DEBUG", "DIGEST")).toBe(digest);
        expect(await ttls(rc)).toEqual(expected);
      } finally {
        await redis.stop();
      }
    });
  }

  it("a BGSAVE file of nedis loads into Redis with the digest of the moment it started", async () => {
    const dir = tempDir();
    const nedis = await nedisOn(dir);
    const nc = nedis.client();
    await nc.call("DEBUG", "POPULATE", "50000", "k", "20");
    await fill(nc);
    const digest = await nc.call("DEBUG", "DIGEST");
    // Writes pipelined right behind BGSAVE land while the walk runs.
    const p = nc.pipeline().bgsave();
    for (let i = 0; i < 2000; i++)
      p.set(`k:${i * 7}`, "changed")
        .del(`k:${i * 11 + 3}`)
        .set(`new:${i}`, "n");
    p.flushdb();
    await p.exec();
    for (let i = 0; i < 400 && (await nc.info("persistence")).includes("rdb_bgsave_in_progress:1"); i++)
      await new Promise((res) => setTimeout(res, 25));
    expect(await nc.info("persistence")).toContain("rdb_last_bgsave_status:ok");
    await nedis.stop();
    execFileSync(CHECK_RDB, [join(dir, "dump.rdb")], { stdio: "pipe" });
    const redis = await redisOn(dir);
    try {
      expect(await redis.client().call("DEBUG", "DIGEST")).toBe(digest);
    } finally {
      await redis.stop();
    }
  });
});

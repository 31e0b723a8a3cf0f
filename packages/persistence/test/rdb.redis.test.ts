import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keyspace } from "@nedis/keyspace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRedisServer, type RedisServer, startRedis } from "../../../test-support/redisServer.js";
import { ArraySource, FileSink, loadRdb, RdbFileWriter, saveKeyspace } from "../src/index.js";
import { keyspaceDigest } from "./utils/digest.js";
import { fillEveryType } from "./utils/fill.js";

const CHECK_RDB = "/usr/bin/redis-check-rdb";

describe.skipIf(!hasRedisServer)("RDB files exchanged with a real redis-server 7.0", () => {
  let dir: string;
  let redis: RedisServer;
  let redisDigest: string;
  let redisFile: Uint8Array;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nedis-rdb-"));
    redis = await startRedis(["--dir", dir, "--dbfilename", "redis.rdb", "--enable-debug-command", "yes"]);
    await fillEveryType(redis);
    redisDigest = String(await redis.call("DEBUG", "DIGEST"));
    expect(String(await redis.call("SAVE"))).toBe("OK");
    redisFile = readFileSync(join(dir, "redis.rdb"));
  });
  afterAll(async () => {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("loads Redis's file with every key, type, value and TTL equal", async () => {
    const ks = new Keyspace({ timers: false });
    const result = loadRdb(new ArraySource(redisFile), ks, { now: Date.now(), verifyChecksum: true });
    expect(result.version).toBe(10);
    expect(result.aux.get("redis-ver")).toBe("7.0.15");
    expect(redisDigest).toMatch(/^[0-9a-f]{40}$/);
    expect(result.keysLoaded).toBe(Number(await redis.call("DBSIZE")) * 2);
    expect(keyspaceDigest(ks)).toBe(redisDigest);
    const db = ks.db(0);
    const key = Buffer.from("hash-volatile");
    expect(db.expireAt(db.find(key, 0, key.length))).toBe(Number(await redis.call("PEXPIRETIME", "hash-volatile")));
    ks.close();
  });

  it("loads with a window smaller than one record (records are read again after a refill)", () => {
    const ks = new Keyspace({ timers: false });
    loadRdb(new ArraySource(redisFile), ks, { now: Date.now(), verifyChecksum: true, windowSize: 64 });
    expect(keyspaceDigest(ks)).toBe(redisDigest);
    ks.close();
  });

  for (const [compress, checksum] of [
    [true, true],
    [false, false],
  ] as const) {
    it(`writes a file Redis loads to the same digest (rdbcompression ${compress}, rdbchecksum ${checksum})`, async () => {
      const ks = new Keyspace({ timers: false });
      loadRdb(new ArraySource(redisFile), ks, { now: Date.now(), verifyChecksum: true });
      const ourDir = mkdtempSync(join(tmpdir(), "nedis-rdb-ours-"));
      const sink = new FileSink(join(ourDir, "dump.rdb"));
      const writer = new RdbFileWriter(sink, { compress, checksum });
      saveKeyspace(ks, writer, { redisVersion: "7.0.15", ctime: 1, usedMemory: 0, aofBase: false });
      sink.sync();
      sink.close();
      ks.close();
      try {
        if (checksum) execFileSync(CHECK_RDB, [join(ourDir, "dump.rdb")], { stdio: "pipe" });
        const other = await startRedis(["--dir", ourDir, "--enable-debug-command", "yes"]);
        try {
          expect(String(await other.call("DEBUG", "DIGEST"))).toBe(redisDigest);
          expect(await other.call("PEXPIRETIME", "hash-volatile")).toBe(
            await redis.call("PEXPIRETIME", "hash-volatile"),
          );
        } finally {
          await other.stop();
        }
      } finally {
        rmSync(ourDir, { recursive: true, force: true });
      }
    });
  }
});

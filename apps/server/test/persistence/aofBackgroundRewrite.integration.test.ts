import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { aofFiles, removeDir, type ServerProcess, startInDir, tempDir } from "./aofProcess.js";

/**
 * BGREWRITEAOF runs in the background (Redis forks; nedis walks a snapshot in time slices):
 * clients are served meanwhile, writes made during it are kept, and it excludes a BGSAVE as
 * Redis's single child does. Both targets; `rdb-key-save-delay` slows either walk per key.
 */
const dirs: string[] = [];
const running: ServerProcess[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) removeDir(d);
});

const KEYS = 100;

async function start(options: string[] = [], dir = tempDir("nedis-aof-bgrw-")): Promise<ServerProcess> {
  if (!dirs.includes(dir)) dirs.push(dir);
  const s = await startInDir(dir, ["--appendfsync", "always", "--enable-debug-command", "yes", ...options]);
  expect(s).not.toBeNull();
  running.push(s!);
  return s!;
}

async function fill(s: ServerProcess): Promise<void> {
  const p = s.client.pipeline();
  for (let i = 0; i < KEYS; i++) p.set(`k${i}`, "A");
  p.rpush("list", "a", "b", "c");
  p.hset("hash", "f", "v");
  p.set("ttl", "t", "PX", 1_000_000);
  await p.exec();
}

async function info(s: ServerProcess, field: string): Promise<string> {
  const m = new RegExp(`^${field}:(.*)$`, "m").exec(await s.client.info("persistence"));
  return m === null ? "" : m[1]!.trim();
}

async function waitUntil(s: ServerProcess, field: string, value: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if ((await info(s, field)) === value) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${field} never became ${value}`);
}

/** Writes made while a rewrite runs: a changed key, a deleted one, a new one, a counter. */
async function writeDuring(s: ServerProcess): Promise<void> {
  await s.client.set("k0", "B");
  await s.client.del("k1");
  await s.client.set("new", "1");
  for (let i = 0; i < 10; i++) await s.client.incr("counter");
  await s.client.lpush("list", "z");
}

async function expectWritesKept(s: ServerProcess): Promise<void> {
  const c = s.client;
  expect(await c.dbsize()).toBe(KEYS + 4);
  expect(await c.get("k0")).toBe("B");
  expect(await c.exists("k1")).toBe(0);
  expect(await c.get(`k${KEYS - 1}`)).toBe("A");
  expect(await c.get("new")).toBe("1");
  expect(await c.get("counter")).toBe("10");
  expect(await c.lrange("list", 0, -1)).toEqual(["z", "a", "b", "c"]);
  expect(await c.pttl("ttl")).toBeGreaterThan(900_000);
}

/** kill -9 and a restart in the same directory (appendfsync always: nothing acknowledged is lost). */
async function crashAndRestart(s: ServerProcess): Promise<ServerProcess> {
  running.splice(running.indexOf(s), 1);
  const dir = dirs[dirs.length - 1]!;
  await s.kill();
  return start([], dir);
}

describe("BGREWRITEAOF in the background", () => {
  for (const preamble of ["yes", "no"]) {
    it(`aof-use-rdb-preamble ${preamble}: clients are served during it and every write made meanwhile is kept`, async () => {
      const s = await start(["--aof-use-rdb-preamble", preamble]);
      await fill(s);
      const dir = dirs[dirs.length - 1]!;
      await s.client.call("CONFIG", "SET", "rdb-key-save-delay", "20000");
      expect(await s.client.call("BGREWRITEAOF")).toBe("Background append only file rewriting started");
      expect(await info(s, "aof_rewrite_in_progress")).toBe("1");
      expect(Number(await info(s, "aof_current_rewrite_time_sec"))).toBeGreaterThanOrEqual(0);
      await expect(s.client.call("BGREWRITEAOF")).rejects.toThrow(
        "ERR Background append only file rewriting already in progress",
      );
      await expect(s.client.call("BGSAVE")).rejects.toThrow(
        "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
      );
      await writeDuring(s);
      expect(await info(s, "aof_rewrite_in_progress")).toBe("1");
      await s.client.call("CONFIG", "SET", "rdb-key-save-delay", "0");
      await waitUntil(s, "aof_rewrite_in_progress", "0");
      expect(await info(s, "aof_last_bgrewrite_status")).toBe("ok");
      expect(await info(s, "aof_rewrites")).toBe("1");
      expect(await info(s, "aof_current_rewrite_time_sec")).toBe("-1");
      const digest = await s.client.call("DEBUG", "DIGEST");
      // The new base and the incr file opened when the rewrite began; the old files are gone.
      const ext = preamble === "yes" ? "rdb" : "aof";
      await waitUntil(s, "aof_rewrite_in_progress", "0");
      expect(aofFiles(dir)).toEqual([
        `appendonly.aof.2.base.${ext}`,
        "appendonly.aof.2.incr.aof",
        "appendonly.aof.manifest",
      ]);
      expect(readdirSync(dir).filter((f) => f.startsWith("temp-"))).toEqual([]);

      const restarted = await crashAndRestart(s);
      expect(await restarted.client.call("DEBUG", "DIGEST")).toBe(digest);
      await expectWritesKept(restarted);
    });
  }

  it("BGREWRITEAOF during a BGSAVE is scheduled and runs once the save is over; BGSAVE SCHEDULE likewise", async () => {
    const s = await start();
    await fill(s);
    await s.client.call("CONFIG", "SET", "rdb-key-save-delay", "5000");
    expect(await s.client.call("BGSAVE")).toBe("Background saving started");
    expect(await s.client.call("BGREWRITEAOF")).toBe("Background append only file rewriting scheduled");
    expect(await info(s, "aof_rewrite_scheduled")).toBe("1");
    expect(await info(s, "aof_pending_rewrite")).toBe("1");
    await expect(s.client.call("BGSAVE", "SCHEDULE")).rejects.toThrow("ERR Background save already in progress");
    await s.client.call("CONFIG", "SET", "rdb-key-save-delay", "0");
    await waitUntil(s, "aof_rewrites", "1");
    await waitUntil(s, "aof_rewrite_in_progress", "0");
    expect(await info(s, "aof_rewrite_scheduled")).toBe("0");
    expect(await info(s, "rdb_last_bgsave_status")).toBe("ok");

    // And the other way round: a scheduled BGSAVE waits for a running rewrite.
    await s.client.call("CONFIG", "SET", "rdb-key-save-delay", "5000");
    expect(await s.client.call("BGREWRITEAOF")).toBe("Background append only file rewriting started");
    expect(await s.client.call("BGSAVE", "SCHEDULE")).toBe("Background saving scheduled");
    await s.client.call("CONFIG", "SET", "rdb-key-save-delay", "0");
    await waitUntil(s, "aof_rewrites", "2");
    await waitUntil(s, "rdb_saves", "2");
    await waitUntil(s, "rdb_bgsave_in_progress", "0");
    expect(await info(s, "rdb_last_bgsave_status")).toBe("ok");
  });

  it("CONFIG SET appendonly no stops a running rewrite: its temp file goes, the AOF is off", async () => {
    const s = await start();
    await fill(s);
    const dir = dirs[dirs.length - 1]!;
    await s.client.call("CONFIG", "SET", "rdb-key-save-delay", "20000");
    expect(await s.client.call("BGREWRITEAOF")).toBe("Background append only file rewriting started");
    expect(await s.client.call("CONFIG", "SET", "appendonly", "no")).toBe("OK");
    await waitUntil(s, "aof_rewrite_in_progress", "0");
    expect(await info(s, "aof_enabled")).toBe("0");
    expect(await info(s, "aof_rewrites")).toBe("1");
    await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(dir).filter((f) => f.startsWith("temp-rewriteaof"))).toEqual([]);
    expect(existsSync(join(dir, "appendonlydir", "appendonly.aof.2.base.rdb"))).toBe(false);
  });

  it("CONFIG SET appendonly yes at run time: the first rewrite runs in the background and writes made meanwhile are kept", async () => {
    const s = await start(["--appendonly", "no"]);
    await fill(s);
    await s.client.call("CONFIG", "SET", "rdb-key-save-delay", "20000");
    expect(await s.client.call("CONFIG", "SET", "appendonly", "yes")).toBe("OK");
    expect(await info(s, "aof_enabled")).toBe("1");
    expect(await info(s, "aof_rewrite_in_progress")).toBe("1");
    await writeDuring(s);
    await s.client.call("CONFIG", "SET", "rdb-key-save-delay", "0");
    await waitUntil(s, "aof_rewrite_in_progress", "0");
    expect(await info(s, "aof_last_bgrewrite_status")).toBe("ok");
    const restarted = await crashAndRestart(s);
    await expectWritesKept(restarted);
  });

  it("FLUSHALL kills a slowed BGSAVE and the server keeps answering", async () => {
    const s = await start(["--appendonly", "no"]);
    await fill(s);
    await s.client.call("CONFIG", "SET", "rdb-key-save-delay", "20000");
    expect(await s.client.call("BGSAVE")).toBe("Background saving started");
    expect(await s.client.flushall()).toBe("OK");
    await waitUntil(s, "rdb_bgsave_in_progress", "0");
    expect(await s.client.ping()).toBe("PONG");
    expect(await s.client.set("after", "1")).toBe("OK");
    expect(await s.client.dbsize()).toBe(1);
  });
});

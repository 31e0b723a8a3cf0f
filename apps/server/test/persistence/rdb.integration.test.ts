import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";

const root = mkdtempSync(join(tmpdir(), "nedis-rdb-it-"));
const home = process.cwd();
afterAll(() => {
  process.chdir(home);
  rmSync(root, { recursive: true, force: true });
});

const target = useTarget(() => [
  ["dir", [root]],
  ["dbfilename", ["dump.rdb"]],
  ["enable-debug-command", ["yes"]],
  ["enable-protected-configs", ["yes"]],
]);

function field(info: string, name: string): string {
  const m = new RegExp(`^${name}:(.*)$`, "m").exec(info);
  if (m === null) throw new Error(`no ${name} in INFO`);
  return m[1]!.trim();
}

async function persistence(r: Redis): Promise<string> {
  return r.info("persistence");
}

async function waitBgsave(r: Redis): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const info = await persistence(r);
    if (field(info, "rdb_bgsave_in_progress") === "0") return info;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error("BGSAVE did not finish");
}

describe("SAVE, BGSAVE, LASTSAVE and INFO persistence", () => {
  let r: Redis;
  beforeAll(async () => {
    r = target.client();
    await r.flushall();
  });

  it("SAVE writes dbfilename in dir and resets rdb_changes_since_last_save", async () => {
    await r.set("a", "1");
    await r.rpush("l", "x", "y");
    const before = await persistence(r);
    expect(Number(field(before, "rdb_changes_since_last_save"))).toBeGreaterThan(0);
    const saves = Number(field(before, "rdb_saves"));
    expect(await r.save()).toBe("OK");
    const after = await persistence(r);
    expect(field(after, "rdb_changes_since_last_save")).toBe("0");
    expect(Number(field(after, "rdb_saves"))).toBe(saves + 1);
    expect(field(after, "rdb_last_bgsave_status")).toBe("ok");
    expect(existsSync(join(root, "dump.rdb"))).toBe(true);
    const lastsave = await r.lastsave();
    expect(Math.abs(lastsave - Date.now() / 1000)).toBeLessThan(5);
    expect(field(after, "rdb_last_save_time")).toBe(String(lastsave));
  });

  it("BGSAVE saves in the background and reports it in INFO", async () => {
    await r.set("b", "2");
    expect(await r.bgsave()).toBe("Background saving started");
    const info = await waitBgsave(r);
    expect(field(info, "rdb_last_bgsave_status")).toBe("ok");
    expect(field(info, "rdb_current_bgsave_time_sec")).toBe("-1");
    expect(Number(field(info, "rdb_last_bgsave_time_sec"))).toBeGreaterThanOrEqual(0);
    expect(field(info, "rdb_changes_since_last_save")).toBe("0");
  });

  it("refuses a second BGSAVE or a SAVE while one runs, and BGSAVE with a bad argument", async () => {
    await r.call("DEBUG", "POPULATE", "100000");
    const replies = await r.pipeline().bgsave().bgsave().save().exec();
    expect(replies![0]![1]).toBe("Background saving started");
    expect((replies![1]![0] as Error).message).toBe("ERR Background save already in progress");
    expect((replies![2]![0] as Error).message).toBe("ERR Background save already in progress");
    await waitBgsave(r);
    await expect(r.call("BGSAVE", "NOW")).rejects.toThrow("ERR syntax error");
    await r.flushall();
  });

  it("INFO reports a background save while it runs (rdb-key-save-delay slows it down)", async () => {
    await r.flushall();
    for (let i = 0; i < 5; i++) await r.set(`slow:${i}`, "v");
    await r.config("SET", "rdb-key-save-delay", "100000");
    try {
      expect(await r.bgsave()).toBe("Background saving started");
      const info = await persistence(r);
      expect(field(info, "rdb_bgsave_in_progress")).toBe("1");
      expect(Number(field(info, "rdb_current_bgsave_time_sec"))).toBeGreaterThanOrEqual(0);
      await expect(r.call("BGSAVE", "SCHEDULE")).rejects.toThrow("ERR Background save already in progress");
      await expect(r.save()).rejects.toThrow("ERR Background save already in progress");
      expect(await r.set("during", "x")).toBe("OK");
    } finally {
      await r.config("SET", "rdb-key-save-delay", "0");
    }
    const done = await waitBgsave(r);
    expect(field(done, "rdb_last_bgsave_status")).toBe("ok");
    // The write made during the save still counts as unsaved.
    expect(field(done, "rdb_changes_since_last_save")).toBe("1");
  });

  it("BGSAVE inside MULTI is scheduled, then started by the cron", async () => {
    const replies = await r.multi().bgsave().exec();
    expect(replies).toEqual([[null, "Background saving scheduled"]]);
    let info = await persistence(r);
    for (let i = 0; i < 60 && field(info, "rdb_changes_since_last_save") !== "0"; i++) {
      await new Promise((res) => setTimeout(res, 100));
      info = await waitBgsave(r);
    }
    expect(field(info, "rdb_changes_since_last_save")).toBe("0");
  });

  it("DEBUG RELOAD saves, empties and loads back the same dataset", async () => {
    await r.flushall();
    await r.set("s", "v");
    await r.pexpire("s", 100_000);
    await r.hset("h", "f", "v", "g", "w");
    await r.zadd("z", 1, "a", 2, "b");
    await r.sadd("set", "1", "2", "3");
    const digest = await r.call("DEBUG", "DIGEST");
    expect(await r.call("DEBUG", "RELOAD")).toBe("OK");
    expect(await r.call("DEBUG", "DIGEST")).toBe(digest);
    expect(await r.pttl("s")).toBeGreaterThan(90_000);
    const info = await persistence(r);
    expect(field(info, "rdb_last_load_keys_loaded")).toBe("4");
    expect(field(info, "rdb_changes_since_last_save")).toBe("0");
    expect(field(info, "rdb_last_load_keys_expired")).toBe("0");
    await expect(r.call("DEBUG", "RELOAD", "BOGUS")).rejects.toThrow(
      "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.",
    );
  });

  it("after a failed BGSAVE, writes and PING get MISCONF under stop-writes-on-bgsave-error", async () => {
    const gone = join(root, "gone");
    mkdirSync(gone);
    await r.config("SET", "save", "3600 1");
    await r.config("SET", "dir", gone);
    rmSync(gone, { recursive: true });
    try {
      expect(await r.bgsave()).toBe("Background saving started");
      const info = await waitBgsave(r);
      expect(field(info, "rdb_last_bgsave_status")).toBe("err");
      const misconf =
        "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";
      await expect(r.set("k", "v")).rejects.toThrow(misconf);
      await expect(r.ping()).rejects.toThrow(misconf);
      expect(await r.get("s")).toBe("v");
      await expect(r.save()).rejects.toThrow(/^ERR$/);
      await r.config("SET", "stop-writes-on-bgsave-error", "no");
      expect(await r.set("k", "v")).toBe("OK");
      await r.config("SET", "stop-writes-on-bgsave-error", "yes");
      await expect(r.set("k", "v")).rejects.toThrow(misconf);
    } finally {
      await r.config("SET", "dir", root);
    }
    expect(await r.save()).toBe("OK");
    expect(await r.set("k", "v")).toBe("OK");
    await r.config("SET", "save", "");
  });
});

describe("a background save is the dataset of the moment it started", () => {
  it("writes every collection as it was, whatever commands change it during the walk", async () => {
    const r = target.client();
    await r.flushall();
    const p = r.pipeline();
    for (let i = 0; i < 300; i++) p.rpush("list-ql", `e${i}-${"x".repeat(i % 40)}`);
    p.rpush("list-lp", "a", "b", "c");
    for (let i = 0; i < 200; i++) p.hset("hash-ht", `f${i}`, `v${i}`);
    p.hset("hash-lp", "a", "1", "b", "2");
    p.sadd("set-is", 1, 2, 3).sadd("set-ht", "a", "b", "c");
    for (let i = 0; i < 200; i++) p.zadd("zset-sl", i, `m${i}`);
    p.zadd("zset-lp", 1, "a", 2, "b");
    p.set("str", "hello").set("counter", "10").set("bits", "").set("gone", "x").set("renamed", "r");
    p.set("ttl", "t", "PX", 10_000_000);
    await p.exec();
    const digest = await r.call("DEBUG", "DIGEST");
    await r.config("SET", "rdb-key-save-delay", "20000");
    try {
      expect(await r.bgsave()).toBe("Background saving started");
      await r
        .pipeline()
        .rpush("list-ql", "new")
        .lpop("list-ql")
        .lset("list-ql", 100, "changed")
        .ltrim("list-lp", 0, 0)
        .hset("hash-ht", "f1", "changed", "extra", "1")
        .hdel("hash-lp", "a")
        .sadd("set-is", 99)
        .srem("set-ht", "a")
        .zadd("zset-sl", 1000, "m1")
        .zincrby("zset-lp", 5, "a")
        .append("str", " world")
        .setrange("str", 0, "J")
        .incr("counter")
        .setbit("bits", 7, 1)
        .persist("ttl")
        .del("gone")
        .rename("renamed", "renamed2")
        .set("created", "later")
        .exec();
    } finally {
      await r.config("SET", "rdb-key-save-delay", "0");
    }
    await waitBgsave(r);
    expect(await r.call("DEBUG", "RELOAD", "NOSAVE")).toBe("OK");
    expect(await r.call("DEBUG", "DIGEST")).toBe(digest);
    expect(await r.pttl("ttl")).toBeGreaterThan(9_000_000);
  });
});

describe("save points", () => {
  it("a save point with enough changes starts a background save from the cron", async () => {
    const r = target.client();
    await r.save();
    const before = await r.lastsave();
    await r.config("SET", "save", "1 2");
    try {
      await r.set("cron:a", "1");
      await new Promise((res) => setTimeout(res, 2300));
      // One change is below the threshold: nothing saved yet.
      expect(await r.lastsave()).toBe(before);
      await r.set("cron:b", "2");
      let saved = before;
      for (let i = 0; i < 60 && saved === before; i++) {
        await new Promise((res) => setTimeout(res, 100));
        saved = await r.lastsave();
      }
      expect(saved).toBeGreaterThan(before);
      const info = await waitBgsave(r);
      expect(field(info, "rdb_changes_since_last_save")).toBe("0");
    } finally {
      await r.config("SET", "save", "");
    }
  });
});

describe("DEBUG RELOAD of a file that does not load (nedis keeps its data)", () => {
  it("replies an error and keeps every key when the file is corrupt", async () => {
    if (target.kind !== "nedis") return; // Redis exits on a corrupt RDB
    const r = target.client();
    await r.flushall();
    await r.set("keep", "me");
    writeFileSync(join(root, "dump.rdb"), "REDIS0010\xfe\x00\x00\x03abc");
    await expect(r.call("DEBUG", "RELOAD", "NOSAVE")).rejects.toThrow("ERR Error trying to load the RDB dump");
    expect(await r.get("keep")).toBe("me");
  });
});

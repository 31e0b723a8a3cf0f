import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startInDir, tempDir } from "./aofProcess.js";

/**
 * A crash (`kill -9` of the server and of any child it forked, as a machine going down would)
 * while BGSAVE or BGREWRITEAOF runs: the restart loads a consistent dataset from the files that
 * were complete before, which are left as they were. Both targets; Redis's child is slowed
 * with rdb-key-save-delay so the crash lands mid-save, and so is nedis's time-sliced walk.
 */
const dirs: string[] = [];
const running: ServerProcess[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) removeDir(d);
});

const KEYS = 200;

/** Kills the server's children (Redis's fork) and then the server. */
async function crash(s: ServerProcess): Promise<void> {
  const pid = s.proc.pid!;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "latin1");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) process.kill(Number(entry), "SIGKILL");
    } catch {
      // Gone meanwhile.
    }
  }
  await s.kill();
}

async function fill(s: ServerProcess, value: string, extra = 0): Promise<void> {
  const p = s.client.pipeline();
  for (let i = 0; i < KEYS + extra; i++) p.set(`k${i}`, value);
  await p.exec();
}

async function waitFor(s: ServerProcess, field: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await s.client.info("persistence")).includes(`${field}:1`)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${field} never became 1`);
}

describe("a crash during a background save", () => {
  it("BGSAVE: the restart loads the previous dump.rdb, left intact", async () => {
    const dir = tempDir("nedis-crash-bgsave-");
    dirs.push(dir);
    const s = (await startInDir(dir, ["--appendonly", "no"]))!;
    expect(s).not.toBeNull();
    await fill(s, "A");
    expect(await s.client.call("SAVE")).toBe("OK");
    const saved = readFileSync(join(dir, "dump.rdb"));
    await fill(s, "B", 50);
    await s.client.call("CONFIG", "SET", "rdb-key-save-delay", "20000");
    expect(await s.client.call("BGSAVE")).toBe("Background saving started");
    await waitFor(s, "rdb_bgsave_in_progress");
    await new Promise((r) => setTimeout(r, 200));
    await crash(s);

    expect(readFileSync(join(dir, "dump.rdb")).equals(saved)).toBe(true);
    const restarted = (await startInDir(dir, ["--appendonly", "no"]))!;
    expect(restarted).not.toBeNull();
    running.push(restarted);
    expect(await restarted.client.dbsize()).toBe(KEYS);
    expect(await restarted.client.get("k0")).toBe("A");
    expect(await restarted.client.get(`k${KEYS - 1}`)).toBe("A");
  });

  it("BGREWRITEAOF: the restart loads every acknowledged write, from the old files or the new", async () => {
    const dir = tempDir("nedis-crash-rewrite-");
    dirs.push(dir);
    const s = (await startInDir(dir, ["--appendfsync", "always"]))!;
    expect(s).not.toBeNull();
    await fill(s, "A");
    await fill(s, "B", 50);
    await s.client.call("CONFIG", "SET", "rdb-key-save-delay", "20000");
    expect(await s.client.call("BGREWRITEAOF")).toBe("Background append only file rewriting started");
    await s.client.set("after", "1");
    await crash(s);

    const restarted = (await startInDir(dir))!;
    expect(restarted).not.toBeNull();
    running.push(restarted);
    expect(await restarted.client.dbsize()).toBe(KEYS + 51);
    expect(await restarted.client.get("k0")).toBe("B");
    expect(await restarted.client.get(`k${KEYS + 49}`)).toBe("B");
    expect(await restarted.client.get("after")).toBe("1");
  });
});

import { readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { aofFiles, readAof, removeDir, runUntilExit, type ServerProcess, startInDir, tempDir } from "./aofProcess.js";

/**
 * Start-up loading of the multi-part AOF (aof.c `loadAppendOnlyFiles`), rewrites, the runtime
 * switch and torn or corrupt files. Each test runs a server process in its own directory;
 * every expectation holds on real Redis too.
 */
const dirs: string[] = [];
const running: ServerProcess[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) removeDir(d);
});

function newDir(): string {
  const d = tempDir("nedis-aof-load-");
  dirs.push(d);
  return d;
}

async function start(dir: string, options: string[] = []): Promise<ServerProcess> {
  const s = await startInDir(dir, ["--enable-debug-command", "yes", ...options]);
  expect(s).not.toBeNull();
  running.push(s!);
  return s!;
}

async function stop(s: ServerProcess): Promise<void> {
  running.splice(running.indexOf(s), 1);
  await s.stop();
}

/** A dataset of every type, with TTLs, in two databases. */
async function fill(s: ServerProcess): Promise<void> {
  const c = s.client;
  await c.set("str", "value");
  await c.set("num", "12345", "EX", 1000);
  await c.rpush("list", ...Array.from({ length: 300 }, (_, i) => `e${i}`));
  await c.hset("hash", ...Array.from({ length: 200 }, (_, i) => `f${i}`));
  await c.zadd("zset", 1, "a", 2.5, "b", 3, "c");
  await c.sadd("intset", "1", "2", "3");
  await c.select(4);
  await c.sadd("set", "x", "y", "z");
  await c.select(0);
  await c.incrbyfloat("float", 0.1);
}

const incrName = (dir: string) => aofFiles(dir).find((f) => f.endsWith(".incr.aof"))!;

describe("AOF loading", () => {
  it("a restart loads base + incr: DEBUG DIGEST equal, INFO loading fields back to 0", async () => {
    const dir = newDir();
    let s = await start(dir);
    await fill(s);
    const digest = await s.client.call("DEBUG", "DIGEST");
    await stop(s);
    s = await start(dir);
    expect(await s.client.call("DEBUG", "DIGEST")).toBe(digest);
    expect(await s.client.info("persistence")).toContain("loading:0");
  });

  it("DEBUG LOADAOF reloads the dataset from the files", async () => {
    const dir = newDir();
    const s = await start(dir, ["--appendfsync", "always"]);
    await fill(s);
    const digest = await s.client.call("DEBUG", "DIGEST");
    expect(await s.client.call("DEBUG", "LOADAOF")).toBe("OK");
    expect(await s.client.call("DEBUG", "DIGEST")).toBe(digest);
  });

  it("BGREWRITEAOF: new base and incr files, manifest switched, old files gone, data intact", async () => {
    const dir = newDir();
    let s = await start(dir);
    await fill(s);
    const before = aofFiles(dir);
    expect(before).toContain("appendonly.aof.1.incr.aof");
    expect(await s.client.bgrewriteaof()).toMatch(/^Background append only file rewriting (started|scheduled)$/);
    await waitFor(
      async () =>
        /aof_rewrite_in_progress:0/.test(await s.client.info("persistence")) &&
        aofFiles(dir).includes("appendonly.aof.2.incr.aof") &&
        !aofFiles(dir).includes("appendonly.aof.1.incr.aof"),
    );
    const files = aofFiles(dir);
    expect(files.filter((f) => !f.startsWith("temp-"))).toEqual(
      expect.arrayContaining(["appendonly.aof.2.incr.aof", "appendonly.aof.manifest"]),
    );
    expect(files.some((f) => /^appendonly\.aof\.2\.base\.(rdb|aof)$/.test(f))).toBe(true);
    expect(files).not.toContain("appendonly.aof.1.incr.aof");
    const manifest = readAof(dir, "appendonly.aof.manifest").toString();
    expect(manifest).toMatch(
      /^file appendonly\.aof\.2\.base\.(rdb|aof) seq 2 type b\nfile appendonly\.aof\.2\.incr\.aof seq 2 type i\n$/,
    );
    await s.client.set("after", "rewrite");
    const digest = await s.client.call("DEBUG", "DIGEST");
    expect(await s.client.info("persistence")).toContain("aof_rewrites:1");
    await stop(s);
    s = await start(dir);
    expect(await s.client.call("DEBUG", "DIGEST")).toBe(digest);
  });

  it("CONFIG SET appendonly yes writes a base of the current data first; no stops writing", async () => {
    const dir = newDir();
    const s = await start(dir, ["--appendonly", "no"]);
    await fill(s);
    const digest = await s.client.call("DEBUG", "DIGEST");
    expect(await s.client.config("SET", "appendonly", "yes")).toBe("OK");
    await waitFor(
      async () =>
        /aof_enabled:1/.test(await s.client.info("persistence")) &&
        /aof_rewrite_in_progress:0/.test(await s.client.info("persistence")) &&
        aofFiles(dir).some((f) => f.includes(".base.")),
    );
    await s.client.set("later", "1");
    await s.client.del("later");
    expect(await s.client.call("DEBUG", "LOADAOF")).toBe("OK");
    expect(await s.client.call("DEBUG", "DIGEST")).toBe(digest);
    expect(await s.client.config("SET", "appendonly", "no")).toBe("OK");
    expect(await s.client.info("persistence")).toContain("aof_enabled:0");
  });

  it("aof-load-truncated yes: a torn tail is trimmed to the last whole command, and logged", async () => {
    const dir = newDir();
    let s = await start(dir, ["--appendfsync", "always"]);
    for (let i = 0; i < 50; i++) await s.client.set(`k${i}`, `v${i}`);
    await stop(s);
    const path = join(dir, "appendonlydir", incrName(dir));
    const full = readFileSync(path);
    // Cut inside the last command: `set k49 v49` loses its tail.
    truncateSync(path, full.length - 3);
    s = await start(dir, ["--aof-load-truncated", "yes"]);
    expect(await s.client.dbsize()).toBe(49);
    expect(await s.client.get("k48")).toBe("v48");
    expect(s.log()).toContain("!!! Warning: short read while loading the AOF file");
    expect(s.log()).toContain("loaded anyway because aof-load-truncated is enabled");
    expect(readFileSync(path).length).toBe(full.lastIndexOf("*3\r\n"));
  });

  it("aof-load-truncated yes: torn at random offsets, every restart loads a prefix of the writes", async () => {
    const dir = newDir();
    let s = await start(dir, ["--appendfsync", "always"]);
    for (let i = 0; i < 40; i++) await s.client.incr("counter");
    await stop(s);
    const path = join(dir, "appendonlydir", incrName(dir));
    const full = readFileSync(path);
    const header = full.indexOf("*2\r\n$4\r\nincr");
    for (let round = 0; round < 4; round++) {
      const cut = header + Math.floor(Math.random() * (full.length - header));
      writeFileSync(path, full.subarray(0, cut));
      s = await start(dir, ["--aof-load-truncated", "yes"]);
      const value = Number((await s.client.get("counter")) ?? "0");
      // Whole commands before the cut survive, nothing after it.
      const whole = countWholeIncrs(full.subarray(0, cut));
      expect(value).toBe(whole);
      await stop(s);
    }
  });

  it("aof-load-truncated no: a torn tail refuses to start and leaves the file as it was", async () => {
    const dir = newDir();
    const s = await start(dir, ["--appendfsync", "always"]);
    await s.client.set("a", "1");
    await s.client.set("b", "2");
    await stop(s);
    const path = join(dir, "appendonlydir", incrName(dir));
    const torn = readFileSync(path).subarray(0, readFileSync(path).length - 2);
    writeFileSync(path, torn);
    const { code, out } = await runUntilExit(dir, ["--aof-load-truncated", "no"]);
    expect(code).toBe(1);
    expect(out).toContain("Unexpected end of file reading the append only file");
    expect(readFileSync(path).equals(torn)).toBe(true);
  });

  it("a corrupt middle refuses to start, with Redis's message, and the file untouched", async () => {
    const dir = newDir();
    const s = await start(dir, ["--appendfsync", "always"]);
    await s.client.set("a", "1");
    await s.client.set("b", "2");
    await stop(s);
    const path = join(dir, "appendonlydir", incrName(dir));
    const bytes = Buffer.from(readFileSync(path));
    const second = bytes.indexOf("*3\r\n", bytes.indexOf("*3\r\n") + 1);
    bytes[second] = "!".charCodeAt(0);
    writeFileSync(path, bytes);
    const { code, out } = await runUntilExit(dir, ["--aof-load-truncated", "yes"]);
    expect(code).toBe(1);
    expect(out).toContain("Bad file format reading the append only file");
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it("a bad manifest refuses to start with Redis's fatal manifest error", async () => {
    const dir = newDir();
    const s = await start(dir);
    await stop(s);
    writeFileSync(join(dir, "appendonlydir", "appendonly.aof.manifest"), "file x seq\n");
    const { code, out } = await runUntilExit(dir, []);
    expect(code).toBe(1);
    expect(out).toContain("Invalid AOF manifest file format");
  });
});

/** INCR commands wholly inside `bytes` (the test's own count of what a load must apply). */
function countWholeIncrs(bytes: Buffer): number {
  const text = bytes.toString("latin1");
  const one = "*2\r\n$4\r\nincr\r\n$7\r\ncounter\r\n";
  let n = 0;
  for (let at = text.indexOf(one); at >= 0; at = text.indexOf(one, at + one.length)) n++;
  return n;
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("timed out");
}

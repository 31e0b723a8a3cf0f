import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, stopProcess } from "../utils/target.js";

/**
 * Start-up and shutdown around the RDB file, as processes (`dist/main.js`, or redis-server under
 * test:redis): SIGTERM and SHUTDOWN save when save points exist, the file is loaded at the next
 * start, a corrupt file stops the start.
 */
const useRedis = process.env.NEDIS_TEST_TARGET === "redis";
const mainJs = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const command = useRedis ? (process.env.REDIS_SERVER_BIN ?? "redis-server") : process.execPath;
const baseArgs = useRedis ? [] : [mainJs];
const runnable = useRedis || existsSync(mainJs);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Running {
  proc: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

async function start(dir: string, extra: string[] = []): Promise<Running> {
  const port = await freePort();
  const args = [...baseArgs, "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "no"];
  const proc = spawn(command, [...args, ...extra], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 10_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", (d: Buffer) => {
      out += d.toString();
    });
    void exited.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  return { proc, port, output: () => out, exited };
}

async function withClient<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({
    host: "127.0.0.1",
    port,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  r.on("error", () => {});
  await r.connect();
  try {
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

describe.skipIf(!runnable || process.env.NEDIS_TEST_URL)("the RDB file across restarts", () => {
  it("SIGTERM saves when save points exist, and the next start loads the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nedis-rdb-proc-"));
    dirs.push(dir);
    const first = await start(dir, ["--save", "3600 1"]);
    await withClient(first.port, async (r) => {
      await r.set("k", "v");
      await r.rpush("l", "a", "b");
    });
    first.proc.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain("Saving the final RDB snapshot before exiting.");
    expect(first.output()).toContain("DB saved on disk");
    expect(existsSync(join(dir, "dump.rdb"))).toBe(true);
    const second = await start(dir, ["--save", ""]);
    try {
      expect(second.output()).toMatch(/DB loaded from disk: \d+\.\d{3} seconds/);
      await withClient(second.port, async (r) => {
        expect(await r.get("k")).toBe("v");
        expect(await r.lrange("l", 0, -1)).toEqual(["a", "b"]);
      });
    } finally {
      await stopProcess(second.proc);
    }
  });

  it("SHUTDOWN NOSAVE skips the save, SHUTDOWN SAVE saves without save points", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nedis-rdb-proc-"));
    dirs.push(dir);
    const first = await start(dir, ["--save", "3600 1"]);
    await withClient(first.port, async (r) => {
      await r.set("k", "v");
      await r.call("SHUTDOWN", "NOSAVE").catch(() => null);
    });
    await first.exited;
    expect(existsSync(join(dir, "dump.rdb"))).toBe(false);
    const second = await start(dir, ["--save", ""]);
    await withClient(second.port, async (r) => {
      await r.set("k2", "v2");
      await r.call("SHUTDOWN", "SAVE").catch(() => null);
    });
    await second.exited;
    expect(existsSync(join(dir, "dump.rdb"))).toBe(true);
  });

  it("refuses to start on a corrupt file, leaving it in place", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nedis-rdb-proc-"));
    dirs.push(dir);
    const corrupt = Buffer.from("REDIS0010\xfe\x00\x00\x01k\x01v\xff\x01\x02\x03\x04\x05\x06\x07\x08", "latin1");
    writeFileSync(join(dir, "dump.rdb"), corrupt);
    const run = await start(dir, ["--save", ""]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/Wrong RDB checksum/);
    expect(existsSync(join(dir, "dump.rdb"))).toBe(true);
  });
});

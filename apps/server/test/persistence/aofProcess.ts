import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { freePort, stopProcess } from "../utils/target.js";

/**
 * A server process in its own directory, for AOF tests: nedis (the built `dist/main.js`) or,
 * under `NEDIS_TEST_TARGET=redis`, redis-server — both started with the same options in `dir`,
 * so each test reads and corrupts the files either one writes.
 */
export const useRedis = process.env.NEDIS_TEST_TARGET === "redis";
const mainJs = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

export interface ServerProcess {
  readonly port: number;
  readonly proc: ChildProcess;
  readonly client: Redis;
  /** Everything the server logged so far. */
  log(): string;
  /** SHUTDOWN NOSAVE-like clean stop (SIGTERM). */
  stop(): Promise<void>;
  /** `kill -9`. */
  kill(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Starts a server in `dir` with `--save "" --appendonly yes` and `options`; null if it exits instead. */
export async function startInDir(dir: string, options: string[] = []): Promise<ServerProcess | null> {
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", ...options];
  const proc = useRedis
    ? spawn(process.env.REDIS_SERVER_BIN ?? "redis-server", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] })
    : spawn(process.execPath, [mainJs, ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    const check = () => {
      if (out.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    proc.stdout!.on("data", check);
    proc.once("exit", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!ready) {
    await stopProcess(proc);
    return null;
  }
  const client = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 1, lazyConnect: true });
  await client.connect();
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once("exit", () => resolve());
  });
  return {
    port,
    proc,
    client,
    log: () => out,
    async stop() {
      client.disconnect();
      await stopProcess(proc);
    },
    async kill() {
      client.disconnect();
      proc.kill("SIGKILL");
      await exited;
    },
  };
}

/** Waits until `proc` exits (a server refusing to start); its output. */
export async function runUntilExit(dir: string, options: string[]): Promise<{ code: number | null; out: string }> {
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", ...options];
  const proc = useRedis
    ? spawn(process.env.REDIS_SERVER_BIN ?? "redis-server", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] })
    : spawn(process.execPath, [mainJs, ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
  const code = await new Promise<number | null>((resolve) => proc.once("exit", (c) => resolve(c)));
  clearTimeout(timer);
  return { code, out };
}

/** The files of `dir/appendonlydir`, sorted. */
export function aofFiles(dir: string): string[] {
  return readdirSync(join(dir, "appendonlydir")).sort();
}

export function readAof(dir: string, name: string): Buffer {
  return readFileSync(join(dir, "appendonlydir", name));
}

/** Parses a RESP command stream into argument lists (the test's own reader, independent of the loader). */
export function parseCommands(bytes: Buffer): string[][] {
  const text = bytes.toString("latin1");
  const out: string[][] = [];
  let at = 0;
  const line = (): string => {
    const end = text.indexOf("\r\n", at);
    const s = text.slice(at, end);
    at = end + 2;
    return s;
  };
  while (at < text.length) {
    const header = line();
    if (!header.startsWith("*")) throw new Error(`bad header ${header}`);
    const argv: string[] = [];
    for (let n = Number(header.slice(1)); n > 0; n--) {
      const len = Number(line().slice(1));
      argv.push(text.slice(at, at + len));
      at += len + 2;
    }
    out.push(argv);
  }
  return out;
}

/** Bytes of `dir`'s incremental AOF file (the one the server appends to). */
function incrSize(dir: string): number {
  const incr = aofFiles(dir).find((f) => f.endsWith(".incr.aof"))!;
  return readAof(dir, incr).length;
}

/** Commands appended to `dir`'s incr file since byte `mark`, 13-digit timestamps replaced by `<ms>`. */
function appendedSince(dir: string, mark: number): string[][] {
  const incr = aofFiles(dir).find((f) => f.endsWith(".incr.aof"))!;
  const bytes = readAof(dir, incr).subarray(mark);
  return parseCommands(bytes).map((argv) => argv.map((a) => (/^\d{13}$/.test(a) ? "<ms>" : a)));
}

/**
 * Runs `script` on `server` (writing its AOF in `dir`), then returns the commands it appended.
 * A write in db 9 then one in db 0 first, so each case starts with the stream's database at 0.
 */
export async function propagatedBy(
  server: ServerProcess,
  dir: string,
  script: (c: ServerProcess["client"]) => Promise<unknown>,
): Promise<string[][]> {
  const c = server.client;
  await c.select(9);
  await c.set("sync", "1");
  await c.select(0);
  await c.set("sync", "1");
  const mark = incrSize(dir);
  await script(c);
  return appendedSince(dir, mark);
}

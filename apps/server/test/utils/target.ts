import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { Redis, type RedisOptions } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { type NedisServer, startServer } from "../../src/index.js";

/**
 * The server under test. By default a nedis started in this process on an ephemeral port;
 * `NEDIS_TEST_TARGET=redis` starts a real redis-server instead (the expectations must hold on
 * both); `NEDIS_TEST_URL=redis://host:port` uses a running server.
 */
export interface Target {
  kind: "nedis" | "redis" | "url";
  host: string;
  port: number;
  /** A new ioredis client; closed by `stop()`. */
  client(options?: RedisOptions): Redis;
  stop(): Promise<void>;
  /** The in-process server when `kind` is "nedis", for tests that must reach past the protocol. */
  server?: NedisServer;
}

export type ConfigPairs = [string, string[]][];

/**
 * Starts the target before the tests of this file (or of the enclosing `describe`) and stops it
 * after them. The handle forwards to the running target, so it may be used from any hook or test
 * but not while the file is being collected. `config` may be a function, called in `beforeAll`,
 * for settings that need earlier setup (a temporary directory, a file to point at).
 */
export function useTarget(config: ConfigPairs | (() => ConfigPairs | Promise<ConfigPairs>) = []): Target {
  let running: Target | undefined;
  const current = (): Target => {
    if (running === undefined) throw new Error("useTarget: the target runs from beforeAll to afterAll");
    return running;
  };
  const handle: Target = {
    get kind() {
      return current().kind;
    },
    get host() {
      return current().host;
    },
    get port() {
      return current().port;
    },
    get server() {
      return current().server;
    },
    client: (options) => current().client(options),
    async stop() {
      const target = running;
      running = undefined;
      await target?.stop();
    },
  };
  beforeAll(async () => {
    running = await startTarget(typeof config === "function" ? await config() : config);
  });
  afterAll(() => handle.stop());
  return handle;
}

export async function startTarget(config: ConfigPairs = []): Promise<Target> {
  const url = process.env.NEDIS_TEST_URL;
  if (url) {
    const u = new URL(url);
    return withClients("url", u.hostname, Number(u.port || 6379), async () => {});
  }
  if (process.env.NEDIS_TEST_TARGET === "redis") return startRealRedis(config);
  const server = await startServer({
    anyPort: true,
    options: [["bind", ["127.0.0.1"]], ["save", [""]], ["loglevel", ["warning"]], ...config],
  });
  const addr = server.addresses[0]!;
  return { ...withClients("nedis", addr.host, addr.port, () => server.close()), server };
}

export function withClients(kind: Target["kind"], host: string, port: number, close: () => Promise<void>): Target {
  const clients: Redis[] = [];
  return {
    kind,
    host,
    port,
    client(options = {}) {
      const c = new Redis({ host, port, maxRetriesPerRequest: 1, connectTimeout: 5000, ...options });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.disconnect();
      await close();
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startRealRedis(config: ConfigPairs): Promise<Target> {
  return spawnRealRedis([], [["bind", ["127.0.0.1"]], ["save", [""]], ...config]);
}

/**
 * Starts `redis-server <leading args> --port <free> --appendonly no --<name> <words>…` (in `cwd`),
 * retrying on another port if the first is taken meanwhile.
 */
export async function spawnRealRedis(leading: string[], config: ConfigPairs, cwd?: string): Promise<Target> {
  const bin = process.env.REDIS_SERVER_BIN ?? "redis-server";
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const args = [...leading, "--port", String(port), "--appendonly", "no"];
    for (const [name, words] of config) args.push(`--${name}`, ...words);
    const proc = spawn(bin, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    if (await waitReady(proc)) {
      return withClients("redis", "127.0.0.1", port, () => stopProcess(proc));
    }
    await stopProcess(proc);
  }
  throw new Error("could not start redis-server");
}

function waitReady(proc: ChildProcess): Promise<boolean> {
  return new Promise((resolve) => {
    let out = "";
    const timer = setTimeout(() => resolve(false), 5000);
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    proc.once("exit", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

export function stopProcess(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
    proc.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill("SIGTERM");
  });
}

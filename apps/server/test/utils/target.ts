import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { Redis, type RedisOptions } from "ioredis";
import { startServer } from "../../src/index.js";

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
}

export type ConfigPairs = [string, string[]][];

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
  return withClients("nedis", addr.host, addr.port, () => server.close());
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

import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { Redis } from "ioredis";
import { applyConfigFile, ConfigStore, Logger, NedisServer } from "../../src/index.js";
import { stopProcess, type ConfigPairs, type Target } from "./target.js";

/**
 * A server started from a config file, as `nedis-server /path/to.conf` and `redis-server
 * /path/to.conf` start, for CONFIG REWRITE. nedis runs in this process (the file is loaded the
 * way `main` loads it); `NEDIS_TEST_TARGET=redis` spawns redis-server in the file's directory.
 * Both listen on 127.0.0.1 with `save ""`, given after the file like command-line options.
 */
export async function startWithConfigFile(path: string, options: ConfigPairs = []): Promise<Target> {
  const base: ConfigPairs = [["bind", ["127.0.0.1"]], ["save", [""]], ...options];
  if (process.env.NEDIS_TEST_TARGET === "redis") return startRedis(path, base);
  const config = new ConfigStore();
  applyConfigFile(config, path);
  for (const [name, words] of base) config.set(name, words);
  config.configFile = path;
  // The log goes beside the file (CONFIG REWRITE logs at warning level, as Redis does).
  const server = new NedisServer(config, new Logger("warning", join(dirname(path), "nedis.log")));
  const [addr] = await server.listen({ anyPort: true });
  return clientsOf("nedis", addr!.port, () => server.close());
}

async function startRedis(path: string, options: ConfigPairs): Promise<Target> {
  const bin = process.env.REDIS_SERVER_BIN ?? "redis-server";
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const args = [path, "--port", String(port), "--appendonly", "no"];
    for (const [name, words] of options) args.push(`--${name}`, ...words);
    const proc = spawn(bin, args, { cwd: dirname(path), stdio: ["ignore", "pipe", "pipe"] });
    if (await ready(proc)) return clientsOf("redis", port, () => stopProcess(proc));
    await stopProcess(proc);
  }
  throw new Error("could not start redis-server");
}

function clientsOf(kind: Target["kind"], port: number, close: () => Promise<void>): Target {
  const clients: Redis[] = [];
  return {
    kind,
    host: "127.0.0.1",
    port,
    client(options = {}) {
      const c = new Redis({ host: "127.0.0.1", port, maxRetriesPerRequest: 1, connectTimeout: 5000, ...options });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.disconnect();
      await close();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function ready(proc: ChildProcess): Promise<boolean> {
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

// Starting and stopping nedis (apps/server/dist/main.js) or redis-server on a free loopback port,
// for the keyspace benchmarks. Plain Node, no build step.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const NEDIS_MAIN = path.join(REPO_ROOT, "apps", "server", "dist", "main.js");

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {net.AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server and resolves once it answers PING.
 * @param {"nedis" | "redis"} kind
 * @param {string[]} extraArgs redis-server style arguments (`--name value`)
 * @param {{ nodeArgs?: string[], onOutput?: (text: string) => void }} [options]
 */
export async function startServer(kind, extraArgs, options = {}) {
  const port = await freePort();
  const base = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...extraArgs];
  let command;
  let args;
  if (kind === "nedis") {
    if (!existsSync(NEDIS_MAIN)) throw new Error(`${NEDIS_MAIN} is missing: pnpm --filter nedis-server... build`);
    command = process.execPath;
    args = [
      ...(options.nodeArgs ?? []),
      ...(process.env.NEDIS_NODE_FLAGS ? process.env.NEDIS_NODE_FLAGS.split(" ") : []),
      NEDIS_MAIN,
      ...base,
    ];
  } else {
    command = process.env.REDIS_SERVER_BIN ?? "redis-server";
    args = base;
  }
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  const onOutput = options.onOutput ?? (() => {});
  child.stdout.setEncoding("latin1").on("data", onOutput);
  child.stderr.setEncoding("latin1").on("data", onOutput);
  const stopOnExit = () => child.kill("SIGKILL");
  process.once("exit", stopOnExit);
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${kind} exited with ${child.exitCode}`);
    if (await pings(port)) break;
    if (Date.now() > deadline) throw new Error(`${kind} did not answer PING`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    kind,
    port,
    pid: child.pid,
    /** Stops the server (SIGTERM, then SIGKILL after 5 s). */
    stop() {
      process.off("exit", stopOnExit);
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve(undefined);
        });
        child.kill("SIGTERM");
      });
    },
  };
}

function pings(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (d) => done(d.toString().startsWith("+PONG")));
  });
}

/** Percentile of a sorted numeric array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Reads `--name value` flags into an object of strings. */
export function parseFlags(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") continue;
    if (a === "-h" || a === "--help") out.help = "1";
    else if (a.startsWith("--")) {
      const [name, inline] = a.slice(2).split("=", 2);
      out[name] = inline ?? argv[++i];
    }
  }
  return out;
}

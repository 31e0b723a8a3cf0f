import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";

/** The real redis-server used as ground truth, when installed. */
export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? "/usr/bin/redis-server";
export const hasRedisServer = existsSync(REDIS_SERVER_BIN);

export interface RedisServer {
  port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** Starts a throwaway redis-server (no persistence) on a free port. */
export async function startRedis(extraArgs: string[] = []): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    REDIS_SERVER_BIN,
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--daemonize",
      "no",
      ...extraArgs,
    ],
    { stdio: "ignore" },
  );
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Writes `bytes` on a fresh connection and returns everything read within `waitMs`. */
export function exchange(port: number, bytes: Uint8Array, waitMs = 300): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, "127.0.0.1", () => s.write(bytes));
    let timer: NodeJS.Timeout | undefined;
    const done = (): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(Buffer.concat(chunks));
    };
    s.on("data", (d) => chunks.push(d));
    s.on("close", done);
    s.on("error", done);
    timer = setTimeout(done, waitMs);
  });
}

/** A RESP2 command as bytes. */
export function command(...args: (string | Uint8Array)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === "string" ? Buffer.from(a, "latin1") : Buffer.from(a);
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

const QUIT = command("QUIT");

/**
 * Sends complete commands followed by QUIT, so Redis closes the connection once it has replied;
 * returns the replies without QUIT's `+OK`.
 */
export async function roundTrip(port: number, bytes: Uint8Array): Promise<Buffer> {
  const raw = await exchange(port, Buffer.concat([bytes, QUIT]), 10_000);
  return raw.subarray(0, raw.length - 5);
}

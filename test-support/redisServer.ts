/** Test support shared by the packages' suites (a real redis-server as ground truth); not published. */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";

/** The real redis-server used as ground truth, when installed. */
export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? "/usr/bin/redis-server";
export const hasRedisServer = existsSync(REDIS_SERVER_BIN);

/** A RESP2 reply: status/bulk as Buffer, integers as number, arrays, errors as Error. */
export type Reply = Buffer | number | null | Error | Reply[];

export interface RedisConnection {
  call(...args: (string | Uint8Array)[]): Promise<Reply>;
}

export interface RedisServer extends RedisConnection {
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

function encodeCommand(args: (string | Uint8Array)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === "string" ? Buffer.from(a, "latin1") : Buffer.from(a);
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

function parseReply(buf: Buffer, pos: number): [Reply, number] | null {
  const eol = buf.indexOf("\r\n", pos);
  if (eol < 0) return null;
  const type = buf[pos];
  const line = buf.toString("latin1", pos + 1, eol);
  if (type === 0x2b) return [Buffer.from(line, "latin1"), eol + 2];
  if (type === 0x2d) return [new Error(line), eol + 2];
  if (type === 0x3a) return [Number(line), eol + 2];
  if (type === 0x24) {
    const n = Number(line);
    if (n < 0) return [null, eol + 2];
    if (buf.length < eol + 4 + n) return null;
    return [buf.subarray(eol + 2, eol + 2 + n), eol + 4 + n];
  }
  const n = Number(line);
  if (n < 0) return [null, eol + 2];
  const items: Reply[] = [];
  let p = eol + 2;
  for (let i = 0; i < n; i++) {
    const r = parseReply(buf, p);
    if (r === null) return null;
    items.push(r[0]);
    p = r[1];
  }
  return [items, p];
}

/** Opens a pipelining RESP2 connection (replies are matched to calls in order). */
async function connect(port: number): Promise<{ conn: RedisConnection; socket: net.Socket }> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let buffered = Buffer.alloc(0);
  const waiting: ((r: Reply) => void)[] = [];
  socket.on("data", (d) => {
    buffered = Buffer.concat([buffered, d]);
    while (waiting.length > 0) {
      const r = parseReply(buffered, 0);
      if (r === null) break;
      buffered = buffered.subarray(r[1]);
      waiting.shift()!(r[0]);
    }
  });
  const conn: RedisConnection = {
    call: (...args) =>
      new Promise((resolve) => {
        waiting.push(resolve);
        socket.write(encodeCommand(args));
      }),
  };
  return { conn, socket };
}

/** Starts a throwaway redis-server (no persistence) on a free port, with one connection. */
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
  let connection: { conn: RedisConnection; socket: net.Socket } | null = null;
  for (let i = 0; i < 100 && connection === null; i++) {
    try {
      connection = await connect(port);
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  if (connection === null) throw new Error(`redis-server did not start on port ${port}`);
  const { conn, socket } = connection;
  return {
    port,
    call: conn.call,
    stop: () =>
      new Promise<void>((resolve) => {
        socket.destroy();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

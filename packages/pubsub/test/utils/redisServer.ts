/**
 * A real redis-server for conformance tests: started on a private unix socket with persistence
 * off, stopped by its own pid, plus a raw RESP connection that records every byte it receives.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? "redis-server";

export function redisServerAvailable(): boolean {
  return spawnSync(REDIS_SERVER_BIN, ["--version"]).status === 0;
}

export interface RunningRedis {
  readonly socketPath: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RunningRedis> {
  const dir = mkdtempSync(join(tmpdir(), "nedis-pubsub-redis-"));
  const socketPath = join(dir, "redis.sock");
  const child: ChildProcess = spawn(
    REDIS_SERVER_BIN,
    ["--port", "0", "--unixsocket", socketPath, "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: "ignore" },
  );
  for (let attempt = 0; ; attempt++) {
    try {
      const probe = await RawConnection.open(socketPath);
      probe.close();
      break;
    } catch (error) {
      if (attempt > 100) throw error;
      await sleep(20);
    }
  }
  return {
    socketPath,
    async stop() {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** RESP array of bulk strings; string arguments are latin1 (one char per byte). */
export function encodeCommand(args: readonly (string | Uint8Array)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === "string" ? Buffer.from(arg, "latin1") : Buffer.from(arg);
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

export class RawConnection {
  readonly #socket: Socket;
  #received: Buffer[] = [];

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => this.#received.push(chunk));
  }

  static open(path: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new RawConnection(socket));
      });
    });
  }

  send(args: readonly (string | Uint8Array)[]): void {
    this.#socket.write(encodeCommand(args));
  }

  /** Bytes received since the last call. */
  take(): Uint8Array {
    const out = Buffer.concat(this.#received);
    this.#received = [];
    return new Uint8Array(out);
  }

  close(): void {
    this.#socket.destroy();
  }
}

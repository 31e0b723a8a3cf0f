import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { findProgram } from "../src/process/findProgram.js";
import { startFakeNotifySocket } from "./utils/fakeNotifySocket.js";
import { startServerProcess, waitFor } from "./utils/serverProcess.js";
import { freePort } from "./utils/target.js";

/**
 * `supervised systemd|auto`: the sd_notify protocol on NOTIFY_SOCKET, checked with a fake
 * receiver (and against redis-server, built with libsystemd, under test:redis): the status line
 * and READY=1 once listening, STOPPING=1 when shutting down.
 */
const dir = mkdtempSync(join(tmpdir(), "nedis-notify-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function infoServer(port: number): Promise<string> {
  const client = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    return await client.info("server");
  } finally {
    client.disconnect();
  }
}

async function notifyRun(supervised: string, extra: string[] = []) {
  const socket = await startFakeNotifySocket(mkdtempSync(join(dir, "s-")));
  const port = await freePort();
  const server = startServerProcess(
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--supervised", supervised, ...extra],
    { cwd: dir, env: { ...process.env, NOTIFY_SOCKET: socket.path } },
  );
  try {
    await waitFor(() => socket.assignments().includes("READY=1"), 15_000, "READY=1");
    const beforeStop = socket.assignments();
    const info = await infoServer(port);
    // Still in the foreground (supervised wins over daemonize, as in Redis).
    expect(server.proc.exitCode).toBe(null);
    server.proc.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    await waitFor(() => socket.assignments().includes("STOPPING=1"), 5000, "STOPPING=1");
    return { beforeStop, all: socket.assignments(), output: server.output(), info };
  } finally {
    server.proc.kill("SIGKILL");
    await socket.close();
  }
}

// The fake receiver is a python3 one-liner (Node has no unix datagram sockets).
describe.skipIf(process.env.NEDIS_TEST_URL || findProgram("python3") === null)("supervised by systemd", () => {
  it("supervised systemd: STATUS then READY=1 once listening, STOPPING=1 at shutdown", async () => {
    const { beforeStop, all, output, info } = await notifyRun("systemd");
    expect(info).toContain("process_supervised:systemd\r\n");
    expect(beforeStop[0]).toMatch(/^STATUS=\S+ is loading\.\.\.$/);
    expect(beforeStop.slice(1)).toEqual(["STATUS=Ready to accept connections", "READY=1"]);
    expect(all.at(-1)).toBe("STOPPING=1");
    expect(output).toContain("Supervised by systemd.");
  });

  it("supervised auto finds NOTIFY_SOCKET, and keeps a `daemonize yes` server in the foreground", async () => {
    const { beforeStop } = await notifyRun("auto", ["--daemonize", "yes"]);
    expect(beforeStop).toContain("READY=1");
  });

  it("supervised systemd without NOTIFY_SOCKET logs Redis's error and runs unsupervised", async () => {
    const port = await freePort();
    const env = { ...process.env };
    delete env.NOTIFY_SOCKET;
    const server = startServerProcess(
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--supervised", "systemd"],
      { cwd: dir, env },
    );
    try {
      await waitFor(() => server.output().includes("Ready to accept connections"), 10_000, "ready");
      expect(server.output()).toContain("systemd supervision error: NOTIFY_SOCKET not found!");
      server.proc.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    } finally {
      server.proc.kill("SIGKILL");
    }
  });
});

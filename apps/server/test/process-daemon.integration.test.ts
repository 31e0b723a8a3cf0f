import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { alive, startServerProcess, useRedis, waitFor } from "./utils/serverProcess.js";
import { freePort } from "./utils/target.js";

/**
 * `daemonize`, `pidfile`, `logfile` and signals, as redis-server behaves (checked against it under
 * test:redis): a daemonized server is found through its pid file and stopped by SIGTERM.
 */
const dir = mkdtempSync(join(tmpdir(), "nedis-process-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mainJs = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const command = useRedis ? (process.env.REDIS_SERVER_BIN ?? "redis-server") : process.execPath;
const baseArgs = useRedis ? [] : [mainJs];

function runSync(args: string[], input = "") {
  return spawnSync(command, [...baseArgs, ...args], { cwd: dir, input, encoding: "latin1", timeout: 20_000 });
}

async function ping(port: number): Promise<string> {
  const client = new Redis({
    port,
    host: "127.0.0.1",
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    return await client.ping();
  } finally {
    client.disconnect();
  }
}

const readPid = (path: string) => Number.parseInt(readFileSync(path, "latin1"), 10);

describe.skipIf(process.env.NEDIS_TEST_URL)("process management", () => {
  it("daemonize yes: the command returns 0, the server runs detached and writes its pid file; SIGTERM stops it and removes the file", async () => {
    const port = await freePort();
    const pidFile = join(dir, "daemon.pid");
    const logFile = join(dir, "daemon.log");
    const r = runSync([
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--daemonize",
      "yes",
      "--pidfile",
      pidFile,
      "--logfile",
      logFile,
    ]);
    expect(r.status).toBe(0);
    // The parent wrote nothing: the daemon's output goes to the log file (or /dev/null).
    expect(r.stdout).toBe("");
    await waitFor(() => existsSync(pidFile), 10_000, "pid file");
    const pid = readPid(pidFile);
    expect(pid).not.toBe(r.pid);
    try {
      await waitFor(async () => (await ping(port).catch(() => "")) === "PONG", 10_000, "PONG");
      // A new session: the daemon is its own session leader, with no controlling terminal.
      const sid = spawnSync("ps", ["-o", "sid=", "-p", String(pid)], { encoding: "latin1" }).stdout.trim();
      if (sid !== "") expect(Number(sid)).toBe(pid);
      process.kill(pid, "SIGTERM");
      await waitFor(() => !alive(pid), 10_000, "daemon exit");
      expect(existsSync(pidFile)).toBe(false);
      const log = readFileSync(logFile, "latin1");
      expect(log).toContain("Ready to accept connections");
      expect(log).toContain(`${pid}:signal-handler (`);
      expect(log).toContain("Received SIGTERM scheduling shutdown...");
      expect(log).toContain("Removing the pid file.");
      expect(log).toMatch(/is now ready to exit, bye bye/);
    } finally {
      if (alive(pid)) process.kill(pid, "SIGKILL");
    }
  });

  it("daemonize yes reads `-` (config from stdin) before detaching", async () => {
    const port = await freePort();
    const pidFile = join(dir, "stdin.pid");
    const r = runSync(
      ["-", "--daemonize", "yes", "--pidfile", pidFile, "--save", ""],
      `port ${port}\nbind 127.0.0.1\n`,
    );
    expect(r.status).toBe(0);
    await waitFor(() => existsSync(pidFile), 10_000, "pid file");
    const pid = readPid(pidFile);
    try {
      await waitFor(async () => (await ping(port).catch(() => "")) === "PONG", 10_000, "PONG");
    } finally {
      process.kill(pid, "SIGTERM");
      await waitFor(() => !alive(pid), 10_000, "daemon exit");
    }
    expect(existsSync(pidFile)).toBe(false);
  });

  it("pidfile is written without daemonize too, and SIGINT removes it with a clean exit", async () => {
    const port = await freePort();
    const pidFile = join(dir, "fg.pid");
    const server = startServerProcess(
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--pidfile", pidFile],
      { cwd: dir },
    );
    try {
      await waitFor(() => server.output().includes("Ready to accept connections"), 10_000, "ready");
      expect(readPid(pidFile)).toBe(server.proc.pid);
      server.proc.kill("SIGINT");
      expect(await server.exited).toBe(0);
      expect(existsSync(pidFile)).toBe(false);
      expect(server.output()).toContain("Received SIGINT scheduling shutdown...");
    } finally {
      server.proc.kill("SIGKILL");
    }
  });

  // redis-server has no SIGUSR1 handler in its main process, so the signal kills it (no pid file
  // cleanup); nedis logs and ignores it instead of letting Node open its inspector.
  it.skipIf(useRedis)("SIGUSR1 is logged and ignored", async () => {
    const port = await freePort();
    const server = startServerProcess(["--port", String(port), "--bind", "127.0.0.1", "--save", ""], { cwd: dir });
    try {
      await waitFor(() => server.output().includes("Ready to accept connections"), 10_000, "ready");
      server.proc.kill("SIGUSR1");
      await waitFor(() => server.output().includes("Received SIGUSR1, ignored"), 10_000, "SIGUSR1 log");
      expect(await ping(port)).toBe("PONG");
      expect(server.proc.exitCode).toBe(null);
      server.proc.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    } finally {
      server.proc.kill("SIGKILL");
    }
  });

  it("a log file that cannot be opened is a fatal config error", () => {
    const r = runSync(["--logfile", join(dir, "no", "such", "dir.log")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nCan't open the log file: No such file or directory\n",
    );
  });

  // redis-server calls syslog(3); nedis hands the lines to util-linux's `logger` (Node has no
  // datagram socket for /dev/log): a stand-in `logger` on the PATH records what it is given.
  it.skipIf(useRedis)("syslog-enabled yes sends each line to `logger` with the ident, pid and priority", async () => {
    const bin = mkdtempSync(join(dir, "bin-"));
    const fakeLogger = join(bin, "logger");
    writeFileSync(fakeLogger, `#!/bin/sh\nprintf '%s\\n' "$@" > "${bin}/args"\nexec cat > "${bin}/lines"\n`);
    chmodSync(fakeLogger, 0o755);
    const port = await freePort();
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", ""];
    const server = startServerProcess(
      [...args, "--syslog-enabled", "yes", "--syslog-ident", "myident", "--syslog-facility", "local3"],
      { cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` } },
    );
    try {
      const lines = () => (existsSync(join(bin, "lines")) ? readFileSync(join(bin, "lines"), "latin1") : "");
      await waitFor(() => lines().includes("Ready to accept connections"), 10_000, "syslog lines");
      expect(readFileSync(join(bin, "args"), "latin1")).toBe(
        `--prio-prefix\n--tag\nmyident\n--id=${server.proc.pid}\n`,
      );
      // local3 (19) * 8 + LOG_NOTICE (5) / LOG_WARNING (4): Redis's syslogLevelMap.
      expect(lines()).toContain("<157>Server initialized\n");
      expect(lines()).toContain("<156>Warning: no config file specified");
      // The log still goes to stdout too, as in Redis.
      await waitFor(() => server.output().includes("Server initialized"), 10_000, "stdout log");
      server.proc.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    } finally {
      server.proc.kill("SIGKILL");
    }
    // Without a logger program syslog cannot work: refused at start, not ignored.
    const r = spawnSync(command, [...baseArgs, ...args, "--syslog-enabled", "yes"], {
      cwd: dir,
      env: { ...process.env, PATH: join(dir, "nowhere") },
      encoding: "latin1",
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("syslog-enabled needs the `logger` program");
  });

  it.skipIf(useRedis)(
    "a daemon that fails to start makes the command fail (Redis's parent exits 0 regardless)",
    async () => {
      const port = await freePort();
      const blocker = startServerProcess(["--port", String(port), "--bind", "127.0.0.1", "--save", ""], { cwd: dir });
      try {
        await waitFor(() => blocker.output().includes("Ready to accept connections"), 10_000, "ready");
        const r = runSync([
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--daemonize",
          "yes",
          "--pidfile",
          join(dir, "fail.pid"),
        ]);
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("the daemonized server stopped before it was ready");
        expect(existsSync(join(dir, "fail.pid"))).toBe(false);
      } finally {
        blocker.proc.kill("SIGKILL");
      }
    },
  );
});

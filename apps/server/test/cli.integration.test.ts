import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { stopProcess } from "./utils/target.js";

/**
 * The command line of `nedis-server`, checked against `redis-server` itself under test:redis:
 * same config errors, same exit codes, same startup and shutdown behaviour.
 */
const useRedis = process.env.NEDIS_TEST_TARGET === "redis";
const mainJs = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const command = useRedis ? (process.env.REDIS_SERVER_BIN ?? "redis-server") : process.execPath;
const baseArgs = useRedis ? [] : [mainJs];
const dir = mkdtempSync(join(tmpdir(), "nedis-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runSync(args: string[], input?: string) {
  const r = spawnSync(command, [...baseArgs, ...args], { input, encoding: "latin1", timeout: 10_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const fatal = (line: number, text: string, reason: string) =>
  `\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line ${line}\n>>> '${text}'\n${reason}\n`;

describe.skipIf(process.env.NEDIS_TEST_URL)("nedis-server command line", () => {
  it("--version prints the version and exits 0", () => {
    const r = runSync(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/server v=\S+/);
  });

  it("--help prints the usage on stderr and exits 1, like redis-server", () => {
    const r = runSync(["--help"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Usage: \.\/\S+-server \[\/path\/to\/\S+\.conf\] \[options\] \[-\]/);
  });

  it("a bad option value is a fatal config error naming the line", () => {
    const r = runSync(["--port", "abc"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(fatal(2, 'port "abc"', "argument couldn't be parsed into an integer"));
    expect(runSync(["--port", "70000"]).stderr).toBe(
      fatal(2, 'port "70000"', "argument must be between 0 and 65535 inclusive"),
    );
  });

  it("an unknown option is a bad directive", () => {
    const r = runSync(["--nosuch", "1"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(fatal(2, 'nosuch "1"', "Bad directive or wrong number of arguments"));
  });

  // unit/acl "Test loading duplicate users in config on startup": --user lines are config lines.
  it("--user options declare users; a name given twice is fatal", () => {
    const r = runSync(["--port", "0", "--user", "foo", "--user", "foo"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      fatal(
        4,
        'user "foo"',
        "Error in user declaration 'foo': Duplicate user found. A user can only be defined once in config files",
      ),
    );
    expect(runSync(["--port", "0", "--user", "default", "--user", "default"]).stderr).toContain("Duplicate user found");
  });

  it("a config file with unbalanced quotes is rejected at its line", () => {
    const path = join(dir, "bad.conf");
    writeFileSync(path, 'port 7001\nbind "127.0.0.1\n');
    const r = runSync([path]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(fatal(2, 'bind "127.0.0.1', "Unbalanced quotes in configuration line"));
  });

  it("a missing config file is fatal", () => {
    const r = runSync([join(dir, "missing.conf")]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `^\\d+:\\w \\d\\d \\w{3} \\d{4} [\\d:.]+ # Fatal error, can't open config file '${join(dir, "missing.conf")}': No such file or directory\n$`,
      ),
    );
  });

  it("a server configured to listen nowhere exits", () => {
    const r = runSync(["--port", "0"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("# Configured to not listen anywhere, exiting.");
  });

  it("an ACL file with errors aborts the start", () => {
    const path = join(dir, "bad.acl");
    writeFileSync(path, "user alice on +@nosuchcategory\n");
    const r = runSync(["--port", String(20_000 + Math.floor(Math.random() * 20_000)), "--aclfile", path]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      `# Aborting Redis startup because of ACL errors: ${path}:1: Error in applying operation '+@nosuchcategory': Unknown command or category name in ACL.`,
    );
  });

  it("reads config from a file with include, stdin and options; serves; SIGTERM exits cleanly", async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    writeFileSync(join(dir, "inner.conf"), "databases 4\n");
    writeFileSync(join(dir, "main.conf"), `# comment\ninclude ${join(dir, "inner.conf")}\nport 1\n`);
    const proc = spawn(
      command,
      [...baseArgs, join(dir, "main.conf"), "--port", String(port), "--bind", "127.0.0.1", "--save", "", "-"],
      {
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    proc.stdin!.end("loglevel notice\n");
    let log = "";
    proc.stdout!.on("data", (d: Buffer) => (log += d.toString()));
    try {
      await waitFor(() => log.includes("Ready to accept connections"), 10_000);
      const r = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 1 });
      try {
        expect(await r.ping()).toBe("PONG");
        await expect(r.select(4)).rejects.toThrow("ERR DB index is out of range");
      } finally {
        r.disconnect();
      }
      const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
      proc.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(log).toMatch(/Received SIGTERM scheduling shutdown/);
      expect(log).toMatch(/ready to exit, bye bye/);
    } finally {
      await stopProcess(proc);
    }
  });
});

describe.skipIf(process.env.NEDIS_TEST_URL)("nedis-server option words", () => {
  // unit/introspection "command line arguments - wrong usage that we support anyway": words before
  // any --option are a config line, and quotes inside one argument are read as in a config line.
  it("accepts `loglevel verbose` after the file and quoted values inside an option", async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    writeFileSync(join(dir, "words.conf"), `port ${port}\nbind 127.0.0.1\nsave ""\n`);
    const args = [
      join(dir, "words.conf"),
      "loglevel",
      "verbose",
      "--maxmemory '700mb'",
      "--maxmemory-policy 'volatile-lru'",
    ];
    const proc = spawn(command, [...baseArgs, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    proc.stdout!.on("data", (d: Buffer) => (log += d.toString()));
    try {
      await waitFor(() => log.includes("Ready to accept connections"), 10_000);
      const r = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 1 });
      try {
        expect(await r.config("GET", "loglevel")).toEqual(["loglevel", "verbose"]);
        expect(await r.config("GET", "maxmemory")).toEqual(["maxmemory", "734003200"]);
        expect(await r.config("GET", "maxmemory-policy")).toEqual(["maxmemory-policy", "volatile-lru"]);
      } finally {
        r.disconnect();
      }
    } finally {
      await stopProcess(proc);
    }
  });
});

describe.skipIf(process.env.NEDIS_TEST_URL)("nedis-server peers", () => {
  // unit/introspection "cannot modify protected configuration - local": with protected mode off,
  // nothing read the peer address before the connection was adopted, and TCP clients passed for
  // unix-socket ones without an address (so DEBUG refused them as not local).
  it("a TCP client is local and shows its address with protected-mode no", async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const args = [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--protected-mode",
      "no",
      "--enable-debug-command",
      "local",
    ];
    const proc = spawn(command, [...baseArgs, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    proc.stdout!.on("data", (d: Buffer) => (log += d.toString()));
    try {
      await waitFor(() => log.includes("Ready to accept connections"), 10_000);
      const r = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 1 });
      try {
        expect(await r.call("DEBUG", "SLEEP", "0")).toBe("OK");
        expect(await r.call("CLIENT", "INFO")).toMatch(
          /^id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ .* flags=N /,
        );
      } finally {
        r.disconnect();
      }
    } finally {
      await stopProcess(proc);
    }
  });
});

describe.skipIf(process.env.NEDIS_TEST_URL)("nedis-server output", () => {
  // Redis ignores SIGPIPE and failed log writes: a server whose stdout reader went away keeps serving.
  it("keeps serving after the reader of its log output closes", async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--enable-debug-command", "yes"];
    const proc = spawn(command, [...baseArgs, ...args], { stdio: ["ignore", "pipe", "ignore"] });
    let log = "";
    proc.stdout!.on("data", (d: Buffer) => (log += d.toString()));
    try {
      await waitFor(() => log.includes("Ready to accept connections"), 10_000).catch((e) => {
        throw new Error(`${e} ${log} ${proc.exitCode}`);
      });
      proc.stdout!.destroy();
      const r = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 1 });
      try {
        for (let i = 0; i < 20; i++) expect(await r.call("DEBUG", "LOG", `line ${i} ${"x".repeat(10_000)}`)).toBe("OK");
        expect(await r.ping()).toBe("PONG");
        expect(proc.exitCode).toBe(null);
      } finally {
        r.disconnect();
      }
    } finally {
      await stopProcess(proc);
    }
  });
});

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { startServerProcess, useRedis, waitFor } from "./utils/serverProcess.js";
import { freePort, stopProcess } from "./utils/target.js";

/**
 * `rename-command` errors in a config file and `--rename-command` on the command line: the
 * nedis-server process (dist/main.js), or redis-server itself under test:redis, same output.
 */
const command = useRedis ? (process.env.REDIS_SERVER_BIN ?? "redis-server") : process.execPath;
const baseArgs = useRedis ? [] : [new URL("../dist/main.js", import.meta.url).pathname];
const dir = mkdtempSync(join(tmpdir(), "nedis-rename-process-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fatal = (line: number, text: string, reason: string) =>
  `\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line ${line}\n>>> '${text}'\n${reason}\n`;

function runWithConfig(name: string, lines: string[]) {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  const r = spawnSync(command, [...baseArgs, path, "--port", "0"], { encoding: "latin1", timeout: 10_000 });
  return { status: r.status, stderr: r.stderr };
}

describe.skipIf(process.env.NEDIS_TEST_URL)("rename-command errors (Redis's exact output)", () => {
  it("an unknown command, or one already renamed, is no such command", () => {
    expect(runWithConfig("unknown.conf", ["rename-command nosuch foo"])).toEqual({
      status: 1,
      stderr: fatal(1, "rename-command nosuch foo", "No such command in rename-command"),
    });
    expect(runWithConfig("twice.conf", ["rename-command set a", "rename-command set b"])).toEqual({
      status: 1,
      stderr: fatal(2, "rename-command set b", "No such command in rename-command"),
    });
    expect(runWithConfig("removed.conf", ['rename-command get ""', "rename-command get x"])).toEqual({
      status: 1,
      stderr: fatal(2, "rename-command get x", "No such command in rename-command"),
    });
  });

  it("a taken new name, or a wrong number of words, is refused", () => {
    expect(runWithConfig("taken.conf", ["rename-command get set"])).toEqual({
      status: 1,
      stderr: fatal(1, "rename-command get set", "Target command name already exists"),
    });
    expect(runWithConfig("short.conf", ["rename-command set"])).toEqual({
      status: 1,
      stderr: fatal(1, "rename-command set", "Bad directive or wrong number of arguments"),
    });
  });
});

describe.skipIf(process.env.NEDIS_TEST_URL)("--rename-command on the command line", () => {
  it("works like the config file line", async () => {
    const port = await freePort();
    const server = startServerProcess(["--port", String(port), "--save", "", "--rename-command", "set", "put"], {
      cwd: dir,
    });
    const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await waitFor(() => server.output().includes("Ready to accept connections"), 10_000, "ready");
      await client.connect();
      expect(await client.call("PUT", "k", "v")).toBe("OK");
      await expect(client.call("SET", "k", "v")).rejects.toThrow("ERR unknown command 'SET'");
    } finally {
      client.disconnect();
      await stopProcess(server.proc);
    }
  });
});

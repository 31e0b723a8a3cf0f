import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { stopProcess } from "./utils/target.js";

/**
 * The standalone artifact (scripts/build-standalone.mjs) installs as users install servers:
 * `npm install -g` of its tarball into an empty prefix, offline (it has no dependencies), gives
 * a `nedis-server` command that runs from an empty directory, outside the workspace.
 */
const serverDir = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "nedis-standalone-"));
const procs: ChildProcess[] = [];
afterAll(async () => {
  for (const proc of procs) await stopProcess(proc);
  rmSync(dir, { recursive: true, force: true });
});

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", [...args, "--offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
    env: npmEnv(),
  });
}

/** No user or global npm config (registry, prefix), nor pnpm's npm_* variables, leaks in. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/^npm_/i.test(name)) env[name] = value;
  env.npm_config_userconfig = join(dir, "user-npmrc");
  env.npm_config_globalconfig = join(dir, "global-npmrc");
  return env;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function waitForOutput(proc: ChildProcess, text: string, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${ms} ms:\n${out}`)), ms);
    const onData = (d: Buffer) => {
      out += d.toString("latin1");
      if (out.includes(text)) {
        clearTimeout(timer);
        resolve(out);
      }
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", onData);
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before "${text}":\n${out}`));
    });
  });
}

/** Sends one raw request and resolves with the first chunk of its reply. */
function request(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const timer = setTimeout(() => socket.destroy(new Error("no reply")), 5000);
    socket.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once("data", (d) => {
      clearTimeout(timer);
      socket.end();
      resolve(d.toString("latin1"));
    });
    socket.write(payload);
  });
}

const ping = (port: number): Promise<string> => request(port, "*1\r\n$4\r\nPING\r\n");

describe.skipIf(process.env.NEDIS_TEST_URL || process.env.NEDIS_TEST_TARGET === "redis")(
  "standalone nedis-server artifact",
  () => {
    it("installs into an empty prefix with npm, offline, and answers PING and EVAL from any directory", async () => {
      const artifact = join(dir, "artifact");
      execFileSync(process.execPath, [join(serverDir, "scripts/build-standalone.mjs"), artifact], {
        encoding: "utf8",
        timeout: 60_000,
      });
      const manifest = JSON.parse(readFileSync(join(artifact, "package.json"), "utf8")) as Record<string, unknown>;
      expect(manifest.bin).toEqual({ "nedis-server": "./nedis-server.js" });
      expect(manifest.dependencies).toBeUndefined();
      // Every workspace package is inside the bundle (and the command snapshot, read at startup,
      // beside it): no import of one is left.
      expect(readFileSync(join(artifact, "nedis-server.js"), "utf8")).not.toMatch(/from\s*"@nedis\//);

      // The tarball, not the folder: `npm install -g <folder>` would only link back to it.
      const tarball = npm(["pack", artifact, "--pack-destination", dir], dir).trim().split("\n").pop()!;
      const prefix = join(dir, "prefix");
      npm(["install", "--global", "--prefix", prefix, join(dir, tarball)], dir);
      const bin = join(prefix, "bin", "nedis-server");
      expect(existsSync(bin)).toBe(true);
      expect(readdirSync(join(prefix, "lib", "node_modules", "nedis-server")).sort()).toEqual([
        "LICENSE",
        "README.md",
        "liblua5.1.LICENSE",
        "liblua5.1.wasm",
        "nedis-server.js",
        "package.json",
        "redis-commands.json",
      ]);

      const cwd = join(dir, "elsewhere");
      mkdirSync(cwd);
      const port = await freePort();
      const proc = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1"], {
        cwd,
        stdio: ["ignore", "pipe", "pipe"],
      });
      procs.push(proc);
      await waitForOutput(proc, "Ready to accept connections", 20_000);
      expect(await ping(port)).toBe("+PONG\r\n");
      // The Lua interpreter's wasm ships beside the bundle and is found from any directory.
      expect(await request(port, "*3\r\n$4\r\nEVAL\r\n$8\r\nreturn 7\r\n$1\r\n0\r\n")).toBe(":7\r\n");
      await stopProcess(proc);
      expect(proc.exitCode ?? proc.signalCode).not.toBeNull();
    }, 120_000);
  },
);

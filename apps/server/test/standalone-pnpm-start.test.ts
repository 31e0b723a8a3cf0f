import { type ChildProcess, spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

/**
 * `pnpm start` as the root README runs it, in the background: stopping the process that
 * launched it (npx's PID, what `$!` gives) stops the server (scripts/start.mjs), where npx and
 * pnpm used to leave it listening.
 */
const root = fileURLToPath(new URL("../../../", import.meta.url));
let launched: ChildProcess | null = null;

afterAll(() => {
  // The whole group we started (npx, pnpm, the server), should the test have failed half-way.
  if (launched?.pid !== undefined)
    try {
      process.kill(-launched.pid, "SIGKILL");
    } catch {
      // Already gone: what the test expects.
    }
});

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

/** The reply to PING, or null when nothing listens. */
function ping(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const timer = setTimeout(() => socket.destroy(), 2000);
    socket.once("error", () => {
      clearTimeout(timer);
      resolve(null);
    });
    socket.once("close", () => resolve(null));
    socket.once("data", (d) => {
      clearTimeout(timer);
      socket.end();
      resolve(d.toString("latin1"));
    });
    socket.write("*1\r\n$4\r\nPING\r\n");
  });
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/** pnpm's own npm_* variables stay out: the launch is a user's, from a plain shell. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/^npm_/i.test(name)) env[name] = value;
  env.npm_config_prefer_offline = "true";
  // The build exists (turbo builds the server before its tests); rebuilding would rewrite dist/
  // while other test files use it.
  env.NEDIS_START_SKIP_BUILD = "1";
  return env;
}

describe.skipIf(
  process.env.NEDIS_TEST_URL || process.env.NEDIS_TEST_TARGET === "redis" || process.platform !== "linux",
)("pnpm start", () => {
  it("stops the server when the launching process is killed", async () => {
    const port = await freePort();
    // Its own process group, as a shell with job control starts `cmd &`.
    launched = spawn("npx", ["-y", "pnpm@10.34.8", "start", "--port", String(port), "--bind", "127.0.0.1"], {
      cwd: root,
      env: userEnv(),
      detached: true,
      stdio: "ignore",
    });
    // A cached build: turbo replays it (a cold build takes longer, hence the margin).
    expect(await waitFor(async () => (await ping(port)) === "+PONG\r\n", 60_000)).toBe(true);
    process.kill(launched.pid!, "SIGTERM");
    expect(await waitFor(async () => (await ping(port)) === null, 15_000)).toBe(true);
  }, 120_000);
});

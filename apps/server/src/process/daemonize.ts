import { spawn } from "node:child_process";

/**
 * `daemonize yes` without fork(): the same command line is started again, detached in a new
 * session (setsid) with stdio on /dev/null as Redis's daemonize() leaves it; the parent exits 0
 * once the child is listening, or with the child's status if it fails first.
 */
const DAEMON_CHILD_ENV = "NEDIS_DAEMON_CHILD";

/**
 * True in the process a daemonizing parent started. The marker is removed from the environment
 * so processes we start (notify helpers) do not inherit it.
 */
export function takeDaemonChildMarker(env = process.env): boolean {
  const isChild = env[DAEMON_CHILD_ENV] === "1";
  delete env[DAEMON_CHILD_ENV];
  return isChild;
}

/** Parent side: starts the background copy and exits when it is ready. Never returns. */
export function daemonize(cwd: string, stdinText: string): Promise<never> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    cwd,
    detached: true,
    env: { ...process.env, [DAEMON_CHILD_ENV]: "1" },
    // The child reads `-` (config from stdin) from this pipe: our stdin was consumed already.
    stdio: ["pipe", "ignore", "ignore", "ipc"],
  });
  child.stdin!.end(stdinText, "latin1");
  return new Promise<never>(() => {
    child.once("message", () => {
      child.disconnect();
      child.unref();
      process.exit(0);
    });
    child.once("exit", (code, signal) => {
      process.stderr.write(
        `nedis-server: the daemonized server stopped before it was ready (${signal ?? `exit code ${code}`}); see its logfile\n`,
      );
      process.exit(code === null || code === 0 ? 1 : code);
    });
    child.once("error", (err) => {
      process.stderr.write(`nedis-server: could not daemonize: ${err.message}\n`);
      process.exit(1);
    });
  });
}

/** Child side: tells the waiting parent that the server is listening, then drops the channel. */
export function reportDaemonReady(): void {
  if (!process.send) return;
  process.send("ready", () => process.disconnect());
}

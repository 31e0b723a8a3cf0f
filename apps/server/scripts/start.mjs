#!/usr/bin/env node
// `pnpm start` (root package.json): builds the server and its packages (turbo, cached), then runs
// nedis-server IN THIS PROCESS with the given arguments. In this process, not as a child: a
// signal sent to this PID reaches the server's own SIGINT/SIGTERM handlers, once.
//
// Stopping the launching process must stop the server, but neither npx nor pnpm passes SIGTERM
// on to what it runs: killing the PID of a backgrounded `npx pnpm start` left the server
// listening. So the launcher watches the processes that launched it (its ancestors in its own
// process group: npx, sh, pnpm; in an interactive shell, not the shell itself) and shuts the server down, as on
// SIGTERM, when one of them is gone. The root script `exec`s this file, so no shell stays between.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// Not from bundleSources.mjs: that loads tsup, which the server's process has no use for.
const SERVER_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = join(SERVER_DIR, "../..");
const WATCH_MS = 500;

/** Linux's /proc/<pid>/stat: parent, process group and start time; null once the process is gone (or a zombie). */
function procStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return null;
  }
  // After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
  // utime stime cutime cstime priority nice threads itrealvalue starttime.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  if (fields[0] === "Z") return null;
  return { ppid: Number(fields[1]), pgrp: Number(fields[2]), start: fields[19] };
}

/** The launching processes to outlive no longer than: ancestors in our process group. */
function launchers() {
  const self = procStat(process.pid);
  // Without /proc (not Linux): only the parent, through process.ppid.
  if (self === null) return [];
  const chain = [];
  for (let pid = self.ppid, stat = procStat(pid); pid > 1 && stat !== null && stat.pgrp === self.pgrp; ) {
    chain.push({ pid, start: stat.start });
    pid = stat.ppid;
    stat = procStat(pid);
  }
  return chain;
}

const parent = process.ppid;
const watched = launchers();
let build = null;

const launcherGone = () => process.ppid !== parent || watched.some(({ pid, start }) => procStat(pid)?.start !== start);

// Unreferenced: it never keeps the process alive.
const watch = setInterval(() => {
  if (!launcherGone()) return;
  clearInterval(watch);
  if (build !== null) build.kill("SIGTERM");
  // The server's handler shuts down gracefully; before it is installed, SIGTERM ends the process.
  process.kill(process.pid, "SIGTERM");
}, WATCH_MS).unref();

// NEDIS_START_SKIP_BUILD=1 runs the existing build: tests, where turbo built it already and a
// second build would rewrite dist/ under the feet of the test files running beside them.
const code =
  process.env.NEDIS_START_SKIP_BUILD === "1"
    ? 0
    : await new Promise((resolve) => {
        build = spawn(
          join(ROOT, "node_modules/.bin/turbo"),
          ["run", "build", "--filter=nedis-server...", "--output-logs=errors-only"],
          { cwd: ROOT, stdio: "inherit" },
        );
        build.once("error", (err) => {
          process.stderr.write(`could not run the build: ${err.message}\n`);
          resolve(1);
        });
        build.once("exit", (status, signal) => resolve(status ?? (signal === null ? 1 : 128)));
      });
build = null;
if (code !== 0) process.exit(code);

// The server reads its arguments from process.argv.slice(2), which are ours; argv[1] names the
// server's own entry point, as when it is run directly.
const main = join(SERVER_DIR, "dist/main.js");
process.argv[1] = main;
await import(pathToFileURL(main).href);

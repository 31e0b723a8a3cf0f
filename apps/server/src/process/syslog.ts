import { type ChildProcess, spawn } from "node:child_process";
import type { Socket } from "node:net";
import type { LogLevel } from "../config/options.js";
import { findProgram } from "./findProgram.js";

/**
 * `syslog-enabled yes` without a datagram socket (Node has none for /dev/log): one long-lived
 * `logger` process (util-linux) reads `<priority>message` lines on its stdin and sends each to
 * the system log, tagged `<syslog-ident>[pid]` as Redis's openlog(ident, LOG_PID, facility) does.
 */
const FACILITY: Record<string, number> = {
  user: 1,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

// Redis's syslogLevelMap: LOG_DEBUG, LOG_INFO, LOG_NOTICE, LOG_WARNING.
const SEVERITY: Record<LogLevel, number> = { debug: 7, verbose: 6, notice: 5, warning: 4 };

export class SyslogSink {
  private child: ChildProcess | null;

  constructor(
    loggerPath: string,
    ident: string,
    private readonly facility: number,
  ) {
    this.child = spawn(loggerPath, ["--prio-prefix", "--tag", ident, `--id=${process.pid}`], {
      stdio: ["pipe", "ignore", "ignore"],
    });
    // Like syslog(3), a system log that is not there loses the lines, never the server.
    this.child.once("error", () => this.drop());
    this.child.once("exit", () => this.drop());
    this.child.stdin!.on("error", () => this.drop());
    // The helper must not keep a shutting-down server alive.
    this.child.unref();
    (this.child.stdin as Socket).unref();
  }

  write(level: LogLevel, message: string): void {
    // One line per message: logger reads a new message at each newline.
    this.child?.stdin?.write(`<${this.facility * 8 + SEVERITY[level]}>${message.replace(/\n/g, " ")}\n`);
  }

  close(): void {
    this.child?.stdin?.end();
    this.child = null;
  }

  private drop(): void {
    this.child = null;
  }
}

/** Why syslog cannot be used on this machine, or null (checked before daemonizing). */
export function syslogUnavailable(path = process.env.PATH ?? ""): string | null {
  return findProgram("logger", path) === null
    ? "syslog-enabled needs the `logger` program (util-linux) on the PATH"
    : null;
}

/** The sink for `syslog-ident`/`syslog-facility`; {@link syslogUnavailable} said it can work. */
export function openSyslog(ident: string, facility: string, path = process.env.PATH ?? ""): SyslogSink | null {
  const logger = findProgram("logger", path);
  return logger === null ? null : new SyslogSink(logger, ident, FACILITY[facility] ?? FACILITY.local0!);
}

import { appendFileSync } from "node:fs";
import type { LogLevel } from "./config/options.js";
import type { SyslogSink } from "./process/syslog.js";

const LEVELS: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 };
const LEVEL_CHAR = [".", "-", "*", "#"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

let stdoutGuarded = false;

/**
 * Writes to stdout, ignoring write errors: Redis ignores SIGPIPE, so a server whose log reader
 * went away (EPIPE) keeps serving instead of dying on an unhandled 'error' event.
 */
function writeStdout(line: string): void {
  if (!stdoutGuarded) {
    stdoutGuarded = true;
    process.stdout.on("error", () => {});
  }
  process.stdout.write(line);
}

/** Log lines in Redis's format: `pid:M 25 Nov 2026 12:00:00.123 * message`. */
export class Logger {
  level: LogLevel;
  file: string;
  /** Also sends each line to the system log (`syslog-enabled yes`), as Redis's serverLogRaw. */
  syslog: SyslogSink | null = null;

  constructor(level: LogLevel = "notice", file = "") {
    this.level = level;
    this.file = file;
  }

  log(level: LogLevel, message: string): void {
    const n = LEVELS[level];
    if (n < LEVELS[this.level]) return;
    const d = new Date();
    const time = `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
    this.write(`${process.pid}:M ${time} ${LEVEL_CHAR[n]} ${message}\n`);
    this.syslog?.write(level, message);
  }

  /** A line in the format Redis's serverLogFromHandler uses for what its signal handlers log. */
  fromSignalHandler(level: LogLevel, message: string): void {
    if (LEVELS[level] < LEVELS[this.level]) return;
    this.write(`${process.pid}:signal-handler (${Math.floor(Date.now() / 1000)}) ${message}\n`);
  }

  private write(line: string): void {
    // Opened per line as Redis does, so a log rotated away is recreated without a signal.
    if (this.file === "") writeStdout(line);
    else {
      try {
        appendFileSync(this.file, line);
      } catch {
        // As Redis's serverLogRaw: a log file that cannot be opened drops the line.
      }
    }
  }

  debug(message: string): void {
    this.log("debug", message);
  }
  verbose(message: string): void {
    this.log("verbose", message);
  }
  notice(message: string): void {
    this.log("notice", message);
  }
  warning(message: string): void {
    this.log("warning", message);
  }
}

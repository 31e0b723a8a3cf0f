import { unlinkSync, writeFileSync } from "node:fs";

/** Redis 7.0's CONFIG_DEFAULT_PID_FILE: used when daemonized without a `pidfile`. */
export const DEFAULT_PID_FILE = "/var/run/redis.pid";

/**
 * The pid file to write, as Redis 7.0 decides: the configured one (daemonized or not), else the
 * default when running in the background, else none.
 */
export function pidFilePath(configured: string, background: boolean): string | null {
  if (configured !== "") return configured;
  return background ? DEFAULT_PID_FILE : null;
}

/** Writes `<pid>\n`, best effort like Redis's createPidFile: an unwritable path is not fatal. */
export function writePidFile(path: string): void {
  try {
    writeFileSync(path, `${process.pid}\n`);
  } catch {
    // Redis ignores a failed fopen() here too.
  }
}

/** Removes the pid file at shutdown; a file already gone is fine. */
export function removePidFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // As Redis's unlink(): nothing to report.
  }
}

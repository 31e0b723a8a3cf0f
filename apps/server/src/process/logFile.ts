import { closeSync, openSync } from "node:fs";
import { strerror } from "../config/specialKinds.js";

/**
 * Redis's start-up check of `logfile` (end of loadServerConfig): the file must open for append,
 * else a fatal config error, since the server could not report later problems. Null when fine.
 */
export function logFileError(path: string): string | null {
  if (path === "") return null;
  try {
    closeSync(openSync(path, "a"));
    return null;
  } catch (err) {
    return `Can't open the log file: ${strerror(err)}`;
  }
}

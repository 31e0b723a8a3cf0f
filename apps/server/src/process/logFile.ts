import { closeSync, openSync } from "node:fs";

// strerror() texts for the errors opening a log file can meet, so the message reads as Redis's.
const STRERROR: Record<string, string> = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
  EROFS: "Read-only file system",
  ENOSPC: "No space left on device",
  ELOOP: "Too many levels of symbolic links",
  ENAMETOOLONG: "File name too long",
};

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
    const code = (err as NodeJS.ErrnoException).code ?? "";
    return `Can't open the log file: ${STRERROR[code] ?? (err as Error).message}`;
  }
}

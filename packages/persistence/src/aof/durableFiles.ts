import { closeSync, fsyncSync, openSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** fsync of a directory, so a rename or a new file in it survives a crash (ignored where unsupported). */
export function fsyncDirectory(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some platforms cannot open or fsync a directory: the rename is then as durable as it gets.
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** Replaces `path` by `text`: written to a temp name, fsynced, renamed over, the directory fsynced. */
export function writeFileDurably(path: string, text: string): void {
  const dir = dirname(path);
  const temp = join(dir, `temp-${process.pid}-${Date.now()}.tmp`);
  const fd = openSync(temp, "w");
  try {
    writeFileSync(fd, text, "latin1");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  fsyncDirectory(dir);
}

import { closeSync, fdatasync, fdatasyncSync, fstatSync, openSync, writeSync } from "node:fs";
import { copyBytes } from "@nedis/rdb";

/** `appendfsync`: when written AOF bytes are forced to disk. */
export type AppendFsync = "always" | "everysec" | "no";

/**
 * The append buffer of the open incremental AOF file (Redis's `server.aof_buf` and
 * `flushAppendOnlyFile`). Effects are appended during a batch of commands; {@link flush}, run
 * before any reply of the batch is written, writes them with one `write` and, under `always`,
 * one `fdatasync` for the whole batch (group commit). Under `everysec` {@link backgroundFsync}
 * runs each second on the thread pool, never blocking the event loop; under `no` the kernel
 * decides.
 */
export class AofWriter {
  private fd: number;
  private buf: Buffer = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  /** Bytes of the current file (written, not counting the buffer). */
  fileSize: number;
  /** Bytes written since the last fsync. */
  private unsynced = 0;
  private fsyncRunning = false;
  /** Milliseconds of the last completed fsync (Redis's `aof_last_fsync`). */
  lastFsync = Date.now();
  /** The last write error, cleared by a successful write (INFO `aof_last_write_status`). */
  lastWriteError: Error | null = null;
  /** Count of delayed fsyncs (INFO `aof_delayed_fsync`). */
  delayedFsyncs = 0;

  /** @param truncate start the file empty (a new incr file) instead of appending to it. */
  constructor(
    private path: string,
    public policy: AppendFsync,
    truncate = false,
  ) {
    this.fd = openSync(path, truncate ? "w" : "a");
    this.fileSize = fstatSync(this.fd).size;
  }

  /** The file now written to. */
  get currentPath(): string {
    return this.path;
  }

  /** Bytes buffered and not yet written. */
  get pending(): number {
    return this.used;
  }

  append(bytes: Uint8Array, off: number, len: number): void {
    if (this.used + len > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.used + len) size *= 2;
      const grown = Buffer.allocUnsafe(size);
      this.buf.copy(grown, 0, 0, this.used);
      this.buf = grown;
    }
    // A batch of one short command is copied without making a view for `set`.
    copyBytes(bytes, off, off + len, this.buf, this.used);
    this.used += len;
  }

  /**
   * Writes the buffer (and fsyncs it under `always`). Returns false when the write failed: the
   * bytes stay buffered for the next try, as Redis keeps `aof_buf` after a short write.
   */
  flush(): boolean {
    if (this.used === 0) return true;
    let at = 0;
    try {
      while (at < this.used) at += writeSync(this.fd, this.buf, at, this.used - at);
      this.fileSize += this.used;
      this.unsynced += this.used;
      this.used = 0;
      this.lastWriteError = null;
    } catch (err) {
      // A short write before the error: what reached the file leaves the buffer, so the retry
      // appends the rest instead of writing the prefix twice.
      if (at > 0) {
        this.buf.copyWithin(0, at, this.used);
        this.used -= at;
        this.fileSize += at;
        this.unsynced += at;
      }
      this.lastWriteError = err as Error;
      return false;
    }
    if (this.policy === "always") this.fsyncNow();
    // A large buffer is not kept after a burst.
    if (this.buf.length > 4 * 1024 * 1024) this.buf = Buffer.allocUnsafe(64 * 1024);
    return true;
  }

  /** fsync at once, on this thread (`always`, and before a file is closed or renamed). */
  fsyncNow(): void {
    if (this.unsynced === 0) return;
    fdatasyncSync(this.fd);
    this.unsynced = 0;
    this.lastFsync = Date.now();
  }

  /** `everysec`: fsync on the thread pool when something was written since the last one. */
  backgroundFsync(): void {
    if (this.unsynced === 0) return;
    if (this.fsyncRunning) {
      this.delayedFsyncs++;
      return;
    }
    this.fsyncRunning = true;
    const fd = this.fd;
    const covered = this.unsynced;
    this.unsynced = 0;
    fdatasync(fd, (err) => {
      this.fsyncRunning = false;
      if (err) this.unsynced += covered;
      else this.lastFsync = Date.now();
    });
  }

  /** Continues in a new file (a rewrite opened a new incremental file): the old one is synced and closed. */
  switchTo(path: string): void {
    this.flush();
    this.fsyncNow();
    closeSync(this.fd);
    this.fd = openSync(path, "a");
    this.path = path;
    this.fileSize = fstatSync(this.fd).size;
    this.unsynced = 0;
  }

  /** Writes, syncs and closes the file (appendonly no, shutdown). */
  close(): void {
    this.flush();
    try {
      this.fsyncNow();
    } finally {
      closeSync(this.fd);
    }
  }
}

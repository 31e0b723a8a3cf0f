import { closeSync, fsyncSync, openSync, write, writeSync } from "node:fs";

/** Where an RDB writer's bytes go, in order (a file, a socket buffer, a test's array). */
export interface RdbSink {
  /** Takes `bytes[start, end)`; the caller reuses `bytes` after the call returns. */
  write(bytes: Uint8Array, start: number, end: number): void;
}

/** A sink that keeps everything in memory (tests, DEBUG RELOAD of small datasets). */
export class MemorySink implements RdbSink {
  private chunks: Uint8Array[] = [];
  private total = 0;

  write(bytes: Uint8Array, start: number, end: number): void {
    this.chunks.push(bytes.slice(start, end));
    this.total += end - start;
  }

  /** Everything written, as one array. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.total);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

/**
 * A file opened for writing with synchronous writes: each chunk goes to the page cache at once,
 * so no copy of the chunk is kept (the writer reuses its buffer).
 */
export class FileSink implements RdbSink {
  readonly fd: number;
  written = 0;

  constructor(path: string) {
    this.fd = openSync(path, "w", 0o644);
  }

  write(bytes: Uint8Array, start: number, end: number): void {
    let at = start;
    while (at < end) at += writeSync(this.fd, bytes, at, end - at);
    this.written += end - start;
  }

  /** fsync: the data is on disk before the file is renamed into place. */
  sync(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * A file written off the event loop (BGSAVE): each chunk is copied and handed to libuv's thread
 * pool, so a write stalled by the disk never blocks clients. Writes are issued in order at the
 * file's current position; {@link backlog} says how many bytes are still in flight (the walk
 * pauses when it grows) and {@link drain} calls back once all are written.
 */
export class AsyncFileSink extends FileSink {
  /** Bytes handed over but not yet written. */
  backlog = 0;
  /** The first write error, if any (the save has failed). */
  error: Error | null = null;
  private waiters: ((error: Error | null) => void)[] = [];
  private position = 0;

  override write(bytes: Uint8Array, start: number, end: number): void {
    const chunk = Buffer.from(bytes.subarray(start, end));
    const at = this.position;
    this.position += chunk.length;
    this.backlog += chunk.length;
    this.written += chunk.length;
    this.writeAt(chunk, 0, at);
  }

  private writeAt(chunk: Buffer, offset: number, at: number): void {
    write(this.fd, chunk, offset, chunk.length - offset, at, (err, n) => {
      if (err) {
        this.error ??= err;
        this.backlog -= chunk.length - offset;
      } else if (offset + n < chunk.length) {
        this.backlog -= n;
        this.writeAt(chunk, offset + n, at + n);
        return;
      } else {
        this.backlog -= n;
      }
      if (this.backlog === 0) this.wake();
    });
  }

  /** Calls `done` once every chunk handed over is written (with the first error, if any). */
  drain(done: (error: Error | null) => void): void {
    if (this.backlog === 0) done(this.error);
    else this.waiters.push(done);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(this.error);
  }
}

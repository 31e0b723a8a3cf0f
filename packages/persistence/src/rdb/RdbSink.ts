import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";

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

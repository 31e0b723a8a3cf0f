import { closeSync, openSync, readSync } from "node:fs";
import { Crc64 } from "@nedis/rdb";

/** Bytes of an RDB file in order: a file, or an array already in memory. */
export interface RdbByteSource {
  /** Reads up to `length` bytes into `target[offset…]`; 0 at the end. */
  read(target: Uint8Array, offset: number, length: number): number;
  close(): void;
}

/** A file read with synchronous reads (loading blocks the server, as Redis's does). */
export class FileSource implements RdbByteSource {
  private readonly fd: number;

  constructor(path: string) {
    this.fd = openSync(path, "r");
  }

  read(target: Uint8Array, offset: number, length: number): number {
    return readSync(this.fd, target, offset, length, null);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** An RDB already in memory (tests, payloads received over the network). */
export class ArraySource implements RdbByteSource {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  read(target: Uint8Array, offset: number, length: number): number {
    const n = Math.min(length, this.bytes.length - this.at);
    target.set(this.bytes.subarray(this.at, this.at + n), offset);
    this.at += n;
    return n;
  }

  close(): void {}
}

const INITIAL_WINDOW = 4 << 20;

/**
 * A sliding window over a source: the loader parses whole records inside `bytes[0, length)`;
 * when a record runs past the end, {@link refill} drops what is parsed, reads on (doubling the
 * window when one record fills it) and the record is parsed again. The CRC-64 of the dropped
 * bytes is kept, so the file's checksum is checked without holding the whole file.
 */
export class RdbWindow {
  bytes: Uint8Array;
  length = 0;
  /** True once the source is exhausted: a record running past `length` is truncated. */
  atEnd = false;
  /** File offset of `bytes[0]`. */
  base = 0;
  readonly crc = new Crc64();

  constructor(
    private readonly source: RdbByteSource,
    windowSize = INITIAL_WINDOW,
  ) {
    this.bytes = new Uint8Array(windowSize);
    this.fill();
  }

  /** Drops `bytes[0, keepFrom)` (into the CRC), moves the rest to the front and reads more. */
  refill(keepFrom: number): void {
    this.crc.update(this.bytes, 0, keepFrom);
    this.bytes.copyWithin(0, keepFrom, this.length);
    this.length -= keepFrom;
    this.base += keepFrom;
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.fill();
  }

  private fill(): void {
    while (this.length < this.bytes.length) {
      const n = this.source.read(this.bytes, this.length, this.bytes.length - this.length);
      if (n === 0) {
        this.atEnd = true;
        return;
      }
      this.length += n;
    }
  }
}

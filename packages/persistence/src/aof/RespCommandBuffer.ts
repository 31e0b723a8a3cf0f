import { copyBytes } from "@nedis/rdb";
import { writeInt } from "@nedis/resp-codec";

/**
 * A growable byte buffer holding commands encoded as RESP arrays of bulk strings, the form the
 * AOF and the replication stream use. Encoding copies the argument bytes at once: the views a
 * handler passes die with the request buffer at the end of the batch.
 */
export class RespCommandBuffer {
  bytes: Buffer;
  length = 0;

  constructor(initialSize = 4096) {
    this.bytes = Buffer.allocUnsafe(initialSize);
  }

  clear(): void {
    this.length = 0;
  }

  /** `*<count>\r\n`: the header of a command of `count` arguments. */
  arrayHeader(count: number): void {
    this.ensure(24);
    this.length += this.writeHeader(0x2a, count);
  }

  /** One bulk string argument. */
  bulk(src: Uint8Array, off: number, len: number): void {
    this.ensure(len + 24);
    this.length += this.writeHeader(0x24, len);
    this.copyIn(src, off, len);
    this.bytes[this.length++] = 13;
    this.bytes[this.length++] = 10;
  }

  /** One bulk string argument given as latin1 text (command names, numbers). */
  bulkText(text: string): void {
    this.ensure(text.length + 24);
    this.length += this.writeHeader(0x24, text.length);
    this.length += this.bytes.write(text, this.length, "latin1");
    this.bytes[this.length++] = 13;
    this.bytes[this.length++] = 10;
  }

  /** A whole command from mixed arguments. */
  command(argv: readonly (Uint8Array | string)[]): void {
    this.arrayHeader(argv.length);
    for (const arg of argv) {
      if (typeof arg === "string") this.bulkText(arg);
      else this.bulk(arg, 0, arg.length);
    }
  }

  /** Appends raw bytes (already encoded commands). */
  append(src: Uint8Array, off: number, len: number): void {
    this.ensure(len);
    this.copyIn(src, off, len);
  }

  /** Copies `len` bytes to the end (room ensured); short copies allocate nothing. */
  private copyIn(src: Uint8Array, off: number, len: number): void {
    copyBytes(src, off, off + len, this.bytes, this.length);
    this.length += len;
  }

  private writeHeader(prefix: number, n: number): number {
    const b = this.bytes;
    let at = this.length;
    b[at++] = prefix;
    at += writeInt(n, b, at);
    b[at++] = 13;
    b[at++] = 10;
    return at - this.length;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}

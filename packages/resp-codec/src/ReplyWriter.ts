/**
 * Writes RESP replies straight into one growable output buffer: no intermediate strings, arrays
 * or per-reply objects. Set {@link ReplyWriter.protocol} to 3 for RESP3 types; with 2, RESP3-only
 * types are downgraded exactly as Redis 7.0 does (map → flat array, set → array, double → bulk
 * string, boolean → integer 0/1, null → `$-1`/`*-1`).
 */

const CRLF = 0x0a0d; // little-endian "\r\n" for writeUInt16LE
const SMALL = 10_000;

function cachedHeaders(prefix: string): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < SMALL; i++) out.push(Buffer.from(`${prefix}${i}\r\n`, "latin1"));
  return out;
}

let integerHeaders: Buffer[] | null = null;
let bulkHeaders: Buffer[] | null = null;
let arrayHeaders: Buffer[] | null = null;

export class ReplyWriter {
  /** 2 or 3: the protocol of the connection (HELLO switches it). */
  protocol: 2 | 3 = 2;
  /** Output bytes written so far are `buffer[0, length)`. */
  buffer: Buffer;
  length = 0;
  private readonly initialSize: number;

  constructor(initialSize = 16 * 1024) {
    this.initialSize = initialSize;
    this.buffer = Buffer.allocUnsafe(initialSize);
    integerHeaders ??= cachedHeaders(":");
    bulkHeaders ??= cachedHeaders("$");
    arrayHeaders ??= cachedHeaders("*");
  }

  /**
   * Removes and returns everything written so far as a Buffer the caller may hand to
   * `socket.write` (it is never written into again). Small outputs are copied out so the
   * writer's own buffer is reused; large ones are handed over whole.
   */
  take(): Buffer {
    const n = this.length;
    this.length = 0;
    if (n <= 4096) return Buffer.from(this.buffer.subarray(0, n));
    const out = this.buffer.subarray(0, n);
    this.buffer = Buffer.allocUnsafe(this.initialSize);
    return out;
  }

  /** Ensures room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < need) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  /** `+OK`-style status. `text` must not contain CR or LF; written as latin1 (one byte per char). */
  simple(text: string): void {
    this.reserve(text.length + 3);
    const b = this.buffer;
    b[this.length++] = 0x2b;
    this.length += b.write(text, this.length, "latin1");
    b.writeUInt16LE(CRLF, this.length);
    this.length += 2;
  }

  /** `-ERR …` error; `message` includes the code (`ERR`, `WRONGTYPE`, …). Latin1. */
  error(message: string): void {
    this.reserve(message.length + 3);
    const b = this.buffer;
    b[this.length++] = 0x2d;
    this.length += b.write(message, this.length, "latin1");
    b.writeUInt16LE(CRLF, this.length);
    this.length += 2;
  }

  integer(n: number): void {
    if (n >= 0 && n < SMALL && Number.isInteger(n)) {
      this.raw(integerHeaders![n]!);
      return;
    }
    this.line(0x3a, String(n));
  }

  /** A 64-bit integer reply from a bigint. */
  bigInteger(n: bigint): void {
    this.line(0x3a, n.toString());
  }

  /** Bulk string from bytes `data[start, end)`. */
  bulk(data: Uint8Array, start = 0, end = data.length): void {
    const len = end - start;
    this.bulkHeader(len);
    this.reserve(len + 2);
    this.buffer.set(data.subarray(start, end), this.length);
    this.length += len;
    this.buffer.writeUInt16LE(CRLF, this.length);
    this.length += 2;
  }

  /** Bulk string from a binary (latin1) string: one byte per char. */
  bulkString(text: string): void {
    const len = text.length;
    this.bulkHeader(len);
    this.reserve(len + 2);
    this.length += this.buffer.write(text, this.length, "latin1");
    this.buffer.writeUInt16LE(CRLF, this.length);
    this.length += 2;
  }

  /** Bulk string from a Unicode string, UTF-8 encoded. */
  bulkUtf8(text: string): void {
    const len = Buffer.byteLength(text, "utf8");
    this.bulkHeader(len);
    this.reserve(len + 2);
    this.length += this.buffer.write(text, this.length, "utf8");
    this.buffer.writeUInt16LE(CRLF, this.length);
    this.length += 2;
  }

  /** The `$<len>\r\n` header alone, for callers that write the payload themselves. */
  bulkHeader(len: number): void {
    if (len < SMALL) this.raw(bulkHeaders![len]!);
    else this.line(0x24, String(len));
  }

  /** Null bulk string: `$-1` in RESP2, `_` in RESP3. */
  nullBulk(): void {
    this.raw(this.protocol === 3 ? NULL3 : NULL_BULK2);
  }

  /** Null array: `*-1` in RESP2, `_` in RESP3. */
  nullArray(): void {
    this.raw(this.protocol === 3 ? NULL3 : NULL_ARRAY2);
  }

  arrayHeader(count: number): void {
    if (count < SMALL) this.raw(arrayHeaders![count]!);
    else this.line(0x2a, String(count));
  }

  /** Map header of `count` pairs; RESP2 gets an array of 2×count. */
  mapHeader(count: number): void {
    if (this.protocol === 3) this.line(0x25, String(count));
    else this.arrayHeader(count * 2);
  }

  /** Set header; RESP2 gets an array. */
  setHeader(count: number): void {
    if (this.protocol === 3) this.line(0x7e, String(count));
    else this.arrayHeader(count);
  }

  /** Push header (pub/sub messages); RESP2 gets an array. */
  pushHeader(count: number): void {
    if (this.protocol === 3) this.line(0x3e, String(count));
    else this.arrayHeader(count);
  }

  /** Boolean; RESP2 gets integer 1/0. */
  boolean(value: boolean): void {
    if (this.protocol === 3) this.raw(value ? TRUE3 : FALSE3);
    else this.raw(integerHeaders![value ? 1 : 0]!);
  }

  /** Double, formatted by the caller as Redis prints it; RESP2 gets a bulk string. */
  doubleText(text: string): void {
    if (this.protocol === 3) this.line(0x2c, text);
    else this.bulkString(text);
  }

  /** Verbatim string (`=len\r\ntxt:…`); RESP2 gets a plain bulk string. */
  verbatim(text: string, format = "txt"): void {
    if (this.protocol === 2) {
      this.bulkUtf8(text);
      return;
    }
    const len = Buffer.byteLength(text, "utf8") + 4;
    this.line(0x3d, String(len));
    this.reserve(len + 2);
    this.length += this.buffer.write(format, this.length, "latin1");
    this.buffer[this.length++] = 0x3a;
    this.length += this.buffer.write(text, this.length, "utf8");
    this.buffer.writeUInt16LE(CRLF, this.length);
    this.length += 2;
  }

  /** Appends pre-encoded bytes (shared replies like `+OK\r\n`). */
  raw(bytes: Uint8Array): void {
    const len = bytes.length;
    if (this.length + len > this.buffer.length) this.reserve(len);
    this.buffer.set(bytes, this.length);
    this.length += len;
  }

  private line(type: number, text: string): void {
    this.reserve(text.length + 3);
    const b = this.buffer;
    b[this.length++] = type;
    this.length += b.write(text, this.length, "latin1");
    b.writeUInt16LE(CRLF, this.length);
    this.length += 2;
  }
}

const NULL3 = Buffer.from("_\r\n");
const NULL_BULK2 = Buffer.from("$-1\r\n");
const NULL_ARRAY2 = Buffer.from("*-1\r\n");
const TRUE3 = Buffer.from("#t\r\n");
const FALSE3 = Buffer.from("#f\r\n");

/** Pre-encoded replies servers send often. */
export const SharedReplies = {
  ok: Buffer.from("+OK\r\n"),
  pong: Buffer.from("+PONG\r\n"),
  queued: Buffer.from("+QUEUED\r\n"),
  zero: Buffer.from(":0\r\n"),
  one: Buffer.from(":1\r\n"),
  emptyArray: Buffer.from("*0\r\n"),
  emptyBulk: Buffer.from("$0\r\n\r\n"),
} as const;

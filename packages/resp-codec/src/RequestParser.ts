import { ProtocolError } from "./ProtocolError.js";
import { parseInteger } from "./parseInteger.js";
import { splitInlineArgs, type InlineArgsSink } from "./splitInlineArgs.js";

/** Limits a server applies to requests; defaults are Redis 7.0's. */
export interface RequestParserOptions {
  /** `proto-max-bulk-len`: the largest bulk argument accepted. Default 512 MB. */
  maxBulkLength?: number;
  /** Longest inline request or count line without a newline. Default 64 KB (PROTO_INLINE_MAX_SIZE). */
  maxInlineLength?: number;
}

const INT_MAX = 2147483647;
const UNAUTH_MAX_ARGS = 10;
const UNAUTH_MAX_BULK = 16384;
const CR = 0x0d;
const LF = 0x0a;

/**
 * Streaming RESP request parser for servers, following Redis 7.0's `processMultibulkBuffer` and
 * `processInlineBuffer`. Each parsed command is exposed as argument *views* — offsets and
 * lengths into {@link RequestParser.buffer} — so no string or Buffer is built per argument.
 *
 * Views stay valid until the next call to {@link RequestParser.next} or {@link RequestParser.feed}. Only an incomplete command is kept
 * across chunks, in one growable buffer, and parsing resumes where it stopped (no re-scan).
 *
 * ```ts
 * parser.feed(chunk);
 * while (parser.next()) handle(parser); // throws ProtocolError on bad input
 * ```
 */
export class RequestParser {
  /** The bytes the current command's arguments point into. */
  buffer: Uint8Array = new Uint8Array(0);
  /** Argument count of the current command. */
  argc = 0;
  /** Start of argument i in {@link buffer}. */
  offsets: Int32Array = new Int32Array(16);
  /** Length of argument i. */
  lengths: Int32Array = new Int32Array(16);
  /** Whether the current command arrived inline (arguments point into an internal scratch buffer). */
  inline = false;
  /** While false, Redis's unauthenticated limits apply (≤10 arguments, bulks ≤16384 bytes). */
  authenticated = true;
  maxBulkLength: number;
  readonly maxInlineLength: number;

  // The chunk being parsed and our read position in it.
  private input: Uint8Array = new Uint8Array(0);
  private pos = 0;
  // Carry-over storage for a command split across chunks.
  private carry: Uint8Array | null = null;
  private carryLength = 0;
  // Resumable multibulk state (Redis's multibulklen / bulklen).
  private pendingArgs = 0;
  private bulkLength = -1;
  private commandStart = -1;
  private inlineSink: InlineArgsSink | null = null;

  constructor(options: RequestParserOptions = {}) {
    this.maxBulkLength = options.maxBulkLength ?? 512 * 1024 * 1024;
    this.maxInlineLength = options.maxInlineLength ?? 64 * 1024;
  }

  /** Bytes held for an incomplete command (Redis's query buffer length). */
  get bufferedBytes(): number {
    return this.carry === null ? 0 : this.carryLength;
  }

  /** Hands the parser the next chunk read from the socket. */
  feed(chunk: Uint8Array): void {
    if (this.carry === null) {
      this.input = chunk;
      this.pos = 0;
      return;
    }
    // Append to the carried partial command (amortised doubling, never re-scanned).
    const need = this.carryLength + chunk.length;
    if (need > this.carry.length) {
      let size = Math.max(this.carry.length * 2, 4096);
      while (size < need) size *= 2;
      // A known large bulk: allocate just what it needs, not double.
      if (this.bulkLength >= 0) size = Math.max(need, Math.min(size, this.carryLength + this.bulkLength + 2 + 4096));
      const grown = new Uint8Array(Math.max(size, need));
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
    }
    this.carry.set(chunk, this.carryLength);
    this.carryLength = need;
    // `pos` and the argument offsets were rebased onto the carry in finish(); parsing resumes there.
    this.input = this.carry;
  }

  /**
   * Parses the next complete command. Returns false when the chunk holds no further complete
   * command (the remainder is kept). Throws {@link ProtocolError} on malformed input; the parser
   * is then unusable, as the connection must be closed.
   */
  next(): boolean {
    const input = this.input;
    const end = input === this.carry ? this.carryLength : input.length;
    for (;;) {
      if (this.commandStart < 0) {
        if (this.pos >= end) return this.finish(end);
        this.commandStart = this.pos;
        this.argc = 0;
        this.inline = input[this.pos] !== 0x2a; // '*'
      }
      const r = this.inline ? this.parseInline(input, end) : this.parseMultibulk(input, end);
      if (r === 0) return this.finish(end); // need more bytes
      this.commandStart = -1;
      if (this.argc > 0) return true;
      // Empty command (`*0`, `*-1`, blank inline line): skipped silently, like Redis.
    }
  }

  /** True when argument `i` equals the ASCII `lowerName` case-insensitively; builds no string. */
  argEquals(i: number, lowerName: string): boolean {
    const len = this.lengths[i]!;
    if (len !== lowerName.length) return false;
    const buf = this.buffer;
    const off = this.offsets[i]!;
    for (let j = 0; j < len; j++) {
      const c = buf[off + j]!;
      if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lowerName.charCodeAt(j)) return false;
    }
    return true;
  }

  /** Argument `i` as a binary (latin1) string: one JS char per byte. */
  argString(i: number): string {
    const off = this.offsets[i]!;
    return latin1(this.buffer, off, off + this.lengths[i]!);
  }

  /** Argument `i` as a view (no copy; valid until the next feed). */
  argView(i: number): Uint8Array {
    const off = this.offsets[i]!;
    return this.buffer.subarray(off, off + this.lengths[i]!);
  }

  /** Argument `i` copied into a fresh Buffer that outlives the chunk. */
  argCopy(i: number): Buffer {
    const off = this.offsets[i]!;
    return Buffer.from(this.buffer.subarray(off, off + this.lengths[i]!));
  }

  /** Drops any partial command and state (e.g. after RESET of a connection's buffers). */
  reset(): void {
    this.carry = null;
    this.carryLength = 0;
    this.input = new Uint8Array(0);
    this.pos = 0;
    this.pendingArgs = 0;
    this.bulkLength = -1;
    this.commandStart = -1;
    this.argc = 0;
  }

  // Keeps the unparsed tail (an incomplete command) for the next feed.
  private finish(end: number): false {
    const start = this.commandStart >= 0 ? this.commandStart : this.pos;
    const tail = end - start;
    if (tail === 0) {
      this.carry = null;
      this.carryLength = 0;
    } else {
      const input = this.input;
      if (input === this.carry) {
        if (start > 0) input.copyWithin(0, start, end);
      } else {
        const size = Math.max(4096, tail * 2);
        if (this.carry === null || this.carry.length < tail) this.carry = new Uint8Array(size);
        this.carry.set(input.subarray(start, end));
      }
      this.carryLength = tail;
      // Rebase the resumable state onto the carry buffer.
      const shift = start;
      for (let i = 0; i < this.argc; i++) this.offsets[i]! -= shift;
      this.pos -= shift;
      if (this.commandStart >= 0) this.commandStart = 0;
    }
    this.input = this.carry ?? new Uint8Array(0);
    return false;
  }

  private parseMultibulk(input: Uint8Array, end: number): 0 | 1 {
    if (this.argc === 0 && this.pendingArgs === 0) {
      const cr = indexOfCR(input, this.pos, end);
      if (cr < 0) {
        if (end - this.pos > this.maxInlineLength) throw new ProtocolError("too big mbulk count string");
        return 0;
      }
      if (cr + 1 >= end) return 0; // the '\n' has not arrived yet
      const count = parseInteger(input, this.pos + 1, cr);
      if (Number.isNaN(count) || count > INT_MAX) throw new ProtocolError("invalid multibulk length");
      if (count > UNAUTH_MAX_ARGS && !this.authenticated) throw new ProtocolError("unauthenticated multibulk length");
      this.pos = cr + 2;
      if (count <= 0) return 1;
      this.pendingArgs = count;
      this.bulkLength = -1;
    }
    this.buffer = input;
    while (this.pendingArgs > 0) {
      if (this.bulkLength < 0) {
        const cr = indexOfCR(input, this.pos, end);
        if (cr < 0) {
          if (end - this.pos > this.maxInlineLength) throw new ProtocolError("too big bulk count string");
          return 0;
        }
        if (cr + 1 >= end) return 0;
        const type = input[this.pos]!;
        if (type !== 0x24) throw new ProtocolError(`expected '$', got '${String.fromCharCode(type)}'`);
        const len = parseInteger(input, this.pos + 1, cr);
        if (Number.isNaN(len) || len < 0 || len > this.maxBulkLength) throw new ProtocolError("invalid bulk length");
        if (len > UNAUTH_MAX_BULK && !this.authenticated) throw new ProtocolError("unauthenticated bulk length");
        this.pos = cr + 2;
        this.bulkLength = len;
      }
      // Redis skips the two bytes after a bulk without checking they are CRLF.
      if (end - this.pos < this.bulkLength + 2) return 0;
      if (this.argc >= this.offsets.length) this.growArgs(this.argc + 1);
      this.offsets[this.argc] = this.pos;
      this.lengths[this.argc] = this.bulkLength;
      this.argc++;
      this.pos += this.bulkLength + 2;
      this.bulkLength = -1;
      this.pendingArgs--;
    }
    return 1;
  }

  private parseInline(input: Uint8Array, end: number): 0 | 1 {
    const lf = input.indexOf(LF, this.pos);
    if (lf < 0 || lf >= end) {
      if (end - this.pos > this.maxInlineLength) throw new ProtocolError("too big inline request");
      return 0;
    }
    let lineEnd = lf;
    if (lineEnd > this.pos && input[lineEnd - 1] === CR) lineEnd--;
    const length = lineEnd - this.pos;
    let sink = this.inlineSink;
    if (sink === null || sink.bytes.length < length) {
      sink = { bytes: new Uint8Array(Math.max(256, length)), offsets: this.offsets, lengths: this.lengths };
      this.inlineSink = sink;
    }
    sink.offsets = this.offsets;
    sink.lengths = this.lengths;
    const argc = splitInlineArgs(input, this.pos, lineEnd, sink, (n) => {
      this.growArgs(n);
      sink.offsets = this.offsets;
      sink.lengths = this.lengths;
    });
    if (argc < 0) throw new ProtocolError("unbalanced quotes in request");
    this.pos = lf + 1;
    this.argc = argc;
    this.buffer = sink.bytes;
    return 1;
  }

  private growArgs(needed: number): void {
    let size = this.offsets.length * 2;
    while (size < needed) size *= 2;
    const offsets = new Int32Array(size);
    offsets.set(this.offsets);
    const lengths = new Int32Array(size);
    lengths.set(this.lengths);
    this.offsets = offsets;
    this.lengths = lengths;
  }
}

function indexOfCR(buf: Uint8Array, from: number, end: number): number {
  const i = buf.indexOf(CR, from);
  return i >= end ? -1 : i;
}

function latin1(buf: Uint8Array, start: number, end: number): string {
  if (end - start < 32) {
    let s = "";
    for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
    return s;
  }
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("latin1");
}

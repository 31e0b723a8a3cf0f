import { type CommandLookahead, lookAheadCommands } from "./CommandLookahead.js";
import { BEYOND_SAFE, parseLongLong } from "./int64.js";
import { asFastBuffer, EMPTY_BUFFER, type FastBuffer } from "./internal/FastBuffer.js";
import { QueryBuffer } from "./internal/QueryBuffer.js";
import { ParsedCommand } from "./ParsedCommand.js";
import { ProtocolError } from "./ProtocolError.js";
import { type InlineArgsSink, splitInlineArgs } from "./splitInlineArgs.js";

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
// Views are Int32 offsets into one buffer, so no argument may reach 2 GiB whatever the config says.
const MAX_VIEW_LENGTH = 0x7fff_0000;
const CR = 0x0d;
const LF = 0x0a;
const STAR = 0x2a;
const DOLLAR = 0x24;

/**
 * Streaming RESP request parser for servers, following Redis 7.0's `processMultibulkBuffer` and
 * `processInlineBuffer`. Each parsed command is exposed as argument *views* — offsets and
 * lengths into {@link RequestParser.buffer} — so no string or Buffer is built per argument.
 *
 * Views stay valid until the next call to {@link RequestParser.next}, {@link RequestParser.feed}
 * or {@link RequestParser.reset}. Only one incomplete command is kept across chunks: it is
 * copied to an internal buffer before `next()` returns false (so the caller may reuse its chunk),
 * and completed from the next chunk by copying just the bytes it still needs.
 *
 * ```ts
 * parser.feed(chunk);
 * while (parser.next()) handle(parser); // throws ProtocolError on bad input
 * ```
 */
export class RequestParser extends ParsedCommand {
  // Argument views (`buffer`, `argc`, `offsets`, `lengths`, `inline`) and accessors: ParsedCommand.
  /** While false, Redis's unauthenticated limits apply (≤10 arguments, bulks ≤16384 bytes). */
  authenticated = true;
  /** `proto-max-bulk-len`; may be changed at any time (CONFIG SET). */
  maxBulkLength: number;
  /** Longest line (inline request, `*`/`$` count line) before `too big …` errors. */
  readonly maxInlineLength: number;

  private readonly q = new QueryBuffer();
  // Resumable state of the current command (Redis's multibulklen / bulklen).
  private commandStart = -1;
  private pendingArgs = -1; // -1 while the `*<count>` line is unread
  private bulkLength = -1;
  // Bytes after `pos` already scanned for a line end, so a long line is never re-scanned.
  private lineScanned = 0;
  private failure: ProtocolError | null = null;
  // The one-pass path reads lines of at most 11 bytes; tiny line limits need the exact path.
  private readonly onePass: boolean;
  private readonly inlineSink: InlineArgsSink;
  private readonly growInlineArgs: (needed: number) => void;

  constructor(options: RequestParserOptions = {}) {
    super();
    this.maxBulkLength = options.maxBulkLength ?? 512 * 1024 * 1024;
    this.maxInlineLength = options.maxInlineLength ?? 64 * 1024;
    this.onePass = this.maxInlineLength >= 16;
    const sink: InlineArgsSink = { bytes: Buffer.allocUnsafe(256), offsets: this.offsets, lengths: this.lengths };
    this.inlineSink = sink;
    this.growInlineArgs = (needed) => {
      this.growArgs(needed);
      sink.offsets = this.offsets;
      sink.lengths = this.lengths;
    };
  }

  /** Unparsed bytes held in the parser's own buffer (Redis's query buffer length). */
  get bufferedBytes(): number {
    const q = this.q;
    return q.storeActive ? q.end - (this.commandStart >= 0 ? this.commandStart : q.pos) : 0;
  }

  /** Bytes of memory the parser keeps allocated for carried commands and inline arguments. */
  get retainedBytes(): number {
    return this.q.retainedBytes + this.inlineSink.bytes.length;
  }

  /**
   * Hands the parser the next chunk read from the socket: `chunk[0, length)`. The caller may
   * reuse `chunk` once {@link next} has returned false (or after {@link ownInput}).
   */
  feed(chunk: Uint8Array, length: number = chunk.length): void {
    this.q.feed(asFastBuffer(chunk), this.commandStart >= 0 ? this.commandStart : this.q.pos, length);
  }

  /**
   * Copies whatever of the caller's chunk the parser still refers to (the current command's
   * views and the commands after it) into memory of its own, so the caller may overwrite its
   * read buffer while parsing is suspended midway (a server postponing a command).
   */
  ownInput(): void {
    const previous = this.q.input;
    const copy = this.q.own();
    if (copy !== null && this.buffer === previous) this.buffer = copy;
  }

  /**
   * Parses the next complete command. Returns false when the chunk holds no further complete
   * command (the remainder is kept). Throws {@link ProtocolError} on malformed input; the parser
   * then keeps throwing it, as the connection must be closed after the error reply.
   */
  next(): boolean {
    if (this.failure !== null) throw this.failure;
    const q = this.q;
    for (;;) {
      if (this.commandStart < 0) {
        const pos = q.pos;
        if (pos >= q.end) {
          if (q.resume()) continue;
          return this.keepTail();
        }
        const input = q.input;
        if (input[pos] === STAR && this.onePass) {
          const after = this.parseWholeMultibulk(input, pos, q.end);
          if (after > 0) {
            q.pos = after;
            return true;
          }
        }
        this.commandStart = pos;
        this.argc = 0;
        this.inline = input[pos] !== STAR;
        this.pendingArgs = -1;
        this.bulkLength = -1;
        this.lineScanned = 0;
      }
      if (!(this.inline ? this.parseInline() : this.parseMultibulk())) {
        if (this.pullMore()) continue;
        return this.keepTail();
      }
      this.commandStart = -1;
      // The command's views stay in the store; what follows is parsed in place in the chunk.
      q.resume();
      if (this.argc > 0) return true;
      // Empty command (`*0`, `*-1`, a blank inline line): skipped, like Redis.
    }
  }

  /**
   * Reads the complete commands buffered after the last one {@link next} returned into `into`,
   * without consuming them; returns how many (see {@link CommandLookahead}).
   */
  lookahead(into: CommandLookahead): number {
    const q = this.q;
    if (this.commandStart >= 0 || this.failure !== null) {
      into.count = 0;
      return 0;
    }
    return lookAheadCommands(q.input, q.pos, q.end, into);
  }

  /** Drops any partial command, pending input and error (e.g. to reuse the parser). */
  reset(): void {
    this.q.clear();
    this.commandStart = -1;
    this.pendingArgs = -1;
    this.bulkLength = -1;
    this.lineScanned = 0;
    this.failure = null;
    this.argc = 0;
    this.buffer = EMPTY_BUFFER;
  }

  /**
   * The common case in one pass: a whole `*N` command of `$len` bulks within `input`. Returns the
   * position after it, or -1 to let the resumable path handle anything incomplete, unusual or
   * wrong (it re-reads the command from its start and raises Redis's exact errors).
   */
  private parseWholeMultibulk(input: FastBuffer, pos: number, end: number): number {
    let p = pos + 1;
    if (p >= end) return -1;
    let c = input[p]!;
    if (c < 0x31 || c > 0x39) return -1;
    let count = c - 0x30;
    const capacity = this.offsets.length;
    for (;;) {
      if (++p >= end) return -1;
      c = input[p]!;
      if (c < 0x30 || c > 0x39) break;
      count = count * 10 + (c - 0x30);
      if (count > capacity) return -1;
    }
    if (c !== CR || p + 1 >= end) return -1;
    let limit = this.maxBulkLength;
    if (!this.authenticated) {
      if (count > UNAUTH_MAX_ARGS) return -1;
      if (limit > UNAUTH_MAX_BULK) limit = UNAUTH_MAX_BULK;
    }
    if (limit > MAX_VIEW_LENGTH) limit = MAX_VIEW_LENGTH;
    p += 2; // Redis steps over the byte after '\r' without checking it.
    const offsets = this.offsets;
    const lengths = this.lengths;
    for (let i = 0; i < count; i++) {
      if (p + 3 >= end || input[p] !== DOLLAR) return -1;
      c = input[++p]!;
      let len: number;
      if (c === 0x30) {
        len = 0;
        c = input[++p]!;
      } else {
        if (c < 0x31 || c > 0x39) return -1;
        len = c - 0x30;
        for (;;) {
          if (++p >= end) return -1;
          c = input[p]!;
          if (c < 0x30 || c > 0x39) break;
          len = len * 10 + (c - 0x30);
          if (len > limit) return -1;
        }
      }
      if (c !== CR || p + 1 >= end || len > limit) return -1;
      p += 2;
      const next = p + len + 2;
      if (next > end) return -1;
      offsets[i] = p;
      lengths[i] = len;
      p = next;
    }
    this.argc = count;
    this.inline = false;
    this.buffer = input;
    return p;
  }

  private parseMultibulk(): boolean {
    const q = this.q;
    const input = q.input;
    if (this.pendingArgs < 0) {
      const cr = this.findLineEnd(CR, "too big mbulk count string");
      if (cr < 0) return false;
      let count = parseLongLong(input, q.pos + 1, cr);
      // Below −2^53 is still ≤ 0: an empty command, as `*-9223372036854775808` is in Redis.
      if (count === BEYOND_SAFE && input[q.pos + 1] === 0x2d) count = -1;
      if (Number.isNaN(count) || count > INT_MAX) this.fail("invalid multibulk length");
      if (count > UNAUTH_MAX_ARGS && !this.authenticated) this.fail("unauthenticated multibulk length");
      q.pos = cr + 2;
      this.lineScanned = 0;
      if (count <= 0) return true;
      this.pendingArgs = count;
    }
    while (this.pendingArgs > 0) {
      if (this.bulkLength < 0) {
        const cr = this.findLineEnd(CR, "too big bulk count string");
        if (cr < 0) return false;
        const type = input[q.pos]!;
        if (type !== DOLLAR) this.fail(`expected '$', got '${printableTypeByte(type)}'`);
        const len = parseLongLong(input, q.pos + 1, cr);
        if (Number.isNaN(len) || len < 0 || len > this.maxBulkLength || len > MAX_VIEW_LENGTH) {
          this.fail("invalid bulk length");
        }
        if (len > UNAUTH_MAX_BULK && !this.authenticated) this.fail("unauthenticated bulk length");
        q.pos = cr + 2;
        this.lineScanned = 0;
        this.bulkLength = len;
      }
      const len = this.bulkLength;
      if (q.end - q.pos < len + 2) return false;
      const i = this.argc;
      if (i >= this.offsets.length) this.growArgs(i + 1);
      this.offsets[i] = q.pos;
      this.lengths[i] = len;
      this.argc = i + 1;
      q.pos += len + 2; // like Redis, the two bytes after a bulk are not checked
      this.bulkLength = -1;
      this.pendingArgs--;
    }
    this.buffer = input;
    return true;
  }

  private parseInline(): boolean {
    const q = this.q;
    const lf = this.findLineEnd(LF, "too big inline request");
    if (lf < 0) return false;
    const input = q.input;
    const start = q.pos;
    let lineEnd = lf;
    if (lineEnd > start && input[lineEnd - 1] === CR) lineEnd--;
    const sink = this.inlineSink;
    if (sink.bytes.length < lineEnd - start) {
      sink.bytes = Buffer.allocUnsafe(Math.max(lineEnd - start, sink.bytes.length * 2));
    }
    sink.offsets = this.offsets;
    sink.lengths = this.lengths;
    const argc = splitInlineArgs(input, start, lineEnd, sink, this.growInlineArgs);
    if (argc < 0) this.fail("unbalanced quotes in request");
    q.pos = lf + 1;
    this.lineScanned = 0;
    this.argc = argc;
    this.buffer = sink.bytes;
    return true;
  }

  /**
   * Index of the `terminator` ending the line at `pos`, or -1 to wait for more bytes. Redis finds
   * line ends with `strchr`, which stops at a NUL byte: a line with a NUL before its end never
   * completes. A `\r` line also needs the byte after it. A line longer than `maxInlineLength`
   * fails whether or not its end has arrived, so the outcome never depends on chunk boundaries.
   */
  private findLineEnd(terminator: number, tooBig: string): number {
    const q = this.q;
    const input = q.input;
    const end = q.end;
    const start = q.pos;
    let i = start + this.lineScanned;
    while (i < end) {
      const c = input[i]!;
      if (c === terminator || c === 0) break;
      i++;
    }
    this.lineScanned = i - start;
    if (i === end || input[i] === 0) {
      if (end - start > this.maxInlineLength) this.fail(tooBig);
      return -1;
    }
    if (i - start > this.maxInlineLength) this.fail(tooBig);
    if (terminator === CR && i + 1 >= end) return -1;
    return i;
  }

  // Copies more of a pending chunk into the store to complete the split command.
  private pullMore(): boolean {
    const q = this.q;
    if (this.inline || this.bulkLength < 0) return q.pull(0, -1);
    const bulkEnd = q.pos + this.bulkLength + 2;
    return q.pull(bulkEnd - q.end, bulkEnd);
  }

  // Keeps the incomplete command for the next chunk, rebasing the views parsed so far.
  private keepTail(): false {
    const shift = this.q.keep(this.commandStart >= 0 ? this.commandStart : this.q.pos);
    if (shift > 0) {
      for (let i = 0; i < this.argc; i++) this.offsets[i]! -= shift;
      if (this.commandStart >= 0) this.commandStart -= shift;
    }
    return false;
  }

  private fail(reason: string): never {
    this.failure = new ProtocolError(reason);
    throw this.failure;
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

// Redis prints the byte with %c and then turns CR and LF into spaces (addReplyErrorFormat).
function printableTypeByte(byte: number): string {
  return byte === CR || byte === LF ? " " : String.fromCharCode(byte);
}

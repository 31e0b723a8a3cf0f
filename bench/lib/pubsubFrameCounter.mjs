// Streaming RESP2 counters for the pub/sub bench's load generators. They count frames without
// building values: a subscriber fed 1 GB/s must not become the thing being measured.

const LF = 10;
const CR = 13;
const MINUS = 0x2d;

/**
 * Reads the signed decimal integer of a RESP header line `buf[start+1 .. end)` (after the type
 * byte, before CR) without building a string.
 * @param {Uint8Array} buf
 * @param {number} start index of the type byte
 * @param {number} end index of the CR (or of the LF when the line lacks its CR)
 */
export function headerInteger(buf, start, end) {
  let i = start + 1;
  let negative = false;
  if (buf[i] === MINUS) {
    negative = true;
    i++;
  }
  let n = 0;
  for (; i < end; i++) {
    const digit = /** @type {number} */ (buf[i]) - 48;
    if (digit < 0 || digit > 9) throw new Error(`malformed RESP integer in header line`);
    n = n * 10 + digit;
  }
  return negative ? -n : n;
}

/**
 * Counts complete top-level RESP2 frames in a byte stream fed in arbitrary chunks. A frame is an
 * array of bulk strings / integers / simple strings (what RESP2 pub/sub pushes are: `message`,
 * `pmessage`, `subscribe` confirmations), or a top-level simple string, integer or error.
 * Bulk bodies are skipped by length, never scanned. Nested arrays are rejected.
 */
export class RespFrameCounter {
  constructor() {
    /** Complete top-level frames seen so far. */
    this.frames = 0;
    /** Top-level error replies ("-ERR ...") seen so far (each also counts as a frame). */
    this.errors = 0;
    /** @type {string | null} the first error reply's text */
    this.firstError = null;
    /** Bytes fed so far. */
    this.bytes = 0;
    /** Elements still expected in the current top-level array; 0 = between frames. */
    this.elementsLeft = 0;
    /** Bytes of the current bulk body (plus its CRLF) still to skip. */
    this.skip = 0;
    /** @type {Buffer | null} an incomplete header line carried over from the previous chunk */
    this.partial = null;
  }

  /**
   * Consumes one chunk; returns how many frames it completed.
   * @param {Buffer} chunk
   */
  feed(chunk) {
    const before = this.frames;
    this.bytes += chunk.length;
    const length = chunk.length;
    let pos = 0;
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, length - pos);
        pos += n;
        this.skip -= n;
        if (this.skip > 0) break;
        this.elementDone();
      }
      if (pos >= length) break;
      const lf = chunk.indexOf(LF, pos);
      if (lf < 0) {
        // Header lines are short; joining the rare split one costs nothing measurable.
        const rest = chunk.subarray(pos);
        this.partial = this.partial === null ? Buffer.from(rest) : Buffer.concat([this.partial, rest]);
        break;
      }
      if (this.partial !== null) {
        const line = Buffer.concat([this.partial, chunk.subarray(pos, lf + 1)]);
        this.partial = null;
        this.header(line, 0, line.length - 1);
      } else {
        this.header(chunk, pos, lf);
      }
      pos = lf + 1;
    }
    return this.frames - before;
  }

  /**
   * Handles one header line `buf[start .. lf]`.
   * @param {Buffer} buf
   * @param {number} start
   * @param {number} lf index of the line's LF
   */
  header(buf, start, lf) {
    const end = lf > start && buf[lf - 1] === CR ? lf - 1 : lf;
    const type = buf[start];
    const topLevel = this.elementsLeft === 0;
    switch (type) {
      case 0x2a: {
        // '*'
        if (!topLevel) throw new Error('nested RESP arrays are not expected in pub/sub pushes');
        const count = headerInteger(buf, start, end);
        if (count <= 0) this.frames++;
        else this.elementsLeft = count;
        return;
      }
      case 0x24: {
        // '$'
        if (topLevel) throw new Error('top-level bulk strings are not expected in pub/sub pushes');
        const size = headerInteger(buf, start, end);
        if (size < 0) this.elementDone();
        else this.skip = size + 2;
        return;
      }
      case 0x3a: // ':'
      case 0x2b: // '+'
        if (topLevel) this.frames++;
        else this.elementDone();
        return;
      case 0x2d: // '-'
        if (!topLevel) throw new Error('error inside an array is not expected in pub/sub pushes');
        this.errors++;
        this.firstError ??= buf.toString('latin1', start + 1, end);
        this.frames++;
        return;
      default:
        throw new Error(`unexpected RESP type byte 0x${(type ?? 0).toString(16)}`);
    }
  }

  elementDone() {
    if (--this.elementsLeft === 0) this.frames++;
  }
}

/**
 * Counts frames of a stream made only of frames of one known size (a subscriber's `message`
 * pushes for one channel and one payload size) by counting bytes: O(1) per chunk instead of
 * O(frames). The stream is still checked: every frame in a chunk must start with `*`, and the
 * first whole header in each chunk must equal the expected `message` header byte for byte, so a
 * stream of anything else fails fast instead of being counted.
 */
export class FixedFrameCounter {
  /**
   * @param {number} frameBytes size of every frame
   * @param {Buffer} header the bytes every frame starts with
   */
  constructor(frameBytes, header) {
    if (frameBytes <= 0 || header.length > frameBytes) throw new Error('FixedFrameCounter: bad frame size');
    this.frameBytes = frameBytes;
    this.header = header;
    this.frames = 0;
    this.bytes = 0;
    this.errors = 0;
    /** @type {string | null} */
    this.firstError = null;
    /** Bytes of the current (incomplete) frame already seen. */
    this.offset = 0;
  }

  /**
   * Consumes one chunk; returns how many frames it completed.
   * @param {Buffer} chunk
   */
  feed(chunk) {
    const length = chunk.length;
    const frameBytes = this.frameBytes;
    let pos = this.offset === 0 ? 0 : frameBytes - this.offset;
    if (pos < length) {
      const n = Math.min(this.header.length, length - pos);
      if (chunk.compare(this.header, 0, n, pos, pos + n) !== 0) {
        throw new Error(
          `unexpected frame: ${JSON.stringify(chunk.toString('latin1', pos, pos + Math.min(60, length - pos)))}`,
        );
      }
    }
    for (; pos < length; pos += frameBytes) {
      if (chunk[pos] !== 0x2a) throw new Error(`frame boundary lost at stream offset ${this.bytes + pos}`);
    }
    this.bytes += length;
    const total = this.offset + length;
    const completed = Math.floor(total / frameBytes);
    this.frames += completed;
    this.offset = total - completed * frameBytes;
    return completed;
  }
}

/**
 * The bytes every RESP2 `message` push for `channel` with a payload of `payloadBytes` starts with
 * (everything up to the payload itself).
 * @param {string} channel
 * @param {number} payloadBytes
 */
export function messageFrameHeader(channel, payloadBytes) {
  return Buffer.from(`*3\r\n$7\r\nmessage\r\n$${Buffer.byteLength(channel)}\r\n${channel}\r\n$${payloadBytes}\r\n`);
}

/**
 * Counts RESP2 integer replies (`:n\r\n`, PUBLISH's receiver counts) in a byte stream and sums
 * them; error replies are counted apart. Any other reply type is an error of the bench.
 */
export class IntegerReplySummer {
  constructor() {
    /** Integer replies seen. */
    this.replies = 0;
    /** Sum of their values (for PUBLISH: deliveries the server reports having made). */
    this.sum = 0;
    /** Smallest and largest value seen (for PUBLISH: receivers per message). */
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
    this.errors = 0;
    /** @type {string | null} */
    this.firstError = null;
    /** @type {Buffer | null} */
    this.partial = null;
  }

  /**
   * Consumes one chunk; returns how many replies (integers and errors) it completed.
   * @param {Buffer} chunk
   */
  feed(chunk) {
    const before = this.replies + this.errors;
    let buf = chunk;
    if (this.partial !== null) {
      buf = Buffer.concat([this.partial, chunk]);
      this.partial = null;
    }
    let pos = 0;
    for (;;) {
      const lf = buf.indexOf(LF, pos);
      if (lf < 0) {
        if (pos < buf.length) this.partial = Buffer.from(buf.subarray(pos));
        break;
      }
      const end = lf > pos && buf[lf - 1] === CR ? lf - 1 : lf;
      const type = buf[pos];
      if (type === 0x3a) {
        const n = headerInteger(buf, pos, end);
        this.replies++;
        this.sum += n;
        if (n < this.min) this.min = n;
        if (n > this.max) this.max = n;
      } else if (type === MINUS) {
        this.errors++;
        this.firstError ??= buf.toString('latin1', pos + 1, end);
      } else {
        throw new Error(`expected integer replies, got type byte 0x${(type ?? 0).toString(16)}`);
      }
      pos = lf + 1;
    }
    return this.replies + this.errors - before;
  }
}

/**
 * Byte length of one RESP2 `message` push for a channel and payload size — what a subscriber
 * receives per delivered message (used to turn byte budgets into message counts).
 * @param {number} channelBytes
 * @param {number} payloadBytes
 */
export function messageFrameBytes(channelBytes, payloadBytes) {
  const bulk = (/** @type {number} */ n) => 1 + String(n).length + 2 + n + 2;
  return 4 + bulk(7) + bulk(channelBytes) + bulk(payloadBytes);
}

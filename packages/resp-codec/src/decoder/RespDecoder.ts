import { asFastBuffer, type FastBuffer } from "../internal/FastBuffer.js";
import { QueryBuffer } from "../internal/QueryBuffer.js";
import { ProtocolError } from "../ProtocolError.js";
import {
  AggregateFrame,
  type AggregateShapes,
  ARRAY,
  ATTRIBUTE,
  buildAggregate,
  buildMap,
  MAP,
  PUSH,
  SET,
  STREAMED_STRING,
} from "./AggregateFrame.js";
import type { RespDecoderOptions } from "./RespDecoderOptions.js";
import { attachAttributes, RespError, type RespMap, type RespValue, RespVerbatim } from "./RespValue.js";
import { parseBigInt, parseCount, parseDouble, parseIntegerNumber } from "./scalars.js";

const CR = 0x0d;
const LF = 0x0a;
const INCOMPLETE = Symbol("incomplete");
const OPENED = Symbol("opened");
type Step = RespValue | typeof INCOMPLETE | typeof OPENED;
const STRING_UTF8 = 0;
const STRING_LATIN1 = 1;
const STRING_BUFFER = 2;

/**
 * Streaming RESP2/RESP3 decoder yielding JS values, for clients, proxies, mocks and tools.
 * Feed chunks of any size; `next()` returns each complete top-level value in order, or
 * `undefined` when more bytes are needed. Aggregates are filled incrementally on an explicit
 * stack (no re-parse from the frame start, no recursion); only an incomplete scalar's bytes are
 * carried between chunks. Malformed input throws {@link ProtocolError}, and keeps throwing it.
 *
 * ```ts
 * const decoder = new RespDecoder();
 * socket.on("data", (chunk) => {
 *   decoder.feed(chunk);
 *   for (let v = decoder.next(); v !== undefined; v = decoder.next()) handle(v);
 * });
 * ```
 */
export class RespDecoder {
  private readonly q = new QueryBuffer();
  private readonly stack: AggregateFrame[] = [];
  private topAttributes: RespMap[] | null = null;
  private lineScanned = 0;
  private needed = 0;
  private growthLimit = -1;
  private failure: ProtocolError | null = null;
  private readonly stringMode: number;
  private readonly bigIntegers: boolean;
  private readonly verbatimObjects: boolean;
  private readonly keepAttributes: boolean;
  private readonly shapes: AggregateShapes;
  private readonly maxBulkLength: number;
  private readonly maxLineLength: number;

  constructor(options: RespDecoderOptions = {}) {
    this.stringMode =
      options.strings === "buffer" ? STRING_BUFFER : options.strings === "latin1" ? STRING_LATIN1 : STRING_UTF8;
    this.bigIntegers = options.integers === "bigint";
    this.verbatimObjects = options.verbatim === "object";
    this.keepAttributes = options.attributes === "wrap";
    this.shapes = { maps: options.maps ?? "map", sets: options.sets ?? "set" };
    this.maxBulkLength = options.maxBulkLength ?? 512 * 1024 * 1024;
    this.maxLineLength = options.maxLineLength ?? 16 * 1024 * 1024;
  }

  /** Bytes of an incomplete value held between chunks. */
  get bufferedBytes(): number {
    return this.q.storeActive ? this.q.end - this.q.pos : 0;
  }

  /** True while part of a value has been read (an open aggregate or buffered bytes). */
  get hasPartialValue(): boolean {
    return this.stack.length > 0 || this.topAttributes !== null || this.bufferedBytes > 0;
  }

  /** Hands the decoder the next chunk (it may be reused by the caller once `next()` returned undefined). */
  feed(chunk: Uint8Array): void {
    this.q.feed(asFastBuffer(chunk), this.q.pos, chunk.length);
  }

  /** The next complete top-level value, or `undefined` when more bytes are needed. */
  next(): RespValue | undefined {
    if (this.failure !== null) throw this.failure;
    try {
      return this.decode();
    } catch (err) {
      if (err instanceof ProtocolError) this.failure = err;
      throw err;
    }
  }

  /** Drops all state: partial values, buffered bytes, a failure. */
  reset(): void {
    this.q.clear();
    this.stack.length = 0;
    this.topAttributes = null;
    this.lineScanned = 0;
    this.failure = null;
  }

  private decode(): RespValue | undefined {
    const q = this.q;
    const stack = this.stack;
    for (;;) {
      if (q.pos >= q.end) {
        if (q.resume()) continue;
        q.keep(q.pos);
        return undefined;
      }
      let step: Step;
      const top = stack.length > 0 ? stack[stack.length - 1]! : undefined;
      if (
        top !== undefined &&
        top.remaining > 0 &&
        top.attributes === null &&
        q.input[q.pos] === 0x24 &&
        this.fillBulks(top)
      ) {
        stack.pop();
        step = this.complete(top.type, top.items);
        if (step === OPENED) continue;
        step = this.deliver(step as RespValue);
        if (step !== OPENED) return step as RespValue;
        continue;
      }
      step = this.token();
      if (step === INCOMPLETE) {
        if (q.pull(this.needed, this.growthLimit)) continue;
        q.keep(q.pos);
        return undefined;
      }
      this.lineScanned = 0;
      if (q.storeActive) q.resume();
      if (step === OPENED) continue;
      step = this.deliver(step);
      if (step !== OPENED) return step as RespValue;
    }
  }

  // Parses the token at `pos`: a scalar (returned), an aggregate header (OPENED), or INCOMPLETE.
  private token(): Step {
    const q = this.q;
    const type = q.input[q.pos]!;
    const stack = this.stack;
    if (stack.length > 0 && stack[stack.length - 1]!.type === STREAMED_STRING) {
      if (type !== 0x3b) this.fail("expected ';' in a streamed string");
      return this.streamedChunk(stack[stack.length - 1]!);
    }
    if (type === 0x24) return this.bulk();
    if (type === ARRAY || type === MAP || type === SET || type === PUSH || type === ATTRIBUTE)
      return this.aggregate(type);
    const cr = this.lineEnd();
    if (cr < 0) return INCOMPLETE;
    if (type === 0x21 || type === 0x3d) return this.blob(type, cr); // ! bulk error, = verbatim
    const buf = q.input;
    const start = q.pos + 1;
    let value: RespValue | undefined;
    switch (type) {
      case 0x2b: // + simple string
        value = this.text(buf, start, cr);
        break;
      case 0x2d: // - error
        value = new RespError(buf.utf8Slice(start, cr));
        break;
      case 0x3a: // : integer
        value = this.bigIntegers ? parseBigInt(buf, start, cr) : parseIntegerNumber(buf, start, cr);
        break;
      case 0x5f: // _ null
        if (cr === start) value = null;
        break;
      case 0x23: // # boolean
        if (cr === start + 1) value = buf[start] === 0x74 ? true : buf[start] === 0x66 ? false : undefined;
        break;
      case 0x2c: // , double
        value = parseDouble(buf, start, cr);
        break;
      case 0x28: // ( big number
        value = parseBigInt(buf, start, cr);
        break;
      case 0x2e: // . end of a streamed aggregate
        if (cr !== start) this.fail("invalid end marker");
        q.pos = cr + 2;
        return this.endStreamed();
      default:
        this.fail(`invalid type byte ${JSON.stringify(String.fromCharCode(type))}`);
    }
    if (value === undefined) this.fail(`invalid ${JSON.stringify(String.fromCharCode(type))} line`);
    q.pos = cr + 2;
    return value;
  }

  // `$len`, `$?` (streamed) or `$-1` (RESP2 null).
  private bulk(): Step {
    const cr = this.lineEnd();
    if (cr < 0) return INCOMPLETE;
    const q = this.q;
    const buf = q.input;
    const start = q.pos + 1;
    if (cr === start + 1 && buf[start] === 0x3f) {
      q.pos = cr + 2;
      this.stack.push(new AggregateFrame(STREAMED_STRING, -1));
      return OPENED;
    }
    if (cr === start + 2 && buf[start] === 0x2d && buf[start + 1] === 0x31) {
      q.pos = cr + 2;
      return null;
    }
    return this.blob(0x24, cr);
  }

  // A length-prefixed payload after the header line ending at `cr`: `$`, `!`, `=`, `;`.
  private blob(type: number, cr: number): Step {
    const q = this.q;
    const buf = q.input;
    const len = parseCount(buf, q.pos + 1, cr);
    if (len === undefined || len > this.maxBulkLength) this.fail("invalid bulk length");
    const dataStart = cr + 2;
    const dataEnd = dataStart + len;
    if (dataEnd + 2 > q.end) {
      this.needed = dataEnd + 2 - q.end;
      this.growthLimit = dataEnd + 2;
      return INCOMPLETE;
    }
    if (buf[dataEnd] !== CR || buf[dataEnd + 1] !== LF) this.fail("bulk string not followed by CRLF");
    q.pos = dataEnd + 2;
    if (type === 0x24) return this.text(buf, dataStart, dataEnd);
    if (type === 0x21) return new RespError(buf.utf8Slice(dataStart, dataEnd));
    if (type === 0x3d) {
      if (len < 4 || buf[dataStart + 3] !== 0x3a) this.fail("invalid verbatim string");
      const text = this.text(buf, dataStart + 4, dataEnd);
      return this.verbatimObjects ? new RespVerbatim(buf.latin1Slice(dataStart, dataStart + 3), text) : text;
    }
    return this.copy(buf, dataStart, dataEnd); // `;` chunk
  }

  private aggregate(type: number): Step {
    const cr = this.lineEnd();
    if (cr < 0) return INCOMPLETE;
    const q = this.q;
    const buf = q.input;
    const start = q.pos + 1;
    q.pos = cr + 2;
    if (cr === start + 1 && buf[start] === 0x3f) {
      this.stack.push(new AggregateFrame(type, -1));
      return OPENED;
    }
    if (type === ARRAY && cr === start + 2 && buf[start] === 0x2d && buf[start + 1] === 0x31) return null;
    const count = parseCount(buf, start, cr);
    if (count === undefined) this.fail("invalid aggregate length");
    if (count === 0) return this.complete(type, []);
    this.stack.push(new AggregateFrame(type, type === MAP || type === ATTRIBUTE ? count * 2 : count));
    return OPENED;
  }

  private streamedChunk(frame: AggregateFrame): Step {
    const cr = this.lineEnd();
    if (cr < 0) return INCOMPLETE;
    const q = this.q;
    if (cr === q.pos + 2 && q.input[q.pos + 1] === 0x30) {
      q.pos = cr + 2;
      this.stack.pop();
      const whole = Buffer.concat(frame.items as Buffer[]) as FastBuffer;
      return this.text(whole, 0, whole.length);
    }
    const chunk = this.blob(0x3b, cr);
    if (chunk === INCOMPLETE) return chunk;
    frame.items.push(chunk as Buffer);
    return OPENED;
  }

  private endStreamed(): Step {
    const frame = this.stack.pop();
    if (frame === undefined || frame.remaining >= 0) this.fail("unexpected end marker");
    if ((frame.type === MAP || frame.type === ATTRIBUTE) && frame.items.length % 2 !== 0)
      this.fail("map ended after a key");
    return this.complete(frame.type, frame.items);
  }

  // A finished aggregate: its value, or OPENED when it was attributes for what follows.
  private complete(type: number, items: RespValue[]): Step {
    if (type !== ATTRIBUTE) return buildAggregate(type, items, this.shapes);
    if (this.keepAttributes) {
      const attributes = buildMap(items, this.shapes);
      const stack = this.stack;
      if (stack.length === 0) (this.topAttributes ??= []).push(attributes);
      else (stack[stack.length - 1]!.attributes ??= []).push(attributes);
    }
    return OPENED;
  }

  /**
   * The hot path of replies: consecutive whole `$len` bulks inside a counted aggregate, read in
   * one loop. Stops (leaving the token to the general path) at anything else — another type, a
   * null or streamed bulk, an incomplete or malformed token. True when it filled the aggregate.
   */
  private fillBulks(frame: AggregateFrame): boolean {
    const q = this.q;
    const buf = q.input;
    const end = q.end;
    const items = frame.items;
    const max = this.maxBulkLength;
    let p = q.pos;
    let remaining = frame.remaining;
    while (remaining > 0 && p + 5 < end && buf[p] === 0x24) {
      let i = p + 1;
      let c = buf[i]!;
      if (c < 0x30 || c > 0x39) break;
      let len = 0;
      do {
        len = len * 10 + (c - 0x30);
        c = buf[++i]!;
      } while (c >= 0x30 && c <= 0x39 && i < end);
      if (c !== CR || i + 1 >= end || buf[i + 1] !== LF || len > max) break;
      const dataStart = i + 2;
      const dataEnd = dataStart + len;
      if (dataEnd + 2 > end || buf[dataEnd] !== CR || buf[dataEnd + 1] !== LF) break;
      items.push(this.text(buf, dataStart, dataEnd));
      remaining--;
      p = dataEnd + 2;
    }
    if (p !== q.pos) {
      q.pos = p;
      this.lineScanned = 0;
      frame.remaining = remaining;
    }
    return remaining === 0;
  }

  // Adds a finished value to the open aggregates, closing those it completes. Returns the
  // top-level value once one is complete, else OPENED.
  private deliver(value: RespValue): Step {
    let v = value;
    for (;;) {
      const stack = this.stack;
      if (stack.length === 0) {
        if (this.topAttributes !== null) {
          v = attachAttributes(this.topAttributes, v);
          this.topAttributes = null;
        }
        return v;
      }
      const top = stack[stack.length - 1]!;
      if (top.attributes !== null) {
        v = attachAttributes(top.attributes, v);
        top.attributes = null;
      }
      top.items.push(v);
      if (top.remaining < 0 || --top.remaining > 0) return OPENED;
      stack.pop();
      const done = this.complete(top.type, top.items);
      if (done === OPENED) return OPENED;
      v = done as RespValue;
    }
  }

  /**
   * Index of the CR of the CRLF ending the line at `pos`, or -1 to wait for more bytes. Scanned
   * bytes are remembered, so a long line arriving in small chunks is scanned once.
   */
  private lineEnd(): number {
    const q = this.q;
    const buf = q.input;
    const end = q.end;
    const start = q.pos + 1;
    let i = start + this.lineScanned;
    while (i < end && buf[i] !== CR) i++;
    if (i >= end - 1) {
      this.lineScanned = i - start;
      if (i - start > this.maxLineLength) this.fail("line too long");
      this.needed = 0;
      this.growthLimit = -1;
      return -1;
    }
    if (buf[i + 1] !== LF) this.fail("CR not followed by LF");
    return i;
  }

  private text(buf: FastBuffer, start: number, end: number): string | Buffer {
    if (this.stringMode === STRING_UTF8) return buf.utf8Slice(start, end);
    if (this.stringMode === STRING_LATIN1) return buf.latin1Slice(start, end);
    return this.copy(buf, start, end);
  }

  private copy(buf: FastBuffer, start: number, end: number): Buffer {
    const len = end - start;
    const out = Buffer.allocUnsafe(len);
    if (len <= 64) for (let i = 0; i < len; i++) out[i] = buf[start + i]!;
    else buf.copy(out, 0, start, end);
    return out;
  }

  private fail(reason: string): never {
    throw new ProtocolError(reason);
  }
}

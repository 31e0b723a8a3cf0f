import { intTextLength, writeInt } from "./int64.js";
import type { FastBuffer } from "./internal/FastBuffer.js";

const CR = 0x0d;
const LF = 0x0a;
// Strings up to this many chars are copied with a loop: cheaper than a native call.
export const SHORT = 32;
// After handing over a large output, the next buffer is sized like it, up to this.
const HANDOVER_HINT_LIMIT = 64 * 1024;
// Bytes reserved for a deferred header: `*N\r\n` with a one-digit count, so the common short reply
// is patched in place; a longer header moves what follows it (a native memmove).
const DEFERRED_SLOT = 4;

/**
 * The growable output buffer under {@link ReplyWriter}: the bytes, their hand-over to a socket,
 * and deferred aggregate lengths (Redis's `addReplyDeferredLen`). RESP types are the subclass's.
 */
export class ReplyBuffer {
  /** Output bytes written so far are `buffer[0, length)`. */
  buffer: Buffer;
  // `length`'s value; methods write through it directly.
  protected end = 0;
  private readonly initialSize: number;
  // Slots of the deferred headers still open, innermost last.
  private readonly slots: number[] = [];
  private depth = 0;

  /** @param initialSize bytes allocated up front (Redis's per-client reply buffer is 16 KB). */
  constructor(initialSize = 16 * 1024) {
    this.initialSize = initialSize;
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  /**
   * Bytes written since the last `take()`. Setting it lower truncates the output (a server
   * dropping a command's reply: CLIENT REPLY OFF/SKIP); that also cancels every deferred length
   * opened in the dropped part, so a mark taken before a command may always be restored.
   */
  get length(): number {
    return this.end;
  }

  set length(value: number) {
    this.end = value;
    if (this.depth !== 0) this.cancelDeferredFrom(value);
  }

  /** Deferred lengths opened and not yet set (they must be set before {@link take}/{@link peek}). */
  get openDeferredLengths(): number {
    return this.depth;
  }

  /**
   * Removes and returns everything written so far as a Buffer the caller may hand to
   * `socket.write` (it is never written into again). Small outputs are copied out so the
   * writer's own buffer is reused; large ones are handed over whole.
   * Throws while a deferred length is open: its header is not written yet.
   */
  take(): Buffer {
    if (this.depth !== 0) this.throwOpen("take");
    const n = this.end;
    this.end = 0;
    if (n <= 4096) return Buffer.from(this.buffer.subarray(0, n));
    const out = this.buffer.subarray(0, n);
    this.replaceBuffer(n);
    return out;
  }

  // After handing over `n` bytes of output, the next buffer is sized like them (within bounds).
  private replaceBuffer(n: number): void {
    this.buffer = Buffer.allocUnsafe(Math.max(this.initialSize, Math.min(n, HANDOVER_HINT_LIMIT)));
  }

  /**
   * Everything written so far as a view of the writer's own buffer, without copying: for a
   * write that usually completes at once. Call {@link consumed} right after handing it over.
   * Throws while a deferred length is open, as {@link take} does.
   */
  peek(): Buffer {
    if (this.depth !== 0) this.throwOpen("peek");
    return this.buffer.subarray(0, this.end);
  }

  /**
   * The output {@link peek} returned was handed over. `retained`: the consumer still refers to
   * it (a socket write left pending), so the writer moves on to a new buffer; otherwise its
   * buffer is reused, and the output cost no allocation at all.
   */
  consumed(retained: boolean): void {
    const n = this.end;
    this.end = 0;
    this.depth = 0;
    if (retained) this.replaceBuffer(n);
  }

  /** Drops everything written since the last `take()`, open deferred lengths included. */
  clear(): void {
    this.end = 0;
    this.depth = 0;
  }

  /** Ensures room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.end + n;
    if (need <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < need) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.end);
    this.buffer = grown;
  }

  /** Appends pre-encoded bytes (shared replies like `+OK\r\n`). */
  raw(bytes: Uint8Array): void {
    const len = bytes.length;
    if (this.end + len > this.buffer.length) this.reserve(len);
    const b = this.buffer;
    if (len <= SHORT) {
      let o = this.end;
      for (let i = 0; i < len; i++) b[o++] = bytes[i]!;
      this.end = o;
    } else {
      b.set(bytes, this.end);
      this.end += len;
    }
  }

  /**
   * Opens an aggregate whose element count is not known yet (Redis's `addReplyDeferredLen`):
   * write the elements, then set the count with `setDeferredArrayLength`/`MapLength`/`SetLength`
   * of the returned token. Deferrals nest to any depth and are set innermost first. The bytes
   * are those of writing the header up front with the final count.
   */
  deferLength(): number {
    const at = this.end;
    if (at + DEFERRED_SLOT > this.buffer.length) this.reserve(DEFERRED_SLOT);
    this.end = at + DEFERRED_SLOT;
    this.slots[this.depth++] = at;
    return at;
  }

  // Writes the header `<type><n>\r\n` of the deferral `token` (the innermost open one) in its
  // slot, moving the bytes after the slot when the header is not the slot's size.
  protected setDeferred(token: number, type: number, n: number): void {
    if (this.depth === 0 || this.slots[this.depth - 1] !== token) {
      throw new Error(
        "ReplyWriter: this deferred length is not the innermost open one (set inner ones first; truncating the output cancels them)",
      );
    }
    this.depth--;
    const width = 3 + intTextLength(n);
    if (width !== DEFERRED_SLOT) {
      if (width > DEFERRED_SLOT) this.reserve(width - DEFERRED_SLOT);
      this.buffer.copyWithin(token + width, token + DEFERRED_SLOT, this.end);
      this.end += width - DEFERRED_SLOT;
    }
    const b = this.buffer;
    b[token] = type;
    const o = token + 1 + writeInt(n, b, token + 1);
    b[o] = CR;
    b[o + 1] = LF;
  }

  private cancelDeferredFrom(length: number): void {
    while (this.depth > 0 && this.slots[this.depth - 1]! + DEFERRED_SLOT > length) this.depth--;
  }

  private throwOpen(method: string): never {
    throw new Error(
      `ReplyWriter: ${method}() while ${this.depth} deferred length(s) are open; set them first (or truncate the output)`,
    );
  }

  // `<type><n>\r\n` for a count or length.
  protected header(type: number, n: number): void {
    if (this.end + 24 > this.buffer.length) this.reserve(24);
    this.buffer[this.end++] = type;
    this.decimalLine(n);
  }

  // Writes a safe integer's digits and CRLF; the caller reserved 22 bytes.
  protected decimalLine(n: number): void {
    const b = this.buffer;
    let o = this.end;
    if (n < 10 && n >= 0) {
      b[o++] = 0x30 + n;
    } else if (n < 100 && n >= 10) {
      b[o] = 0x30 + ((n / 10) | 0);
      b[o + 1] = 0x30 + (n % 10);
      o += 2;
    } else {
      o += writeInt(n, b, o);
    }
    b[o] = CR;
    b[o + 1] = LF;
    this.end = o + 2;
  }

  protected latin1(text: string): void {
    const len = text.length;
    if (len <= SHORT) {
      const b = this.buffer;
      let o = this.end;
      for (let i = 0; i < len; i++) b[o++] = text.charCodeAt(i);
      this.end = o;
    } else {
      this.end += (this.buffer as FastBuffer).latin1Write(text, this.end, len);
    }
  }

  protected crlf(): void {
    this.buffer[this.end] = CR;
    this.buffer[this.end + 1] = LF;
    this.end += 2;
  }
}

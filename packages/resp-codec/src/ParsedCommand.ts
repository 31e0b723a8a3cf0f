import { asciiEqualsLower } from "./asciiCase.js";
import { EMPTY_BUFFER, type FastBuffer } from "./internal/FastBuffer.js";

/**
 * One parsed command as argument views: argument `i` is
 * `buffer[offsets[i], offsets[i] + lengths[i])`. {@link RequestParser} fills it; the accessors
 * read an argument without building a string or Buffer unless asked for one.
 */
export class ParsedCommand {
  /** The bytes the current command's arguments point into. */
  buffer: Uint8Array = EMPTY_BUFFER;
  /** Argument count of the current command. */
  argc = 0;
  /** Start of argument i in {@link buffer}. */
  offsets: Int32Array = new Int32Array(16);
  /** Length of argument i. */
  lengths: Int32Array = new Int32Array(16);
  /** Whether the current command arrived inline (arguments point into an internal scratch buffer). */
  inline = false;

  /** True when argument `i` equals the ASCII `lowerName` case-insensitively; builds no string. */
  argEquals(i: number, lowerName: string): boolean {
    return asciiEqualsLower(this.buffer, this.offsets[i]!, this.lengths[i]!, lowerName);
  }

  /** Argument `i` as a binary (latin1) string: one JS char per byte. */
  argString(i: number): string {
    const off = this.offsets[i]!;
    return (this.buffer as FastBuffer).latin1Slice(off, off + this.lengths[i]!);
  }

  /** Argument `i` as a view (no copy; valid until the next `next()`/`feed()`). */
  argView(i: number): Uint8Array {
    const off = this.offsets[i]!;
    return this.buffer.subarray(off, off + this.lengths[i]!);
  }

  /** Argument `i` copied into a fresh Buffer that outlives the chunk. */
  argCopy(i: number): Buffer {
    const off = this.offsets[i]!;
    return Buffer.from(this.buffer.subarray(off, off + this.lengths[i]!));
  }

  /**
   * Copies argument `i` into `target` at `targetOffset` (an arena or pool page) and returns its
   * length; the caller ensures room (`lengths[i]` bytes). Allocates nothing.
   */
  argCopyTo(i: number, target: Uint8Array, targetOffset: number): number {
    const off = this.offsets[i]!;
    const len = this.lengths[i]!;
    const buf = this.buffer;
    if (len <= 32) {
      for (let j = 0; j < len; j++) target[targetOffset + j] = buf[off + j]!;
    } else {
      target.set(buf.subarray(off, off + len), targetOffset);
    }
    return len;
  }
}

/**
 * Node's `Buffer` carries fast, encoding-specific slice/write methods that `toString()` and
 * `write()` dispatch to after normalising their arguments. They are not in the typings but have
 * been stable since Node 0.x and exist on every Node this package supports (20, 22, 24); calling
 * them directly saves the argument handling on paths that run once per argument or reply.
 */
export interface FastBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
  latin1Write(text: string, offset: number, length: number): number;
  utf8Write(text: string, offset: number, length: number): number;
}

/** A `Buffer` over the same bytes as `bytes` (no copy; `bytes` itself when it already is one). */
export function asFastBuffer(bytes: Uint8Array): FastBuffer {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as FastBuffer;
}

export const EMPTY_BUFFER = Buffer.alloc(0) as FastBuffer;

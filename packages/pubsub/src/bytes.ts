/**
 * Channel and pattern names are bytes. JavaScript `Map`s need a primitive key, so each name is
 * also kept as a latin1 "binary string" (one UTF-16 code unit per byte): a lossless, compact
 * one-byte V8 string that hashes once and compares fast.
 *
 * @module
 */

/** A channel or pattern name: bytes as they arrived, or a string (encoded as UTF-8). */
export type ChannelName = Uint8Array | string;

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;

/*
 * `Buffer#latin1Slice` decodes any Uint8Array without wrapping it in a Buffer first (about 4×
 * faster than `Buffer.from(view).toString("latin1")` for channel-sized names). It is not part
 * of Node's documented API, hence the fallback.
 */
const nativeLatin1Slice: Latin1Slice | undefined =
  typeof Buffer === "function" ? (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice }).latin1Slice : undefined;

/** The map key of a name: its bytes as a latin1 string. */
export function latin1Key(bytes: Uint8Array): string {
  return latin1KeyOf(bytes, 0, bytes.length);
}

/** The map key of the name at `bytes[off, off + len)`. */
export function latin1KeyOf(bytes: Uint8Array, off: number, len: number): string {
  if (nativeLatin1Slice !== undefined) return nativeLatin1Slice.call(bytes, off, off + len);
  let key = "";
  for (let i = off; i < off + len; i++) key += String.fromCharCode(bytes[i]!);
  return key;
}

const utf8 = new TextEncoder();

/** The bytes of a name; strings are encoded as UTF-8, as Redis clients send them. */
export function nameBytes(name: ChannelName): Uint8Array {
  return typeof name === "string" ? utf8.encode(name) : name;
}

/**
 * A private copy of `bytes`, for names that must outlive the caller's (reused) read buffer.
 * (`new Uint8Array(view)` copies; `Buffer#slice` would alias.)
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

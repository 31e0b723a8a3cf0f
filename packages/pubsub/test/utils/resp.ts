/**
 * Just enough RESP for the tests: split a byte stream into top-level frames (to compare
 * deliveries whose order Redis leaves to its hash tables), and encode the few non-pub/sub
 * replies the in-memory server sends.
 */

/** Returns the end offset of the frame starting at `at`, or -1 if it is incomplete. */
function frameEnd(bytes: Uint8Array, at: number): number {
  if (at >= bytes.length) return -1;
  const lineEnd = indexOfCrlf(bytes, at);
  if (lineEnd < 0) return -1;
  const type = String.fromCharCode(bytes[at]!);
  const header = Buffer.from(bytes.subarray(at + 1, lineEnd)).toString("latin1");
  let next = lineEnd + 2;
  switch (type) {
    case "+":
    case "-":
    case ":":
    case "_":
    case ",":
    case "#":
      return next;
    case "$": {
      const length = Number(header);
      if (length < 0) return next;
      next += length + 2;
      return next <= bytes.length ? next : -1;
    }
    case "*":
    case ">":
    case "~":
    case "%": {
      let count = Number(header);
      if (type === "%") count *= 2;
      for (let i = 0; i < count; i++) {
        next = frameEnd(bytes, next);
        if (next < 0) return -1;
      }
      return next;
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

function indexOfCrlf(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 1 < bytes.length; i++) if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) return i;
  return -1;
}

/** Splits complete top-level frames out of `bytes` as latin1 strings (readable in diffs). */
export function splitFrames(bytes: Uint8Array): string[] {
  const frames: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    const end = frameEnd(bytes, at);
    if (end < 0) throw new Error(`incomplete frame at ${at}: ${latin1(bytes.subarray(at))}`);
    frames.push(latin1(bytes.subarray(at, end)));
    at = end;
  }
  return frames;
}

export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

export function bytesOf(latin1Text: string): Uint8Array {
  return new Uint8Array(Buffer.from(latin1Text, "latin1"));
}

export function encodeInteger(n: number): Uint8Array {
  return bytesOf(`:${n}\r\n`);
}

export function encodeBulk(bytes: Uint8Array): string {
  return `$${bytes.length}\r\n${latin1(bytes)}\r\n`;
}

/** A RESP array (RESP2 and RESP3 alike) of bulk strings and integers. */
export function encodeArray(items: readonly (Uint8Array | number)[]): Uint8Array {
  let out = `*${items.length}\r\n`;
  for (const item of items) out += typeof item === "number" ? `:${item}\r\n` : encodeBulk(item);
  return bytesOf(out);
}

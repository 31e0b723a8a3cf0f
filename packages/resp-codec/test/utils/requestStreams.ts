import fc from "fast-check";
import { ProtocolError, RequestParser, type RequestParserOptions } from "../../src/index.js";

/** What a parser made of a stream: the commands (latin1 arguments) and the error reason, if any. */
export interface ParseOutcome {
  commands: string[][];
  error: string | null;
}

/** Feeds `chunks` to a fresh parser and collects everything it yields. */
export function parseChunks(
  chunks: Uint8Array[],
  options: RequestParserOptions & { authenticated?: boolean } = {},
): ParseOutcome {
  const parser = new RequestParser(options);
  if (options.authenticated === false) parser.authenticated = false;
  const commands: string[][] = [];
  try {
    for (const chunk of chunks) {
      parser.feed(chunk);
      while (parser.next()) {
        const args: string[] = [];
        for (let i = 0; i < parser.argc; i++) args.push(parser.argString(i));
        commands.push(args);
      }
    }
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    return { commands, error: err.reason };
  }
  return { commands, error: null };
}

/** Splits `bytes` at the given cut points (sorted, deduplicated, clamped). */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.max(0, Math.min(bytes.length, c))))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

export const encodeMultibulk = (args: Uint8Array[]): Buffer =>
  Buffer.concat([
    Buffer.from(`*${args.length}\r\n`),
    ...args.flatMap((a) => [Buffer.from(`$${a.length}\r\n`), Buffer.from(a), Buffer.from("\r\n")]),
  ]);

const binaryArg = fc.uint8Array({ maxLength: 24 });
const multibulkCommand = fc.array(binaryArg, { minLength: 0, maxLength: 6 }).map(encodeMultibulk);

// Inline lines over an alphabet dense in the characters sdssplitargs treats specially.
const inlineChar = fc.constantFrom(..."ab x0F9 \t\"'\\\rnrtv\x0b\x0c".split(""));
const inlineLine = fc
  .array(inlineChar, { maxLength: 30 })
  .chain((chars) => fc.constantFrom("\n", "\r\n").map((eol) => Buffer.from(chars.join("") + eol, "latin1")));

// Bytes that matter to the protocol, so random streams reach deep states.
const protocolByte = fc.oneof(
  fc.constantFrom(...Buffer.from("*$\r\n\r\n0123456789-+ \"'\\x\0aZ")),
  fc.integer({ min: 0, max: 255 }),
);

/** Valid pipelines of multibulk and inline commands. */
export const validStream = fc
  .array(fc.oneof({ weight: 3, arbitrary: multibulkCommand }, { weight: 1, arbitrary: inlineLine }), { maxLength: 8 })
  .map((parts) => new Uint8Array(Buffer.concat(parts)));

/** Random bytes, protocol-heavy. */
export const randomStream = fc.array(protocolByte, { maxLength: 120 }).map((b) => Uint8Array.from(b));

/** A valid stream with a few bytes replaced, inserted or removed. */
export const mutatedStream = fc
  .tuple(
    validStream,
    fc.array(fc.tuple(fc.nat(), fc.constantFrom("set", "insert", "delete"), protocolByte), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([stream, edits]) => {
    const bytes = [...stream];
    for (const [at, kind, byte] of edits) {
      const i = bytes.length === 0 ? 0 : at % (bytes.length + (kind === "insert" ? 1 : 0));
      if (kind === "set" && i < bytes.length) bytes[i] = byte;
      else if (kind === "insert") bytes.splice(i, 0, byte);
      else if (kind === "delete") bytes.splice(i, 1);
    }
    return Uint8Array.from(bytes);
  });

/** Any of the above. */
export const anyStream = fc.oneof(validStream, randomStream, mutatedStream);

/** Cut points for a stream (chunk boundaries). */
export const cutPoints = fc.array(fc.nat({ max: 400 }), { maxLength: 6 });

import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeValue, RespDecoder, RespError, type RespValue } from "../src/index.js";

interface RedisParserInstance {
  execute(chunk: Buffer): void;
}
type RedisParserConstructor = new (options: {
  returnReply(reply: unknown): void;
  returnError(error: Error): void;
  returnFatalError?(error: Error): void;
  returnBuffers?: boolean;
}) => RedisParserInstance;

const RedisParser = createRequire(import.meta.url)("redis-parser") as RedisParserConstructor;

// Both parsers' results in one shape: errors as { error: message }.
function normalise(value: unknown): unknown {
  if (value instanceof Error) return { error: value.message };
  if (Array.isArray(value)) return value.map(normalise);
  return value;
}

function withRedisParser(chunks: Buffer[]): unknown[] {
  const out: unknown[] = [];
  const parser = new RedisParser({
    returnReply: (r) => out.push(normalise(r)),
    returnError: (e) => out.push(normalise(e)),
    returnFatalError: (e) => {
      throw e;
    },
  });
  for (const c of chunks) parser.execute(c);
  return out;
}

function withOurs(chunks: Buffer[]): unknown[] {
  const decoder = new RespDecoder();
  const out: unknown[] = [];
  for (const c of chunks) {
    decoder.feed(c);
    for (let v = decoder.next(); v !== undefined; v = decoder.next()) out.push(normalise(v));
  }
  return out;
}

// RESP2 replies as Redis sends them: bulk and simple strings, integers, errors, nulls, arrays.
const resp2: fc.Arbitrary<RespValue> = fc.letrec<{ v: RespValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.string({ unit: "grapheme", maxLength: 20 }),
    fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
    fc.constant(null),
    fc.stringMatching(/^[A-Z]{2,8} [ -~]{0,20}$/).map((m) => new RespError(m)),
    fc.array(tie("v"), { maxLength: 5 }),
  ),
})).v;

describe("RespDecoder agrees with redis-parser on RESP2", () => {
  it("decodes the same values from the same byte streams, whatever the chunking", () => {
    fc.assert(
      fc.property(
        fc.array(resp2, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.boolean(),
        (values, cuts, simple) => {
          // Top-level strings sometimes as simple strings (`+OK`), which redis-parser reads alike.
          const frames = values.map((v) =>
            simple && typeof v === "string" && !/[\r\n]/.test(v) ? Buffer.from(`+${v}\r\n`) : encodeValue(v, 2),
          );
          const bytes = Buffer.concat(frames);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let prev = 0;
          for (const p of points) {
            chunks.push(bytes.subarray(prev, p));
            prev = p;
          }
          chunks.push(bytes.subarray(prev));
          const theirs = withRedisParser(chunks);
          expect(withOurs(chunks)).toEqual(theirs);
          expect(theirs).toHaveLength(values.length);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

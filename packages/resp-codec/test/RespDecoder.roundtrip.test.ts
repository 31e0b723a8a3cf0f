import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeValue, ProtocolError, RespDecoder, type RespDecoderOptions, type RespValue } from "../src/index.js";
import { downgrade, respValue } from "./utils/respValues.js";

const RESP3_OPTIONS: RespDecoderOptions = { verbatim: "object", attributes: "wrap" };

function decodeChunks(chunks: Uint8Array[], options: RespDecoderOptions): RespValue[] {
  const decoder = new RespDecoder(options);
  const out: RespValue[] = [];
  for (const chunk of chunks) {
    decoder.feed(chunk);
    for (let v = decoder.next(); v !== undefined; v = decoder.next()) out.push(v);
  }
  expect(decoder.hasPartialValue).toBe(false);
  return out;
}

const splits = (bytes: Uint8Array, cuts: number[]): Uint8Array[] => {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
};

describe("encode → decode", () => {
  it("returns every RESP3 value unchanged, whatever the chunking", () => {
    fc.assert(
      fc.property(
        fc.array(respValue, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (values, cuts) => {
          const bytes = Buffer.concat(values.map((v) => encodeValue(v, 3)));
          expect(decodeChunks(splits(bytes, cuts), RESP3_OPTIONS)).toEqual(values);
        },
      ),
      { numRuns: 600 },
    );
  });

  it("returns Redis's RESP2 downgrade of every value", () => {
    fc.assert(
      fc.property(
        fc.array(respValue, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (values, cuts) => {
          const bytes = Buffer.concat(values.map((v) => encodeValue(v, 2)));
          expect(decodeChunks(splits(bytes, cuts), {})).toEqual(values.map(downgrade));
        },
      ),
      { numRuns: 600 },
    );
  });

  it("keeps binary strings as Buffers in buffer mode", () => {
    const binary = fc.letrec<{ v: RespValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
        fc.array(tie("v"), { maxLength: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(binary, fc.array(fc.nat(), { maxLength: 4 }), (value, cuts) => {
        expect(decodeChunks(splits(encodeValue(value, 2), cuts), { strings: "buffer" })).toEqual([value]);
      }),
      { numRuns: 300 },
    );
  });

  it("decodes every split point of a frame as the whole frame", () => {
    fc.assert(
      fc.property(respValue, (value) => {
        const bytes = encodeValue(value, 3);
        for (let i = 0; i <= bytes.length; i++) {
          expect(decodeChunks([bytes.subarray(0, i), bytes.subarray(i)], RESP3_OPTIONS)).toEqual([value]);
        }
      }),
      { numRuns: 150 },
    );
  });
});

// Bytes that steer random streams into every decoder state.
const respByte = fc.oneof(
  fc.constantFrom(...Buffer.from("$*%~>|!=,(#_:+-.;?\r\n\r\n0123456789tf")),
  fc.integer({ min: 0, max: 255 }),
);

const mutated = fc
  .tuple(
    respValue,
    fc.array(fc.tuple(fc.nat(), fc.constantFrom("set", "insert", "delete"), respByte), { minLength: 1, maxLength: 4 }),
  )
  .map(([value, edits]) => {
    const bytes = [...encodeValue(value, 3)];
    for (const [at, kind, byte] of edits) {
      const i = at % (bytes.length + 1);
      if (kind === "set" && i < bytes.length) bytes[i] = byte;
      else if (kind === "insert") bytes.splice(i, 0, byte);
      else bytes.splice(i, 1);
    }
    return Uint8Array.from(bytes);
  });

/** Feeds `chunks` and returns what came out; anything but values or a ProtocolError fails. */
function survive(chunks: Uint8Array[]): { values: RespValue[]; error: string | null } {
  const decoder = new RespDecoder(RESP3_OPTIONS);
  const values: RespValue[] = [];
  try {
    for (const chunk of chunks) {
      decoder.feed(chunk);
      for (let v = decoder.next(); v !== undefined; v = decoder.next()) values.push(v);
    }
  } catch (err) {
    if (err instanceof ProtocolError) return { values, error: err.reason };
    throw err;
  }
  return { values, error: null };
}

describe("hostile input", () => {
  it("random and mutated streams only yield values or a ProtocolError, the same for any chunking", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(respByte, { maxLength: 80 }).map((b) => Uint8Array.from(b)),
          mutated,
        ),
        fc.array(fc.nat(), { maxLength: 5 }),
        (bytes, cuts) => {
          expect(survive(splits(bytes, cuts))).toEqual(survive([bytes]));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

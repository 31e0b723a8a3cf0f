import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { referenceParse } from "./utils/redisReferenceParser.js";
import { anyStream, cutPoints, parseChunks, splitAt, validStream } from "./utils/requestStreams.js";

const REDIS_DEFAULTS = { maxBulkLength: 512 * 1024 * 1024, maxInlineLength: 64 * 1024, authenticated: true };

describe("RequestParser agrees with a port of Redis's networking.c", () => {
  it("yields the same commands as Redis for valid pipelines, whatever the chunking", () => {
    fc.assert(
      fc.property(validStream, cutPoints, (stream, cuts) => {
        const expected = referenceParse(stream, REDIS_DEFAULTS);
        expect(parseChunks(splitAt(stream, cuts))).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it("yields the same commands and the same error as Redis for random and mutated bytes", () => {
    fc.assert(
      fc.property(anyStream, cutPoints, (stream, cuts) => {
        const expected = referenceParse(stream, REDIS_DEFAULTS);
        expect(parseChunks(splitAt(stream, cuts))).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it("applies small limits and the unauthenticated ones exactly like Redis", () => {
    const limits = fc.record({
      maxBulkLength: fc.integer({ min: 0, max: 40 }),
      maxInlineLength: fc.integer({ min: 1, max: 60 }),
      authenticated: fc.boolean(),
    });
    fc.assert(
      fc.property(anyStream, cutPoints, limits, (stream, cuts, lim) => {
        const expected = referenceParse(stream, lim);
        expect(parseChunks(splitAt(stream, cuts), lim)).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it("gives the one-chunk result for every single split point", () => {
    fc.assert(
      fc.property(anyStream, (stream) => {
        const whole = parseChunks([stream]);
        for (let i = 0; i <= stream.length; i++) {
          expect(parseChunks([stream.subarray(0, i), stream.subarray(i)])).toEqual(whole);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("gives the one-chunk result when fed one byte at a time", () => {
    fc.assert(
      fc.property(anyStream, (stream) => {
        const bytes = [...stream].map((b) => Uint8Array.of(b));
        expect(parseChunks(bytes)).toEqual(parseChunks([stream]));
      }),
      { numRuns: 300 },
    );
  });
});

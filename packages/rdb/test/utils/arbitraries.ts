import fc from "fast-check";

/** Byte strings that LZF can compress: small alphabets, repeated chunks, words. */
export const compressibleBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 3000 }).map((a) => a.map((x) => x % 3)),
  fc
    .array(fc.constantFrom("ab", "abc", "xyzzy", "0", "1", "hello ", "\u00ff\u0000"), { maxLength: 800 })
    .map((w) => new Uint8Array(Buffer.from(w.join(""), "latin1"))),
  fc
    .tuple(
      fc.uint8Array({ minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 400 }),
      fc.uint8Array({ maxLength: 20 }),
    )
    .map(([unit, times, tail]) => {
      const out = new Uint8Array(unit.length * times + tail.length);
      for (let i = 0; i < times; i++) out.set(unit, i * unit.length);
      out.set(tail, unit.length * times);
      return out;
    }),
);

/** Any bytes: random, compressible, or short. */
export const anyBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 100 }),
  fc.uint8Array({ maxLength: 5000 }),
  compressibleBytes,
);

/**
 * Values at every listpack / intset encoding boundary, for property tests: integers around the
 * 7-, 13-, 16-, 24-, 32-, 53- and 64-bit limits, strings whose length crosses 63/64 and
 * 4095/4096, and strings that look like integers but are not canonical.
 */
import fc from "fast-check";

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

const around = (n: bigint): bigint[] => [n - 1n, n, n + 1n, -n - 1n, -n, -n + 1n];

/** Integers next to each encoding limit, clipped to int64. */
export const boundaryIntegers: bigint[] = [
  0n,
  ...[6n, 7n, 12n, 13n, 15n, 16n, 23n, 24n, 31n, 32n, 52n, 53n, 62n].flatMap((bits) => around(2n ** bits)),
  INT64_MIN,
  INT64_MIN + 1n,
  INT64_MAX,
  INT64_MAX - 1n,
].filter((v) => v >= INT64_MIN && v <= INT64_MAX);

export const int64: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(...boundaryIntegers),
  fc.bigInt({ min: -5000n, max: 5000n }),
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
);

const latin1 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "latin1"));

/** Strings that are not canonical integers although they look like one. */
const nonCanonical = [
  "012",
  "-0",
  "+1",
  " 1",
  "1 ",
  "00",
  "-",
  "-012",
  "1e3",
  "0x10",
  "9223372036854775808", // INT64_MAX + 1
  "-9223372036854775809", // INT64_MIN - 1
  "18446744073709551616",
  "99999999999999999999",
  "123456789012345678901", // 21 digits
];

/** Strings of every encoding: integer-looking (canonical or not), short, and around 64 / 4096 bytes. */
export const listpackString: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constantFrom(...nonCanonical).map(latin1),
  int64.map((v) => latin1(v.toString())),
  fc.uint8Array({ maxLength: 8 }),
  fc.integer({ min: 60, max: 68 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
  fc.constantFrom(0, 1, 63, 64, 127, 128, 4095, 4096).map((n) => new Uint8Array(n).fill(0x61 + (n % 26))),
  fc.integer({ min: 4093, max: 4099 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
);

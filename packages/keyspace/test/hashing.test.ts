import { describe, expect, it } from "vitest";
import { crc16, halfSipHash, keyHashSlot } from "../src/index.js";

const b = (s: string) => Buffer.from(s, "latin1");

describe("halfSipHash", () => {
  it("matches the HalfSipHash-1-3 reference code for lengths 0..19 (key 00..07, input 00..)", () => {
    // Produced by the reference C implementation (cROUNDS=1, dROUNDS=3, 32-bit output).
    const expected = [
      1477757078, 3890767050, 3159035440, 22255929, 2114297510, 2296633499, 2684881765, 2637748694, 1467586993,
      3359230701, 3841602255, 2509391598, 1797785964, 1725799638, 375753340, 3492117252, 2335298817, 723308619,
      108077881, 1378536039,
    ];
    const input = Uint8Array.from({ length: 64 }, (_, i) => i);
    const got = expected.map((_, n) => halfSipHash(0x03020100, 0x07060504, input, 0, n));
    expect(got).toEqual(expected);
  });

  it("hashes a range in place: the same bytes at another offset give the same hash", () => {
    const key = b("user:1000");
    const padded = b("xxxuser:1000yy");
    expect(halfSipHash(1, 2, padded, 3, key.length)).toBe(halfSipHash(1, 2, key, 0, key.length));
  });

  it("depends on the secret key", () => {
    const key = b("user:1000");
    expect(halfSipHash(1, 2, key, 0, key.length)).not.toBe(halfSipHash(1, 3, key, 0, key.length));
  });
});

describe("keyHashSlot", () => {
  it("CRC16 is the XModem variant Redis Cluster uses", () => {
    expect(crc16(b("123456789"), 0, 9)).toBe(0x31c3);
  });

  it("maps keys to the slots Redis documents", () => {
    const slot = (s: string) => keyHashSlot(b(s), 0, s.length);
    expect(slot("somekey")).toBe(11058);
    expect(slot("foo{hash_tag}")).toBe(2515);
  });

  it("hashes only a non-empty {tag}, the first one", () => {
    const slot = (s: string) => keyHashSlot(b(s), 0, s.length);
    expect(slot("{user1000}.following")).toBe(slot("{user1000}.followers"));
    expect(slot("{user1000}.following")).toBe(slot("user1000"));
    expect(slot("foo{}{bar}")).toBe(crc16(b("foo{}{bar}"), 0, 10) & 16383);
    expect(slot("foo{{bar}}zap")).toBe(slot("{bar"));
    expect(slot("foo{bar}{zap}")).toBe(slot("bar"));
    expect(slot("foo{bar")).toBe(crc16(b("foo{bar"), 0, 7) & 16383);
  });
});

import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});

describe("APPEND / STRLEN", () => {
  it("APPEND creates or extends and replies the new length; STRLEN measures", async () => {
    expect(await r.append("k", "foo")).toBe(3);
    expect(await r.append("k", "bar")).toBe(6);
    expect(await r.get("k")).toBe("foobar");
    expect(await r.strlen("k")).toBe(6);
    expect(await r.strlen("missing")).toBe(0);
    await r.set("n", "12345");
    expect(await r.strlen("n")).toBe(5);
  });

  it("APPEND keeps the TTL and works through growth past page-sized values", async () => {
    await r.set("k", "x", "EX", 100);
    const chunk = "y".repeat(300_000);
    for (let i = 0; i < 5; i++) await r.append("k", chunk);
    expect(await r.strlen("k")).toBe(1 + 5 * 300_000);
    // 100, or 99 when the machine took over half a second for the appends (TTL rounds).
    expect(await r.ttl("k")).toBeGreaterThanOrEqual(99);
    expect((await r.get("k"))!.slice(0, 3)).toBe("xyy");
  });
});

describe("GETRANGE / SUBSTR", () => {
  it("handles positive, negative and out-of-range indexes like Redis", async () => {
    await r.set("k", "Hello World");
    const cases: [number, number, string][] = [
      [0, 4, "Hello"],
      [-5, -1, "World"],
      [0, -1, "Hello World"],
      [5, 3, ""],
      [-1, -5, ""],
      [0, 100, "Hello World"],
      [-100, 2, "Hel"],
      [20, 30, ""],
      [-3, 100, "rld"],
      [0, 0, "H"],
    ];
    for (const [start, end, expected] of cases) {
      expect([start, end, await r.getrange("k", start, end)]).toEqual([start, end, expected]);
    }
    expect(await r.call("SUBSTR", "k", "0", "4")).toBe("Hello");
    expect(await r.getrange("missing", 0, -1)).toBe("");
    await r.set("n", "1234");
    expect(await r.getrange("n", 1, 2)).toBe("23");
    await r.set("e", "");
    expect(await r.getrange("e", 0, -1)).toBe("");
  });

  it("indexes must be integers; huge ones are fine", async () => {
    await r.set("k", "abc");
    await expect(r.call("GETRANGE", "k", "a", "1")).rejects.toThrow("ERR value is not an integer or out of range");
    expect(await r.call("GETRANGE", "k", "0", "9223372036854775807")).toBe("abc");
    expect(await r.call("GETRANGE", "k", "-9223372036854775808", "1")).toBe("ab");
  });
});

describe("SETRANGE", () => {
  it("overwrites, pads with zero bytes, and creates keys", async () => {
    await r.set("k", "Hello World");
    expect(await r.setrange("k", 6, "Redis")).toBe(11);
    expect(await r.get("k")).toBe("Hello Redis");
    expect(await r.setrange("new", 5, "x")).toBe(6);
    expect(await r.getBuffer("new")).toEqual(Buffer.from([0, 0, 0, 0, 0, 0x78]));
    expect(await r.setrange("k", 15, "!")).toBe(16);
    expect(await r.get("k")).toBe("Hello Redis\0\0\0\0!");
  });

  it("an empty value changes nothing and replies the current length", async () => {
    expect(await r.setrange("missing", 10, "")).toBe(0);
    expect(await r.exists("missing")).toBe(0);
    await r.set("k", "abc");
    expect(await r.setrange("k", 100, "")).toBe(3);
    expect(await r.call("OBJECT", "ENCODING", "k")).toBe("embstr");
  });

  it("refuses negative offsets and results over proto-max-bulk-len (512 MB)", async () => {
    await expect(r.setrange("k", -1, "x")).rejects.toThrow("ERR offset is out of range");
    await expect(r.setrange("k", 536870912, "x")).rejects.toThrow(
      "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
    );
    await expect(r.call("SETRANGE", "k", "x", "x")).rejects.toThrow("ERR value is not an integer or out of range");
    expect(await r.exists("k")).toBe(0);
  });

  it("keeps the TTL", async () => {
    await r.set("k", "abc", "EX", 100);
    await r.setrange("k", 1, "Z");
    expect(await r.get("k")).toBe("aZc");
    // 100, or 99 when the machine took over half a second for the appends (TTL rounds).
    expect(await r.ttl("k")).toBeGreaterThanOrEqual(99);
  });
});

describe("LCS", () => {
  beforeEach(async () => {
    await r.mset("key1", "ohmytext", "key2", "mynewtext");
  });

  it("returns the longest common subsequence, or its length", async () => {
    expect(await r.call("LCS", "key1", "key2")).toBe("mytext");
    expect(await r.call("LCS", "key1", "key2", "LEN")).toBe(6);
    expect(await r.call("LCS", "key1", "missing")).toBe("");
    expect(await r.call("LCS", "missing", "nothing", "LEN")).toBe(0);
  });

  it("IDX lists the matching ranges, longest last first, with MINMATCHLEN and WITHMATCHLEN", async () => {
    expect(await r.call("LCS", "key1", "key2", "IDX")).toEqual([
      "matches",
      [
        [
          [4, 7],
          [5, 8],
        ],
        [
          [2, 3],
          [0, 1],
        ],
      ],
      "len",
      6,
    ]);
    expect(await r.call("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4")).toEqual([
      "matches",
      [
        [
          [4, 7],
          [5, 8],
        ],
      ],
      "len",
      6,
    ]);
    expect(await r.call("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN")).toEqual([
      "matches",
      [[[4, 7], [5, 8], 4]],
      "len",
      6,
    ]);
    expect(await r.call("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "-5", "WITHMATCHLEN")).toEqual([
      "matches",
      [
        [[4, 7], [5, 8], 4],
        [[2, 3], [0, 1], 2],
      ],
      "len",
      6,
    ]);
  });

  it("refuses LEN with IDX, unknown options and bad lengths", async () => {
    await expect(r.call("LCS", "key1", "key2", "LEN", "IDX")).rejects.toThrow(
      "ERR If you want both the length and indexes, please just use IDX.",
    );
    await expect(r.call("LCS", "key1", "key2", "BOGUS")).rejects.toThrow("ERR syntax error");
    await expect(r.call("LCS", "key1", "key2", "MINMATCHLEN")).rejects.toThrow("ERR syntax error");
    await expect(r.call("LCS", "key1", "key2", "MINMATCHLEN", "x")).rejects.toThrow(
      "ERR value is not an integer or out of range",
    );
  });
});

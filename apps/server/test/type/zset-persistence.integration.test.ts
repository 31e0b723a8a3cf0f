import { createHash } from "node:crypto";
import { crc64 } from "@nedis/rdb";
import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { errorOf } from "../utils/replyError.js";
import { useTarget } from "../utils/target.js";

const target = useTarget([["enable-debug-command", ["yes"]]]);
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
  await r.config("SET", "zset-max-listpack-entries", "128");
  await r.config("SET", "zset-max-listpack-value", "64");
  await r.config("SET", "rdbcompression", "yes");
});

const err = errorOf;

/** Redis 7.0.15's DUMP of `ZADD z 1 a 2.5 b -inf c 1e20 d 123 456 1.1 e 0 -0` (LZF-compressed listpack). */
const SMALL_DUMP =
  "11c3404240491f490000000e00816302842d696e6605822d30030001816102010181650292312e013130e0040019311381620283322e3504c1c8027b018164028531652b323006ff0a00c60f17bce21beba4";
/** The same with `rdbcompression no`. */
const SMALL_DUMP_PLAIN =
  "114049490000000e00816302842d696e6605822d30030001816102010181650292312e313030303030303030303030303030311381620283322e3504c1c8027b018164028531652b323006ff0a0029b15cbdf682ce4e";
const SMALL_CONTENT = [
  "c",
  "-inf",
  "-0",
  "0",
  "a",
  "1",
  "e",
  "1.1000000000000001",
  "b",
  "2.5",
  "456",
  "123",
  "d",
  "1e+20",
];

async function small(): Promise<void> {
  await r.zadd("z", 1, "a", 2.5, "b", "-inf", "c", "1e20", "d", 123, "456", 1.1, "e", 0, "-0");
}

async function big(): Promise<void> {
  const args: (string | number)[] = [];
  for (let i = 1; i <= 200; i++) args.push(i * 1.5, `member${i}`);
  await r.zadd("big", ...args);
}

/** A DUMP payload: type byte, body, RDB version 10, CRC64. */
function payload(type: number, body: number[]): Buffer {
  const head = Buffer.from([type, ...body, 10, 0]);
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64(head));
  return Buffer.concat([head, crc]);
}

describe("DUMP and RESTORE", () => {
  it("a small zset dumps exactly as Redis 7.0 does, compressed or not", async () => {
    await small();
    expect((await r.dumpBuffer("z")).toString("hex")).toBe(SMALL_DUMP);
    await r.config("SET", "rdbcompression", "no");
    expect((await r.dumpBuffer("z")).toString("hex")).toBe(SMALL_DUMP_PLAIN);
  });

  it("Redis's payload restores with its content and encoding", async () => {
    await r.restore("z", 0, Buffer.from(SMALL_DUMP, "hex"));
    expect(await r.call("OBJECT", "ENCODING", "z")).toBe("listpack");
    expect(await r.zrange("z", 0, -1, "WITHSCORES")).toEqual(SMALL_CONTENT);
    await r.restore("p", 0, Buffer.from(SMALL_DUMP_PLAIN, "hex"));
    expect(await r.zrange("p", 0, -1, "WITHSCORES")).toEqual(SMALL_CONTENT);
    expect(await r.zadd("p", 7, "new")).toBe(1);
    expect(await r.zrank("p", "new")).toBe(5);
  });

  it("a large zset dumps as ZSET_2 exactly as Redis does and restores as a skiplist", async () => {
    await big();
    const dump = await r.dumpBuffer("big");
    expect(dump.length).toBe(3505);
    expect(createHash("sha1").update(dump).digest("hex")).toBe("13bd5ba544b1f29bc1f621d0fa1d074d769378a8");
    await r.restore("copy", 0, dump);
    expect(await r.call("OBJECT", "ENCODING", "copy")).toBe("skiplist");
    expect(await r.zrange("copy", 0, -1, "WITHSCORES")).toEqual(await r.zrange("big", 0, -1, "WITHSCORES"));
    expect(await r.zscore("copy", "member100")).toBe("150");
    expect(await r.zrem("copy", "member1")).toBe(1);
    expect(await r.zcard("copy")).toBe(199);
  });

  it("a ZSET_2 payload that fits the listpack limits becomes a listpack", async () => {
    await big();
    const dump = await r.dumpBuffer("big");
    await r.config("SET", "zset-max-listpack-entries", "1000");
    await r.restore("copy", 0, dump);
    expect(await r.zcard("copy")).toBe(200);
    expect(await r.call("OBJECT", "ENCODING", "copy")).toBe("listpack");
  });

  it("refuses NaN scores, duplicates and empty zsets", async () => {
    const nan = [1, 1, 0x61, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f];
    expect(await err(r.restore("x", 0, payload(5, nan)))).toBe("ERR Bad data format");
    const dup = [2, 1, 0x61, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 1, 0x61, 0, 0, 0, 0, 0, 0, 0, 0x40];
    expect(await err(r.restore("x", 0, payload(5, dup)))).toBe("ERR Bad data format");
    expect(await err(r.restore("x", 0, payload(5, [0])))).toBe("ERR Bad data format");
    const ok = [1, 1, 0x61, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
    expect(await r.restore("x", 0, payload(5, ok))).toBe("OK");
    expect(await r.call("OBJECT", "ENCODING", "x")).toBe("listpack");
    expect(await r.zrange("x", 0, -1, "WITHSCORES")).toEqual(["a", "1"]);
    expect(await r.exists("x")).toBe(1);
  });
});

describe("DEBUG DIGEST-VALUE, COPY, MOVE, RENAME, MEMORY USAGE", () => {
  it("digests equal Redis's for both encodings", async () => {
    await small();
    await big();
    expect(await r.call("DEBUG", "DIGEST-VALUE", "z", "big")).toEqual([
      "f4d729f2de8d0fa04dd33cda324ac757736dc688",
      "069dbb748b866df7dac398b9d47e2270016bfe54",
    ]);
  });

  it("COPY duplicates, MOVE and RENAME carry the zset", async () => {
    await small();
    await big();
    expect(await r.copy("big", "big2")).toBe(1);
    await r.zrem("big", "member1");
    expect(await r.zcard("big2")).toBe(200);
    expect(await r.call("OBJECT", "ENCODING", "big2")).toBe("skiplist");
    expect(await r.copy("z", "z2", "DB", 2)).toBe(1);
    expect(await r.move("big2", 1)).toBe(1);
    expect(await r.rename("z", "z3")).toBe("OK");
    expect(await r.zrange("z3", 0, -1, "WITHSCORES")).toEqual(SMALL_CONTENT);
    await r.select(1);
    expect(await r.zscore("big2", "member1")).toBe("1.5");
    await r.select(2);
    expect(await r.zrange("z2", 0, -1, "WITHSCORES")).toEqual(SMALL_CONTENT);
    await r.select(0);
  });

  it("MEMORY USAGE is near Redis's (25% for a listpack, 50% for a skiplist)", async () => {
    // Among other keys, as the index's share of a key is amortised over the keys.
    await r.mset(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`filler${i}`, "x"])));
    await small();
    await big();
    const smallUsage = Number(await r.call("MEMORY", "USAGE", "z"));
    const bigUsage = Number(await r.call("MEMORY", "USAGE", "big", "SAMPLES", "0"));
    expect(smallUsage).toBeGreaterThanOrEqual(128 * 0.75);
    expect(smallUsage).toBeLessThanOrEqual(128 * 1.25);
    // A skiplist here keeps each member twice (dict entry and skiplist node, 16–24-byte pool
    // slots) where Redis shares one sds, and the dict's open-addressing table is larger: it
    // really does take 35–45% more, and says so.
    expect(bigUsage).toBeGreaterThanOrEqual(23000 * 0.75);
    expect(bigUsage).toBeLessThanOrEqual(23000 * 1.5);
  });
});

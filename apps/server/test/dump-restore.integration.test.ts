import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});

// DUMP payloads captured from redis-server 7.0.15 (`redis-cli --no-raw DUMP k`).
const hex = (s: string) => Buffer.from(s, "hex");

describe("DUMP / RESTORE", () => {
  it("DUMP writes Redis's payload: type, value encoding, RDB version, CRC64", async () => {
    await r.set("k", "hello");
    const hello = (await r.dumpBuffer("k"))!;
    await r.set("k", "12345");
    const int = (await r.dumpBuffer("k"))!;
    await r.set("k", "a".repeat(100));
    const compressed = (await r.dumpBuffer("k"))!;
    expect(await r.dumpBuffer("missing")).toBeNull();
    // Round trip through RESTORE, then compare the bytes with themselves re-dumped.
    for (const payload of [hello, int, compressed]) {
      await r.del("copy");
      expect(await r.restore("copy", 0, payload)).toBe("OK");
      expect((await r.dumpBuffer("copy"))!.equals(payload)).toBe(true);
    }
    expect(hello.subarray(0, 7)).toEqual(hex("000568656c6c6f"));
    expect(int.subarray(0, 4)).toEqual(hex("00c13930"));
    expect(compressed[1]).toBe(0xc3); // LZF-compressed string
    expect(hello.readUInt16LE(hello.length - 10)).toBe(10); // RDB version 10
  });

  it("RESTORE of a payload from Redis, with TTL, ABSTTL and REPLACE", async () => {
    const payload = hex("000568656c6c6f0a006372df766534200a"); // "hello" dumped by Redis 7.0.15
    expect(await r.restore("k", 0, payload)).toBe("OK");
    expect(await r.get("k")).toBe("hello");
    await expect(r.restore("k", 0, payload)).rejects.toThrow("BUSYKEY Target key name already exists.");
    expect(await r.call("RESTORE", "k", "5000", payload, "REPLACE")).toBe("OK");
    const pttl = await r.pttl("k");
    expect(pttl).toBeGreaterThan(4000);
    expect(await r.call("RESTORE", "k2", String(Date.now() + 60_000), payload, "ABSTTL")).toBe("OK");
    expect(await r.ttl("k2")).toBeGreaterThan(50);
    expect(await r.call("RESTORE", "k3", String(Date.now() - 1000), payload, "ABSTTL")).toBe("OK");
    expect(await r.exists("k3")).toBe(0);
  });

  it("RESTORE keeps an ABSTTL deadline beyond 2^53 ms exactly; a relative one past int64 expires the key", async () => {
    const payload = hex("000568656c6c6f0a006372df766534200a");
    expect(await r.call("RESTORE", "k", "9223372036854775807", payload, "ABSTTL")).toBe("OK");
    expect(await r.exists("k")).toBe(1);
    // Raw bytes: ioredis would read the integer as a rounded double.
    const pexpiretime = async () =>
      (await rawExchange(target.port, "PEXPIRETIME k\r\n", { until: (t) => t.endsWith("\r\n") })).text;
    expect(await pexpiretime()).toBe(":9223372036854775807\r\n");
    expect(await r.call("RESTORE", "k", "9223372036854775806", payload, "ABSTTL", "REPLACE")).toBe("OK");
    expect(await pexpiretime()).toBe(":9223372036854775806\r\n");
    expect(await r.call("RESTORE", "k", "9223372036854775000", payload, "REPLACE")).toBe("OK");
    expect(await r.exists("k")).toBe(0);
  });

  it("rejects bad payloads, TTLs and options with Redis's errors", async () => {
    const payload = hex("000568656c6c6f0a006372df766534200a");
    const corrupt = Buffer.from(payload);
    corrupt[3] = 0x21;
    await expect(r.restore("k", 0, corrupt)).rejects.toThrow("ERR DUMP payload version or checksum are wrong");
    await expect(r.restore("k", 0, Buffer.from("short"))).rejects.toThrow(
      "ERR DUMP payload version or checksum are wrong",
    );
    await expect(r.restore("k", -1, payload)).rejects.toThrow("ERR Invalid TTL value, must be >= 0");
    await expect(r.call("RESTORE", "k", "0", payload, "IDLETIME", "-1")).rejects.toThrow(
      "ERR Invalid IDLETIME value, must be >= 0",
    );
    await expect(r.call("RESTORE", "k", "0", payload, "FREQ", "256")).rejects.toThrow(
      "ERR Invalid FREQ value, must be >= 0 and <= 255",
    );
    await expect(r.call("RESTORE", "k", "0", payload, "IDLETIME", "1", "FREQ", "1")).rejects.toThrow(
      "ERR syntax error",
    );
    await expect(r.call("RESTORE", "k", "0", payload, "BOGUS")).rejects.toThrow("ERR syntax error");
  });

  it("RESTORE gives a zset and a set the encoding the current limits choose, as Redis's load", async () => {
    const members = Array.from({ length: 200 }, (_, i) => [String(i), `m${i}`]).flat();
    await r.zadd("z", ...members);
    expect(await r.object("ENCODING", "z")).toBe("skiplist");
    const zset = (await r.dumpBuffer("z"))!;
    const ints = Array.from({ length: 600 }, (_, i) => String(i * 3));
    await r.sadd("s", ...ints);
    expect(await r.object("ENCODING", "s")).toBe("hashtable");
    const set = (await r.dumpBuffer("s"))!;
    try {
      await r.config("SET", "zset-max-listpack-entries", "1000");
      await r.config("SET", "set-max-intset-entries", "1000");
      await r.del("z", "s");
      expect(await r.restore("z", 0, zset)).toBe("OK");
      expect(await r.object("ENCODING", "z")).toBe("listpack");
      expect(await r.zcard("z")).toBe(200);
      expect(await r.restore("s", 0, set)).toBe("OK");
      expect(await r.object("ENCODING", "s")).toBe("intset");
      expect(await r.scard("s")).toBe(600);
      // And back: lower limits turn the small payloads into the large encodings at load.
      const small = (await r.dumpBuffer("z"))!;
      const smallSet = (await r.dumpBuffer("s"))!;
      await r.config("SET", "zset-max-listpack-entries", "10");
      await r.config("SET", "set-max-intset-entries", "10");
      expect(await r.call("RESTORE", "z", "0", small, "REPLACE")).toBe("OK");
      expect(await r.object("ENCODING", "z")).toBe("skiplist");
      expect(await r.call("RESTORE", "s", "0", smallSet, "REPLACE")).toBe("OK");
      expect(await r.object("ENCODING", "s")).toBe("hashtable");
      expect(await r.zrange("z", 0, 2)).toEqual(["m0", "m1", "m2"]);
    } finally {
      await r.config("SET", "zset-max-listpack-entries", "128");
      await r.config("SET", "set-max-intset-entries", "512");
    }
  });

  it("IDLETIME sets the key's idle time", async () => {
    const payload = hex("000568656c6c6f0a006372df766534200a");
    expect(await r.call("RESTORE", "k", "0", payload, "IDLETIME", "1000")).toBe("OK");
    const idle = (await r.object("IDLETIME", "k")) as number;
    expect(idle).toBeGreaterThanOrEqual(1000);
    expect(idle).toBeLessThan(1010);
  });

  it("IDLETIME past the 24-bit LRU clock wraps as in Redis 7.0 (LRU_CLOCK_MAX added, low 24 bits kept)", async () => {
    const payload = hex("000568656c6c6f0a006372df766534200a");
    const idleAfter = async (seconds: string) => {
      expect(await r.call("RESTORE", "k", "0", payload, "IDLETIME", seconds, "REPLACE")).toBe("OK");
      return (await r.object("IDLETIME", "k")) as number;
    };
    // clock - 16777215 underflows; adding LRU_CLOCK_MAX lands on the clock itself: idle 0.
    expect(await idleAfter("16777215")).toBeLessThanOrEqual(1);
    expect(await idleAfter("16777216")).toBeLessThanOrEqual(2);
    expect(await idleAfter("16777216")).toBeGreaterThanOrEqual(1);
    // 2^62 s overflows int64 once scaled to ms and back: Redis ends at idle 0.
    expect(await idleAfter("4611686018427387904")).toBeLessThanOrEqual(1);
  });
});

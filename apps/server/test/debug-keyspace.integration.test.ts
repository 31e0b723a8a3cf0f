import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const target = useTarget([["enable-debug-command", ["yes"]]]);
let r: Redis;
beforeAll(() => {
  r = target.client();
});

describe("DEBUG over the keyspace", () => {
  it("DIGEST is Redis's digest of the dataset, expires included", async () => {
    await r.flushall();
    expect(await r.call("DEBUG", "DIGEST")).toBe("0".repeat(40));
    await r.set("a", "1");
    await r.set("b", "hello");
    expect(await r.call("DEBUG", "DIGEST")).toBe("2539797405e828ad7a3aa48c536b3eaf2803a421");
    await r.expire("b", 1000);
    expect(await r.call("DEBUG", "DIGEST")).toBe("669dc7955c0119edb82e7cfeb40ea4a28f89f902");
  });

  it("DIGEST-VALUE digests each value, zeros for a missing key", async () => {
    await r.flushall();
    await r.set("a", "1");
    await r.set("b", "hello", "EX", 1000);
    expect(await r.call("DEBUG", "DIGEST-VALUE", "a", "b", "nosuch")).toEqual([
      "b4fc66738120fba0b5aa500ab5c2bf89cea1c5da",
      "d037c4eb8a8b36b602fbced4000daeab0714c1e3",
      "0".repeat(40),
    ]);
  });

  it("POPULATE adds prefix:N keys with value:N padded to the size, keeping existing keys", async () => {
    await r.flushall();
    await r.set("p:1", "mine");
    expect(await r.call("DEBUG", "POPULATE", "3", "p", "12")).toBe("OK");
    expect(await r.dbsize()).toBe(3);
    expect(await r.get("p:0")).toBe("value:0\0\0\0\0\0");
    expect(await r.get("p:1")).toBe("mine");
    expect(await r.call("DEBUG", "POPULATE", "2")).toBe("OK");
    expect(await r.get("key:1")).toBe("value:1");
    expect(await r.call("OBJECT", "ENCODING", "key:0")).toBe("embstr");
    await expect(r.call("DEBUG", "POPULATE", "-1")).rejects.toThrow("ERR value is out of range, must be positive");
    await expect(r.call("DEBUG", "POPULATE", "x")).rejects.toThrow("ERR value is out of range, must be positive");
  });
});

describe("MEMORY USAGE", () => {
  it("estimates a key's bytes, nil for a missing key, and validates SAMPLES", async () => {
    await r.set("mu:k", "x".repeat(100));
    const bytes = (await r.call("MEMORY", "USAGE", "mu:k")) as number;
    expect(bytes).toBeGreaterThanOrEqual(100);
    expect(bytes).toBeLessThan(400);
    expect(await r.call("MEMORY", "USAGE", "mu:none")).toBeNull();
    await expect(r.call("MEMORY", "USAGE", "mu:k", "SAMPLES", "x")).rejects.toThrow(
      "ERR value is not an integer or out of range",
    );
    // A negative count is a syntax error, checked before the key is looked up.
    await expect(r.call("MEMORY", "USAGE", "mu:k", "SAMPLES", "-1")).rejects.toThrow("ERR syntax error");
    await expect(r.call("MEMORY", "USAGE", "mu:none", "SAMPLES", "-1")).rejects.toThrow("ERR syntax error");
    expect(await r.call("MEMORY", "USAGE", "mu:none", "SAMPLES", "0")).toBeNull();
  });
});

describe("DEBUG OBJECT", () => {
  it("describes a key as Redis does", async () => {
    await r.set("do:k", "hello");
    await r.set("do:n", "123");
    await r.set("do:big", "a".repeat(100));
    const line = (key: string) => r.call("DEBUG", "OBJECT", key) as Promise<string>;
    expect(await line("do:k")).toMatch(
      /^Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:6 lru:\d+ lru_seconds_idle:\d+$/,
    );
    expect(await line("do:n")).toMatch(
      /^Value at:0x[0-9a-f]+ refcount:2147483647 encoding:int serializedlength:2 lru:\d+ lru_seconds_idle:\d+$/,
    );
    expect(await line("do:big")).toMatch(
      /^Value at:0x[0-9a-f]+ refcount:1 encoding:raw serializedlength:13 lru:\d+ lru_seconds_idle:\d+$/,
    );
    await expect(line("do:none")).rejects.toThrow("ERR no such key");
  });

  it("adds a list's quicklist fields (debug.c's ql_*)", async () => {
    const line = (key: string) => r.call("DEBUG", "OBJECT", key) as Promise<string>;
    const fields = async (key: string) => (await line(key)).replace(/^.* lru_seconds_idle:\d+/, "");
    await r.rpush("do:l", "a", "b", "c");
    expect(await fields("do:l")).toBe(
      " ql_nodes:1 ql_avg_node:3.00 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:16",
    );
    await r.config("SET", "list-max-listpack-size", "2");
    try {
      await r.rpush("do:l2", "a", "b", "c", "d", "e");
      expect(await fields("do:l2")).toBe(
        " ql_nodes:3 ql_avg_node:1.67 ql_listpack_max:2 ql_compressed:0 ql_uncompressed_size:36",
      );
    } finally {
      await r.config("SET", "list-max-listpack-size", "-2");
    }
    await r.hset("do:h", "f", "v");
    expect(await line("do:h")).toMatch(/lru_seconds_idle:\d+$/);
  });
});

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
  await r.select(0);
});

describe("DEL / UNLINK / EXISTS / TOUCH / TYPE", () => {
  it("UNLINK counts removed keys like DEL", async () => {
    await r.mset("a", "1", "b", "2");
    expect(await r.unlink("a", "b", "c")).toBe(2);
    expect(await r.dbsize()).toBe(0);
  });

  it("a key past its deadline is neither deleted nor counted by DEL", async () => {
    await r.set("k", "v", "PX", 10);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await r.del("k")).toBe(0);
  });

  it("TOUCH counts existing keys; TYPE names the type or none", async () => {
    await r.set("a", "1");
    expect(await r.touch("a", "b", "a")).toBe(2);
    expect(await r.type("a")).toBe("string");
    expect(await r.type("b")).toBe("none");
  });

  it("arity errors name the command", async () => {
    await expect(r.call("DEL")).rejects.toThrow("ERR wrong number of arguments for 'del' command");
    await expect(r.call("TYPE", "a", "b")).rejects.toThrow("ERR wrong number of arguments for 'type' command");
  });
});

describe("RENAME / RENAMENX", () => {
  it("moves the value and the TTL, overwriting the destination", async () => {
    await r.set("src", "v", "EX", 100);
    await r.set("dst", "old");
    expect(await r.rename("src", "dst")).toBe("OK");
    expect(await r.get("dst")).toBe("v");
    expect(await r.ttl("dst")).toBe(100);
    expect(await r.exists("src")).toBe(0);
  });

  it("a missing source is an error even when both names are equal; equal names are a no-op", async () => {
    await expect(r.rename("nope", "x")).rejects.toThrow("ERR no such key");
    await expect(r.rename("nope", "nope")).rejects.toThrow("ERR no such key");
    await r.set("k", "v");
    expect(await r.rename("k", "k")).toBe("OK");
    expect(await r.renamenx("k", "k")).toBe(0);
    expect(await r.get("k")).toBe("v");
  });

  it("RENAMENX does not overwrite", async () => {
    await r.mset("a", "1", "b", "2");
    expect(await r.renamenx("a", "b")).toBe(0);
    expect(await r.renamenx("a", "c")).toBe(1);
    expect(await r.mget("a", "b", "c")).toEqual([null, "2", "1"]);
  });

  it("keeps the encoding and works for long keys and many keys", async () => {
    await r.set("n", "123");
    await r.rename("n", "m".repeat(200));
    expect(await r.call("OBJECT", "ENCODING", "m".repeat(200))).toBe("int");
    for (let i = 0; i < 500; i++) await r.set(`k${i}`, `v${i}`);
    for (let i = 0; i < 500; i++) await r.rename(`k${i}`, `r${i}`);
    expect(await r.dbsize()).toBe(501);
    expect(await r.get("r499")).toBe("v499");
  });
});

describe("COPY", () => {
  it("copies value, encoding and TTL; refuses to overwrite without REPLACE", async () => {
    await r.set("src", "42", "EX", 100);
    expect(await r.call("COPY", "src", "dst")).toBe(1);
    expect(await r.get("dst")).toBe("42");
    expect(await r.ttl("dst")).toBe(100);
    expect(await r.call("OBJECT", "ENCODING", "dst")).toBe("int");
    await r.set("src", "new");
    expect(await r.call("COPY", "src", "dst")).toBe(0);
    expect(await r.call("COPY", "src", "dst", "REPLACE")).toBe(1);
    expect(await r.get("dst")).toBe("new");
    expect(await r.ttl("dst")).toBe(-1);
    expect(await r.call("COPY", "missing", "dst")).toBe(0);
  });

  it("copies into another database with DB", async () => {
    await r.set("k", "v");
    expect(await r.call("COPY", "k", "k", "DB", "3")).toBe(1);
    await r.select(3);
    expect(await r.get("k")).toBe("v");
  });

  it("refuses same key in the same db, bad DB indexes and unknown options", async () => {
    await r.set("k", "v");
    await expect(r.call("COPY", "k", "k")).rejects.toThrow("ERR source and destination objects are the same");
    await expect(r.call("COPY", "k", "x", "DB", "99")).rejects.toThrow("ERR DB index is out of range");
    await expect(r.call("COPY", "k", "x", "DB", "x")).rejects.toThrow("ERR value is not an integer or out of range");
    await expect(r.call("COPY", "k", "x", "DB")).rejects.toThrow("ERR syntax error");
    await expect(r.call("COPY", "k", "x", "BOGUS")).rejects.toThrow("ERR syntax error");
  });
});

describe("MOVE / SWAPDB", () => {
  it("MOVE transfers a key and its TTL, unless it exists in the target", async () => {
    await r.set("k", "v", "EX", 100);
    expect(await r.move("k", 1)).toBe(1);
    expect(await r.exists("k")).toBe(0);
    await r.select(1);
    expect(await r.get("k")).toBe("v");
    expect(await r.ttl("k")).toBe(100);
    await r.select(0);
    await r.set("k", "again");
    expect(await r.move("k", 1)).toBe(0);
    expect(await r.move("missing", 1)).toBe(0);
  });

  it("MOVE refuses the same database and bad indexes", async () => {
    await r.set("k", "v");
    await expect(r.move("k", 0)).rejects.toThrow("ERR source and destination objects are the same");
    await expect(r.move("k", 16)).rejects.toThrow("ERR DB index is out of range");
    await expect(r.call("MOVE", "k", "x")).rejects.toThrow("ERR value is not an integer or out of range");
  });

  it("SELECT, MOVE and COPY DB: an integer beyond a C int gets Redis's range error", async () => {
    await r.set("k", "v");
    const range = "ERR value is out of range, value must between -2147483648 and 2147483647";
    await expect(r.call("SELECT", "2147483648")).rejects.toThrow(range);
    await expect(r.call("SELECT", "-9223372036854775808")).rejects.toThrow(range);
    await expect(r.call("MOVE", "k", "9223372036854775807")).rejects.toThrow(range);
    await expect(r.call("COPY", "k", "d", "DB", "-2147483649")).rejects.toThrow(range);
    // Past int64 it is not an integer at all; SWAPDB words both cases its own way.
    await expect(r.call("SELECT", "9223372036854775808")).rejects.toThrow(
      "ERR value is not an integer or out of range",
    );
    await expect(r.call("SWAPDB", "2147483648", "0")).rejects.toThrow("ERR invalid first DB index");
  });

  it("SWAPDB exchanges whole databases", async () => {
    await r.set("a", "in0");
    await r.select(1);
    await r.set("b", "in1", "EX", 100);
    expect(await r.call("SWAPDB", "0", "1")).toBe("OK");
    expect(await r.get("a")).toBe("in0");
    expect(await r.exists("b")).toBe(0);
    await r.select(0);
    expect(await r.get("b")).toBe("in1");
    expect(await r.ttl("b")).toBe(100);
    expect(await r.call("SWAPDB", "2", "2")).toBe("OK");
  });

  it("SWAPDB error messages", async () => {
    await expect(r.call("SWAPDB", "x", "1")).rejects.toThrow("ERR invalid first DB index");
    await expect(r.call("SWAPDB", "1", "x")).rejects.toThrow("ERR invalid second DB index");
    await expect(r.call("SWAPDB", "0", "16")).rejects.toThrow("ERR DB index is out of range");
    await expect(r.call("SWAPDB", "-1", "0")).rejects.toThrow("ERR DB index is out of range");
  });
});

describe("RANDOMKEY", () => {
  it("returns nil on an empty database and one of the keys otherwise", async () => {
    expect(await r.randomkey()).toBeNull();
    const keys = new Set(["a", "b", "c"]);
    for (const k of keys) await r.set(k, "1");
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) seen.add((await r.randomkey())!);
    for (const k of seen) expect(keys.has(k)).toBe(true);
    expect(seen.size).toBeGreaterThan(1);
  });

  it("never returns an expired key", async () => {
    for (let i = 0; i < 20; i++) await r.set(`gone${i}`, "1", "PX", 5);
    await r.set("stays", "1");
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (let i = 0; i < 10; i++) expect(await r.randomkey()).toBe("stays");
  });
});

describe("OBJECT", () => {
  it("ENCODING, REFCOUNT and IDLETIME of existing and missing keys", async () => {
    await r.set("n", "100");
    await r.set("big", "123456");
    await r.set("s", "text");
    expect(await r.call("OBJECT", "ENCODING", "missing")).toBeNull();
    expect(await r.call("OBJECT", "REFCOUNT", "n")).toBe(2147483647);
    expect(await r.call("OBJECT", "REFCOUNT", "big")).toBe(1);
    expect(await r.call("OBJECT", "REFCOUNT", "s")).toBe(1);
    expect(await r.call("OBJECT", "IDLETIME", "s")).toBe(0);
    expect(await r.call("OBJECT", "IDLETIME", "missing")).toBeNull();
    expect(await r.call("OBJECT", "FREQ", "missing")).toBeNull();
  });

  it("REFCOUNT: whether a small integer is shared is fixed when it is written", async () => {
    const refcount = (key: string) => r.call("OBJECT", "REFCOUNT", key);
    await r.set("shared", "5");
    // COPY duplicates the value: never a shared object.
    await r.copy("shared", "copy");
    expect([await refcount("shared"), await refcount("copy"), await r.call("OBJECT", "ENCODING", "copy")]).toEqual([
      2147483647,
      1,
      "int",
    ]);
    await r.config("SET", "maxmemory", "100mb");
    await r.config("SET", "maxmemory-policy", "allkeys-lru");
    try {
      // Under an LRU/LFU policy with maxmemory, new small integers are not shared; old ones stay.
      await r.set("lru", "5");
      await r.incr("shared");
      expect([await refcount("lru"), await refcount("shared")]).toEqual([1, 1]);
    } finally {
      await r.config("SET", "maxmemory", "0");
      await r.config("SET", "maxmemory-policy", "noeviction");
    }
    expect(await refcount("lru")).toBe(1);
    // INCR shares results in 0..9999 only.
    await r.set("c", "9998");
    await r.incr("c");
    const inRange = await refcount("c");
    await r.incr("c");
    expect([inRange, await refcount("c")]).toEqual([2147483647, 1]);
  });

  it("FREQ needs an LFU policy, IDLETIME an LRU one", async () => {
    await r.set("s", "text");
    await expect(r.call("OBJECT", "FREQ", "s")).rejects.toThrow(
      "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
    );
    await r.config("SET", "maxmemory-policy", "allkeys-lfu");
    try {
      await r.set("f", "v");
      expect(await r.call("OBJECT", "FREQ", "f")).toBeGreaterThanOrEqual(5);
      await expect(r.call("OBJECT", "IDLETIME", "f")).rejects.toThrow(
        "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
      );
    } finally {
      await r.config("SET", "maxmemory-policy", "noeviction");
    }
  });

  it("HELP, unknown subcommands and arity", async () => {
    const help = (await r.call("OBJECT", "HELP")) as string[];
    expect(help[0]).toBe("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    expect(help).toContain("REFCOUNT <key>");
    expect(help.at(-1)).toBe("    Prints this help.");
    await expect(r.call("OBJECT", "FOO", "k")).rejects.toThrow("ERR unknown subcommand 'FOO'. Try OBJECT HELP.");
    await expect(r.call("OBJECT", "ENCODING")).rejects.toThrow(
      "ERR wrong number of arguments for 'object|encoding' command",
    );
  });
});

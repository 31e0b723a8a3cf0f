import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { errorOf } from "../utils/replyError.js";
import { useTarget } from "../utils/target.js";

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
  await r.config("SET", "zset-max-listpack-entries", "128");
  await r.config("SET", "zset-max-listpack-value", "64");
});

const encoding = (key: string) => r.call("OBJECT", "ENCODING", key);
const err = errorOf;

for (const enc of ["listpack", "skiplist"] as const) {
  describe(`sorted sets (${enc})`, () => {
    beforeEach(async () => {
      if (enc === "skiplist") await r.config("SET", "zset-max-listpack-entries", "0");
    });

    it("ZADD adds and updates, ZSCORE and ZCARD read", async () => {
      expect(await r.zadd("z", 1, "a", 2, "b", 3, "c")).toBe(3);
      expect(await encoding("z")).toBe(enc);
      expect(await r.zadd("z", 10, "a", 4, "d")).toBe(1);
      expect(await r.zcard("z")).toBe(4);
      expect(await r.zscore("z", "a")).toBe("10");
      expect(await r.zscore("z", "nope")).toBeNull();
      expect(await r.zscore("missing", "a")).toBeNull();
      expect(await r.zcard("missing")).toBe(0);
      expect(await r.zrange("z", 0, -1, "WITHSCORES")).toEqual(["b", "2", "c", "3", "d", "4", "a", "10"]);
    });

    it("scores print as Redis prints them", async () => {
      await r.zadd(
        "z",
        "1.1",
        "a",
        "-0",
        "b",
        "inf",
        "c",
        "-inf",
        "d",
        "1e20",
        "e",
        "0.1",
        "f",
        "123456789012345678",
        "g",
      );
      expect(await r.zscore("z", "a")).toBe("1.1000000000000001");
      // A listpack stores -0 as the integer 0 (double2ll); a skiplist keeps the sign.
      expect(await r.zscore("z", "b")).toBe(enc === "listpack" ? "0" : "-0");
      expect(await r.zscore("z", "c")).toBe("inf");
      expect(await r.zscore("z", "d")).toBe("-inf");
      expect(await r.zscore("z", "e")).toBe("1e+20");
      expect(await r.zscore("z", "f")).toBe("0.10000000000000001");
      expect(await r.zscore("z", "g")).toBe("1.2345678901234568e+17");
      expect(await r.zrange("z", 0, -1)).toEqual(["d", "b", "f", "a", "g", "e", "c"]);
    });

    it("members of equal score sort by bytes; integers are members too", async () => {
      await r.zadd("z", 0, "b", 0, "a", 0, "10", 0, "9", 0, "-1", 0, "ab", 0, "");
      expect(await r.zrange("z", 0, -1)).toEqual(["", "-1", "10", "9", "a", "ab", "b"]);
      expect(await r.zrank("z", "9")).toBe(3);
      expect(await r.zrevrank("z", "9")).toBe(3);
      expect(await r.zrank("z", "b")).toBe(6);
      expect(await r.zrevrank("z", "b")).toBe(0);
      expect(await r.zrank("z", "x")).toBeNull();
      expect(await r.zrank("missing", "x")).toBeNull();
    });

    it("ZADD NX XX GT LT CH INCR", async () => {
      await r.zadd("z", 5, "a");
      expect(await r.zadd("z", "NX", 1, "a", 1, "b")).toBe(1);
      expect(await r.zscore("z", "a")).toBe("5");
      expect(await r.zadd("z", "XX", 7, "a", 1, "c")).toBe(0);
      expect(await r.zscore("z", "a")).toBe("7");
      expect(await r.zscore("z", "c")).toBeNull();
      expect(await r.zadd("z", "XX", "CH", 8, "a")).toBe(1);
      expect(await r.zadd("z", "GT", "CH", 6, "a", 9, "b")).toBe(1);
      expect(await r.zrange("z", 0, -1, "WITHSCORES")).toEqual(["a", "8", "b", "9"]);
      expect(await r.zadd("z", "LT", "CH", 6, "a", 10, "b", 1, "new")).toBe(2);
      expect(await r.zadd("z", "INCR", 2.5, "a")).toBe("8.5");
      expect(await r.zadd("z", "NX", "INCR", 1, "a")).toBeNull();
      expect(await r.zadd("z", "XX", "INCR", 1, "zz")).toBeNull();
      expect(await r.zadd("z", "GT", "INCR", -1, "a")).toBeNull();
      expect(await r.zincrby("z", 1.5, "a")).toBe("10");
      expect(await r.zincrby("z", 3, "fresh")).toBe("3");
      expect(await r.zadd("nokey", "XX", 1, "a")).toBe(0);
      expect(await r.exists("nokey")).toBe(0);
    });

    it("ZADD errors", async () => {
      await r.zadd("z", 1, "a");
      expect(await err(r.call("ZADD", "z", "1", "a", "2"))).toBe("ERR syntax error");
      expect(await err(r.call("ZADD", "z", "NX", "XX", "1", "a"))).toBe(
        "ERR XX and NX options at the same time are not compatible",
      );
      expect(await err(r.call("ZADD", "z", "GT", "LT", "1", "a"))).toBe(
        "ERR GT, LT, and/or NX options at the same time are not compatible",
      );
      expect(await err(r.call("ZADD", "z", "INCR", "1", "a", "2", "b"))).toBe(
        "ERR INCR option supports a single increment-element pair",
      );
      expect(await err(r.call("ZADD", "z", "x", "a"))).toBe("ERR value is not a valid float");
      expect(await err(r.call("ZADD", "z", "1", "a", "nan", "b"))).toBe("ERR value is not a valid float");
      await r.zadd("z", "inf", "i");
      expect(await err(r.call("ZINCRBY", "z", "-inf", "i"))).toBe("ERR resulting score is not a number (NaN)");
      expect(await err(r.call("ZINCRBY", "z", "1x", "i"))).toBe("ERR value is not a valid float");
      await r.set("s", "v");
      expect(await err(r.call("ZADD", "s", "1", "a"))).toMatch(/^WRONGTYPE/);
      expect(await err(r.call("ZSCORE", "s", "a"))).toMatch(/^WRONGTYPE/);
      expect(await r.zrange("z", 0, -1)).toEqual(["a", "i"]);
    });

    it("ZREM removes and deletes the emptied key; ZMSCORE", async () => {
      await r.zadd("z", 1, "a", 2, "b", 3, "c");
      expect(await r.call("ZMSCORE", "z", "a", "x", "c")).toEqual(["1", null, "3"]);
      expect(await r.call("ZMSCORE", "missing", "a")).toEqual([null]);
      expect(await r.zrem("z", "a", "x")).toBe(1);
      expect(await r.zrem("missing", "a")).toBe(0);
      expect(await r.zrem("z", "b", "c", "a")).toBe(2);
      expect(await r.exists("z")).toBe(0);
    });
  });
}

describe("encoding conversion", () => {
  it("a listpack becomes a skiplist past the entry or value limits, never back on removal", async () => {
    await r.config("SET", "zset-max-listpack-entries", "4");
    await r.zadd("z", 1, "a", 2, "b", 3, "c", 4, "d");
    expect(await encoding("z")).toBe("listpack");
    await r.zadd("z", 5, "e");
    expect(await encoding("z")).toBe("skiplist");
    await r.zrem("z", "e", "d");
    expect(await encoding("z")).toBe("skiplist");
    expect(await r.zrange("z", 0, -1, "WITHSCORES")).toEqual(["a", "1", "b", "2", "c", "3"]);
    await r.zadd("v", 1, "x".repeat(64));
    expect(await encoding("v")).toBe("listpack");
    await r.zadd("v", 1, "y".repeat(65));
    expect(await encoding("v")).toBe("skiplist");
    await r.zadd("w", 1, "y".repeat(65));
    expect(await encoding("w")).toBe("skiplist");
  });
});

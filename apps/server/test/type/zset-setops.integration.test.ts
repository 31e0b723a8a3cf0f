import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { errorOf } from "../utils/replyError.js";
import { useTarget } from "../utils/target.js";

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});

const err = errorOf;

for (const enc of ["listpack", "skiplist"] as const) {
  describe(`set operations (${enc})`, () => {
    beforeEach(async () => {
      await r.flushall();
      await r.config("SET", "zset-max-listpack-entries", enc === "listpack" ? "128" : "0");
      await r.zadd("a", 1, "x", 2, "y", 3, "z");
      await r.zadd("b", 10, "y", 20, "z", 30, "w", 40, "12");
    });

    it("ZUNION / ZINTER / ZDIFF with WEIGHTS, AGGREGATE, WITHSCORES", async () => {
      expect(await r.call("ZUNION", "2", "a", "b", "WITHSCORES")).toEqual([
        "x",
        "1",
        "y",
        "12",
        "z",
        "23",
        "w",
        "30",
        "12",
        "40",
      ]);
      expect(await r.call("ZUNION", "2", "a", "b", "WEIGHTS", "2", "0.5", "AGGREGATE", "MAX", "WITHSCORES")).toEqual([
        "x",
        "2",
        "y",
        "5",
        "z",
        "10",
        "w",
        "15",
        "12",
        "20",
      ]);
      expect(await r.call("ZINTER", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES")).toEqual(["y", "2", "z", "3"]);
      expect(await r.call("ZINTER", "3", "a", "b", "missing")).toEqual([]);
      expect(await r.call("ZDIFF", "2", "b", "a", "WITHSCORES")).toEqual(["w", "30", "12", "40"]);
      expect(await r.call("ZDIFF", "2", "a", "a")).toEqual([]);
      expect(await r.call("ZUNION", "2", "missing", "a")).toEqual(["x", "y", "z"]);
      expect(await r.call("ZINTERCARD", "2", "a", "b")).toBe(2);
      expect(await r.call("ZINTERCARD", "2", "a", "b", "LIMIT", "1")).toBe(1);
      expect(await r.call("ZINTERCARD", "2", "a", "b", "LIMIT", "0")).toBe(2);
    });

    it("inf * 0 weights count as 0; sums that are NaN become 0", async () => {
      await r.zadd("inf", "inf", "x", "-inf", "y");
      expect(await r.call("ZUNION", "1", "inf", "WEIGHTS", "0", "WITHSCORES")).toEqual(["x", "0", "y", "0"]);
      await r.zadd("ninf", "-inf", "x");
      expect(await r.call("ZUNION", "2", "inf", "ninf", "WITHSCORES")).toEqual(["y", "-inf", "x", "0"]);
    });

    it("the STORE forms store, convert and delete", async () => {
      expect(await r.zunionstore("d", 2, "a", "b")).toBe(5);
      expect(await r.zrange("d", 0, -1, "WITHSCORES")).toEqual(["x", "1", "y", "12", "z", "23", "w", "30", "12", "40"]);
      expect(await r.call("OBJECT", "ENCODING", "d")).toBe(enc);
      expect(await r.zinterstore("d", 2, "a", "b", "WEIGHTS", 1, 0)).toBe(2);
      expect(await r.zrange("d", 0, -1, "WITHSCORES")).toEqual(["y", "2", "z", "3"]);
      expect(await r.call("ZDIFFSTORE", "d", "2", "a", "b")).toBe(1);
      expect(await r.zrange("d", 0, -1)).toEqual(["x"]);
      expect(await r.call("ZDIFFSTORE", "d", "2", "a", "a")).toBe(0);
      expect(await r.exists("d")).toBe(0);
      expect(await r.zunionstore("a", 2, "a", "b")).toBe(5);
      expect(await r.zcard("a")).toBe(5);
    });

    it("errors", async () => {
      expect(await err(r.call("ZUNION", "0", "a"))).toBe("ERR at least 1 input key is needed for 'zunion' command");
      expect(await err(r.call("ZINTERSTORE", "d", "0", "a"))).toBe(
        "ERR at least 1 input key is needed for 'zinterstore' command",
      );
      expect(await err(r.call("ZINTERCARD", "0", "a"))).toBe(
        "ERR at least 1 input key is needed for 'zintercard' command",
      );
      expect(await err(r.call("ZUNION", "3", "a", "b"))).toBe("ERR syntax error");
      expect(await err(r.call("ZUNION", "x", "a"))).toBe("ERR value is not an integer or out of range");
      expect(await err(r.call("ZUNION", "2", "a", "b", "WEIGHTS", "1", "x"))).toBe("ERR weight value is not a float");
      expect(await err(r.call("ZUNION", "2", "a", "b", "WEIGHTS", "1"))).toBe("ERR syntax error");
      expect(await err(r.call("ZUNION", "2", "a", "b", "AGGREGATE", "AVG"))).toBe("ERR syntax error");
      expect(await err(r.call("ZDIFF", "2", "a", "b", "WEIGHTS", "1", "2"))).toBe("ERR syntax error");
      expect(await err(r.call("ZUNIONSTORE", "d", "1", "a", "WITHSCORES"))).toBe("ERR syntax error");
      expect(await err(r.call("ZINTERCARD", "1", "a", "LIMIT", "-1"))).toBe("ERR LIMIT can't be negative");
      await r.set("s", "v");
      expect(await err(r.call("ZUNION", "2", "a", "s"))).toMatch(/^WRONGTYPE/);
    });
  });
}

/** Sets as inputs (score 1), an intset and a hashtable. */
describe("sets as inputs", () => {
  async function sadd(key: string, ...members: string[]): Promise<void> {
    await r.sadd(key, ...members);
  }

  it("ZUNION, ZINTER, ZDIFF and ZINTERSTORE take a set's members with score 1", async () => {
    await r.flushall();
    await r.zadd("z", 5, "a", 6, "b");
    await sadd("s", "b", "c");
    expect(await r.call("ZUNION", "2", "z", "s", "WITHSCORES")).toEqual(["c", "1", "a", "5", "b", "7"]);
    expect(await r.call("ZINTER", "2", "z", "s", "WEIGHTS", "1", "10", "WITHSCORES")).toEqual(["b", "16"]);
    expect(await r.call("ZDIFF", "2", "z", "s", "WITHSCORES")).toEqual(["a", "5"]);
    expect(await r.call("ZDIFF", "2", "s", "z", "WITHSCORES")).toEqual(["c", "1"]);
    expect(await r.call("ZINTERSTORE", "d", "2", "s", "s")).toBe(2);
    expect(await r.zrange("d", 0, -1, "WITHSCORES")).toEqual(["b", "2", "c", "2"]);
    expect(await r.call("ZINTERCARD", "2", "s", "z")).toBe(1);
  });

  it("an intset and a hashtable set both count", async () => {
    await r.flushall();
    await r.zadd("z", 5, "1", 6, "x");
    await sadd("ints", "1", "2");
    await sadd("strs", "x", "y");
    expect(await r.object("ENCODING", "ints")).toBe("intset");
    expect(await r.call("ZUNION", "3", "z", "ints", "strs", "WITHSCORES")).toEqual([
      "2",
      "1",
      "y",
      "1",
      "1",
      "6",
      "x",
      "7",
    ]);
  });
});

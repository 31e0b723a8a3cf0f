import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rawExchange } from "../utils/raw.js";
import { errorOf } from "../utils/replyError.js";
import { useTarget } from "../utils/target.js";

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});

const err = errorOf;

for (const enc of ["listpack", "skiplist"] as const) {
  describe(`removal and pops (${enc})`, () => {
    beforeEach(async () => {
      await r.flushall();
      await r.config("SET", "zset-max-listpack-entries", enc === "listpack" ? "128" : "0");
      await r.zadd("z", 1, "a", 2, "b", 3, "c", 4, "d", 5, "e");
    });

    it("ZREMRANGEBYRANK / BYSCORE / BYLEX", async () => {
      expect(await r.zremrangebyrank("z", 1, 2)).toBe(2);
      expect(await r.zrange("z", 0, -1)).toEqual(["a", "d", "e"]);
      expect(await r.zremrangebyrank("z", 5, 10)).toBe(0);
      expect(await r.zremrangebyscore("z", "(1", 4)).toBe(1);
      expect(await r.zrange("z", 0, -1)).toEqual(["a", "e"]);
      expect(await r.zremrangebyscore("z", 10, 20)).toBe(0);
      await r.zadd("lex", 0, "a", 0, "b", 0, "c");
      expect(await r.zremrangebylex("lex", "(a", "+")).toBe(2);
      expect(await r.zrange("lex", 0, -1)).toEqual(["a"]);
      expect(await r.zremrangebylex("lex", "-", "+")).toBe(1);
      expect(await r.exists("lex")).toBe(0);
      expect(await r.zremrangebyrank("z", 0, -1)).toBe(2);
      expect(await r.exists("z")).toBe(0);
      expect(await r.zremrangebyrank("missing", 0, -1)).toBe(0);
      expect(await err(r.zremrangebyscore("x", "a", "1"))).toBe("ERR min or max is not a float");
      expect(await err(r.zremrangebylex("x", "a", "+"))).toBe("ERR min or max not valid string range item");
      expect(await err(r.zremrangebyrank("x", "a", "1"))).toBe("ERR value is not an integer or out of range");
    });

    it("ZPOPMIN / ZPOPMAX", async () => {
      expect(await r.zpopmin("z")).toEqual(["a", "1"]);
      expect(await r.zpopmax("z", 2)).toEqual(["e", "5", "d", "4"]);
      expect(await r.zpopmin("z", 0)).toEqual([]);
      expect(await r.zpopmin("z", 10)).toEqual(["b", "2", "c", "3"]);
      expect(await r.exists("z")).toBe(0);
      expect(await r.zpopmin("z")).toEqual([]);
      expect(await err(r.call("ZPOPMIN", "z", "-1"))).toBe("ERR value is out of range, must be positive");
      expect(await err(r.call("ZPOPMIN", "z", "1", "2"))).toBe("ERR syntax error");
      await r.set("s", "x");
      expect(await err(r.zpopmin("s"))).toMatch(/^WRONGTYPE/);
    });

    it("ZMPOP", async () => {
      expect(await r.call("ZMPOP", "2", "none", "z", "MIN")).toEqual(["z", [["a", "1"]]]);
      expect(await r.call("ZMPOP", "1", "z", "MAX", "COUNT", "2")).toEqual([
        "z",
        [
          ["e", "5"],
          ["d", "4"],
        ],
      ]);
      expect(await r.call("ZMPOP", "1", "none", "MAX")).toBeNull();
      expect(await r.call("ZMPOP", "1", "z", "MIN", "COUNT", "10")).toEqual([
        "z",
        [
          ["b", "2"],
          ["c", "3"],
        ],
      ]);
      expect(await r.exists("z")).toBe(0);
      expect(await err(r.call("ZMPOP", "0", "z", "MIN"))).toBe("ERR numkeys should be greater than 0");
      expect(await err(r.call("ZMPOP", "1", "z", "MIN", "COUNT", "0"))).toBe("ERR count should be greater than 0");
      expect(await err(r.call("ZMPOP", "1", "z", "LEFT"))).toBe("ERR syntax error");
      expect(await err(r.call("ZMPOP", "2", "z", "MIN"))).toBe("ERR syntax error");
      expect(await err(r.call("ZMPOP", "1", "z", "MIN", "COUNT", "1", "COUNT", "1"))).toBe("ERR syntax error");
    });
  });
}

describe("pops in RESP3", () => {
  it("ZPOPMIN with a count replies pairs, without one a flat pair", async () => {
    await r.flushall();
    await r.zadd("z", 1, "a", 2, "b", 3, "c");
    const expected = "*2\r\n$1\r\na\r\n,1\r\n*1\r\n*2\r\n$1\r\nb\r\n,2\r\n";
    const { text } = await rawExchange(target.port, "HELLO 3\r\nZPOPMIN z\r\nZPOPMIN z 1\r\n", {
      until: (t) => t.endsWith(expected),
    });
    expect(text.endsWith(expected)).toBe(true);
  });
});

describe("keyspace events", () => {
  it("zadd zincr zrem zremrangeby* zpop* and del when emptied", async () => {
    await r.flushall();
    await r.config("SET", "notify-keyspace-events", "KEA");
    const sub = target.client();
    const events: string[] = [];
    await sub.psubscribe("__keyspace@0__:*");
    sub.on("pmessage", (_p, _c, message) => events.push(message));
    await r.zadd("k", 1, "a", 2, "b", 3, "c", 4, "d");
    await r.zadd("k", "NX", 1, "a");
    await r.zincrby("k", 1, "a");
    await r.zrem("k", "x");
    await r.zrem("k", "a");
    await r.zremrangebyscore("k", 0, 2);
    await r.zremrangebyrank("k", 0, 0);
    await r.zpopmax("k");
    await r.zadd("k", 0, "x", 0, "y");
    await r.zremrangebylex("k", "-", "+");
    await r.zadd("k", 0, "x");
    await r.zpopmin("k");
    await r.ping();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await r.config("SET", "notify-keyspace-events", "");
    expect(events).toEqual([
      "zadd",
      "zincr",
      "zrem",
      "zremrangebyscore",
      "zremrangebyrank",
      "zpopmax",
      "del",
      "zadd",
      "zremrangebylex",
      "del",
      "zadd",
      "zpopmin",
      "del",
    ]);
    sub.disconnect();
  });
});

describe("keyspace events of the STORE commands", () => {
  it("zunionstore zinterstore zdiffstore zrangestore, and del when the result is empty", async () => {
    await r.flushall();
    await r.zadd("a", 1, "x", 2, "y");
    await r.config("SET", "notify-keyspace-events", "KEA");
    const sub = target.client();
    const events: string[] = [];
    await sub.psubscribe("__keyspace@0__:d");
    sub.on("pmessage", (_p, _c, message) => events.push(message));
    await r.zunionstore("d", 1, "a");
    await r.zinterstore("d", 1, "a");
    await r.call("ZDIFFSTORE", "d", "1", "a");
    await r.call("ZRANGESTORE", "d", "a", "0", "0");
    await r.call("ZDIFFSTORE", "d", "2", "a", "a");
    await r.call("ZDIFFSTORE", "d", "2", "a", "a");
    await r.ping();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await r.config("SET", "notify-keyspace-events", "");
    expect(events).toEqual(["zunionstore", "zinterstore", "zdiffstore", "zrangestore", "del"]);
    sub.disconnect();
  });
});

describe("the dirty counter", () => {
  it("counts added, updated and removed elements as Redis does, not the key's creation or removal", async () => {
    await r.flushall();
    const dirty = async () => Number(/rdb_changes_since_last_save:(\d+)/.exec(await r.info("persistence"))![1]);
    const steps: [string, () => Promise<unknown>][] = [
      ["zadd3new", () => r.zadd("z", 1, "a", 2, "b", 3, "c")],
      ["zadd1upd1add", () => r.zadd("z", 5, "a", 4, "d")],
      ["zaddnop", () => r.zadd("z", 5, "a")],
      ["zrem1", () => r.zrem("z", "a")],
      ["zremrange2", () => r.zremrangebyrank("z", 0, 1)],
      ["zpopmin-last", () => r.zpopmin("z")],
      ["zunionstore-empty", () => r.zunionstore("u", 1, "missing")],
    ];
    const counts: string[] = [];
    let last = await dirty();
    for (const [name, run] of steps) {
      await run();
      const now = await dirty();
      counts.push(`${name}:${now - last}`);
      last = now;
    }
    expect(counts).toEqual([
      "zadd3new:3",
      "zadd1upd1add:2",
      "zaddnop:0",
      "zrem1:1",
      "zremrange2:2",
      "zpopmin-last:1",
      "zunionstore-empty:0",
    ]);
  });
});

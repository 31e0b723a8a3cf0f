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
  describe(`ranges (${enc})`, () => {
    beforeEach(async () => {
      await r.flushall();
      await r.config("SET", "zset-max-listpack-entries", enc === "listpack" ? "128" : "0");
      await r.zadd("z", 1, "a", 2, "b", 3, "c", 4, "d", 5, "e");
      await r.zadd("lex", 0, "a", 0, "b", 0, "c", 0, "d", 0, "e", 0, "f");
    });

    it("by rank, both ways, with out-of-range indexes", async () => {
      expect(await r.zrange("z", 0, 1)).toEqual(["a", "b"]);
      expect(await r.zrange("z", -2, -1)).toEqual(["d", "e"]);
      expect(await r.zrange("z", 3, 100)).toEqual(["d", "e"]);
      expect(await r.zrange("z", -100, 0)).toEqual(["a"]);
      expect(await r.zrange("z", 3, 2)).toEqual([]);
      expect(await r.zrange("z", 5, 10)).toEqual([]);
      expect(await r.zrevrange("z", 0, 1, "WITHSCORES")).toEqual(["e", "5", "d", "4"]);
      expect(await r.call("ZRANGE", "z", "0", "1", "REV")).toEqual(["e", "d"]);
      expect(await r.zrange("missing", 0, -1)).toEqual([]);
    });

    it("by score: inclusive, exclusive, infinite, LIMIT, REV", async () => {
      expect(await r.zrangebyscore("z", 2, 4)).toEqual(["b", "c", "d"]);
      expect(await r.zrangebyscore("z", "(2", "(4")).toEqual(["c"]);
      expect(await r.zrangebyscore("z", "-inf", "+inf", "WITHSCORES")).toEqual([
        "a",
        "1",
        "b",
        "2",
        "c",
        "3",
        "d",
        "4",
        "e",
        "5",
      ]);
      expect(await r.zrangebyscore("z", "-inf", "+inf", "LIMIT", 1, 2)).toEqual(["b", "c"]);
      expect(await r.zrangebyscore("z", "-inf", "+inf", "LIMIT", 1, -1)).toEqual(["b", "c", "d", "e"]);
      expect(await r.zrangebyscore("z", "-inf", "+inf", "LIMIT", -1, 2)).toEqual([]);
      expect(await r.zrangebyscore("z", "-inf", "+inf", "LIMIT", 5, 2)).toEqual([]);
      expect(await r.zrevrangebyscore("z", 4, "(1")).toEqual(["d", "c", "b"]);
      expect(await r.zrevrangebyscore("z", "+inf", "-inf", "LIMIT", 1, 1)).toEqual(["d"]);
      expect(await r.call("ZRANGE", "z", "(4", "2", "BYSCORE", "REV", "WITHSCORES")).toEqual(["c", "3", "b", "2"]);
      expect(await r.zrangebyscore("z", 4, 2)).toEqual([]);
      expect(await r.zrangebyscore("z", " 2", "2.0")).toEqual(["b"]);
      expect(await r.zcount("z", "(1", 3)).toBe(2);
      expect(await r.zcount("z", "-inf", "inf")).toBe(5);
      expect(await r.zcount("z", 10, 20)).toBe(0);
      expect(await r.zcount("missing", 0, 1)).toBe(0);
    });

    it("by lex", async () => {
      expect(await r.zrangebylex("lex", "-", "+")).toEqual(["a", "b", "c", "d", "e", "f"]);
      expect(await r.zrangebylex("lex", "[b", "(e")).toEqual(["b", "c", "d"]);
      expect(await r.zrangebylex("lex", "(b", "[e", "LIMIT", 1, 2)).toEqual(["d", "e"]);
      expect(await r.zrevrangebylex("lex", "+", "[d")).toEqual(["f", "e", "d"]);
      expect(await r.call("ZRANGE", "lex", "[e", "(b", "BYLEX", "REV", "LIMIT", "0", "2")).toEqual(["e", "d"]);
      expect(await r.zlexcount("lex", "[b", "[d")).toBe(3);
      expect(await r.zlexcount("lex", "+", "-")).toBe(0);
      expect(await r.zrangebylex("lex", "[z", "+")).toEqual([]);
    });

    it("range errors", async () => {
      expect(await err(r.zrangebyscore("z", "x", 1))).toBe("ERR min or max is not a float");
      expect(await err(r.zrangebyscore("z", "nan", 1))).toBe("ERR min or max is not a float");
      expect(await err(r.zcount("z", "1", "((2"))).toBe("ERR min or max is not a float");
      expect(await err(r.zrangebylex("lex", "a", "+"))).toBe("ERR min or max not valid string range item");
      expect(await err(r.zlexcount("lex", "-", "++"))).toBe("ERR min or max not valid string range item");
      expect(await err(r.call("ZRANGE", "z", "0", "1", "LIMIT", "0", "1"))).toBe(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
      );
      expect(await err(r.call("ZRANGE", "lex", "-", "+", "BYLEX", "WITHSCORES"))).toBe(
        "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
      );
      expect(await err(r.call("ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"))).toBe("ERR syntax error");
      expect(await err(r.call("ZRANGE", "z", "a", "1"))).toBe("ERR value is not an integer or out of range");
      expect(await err(r.call("ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "x", "1"))).toBe(
        "ERR value is not an integer or out of range",
      );
      expect(await err(r.call("ZRANGESTORE", "d", "z", "0", "1", "WITHSCORES"))).toBe("ERR syntax error");
      await r.set("s", "v");
      expect(await err(r.zrange("s", 0, 1))).toMatch(/^WRONGTYPE/);
    });

    it("ZRANGESTORE stores (or deletes) the destination", async () => {
      expect(await r.call("ZRANGESTORE", "d", "z", "1", "2")).toBe(2);
      expect(await r.zrange("d", 0, -1, "WITHSCORES")).toEqual(["b", "2", "c", "3"]);
      expect(await r.call("OBJECT", "ENCODING", "d")).toBe(enc);
      expect(await r.call("ZRANGESTORE", "d", "z", "(1", "3", "BYSCORE", "REV")).toBe(0);
      expect(await r.exists("d")).toBe(0);
      expect(await r.call("ZRANGESTORE", "d", "z", "3", "(1", "BYSCORE", "REV", "LIMIT", "0", "1")).toBe(1);
      expect(await r.zrange("d", 0, -1)).toEqual(["c"]);
      await r.set("str", "x");
      expect(await r.call("ZRANGESTORE", "str", "lex", "[a", "[b", "BYLEX")).toBe(2);
      expect(await r.type("str")).toBe("zset");
      expect(await r.call("ZRANGESTORE", "str", "missing", "0", "-1")).toBe(0);
      expect(await r.exists("str")).toBe(0);
    });
  });
}

describe("RESP3 replies", () => {
  it("WITHSCORES gives [member, score] pairs and doubles", async () => {
    await r.flushall();
    await r.config("SET", "zset-max-listpack-entries", "128");
    await r.zadd("z", 1.5, "a", 2, "b");
    const expected = "*2\r\n*2\r\n$1\r\na\r\n,1.5\r\n*2\r\n$1\r\nb\r\n,2\r\n,1.5\r\n";
    const { text } = await rawExchange(target.port, "HELLO 3\r\nZRANGE z 0 -1 WITHSCORES\r\nZSCORE z a\r\n", {
      until: (t) => t.endsWith(expected),
    });
    expect(text.endsWith(expected)).toBe(true);
  });
});

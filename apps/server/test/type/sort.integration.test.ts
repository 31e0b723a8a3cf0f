import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";

/** SORT and SORT_RO (Redis's tests/unit/sort.tcl), proven on both targets. */
const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});

const sort = (...args: (string | number)[]) => r.call("SORT", ...args);

describe("SORT numeric and ALPHA", () => {
  it("sorts a list, a set and a sorted set numerically by default", async () => {
    await r.rpush("l", "3", "10", "1", "2.5", "-4");
    await r.sadd("s", "3", "10", "1", "-4");
    await r.zadd("z", 1, "30", 2, "10", 3, "20");
    expect(await sort("l")).toEqual(["-4", "1", "2.5", "3", "10"]);
    expect(await sort("s")).toEqual(["-4", "1", "3", "10"]);
    expect(await sort("z")).toEqual(["10", "20", "30"]);
    expect(await sort("l", "DESC")).toEqual(["10", "3", "2.5", "1", "-4"]);
  });

  it("accepts what strtod takes whole (spaces, hex, inf, empty) and refuses the rest", async () => {
    await r.rpush("l", " 5", "0x10", "inf", "", "-inf", "1e2");
    expect(await sort("l")).toEqual(["-inf", "", " 5", "0x10", "1e2", "inf"]);
    await r.rpush("bad", "1", "abc");
    await expect(sort("bad")).rejects.toThrow("ERR One or more scores can't be converted into double");
    await r.rpush("nan", "nan");
    await expect(sort("nan")).rejects.toThrow("ERR One or more scores can't be converted into double");
    // Not tested here: "1e400" (ERANGE) also fails, but Redis reads a stale process-wide errno,
    // so after it every numeric SORT on that server fails until errno changes.
  });

  it("breaks numeric ties by the elements' bytes", async () => {
    await r.rpush("l", "1.0", "1", "01", "1e0");
    expect(await sort("l")).toEqual(["01", "1", "1.0", "1e0"]);
    expect(await sort("l", "DESC")).toEqual(["1e0", "1.0", "1", "01"]);
  });

  it("ALPHA sorts bytes lexicographically", async () => {
    await r.rpush("l", "b", "a", "C", "aa", "10", "9");
    expect(await sort("l", "ALPHA")).toEqual(["10", "9", "C", "a", "aa", "b"]);
    expect(await sort("l", "ALPHA", "DESC")).toEqual(["b", "aa", "a", "C", "9", "10"]);
  });
});

describe("SORT LIMIT", () => {
  it("applies offset and count, clamping out-of-range values", async () => {
    await r.rpush("l", "5", "4", "3", "2", "1");
    expect(await sort("l", "LIMIT", 1, 2)).toEqual(["2", "3"]);
    expect(await sort("l", "LIMIT", -10, 2)).toEqual(["1", "2"]);
    expect(await sort("l", "LIMIT", 3, -1)).toEqual(["4", "5"]);
    expect(await sort("l", "LIMIT", 10, 2)).toEqual([]);
    expect(await sort("l", "LIMIT", 0, 0)).toEqual([]);
    expect(await sort("l", "LIMIT", 2, 100)).toEqual(["3", "4", "5"]);
  });

  it("refuses non-integer offsets and a LIMIT without both numbers", async () => {
    await r.rpush("l", "1");
    await expect(sort("l", "LIMIT", "x", 1)).rejects.toThrow("ERR value is not an integer or out of range");
    await expect(sort("l", "LIMIT", 1)).rejects.toThrow("ERR syntax error");
    await expect(sort("l", "FOO")).rejects.toThrow("ERR syntax error");
  });
});

describe("SORT BY and GET", () => {
  beforeEach(async () => {
    await r.rpush("ids", "1", "2", "3");
    await r.mset("w_1", "30", "w_2", "10", "w_3", "20", "name_1", "one", "name_2", "two");
    await r.hset("h_1", "f", "c", "n", "100");
    await r.hset("h_2", "f", "a", "n", "300");
    await r.hset("h_3", "f", "b", "n", "200");
  });

  it("sorts by string keys and by hash fields, numerically or ALPHA", async () => {
    expect(await sort("ids", "BY", "w_*")).toEqual(["2", "3", "1"]);
    expect(await sort("ids", "BY", "h_*->n")).toEqual(["1", "3", "2"]);
    expect(await sort("ids", "BY", "h_*->f", "ALPHA")).toEqual(["2", "3", "1"]);
    expect(await sort("ids", "BY", "h_*->f", "ALPHA", "DESC")).toEqual(["1", "3", "2"]);
  });

  it("a missing BY key weighs 0 (numeric) or sorts first (ALPHA)", async () => {
    await r.rpush("more", "1", "2", "4");
    expect(await sort("more", "BY", "w_*")).toEqual(["4", "2", "1"]);
    expect(await sort("more", "BY", "name_*", "ALPHA")).toEqual(["4", "1", "2"]);
  });

  it("a constant BY keeps the native order (and LIMIT, DESC apply to it)", async () => {
    await r.rpush("l", "c", "a", "b");
    expect(await sort("l", "BY", "nosort")).toEqual(["c", "a", "b"]);
    expect(await sort("l", "BY", "nosort", "DESC")).toEqual(["b", "a", "c"]);
    expect(await sort("l", "BY", "nosort", "LIMIT", 1, 1)).toEqual(["a"]);
    expect(await sort("l", "BY", "nosort", "DESC", "LIMIT", 1, 5)).toEqual(["a", "c"]);
    await r.zadd("z", 3, "x", 1, "y", 2, "w");
    expect(await sort("z", "BY", "nosort")).toEqual(["y", "w", "x"]);
    expect(await sort("z", "BY", "nosort", "DESC", "LIMIT", 0, 2)).toEqual(["x", "w"]);
  });

  it("GET returns values, # the element, nil for what is missing or not a string", async () => {
    await r.rpush("name_3", "a list");
    expect(await sort("ids", "GET", "#", "GET", "name_*", "GET", "h_*->f")).toEqual([
      "1",
      "one",
      "c",
      "2",
      "two",
      "a",
      "3",
      null,
      "b",
    ]);
    expect(await sort("ids", "GET", "constant")).toEqual([null, null, null]);
    expect(await sort("ids", "GET", "h_*->missing")).toEqual([null, null, null]);
  });

  it("a trailing -> is part of the key name", async () => {
    await r.set("k1->", "x");
    await r.rpush("one", "1");
    expect(await sort("one", "GET", "k*->")).toEqual(["x"]);
  });
});

describe("SORT STORE and SORT_RO", () => {
  it("STORE writes the result as a list and replies its length", async () => {
    await r.sadd("s", "3", "1", "2");
    expect(await sort("s", "STORE", "dst")).toBe(3);
    expect(await r.lrange("dst", 0, -1)).toEqual(["1", "2", "3"]);
    expect(await r.type("dst")).toBe("list");
    await r.set("str", "x");
    await r.expire("str", 100);
    expect(await sort("s", "LIMIT", 0, 2, "STORE", "str")).toBe(2);
    expect(await r.lrange("str", 0, -1)).toEqual(["1", "2"]);
    expect(await r.ttl("str")).toBe(-1);
  });

  it("STORE of GET results stores empty strings for missing values", async () => {
    await r.rpush("ids", "1", "2");
    await r.set("v_1", "one");
    expect(await sort("ids", "GET", "v_*", "GET", "#", "STORE", "dst")).toBe(4);
    expect(await r.lrange("dst", 0, -1)).toEqual(["one", "1", "", "2"]);
  });

  it("an empty result deletes the destination", async () => {
    await r.set("dst", "x");
    expect(await sort("missing", "STORE", "dst")).toBe(0);
    expect(await r.exists("dst")).toBe(0);
  });

  it("a set sorted with a constant BY and STORE is sorted ALPHA", async () => {
    await r.sadd("s", "b", "c", "a", "10");
    expect(await sort("s", "BY", "nosort", "STORE", "dst")).toBe(4);
    expect(await r.lrange("dst", 0, -1)).toEqual(["10", "a", "b", "c"]);
  });

  it("SORT_RO sorts but has no STORE", async () => {
    await r.rpush("l", "2", "1");
    expect(await r.call("SORT_RO", "l")).toEqual(["1", "2"]);
    await expect(r.call("SORT_RO", "l", "STORE", "dst")).rejects.toThrow("ERR syntax error");
  });

  it("a missing key sorts as empty; a string or hash is WRONGTYPE", async () => {
    expect(await sort("missing")).toEqual([]);
    await r.set("str", "1");
    await expect(sort("str")).rejects.toThrow("WRONGTYPE");
    await r.hset("h", "a", "1");
    await expect(sort("h")).rejects.toThrow("WRONGTYPE");
  });

  it("BY and GET need access to every key", async () => {
    await r.rpush("l", "1", "2");
    await r.call("ACL", "SETUSER", "limited", "on", "nopass", "+@all", "~l", "~dst");
    const c = target.client();
    try {
      await c.call("AUTH", "limited", "x");
      expect(await c.call("SORT", "l")).toEqual(["1", "2"]);
      await expect(c.call("SORT", "l", "BY", "w_*")).rejects.toThrow(
        "ERR BY option of SORT denied due to insufficient ACL permissions.",
      );
      expect(await c.call("SORT", "l", "BY", "nosort")).toEqual(["1", "2"]);
      await expect(c.call("SORT", "l", "GET", "#")).rejects.toThrow(
        "ERR GET option of SORT denied due to insufficient ACL permissions.",
      );
    } finally {
      c.disconnect();
      await r.call("ACL", "DELUSER", "limited");
    }
  });
});

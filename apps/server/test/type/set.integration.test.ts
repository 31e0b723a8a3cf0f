import { crc64 } from "@nedis/rdb";
import type { Redis } from "ioredis";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rawExchange } from "../utils/raw.js";
import { useTarget } from "../utils/target.js";

/** Set commands, replies and errors as Redis 7.0 gives them; every expectation holds on both targets. */

const target = useTarget([["enable-debug-command", ["yes"]]]);
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});
afterEach(async () => {
  await r.config("SET", "set-max-intset-entries", "512");
});

const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
const encoding = (key: string) => r.call("OBJECT", "ENCODING", key);
const members = async (key: string) => ((await r.smembers(key)) as string[]).sort();
const sorted = (xs: unknown) => (xs as string[]).slice().sort();
const errorOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected an error reply");
};
const hex = (h: string) => Buffer.from(h, "hex");

describe("SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS", () => {
  it("count what they add and remove; the last SREM deletes the key", async () => {
    expect(await r.sadd("s", "a", "b", "a", "c")).toBe(3);
    expect(await r.sadd("s", "c", "d")).toBe(1);
    expect(await r.scard("s")).toBe(4);
    expect(await members("s")).toEqual(["a", "b", "c", "d"]);
    expect(await r.sismember("s", "a")).toBe(1);
    expect(await r.sismember("s", "z")).toBe(0);
    expect(await r.call("SMISMEMBER", "s", "a", "z", "d")).toEqual([1, 0, 1]);
    expect(await r.srem("s", "a", "z", "a")).toBe(1);
    expect(await r.srem("s", "b", "c", "d", "e")).toBe(3);
    expect(await r.exists("s")).toBe(0);
  });

  it("treat a missing key as an empty set", async () => {
    expect(await r.scard("none")).toBe(0);
    expect(await r.sismember("none", "a")).toBe(0);
    expect(await r.call("SMISMEMBER", "none", "a", "b")).toEqual([0, 0]);
    expect(await r.smembers("none")).toEqual([]);
    expect(await r.srem("none", "a")).toBe(0);
  });

  it("keeps integers and strings apart only by their bytes", async () => {
    expect(await r.sadd("s", "1", "01", "+1", " 1", "1.0", "-0", "0")).toBe(7);
    expect(await r.sismember("s", "1")).toBe(1);
    expect(await r.sismember("s", "001")).toBe(0);
    expect(await r.sadd("n", "9223372036854775807", "-9223372036854775808", "9223372036854775808")).toBe(3);
    expect(await members("n")).toEqual(["-9223372036854775808", "9223372036854775807", "9223372036854775808"]);
    expect(await encoding("n")).toBe("hashtable");
  });

  it("reply WRONGTYPE on a key of another type", async () => {
    await r.set("str", "v");
    for (const args of [
      ["SADD", "str", "a"],
      ["SREM", "str", "a"],
      ["SCARD", "str"],
      ["SISMEMBER", "str", "a"],
      ["SMISMEMBER", "str", "a"],
      ["SMEMBERS", "str"],
      ["SPOP", "str"],
      ["SPOP", "str", "2"],
      ["SRANDMEMBER", "str"],
      ["SRANDMEMBER", "str", "2"],
      ["SSCAN", "str", "0"],
    ]) {
      expect(await errorOf(r.call(args[0]!, ...args.slice(1)))).toBe(WRONGTYPE);
    }
    expect(await r.get("str")).toBe("v");
  });

  it("SMEMBERS is a RESP3 set, a RESP2 array", async () => {
    await r.sadd("s", "x");
    const cmd = "*2\r\n$8\r\nSMEMBERS\r\n$1\r\ns\r\n";
    const resp3 = await rawExchange(target.port, ["*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n", cmd], {
      until: (t) => t.endsWith("~1\r\n$1\r\nx\r\n"),
    });
    expect(resp3.text.endsWith("~1\r\n$1\r\nx\r\n")).toBe(true);
    const resp2 = await rawExchange(target.port, cmd, { until: (t) => t.length >= 11 });
    expect(resp2.text).toBe("*1\r\n$1\r\nx\r\n");
  });
});

describe("encodings", () => {
  it("an all-integer set is an intset up to set-max-intset-entries, then a hashtable for good", async () => {
    await r.config("SET", "set-max-intset-entries", "4");
    await r.sadd("s", "1", "2", "3", "4");
    expect(await encoding("s")).toBe("intset");
    await r.sadd("s", "5");
    expect(await encoding("s")).toBe("hashtable");
    await r.srem("s", "5", "4");
    expect(await encoding("s")).toBe("hashtable");
    expect(await members("s")).toEqual(["1", "2", "3"]);
  });

  it("a non-integer member makes a hashtable, whether first or later", async () => {
    await r.sadd("a", "x", "1");
    expect(await encoding("a")).toBe("hashtable");
    await r.sadd("b", "1", "2");
    expect(await encoding("b")).toBe("intset");
    await r.sadd("b", "x");
    expect(await encoding("b")).toBe("hashtable");
    expect(await members("b")).toEqual(["1", "2", "x"]);
  });

  it("intsets widen to 32 and 64 bits and keep every value exact", async () => {
    const values = [
      "-9223372036854775808",
      "-2147483649",
      "-70000",
      "-1",
      "0",
      "32767",
      "32768",
      "9223372036854775807",
    ];
    await r.sadd("s", ...values);
    expect(await encoding("s")).toBe("intset");
    expect(await members("s")).toEqual(values.slice().sort());
    for (const v of values) expect(await r.sismember("s", v)).toBe(1);
  });
});

describe("SPOP", () => {
  it("pops one member, nil on a missing key, and deletes the emptied key", async () => {
    expect(await r.spop("none")).toBeNull();
    await r.sadd("s", "a", "b");
    const first = await r.spop("s");
    expect(["a", "b"]).toContain(first);
    const second = await r.spop("s");
    expect(sorted([first, second])).toEqual(["a", "b"]);
    expect(await r.exists("s")).toBe(0);
  });

  it("with a count: 0 pops nothing, fewer than the size pops that many, as many or more takes the key", async () => {
    expect(await r.call("SPOP", "none", "3")).toEqual([]);
    await r.sadd("s", ...Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(await r.call("SPOP", "s", "0")).toEqual([]);
    const popped = (await r.call("SPOP", "s", "5")) as string[];
    expect(new Set(popped).size).toBe(5);
    expect(await r.scard("s")).toBe(15);
    for (const m of popped) expect(await r.sismember("s", m)).toBe(0);
    const most = (await r.call("SPOP", "s", "14")) as string[];
    expect(new Set(most).size).toBe(14);
    expect(await r.scard("s")).toBe(1);
    const rest = (await r.call("SPOP", "s", "100")) as string[];
    expect(sorted([...popped, ...most, ...rest])).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`).sort());
    expect(await r.exists("s")).toBe(0);
  });

  it("pops from intsets too", async () => {
    await r.sadd("s", "1", "2", "3", "4", "5");
    const popped = (await r.call("SPOP", "s", "3")) as string[];
    expect(popped.every((m) => ["1", "2", "3", "4", "5"].includes(m))).toBe(true);
    expect(await r.scard("s")).toBe(2);
    expect(await encoding("s")).toBe("intset");
  });

  it("popping most of a set rebuilds it, which may make an intset again", async () => {
    await r.config("SET", "set-max-intset-entries", "4");
    await r.sadd("s", ...Array.from({ length: 10 }, (_, i) => String(i)));
    await r.sadd("t", ...Array.from({ length: 10 }, (_, i) => String(i)));
    expect(await encoding("s")).toBe("hashtable");
    expect(((await r.call("SPOP", "s", "9")) as string[]).length).toBe(9);
    expect(await encoding("s")).toBe("intset");
    expect(((await r.call("SPOP", "t", "2")) as string[]).length).toBe(2);
    expect(await encoding("t")).toBe("hashtable");
  });

  it("refuses a negative or non-integer count and extra arguments", async () => {
    await r.sadd("s", "a");
    expect(await errorOf(r.call("SPOP", "s", "-1"))).toBe("ERR value is out of range, must be positive");
    expect(await errorOf(r.call("SPOP", "s", "x"))).toBe("ERR value is out of range, must be positive");
    expect(await errorOf(r.call("SPOP", "s", "1", "2"))).toBe("ERR syntax error");
    expect(await r.scard("s")).toBe(1);
  });

  it("a RESP3 client gets a set, or an empty set for count 0", async () => {
    await r.sadd("s", "a", "b", "c");
    const out = await rawExchange(
      target.port,
      ["*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n", "*3\r\n$4\r\nSPOP\r\n$1\r\ns\r\n$1\r\n0\r\n"],
      {
        until: (t) => t.endsWith("~0\r\n"),
      },
    );
    expect(out.text.endsWith("~0\r\n")).toBe(true);
  });
});

describe("SRANDMEMBER", () => {
  it("returns a member without removing it, nil on a missing key", async () => {
    expect(await r.srandmember("none")).toBeNull();
    await r.sadd("s", "a", "b", "c");
    expect(["a", "b", "c"]).toContain(await r.srandmember("s"));
    expect(await r.scard("s")).toBe(3);
  });

  it("a positive count gives distinct members, at most the whole set", async () => {
    const all = Array.from({ length: 30 }, (_, i) => `m${i}`);
    await r.sadd("s", ...all);
    await r.sadd("i", ...Array.from({ length: 30 }, (_, i) => String(i)));
    for (const key of ["s", "i"]) {
      for (const n of [1, 5, 12, 25, 29]) {
        const got = (await r.call("SRANDMEMBER", key, String(n))) as string[];
        expect(got.length).toBe(n);
        expect(new Set(got).size).toBe(n);
      }
      expect(((await r.call("SRANDMEMBER", key, "30")) as string[]).length).toBe(30);
      expect(((await r.call("SRANDMEMBER", key, "1000")) as string[]).length).toBe(30);
    }
    expect(sorted(await r.call("SRANDMEMBER", "s", "100"))).toEqual(all.slice().sort());
    expect(await r.call("SRANDMEMBER", "s", "0")).toEqual([]);
    expect(await r.call("SRANDMEMBER", "none", "5")).toEqual([]);
    expect(await r.scard("s")).toBe(30);
  });

  it("a negative count repeats members, each about equally often", async () => {
    await r.sadd("s", ...Array.from({ length: 10 }, (_, i) => `m${i}`));
    const got = (await r.call("SRANDMEMBER", "s", "-2000")) as string[];
    expect(got.length).toBe(2000);
    const counts = new Map<string, number>();
    for (const m of got) counts.set(m, (counts.get(m) ?? 0) + 1);
    expect(counts.size).toBe(10);
    for (const c of counts.values()) expect(c).toBeGreaterThan(100);
    expect(((await r.call("SRANDMEMBER", "s", "-3")) as string[]).length).toBe(3);
  });

  it("refuses a count that is no integer in range and extra arguments", async () => {
    await r.sadd("s", "a");
    expect(await errorOf(r.call("SRANDMEMBER", "s", "x"))).toBe("ERR value is not an integer or out of range");
    expect(await errorOf(r.call("SRANDMEMBER", "s", "-9223372036854775808"))).toBe(
      "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
    );
    expect(await errorOf(r.call("SRANDMEMBER", "s", "1", "2"))).toBe("ERR syntax error");
  });
});

describe("SMOVE", () => {
  it("moves a member, creating the destination and deleting an emptied source", async () => {
    await r.sadd("src", "a", "b");
    expect(await r.smove("src", "dst", "a")).toBe(1);
    expect(await members("src")).toEqual(["b"]);
    expect(await members("dst")).toEqual(["a"]);
    expect(await r.smove("src", "dst", "b")).toBe(1);
    expect(await r.exists("src")).toBe(0);
    expect(await members("dst")).toEqual(["a", "b"]);
  });

  it("returns 0 for a missing source or member, and tests membership when source is destination", async () => {
    expect(await r.smove("none", "dst", "a")).toBe(0);
    await r.sadd("s", "a");
    expect(await r.smove("s", "dst", "z")).toBe(0);
    expect(await r.smove("s", "s", "a")).toBe(1);
    expect(await r.smove("s", "s", "z")).toBe(0);
    expect(await members("s")).toEqual(["a"]);
    await r.sadd("d", "a");
    expect(await r.smove("s", "d", "a")).toBe(1);
    expect(await members("d")).toEqual(["a"]);
  });

  it("WRONGTYPE for a source or destination of another type", async () => {
    await r.set("str", "v");
    await r.sadd("s", "a");
    expect(await errorOf(r.smove("str", "s", "a"))).toBe(WRONGTYPE);
    expect(await errorOf(r.smove("s", "str", "a"))).toBe(WRONGTYPE);
    expect(await r.smove("none", "str", "a")).toBe(0);
    expect(await members("s")).toEqual(["a"]);
  });
});

describe("SINTER, SUNION, SDIFF and their STORE and CARD forms", () => {
  beforeEach(async () => {
    await r.sadd("a", "1", "2", "3", "x");
    await r.sadd("b", "2", "3", "4", "x", "y");
    await r.sadd("c", "3", "x", "z");
  });

  it("compute intersections, unions and differences", async () => {
    expect(sorted(await r.sinter("a", "b", "c"))).toEqual(["3", "x"]);
    expect(sorted(await r.sinter("a"))).toEqual(["1", "2", "3", "x"]);
    expect(sorted(await r.sinter("a", "a"))).toEqual(["1", "2", "3", "x"]);
    expect(await r.sinter("a", "none")).toEqual([]);
    expect(sorted(await r.sunion("a", "b", "none", "c"))).toEqual(["1", "2", "3", "4", "x", "y", "z"]);
    expect(sorted(await r.sdiff("b", "a", "none"))).toEqual(["4", "y"]);
    expect(await r.sdiff("a", "a")).toEqual([]);
    expect(await r.sdiff("none", "a")).toEqual([]);
    expect(await r.sunion("none")).toEqual([]);
  });

  it("SINTERCARD counts, up to LIMIT", async () => {
    expect(await r.call("SINTERCARD", "2", "a", "b")).toBe(3);
    expect(await r.call("SINTERCARD", "2", "a", "b", "LIMIT", "2")).toBe(2);
    expect(await r.call("SINTERCARD", "2", "a", "b", "LIMIT", "0")).toBe(3);
    expect(await r.call("SINTERCARD", "3", "a", "b", "none")).toBe(0);
    expect(await r.call("SINTERCARD", "1", "c")).toBe(3);
  });

  it("SINTERCARD refuses bad numkeys and LIMIT", async () => {
    expect(await errorOf(r.call("SINTERCARD", "0", "a"))).toBe("ERR numkeys should be greater than 0");
    expect(await errorOf(r.call("SINTERCARD", "x", "a"))).toBe("ERR numkeys should be greater than 0");
    expect(await errorOf(r.call("SINTERCARD", "3", "a", "b"))).toBe(
      "ERR Number of keys can't be greater than number of args",
    );
    expect(await errorOf(r.call("SINTERCARD", "1", "a", "LIMIT", "-1"))).toBe("ERR LIMIT can't be negative");
    expect(await errorOf(r.call("SINTERCARD", "1", "a", "LIMIT"))).toBe("ERR syntax error");
    expect(await errorOf(r.call("SINTERCARD", "1", "a", "b"))).toBe("ERR syntax error");
  });

  it("the STORE forms replace the destination (type and TTL too) and reply its size", async () => {
    await r.set("d", "string", "EX", "100");
    expect(await r.sinterstore("d", "a", "b")).toBe(3);
    expect(await r.type("d")).toBe("set");
    expect(await r.ttl("d")).toBe(-1);
    expect(await members("d")).toEqual(["2", "3", "x"]);
    expect(await r.sunionstore("d", "a", "c")).toBe(5);
    expect(await members("d")).toEqual(["1", "2", "3", "x", "z"]);
    expect(await r.sdiffstore("d", "a", "b")).toBe(1);
    expect(await members("d")).toEqual(["1"]);
    expect(await r.sunionstore("a", "a", "c")).toBe(5);
    expect(await members("a")).toEqual(["1", "2", "3", "x", "z"]);
  });

  it("an empty result deletes the destination", async () => {
    await r.set("d", "v");
    expect(await r.sinterstore("d", "a", "none")).toBe(0);
    expect(await r.exists("d")).toBe(0);
    await r.set("d", "v");
    expect(await r.sdiffstore("d", "a", "a")).toBe(0);
    expect(await r.exists("d")).toBe(0);
    await r.set("d", "v");
    expect(await r.sunionstore("d", "none")).toBe(0);
    expect(await r.exists("d")).toBe(0);
  });

  it("stored results of integers are intsets up to the limit", async () => {
    await r.sadd("i", "1", "2", "3");
    await r.sadd("j", "3", "4");
    await r.sunionstore("u", "i", "j");
    expect(await encoding("u")).toBe("intset");
    await r.sinterstore("n", "i", "a");
    expect(await encoding("n")).toBe("intset");
    await r.config("SET", "set-max-intset-entries", "3");
    await r.sunionstore("u", "i", "j");
    expect(await encoding("u")).toBe("hashtable");
  });

  it("WRONGTYPE when any source holds another type, even after a missing key", async () => {
    await r.set("str", "v");
    for (const cmd of ["SINTER", "SUNION", "SDIFF"]) {
      expect(await errorOf(r.call(cmd, "a", "str"))).toBe(WRONGTYPE);
      expect(await errorOf(r.call(cmd, "none", "str"))).toBe(WRONGTYPE);
      expect(await errorOf(r.call(`${cmd}STORE`, "d", "a", "str"))).toBe(WRONGTYPE);
    }
    expect(await errorOf(r.call("SINTERCARD", "2", "none", "str"))).toBe(WRONGTYPE);
    expect(await r.exists("d")).toBe(0);
  });

  it("work on large sets", async () => {
    const n = 2000;
    await r.sadd("big1", ...Array.from({ length: n }, (_, i) => `m${i}`));
    await r.sadd("big2", ...Array.from({ length: n }, (_, i) => `m${i * 2}`));
    expect((await r.sinter("big1", "big2")).length).toBe(n / 2);
    expect(await r.sunionstore("u", "big1", "big2")).toBe(n + n / 2);
    expect(await r.sdiffstore("d", "big1", "big2")).toBe(n / 2);
    expect(await r.call("SINTERCARD", "2", "big1", "big2", "LIMIT", "10")).toBe(10);
  });
});

describe("SSCAN", () => {
  it("returns an intset whole with cursor 0", async () => {
    await r.sadd("s", "1", "2", "3");
    const [cursor, got] = (await r.sscan("s", "0", "COUNT", "1")) as [string, string[]];
    expect(cursor).toBe("0");
    expect(sorted(got)).toEqual(["1", "2", "3"]);
    expect(await r.sscan("s", "0", "MATCH", "2")).toEqual(["0", ["2"]]);
  });

  it("walks a hashtable to cursor 0, every member at least once", async () => {
    const all = Array.from({ length: 500 }, (_, i) => `m${i}`);
    await r.sadd("s", ...all);
    const seen = new Set<string>();
    let cursor = "0";
    let calls = 0;
    do {
      const [next, got] = (await r.sscan("s", cursor, "COUNT", "20")) as [string, string[]];
      for (const m of got) seen.add(m);
      cursor = next;
      calls++;
    } while (cursor !== "0" && calls < 1000);
    expect(cursor).toBe("0");
    expect(seen.size).toBe(500);
    const matched = new Set<string>();
    cursor = "0";
    do {
      const [next, got] = (await r.sscan("s", cursor, "MATCH", "m1?")) as [string, string[]];
      for (const m of got) matched.add(m);
      cursor = next;
    } while (cursor !== "0");
    expect([...matched].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `m1${i}`));
  });

  it("a missing key is an empty scan; bad cursors and options are refused", async () => {
    expect(await r.sscan("none", "0")).toEqual(["0", []]);
    await r.sadd("s", "a");
    expect(await errorOf(r.sscan("s", "x"))).toBe("ERR invalid cursor");
    expect(await errorOf(r.sscan("s", "0", "COUNT", "0"))).toBe("ERR syntax error");
    expect(await errorOf(r.sscan("s", "0", "COUNT", "x"))).toBe("ERR value is not an integer or out of range");
    expect(await errorOf(r.call("SSCAN", "s", "0", "TYPE", "set"))).toBe("ERR syntax error");
    expect(await errorOf(r.call("SSCAN", "s", "0", "MATCH"))).toBe("ERR syntax error");
  });
});

describe("sets through the generic commands", () => {
  it("DUMP of an intset is Redis's bytes; Redis's payloads RESTORE here", async () => {
    await r.sadd("si", "1", "2", "3", "-5", "70000");
    expect(((await r.callBuffer("DUMP", "si")) as Buffer).toString("hex")).toBe(
      "0b1c0400000005000000fbffffff010000000200000003000000701101000a0023e5f3765598617d",
    );
    await r.sadd("bi", "9223372036854775807", "-9223372036854775808");
    expect(((await r.callBuffer("DUMP", "bi")) as Buffer).toString("hex")).toBe(
      "0bc312180408000000022003a0000180ff600001ff7f0a00603a3581ceea1b4c",
    );
    await r.call("RESTORE", "h", "0", hex("02030163016201610a005ea67e5623750bab"));
    expect(await members("h")).toEqual(["a", "b", "c"]);
    expect(await encoding("h")).toBe("hashtable");
    await r.call("RESTORE", "m", "0", hex("020bc001c007c005c008c002c006c004c00a0178c003c0090a000bb1142a079c0222"));
    expect(await members("m")).toEqual(["1", "10", "2", "3", "4", "5", "6", "7", "8", "9", "x"].sort());
    await r.call(
      "RESTORE",
      "i",
      "0",
      hex("0b1c0400000005000000fbffffff010000000200000003000000701101000a0023e5f3765598617d"),
    );
    expect(await encoding("i")).toBe("intset");
    expect(await members("i")).toEqual(["-5", "1", "2", "3", "70000"].sort());
  });

  it("DUMP/RESTORE round-trips a large set", async () => {
    const all = Array.from({ length: 1000 }, (_, i) => (i % 2 ? `member${i}` : String(i)));
    await r.sadd("s", ...all);
    const payload = (await r.callBuffer("DUMP", "s")) as Buffer;
    await r.call("RESTORE", "t", "0", payload);
    expect(await r.scard("t")).toBe(1000);
    expect(await members("t")).toEqual(all.slice().sort());
    expect(await r.call("DEBUG", "DIGEST-VALUE", "t")).toEqual(await r.call("DEBUG", "DIGEST-VALUE", "s"));
    expect(await r.sadd("t", "new")).toBe(1);
    expect(await r.srem("t", "member1")).toBe(1);
    expect(await r.scard("t")).toBe(1000);
  });

  it("RESTORE refuses malformed set payloads", async () => {
    const withFooter = (body: Buffer) => {
      const head = Buffer.concat([body, Buffer.from([10, 0])]);
      const crc = Buffer.alloc(8);
      crc.writeBigUInt64LE(crc64(head));
      return Buffer.concat([head, crc]);
    };
    const bad = [
      // An intset whose length does not match its size.
      withFooter(hex("0b0c02000000030000000100020003")),
      // A duplicate member.
      withFooter(hex("020201610161")),
      // An empty set, and Redis 7.2's listpack set (RDB type 20).
      withFooter(hex("0200")),
      withFooter(hex("140f0f000000010001610106ff")),
    ];
    for (const payload of bad) expect(await errorOf(r.call("RESTORE", "k", "0", payload))).toBe("ERR Bad data format");
    expect(await r.exists("k")).toBe(0);
  });

  it("DEBUG DIGEST-VALUE equals Redis's for both encodings", async () => {
    await r.sadd("si", "1", "2", "3", "-5", "70000");
    await r.sadd("sh", "a", "b", "c");
    await r.sadd("bi", "9223372036854775807", "-9223372036854775808");
    expect(await r.call("DEBUG", "DIGEST-VALUE", "si", "sh", "bi")).toEqual([
      "aa56f678958f3c9974295c1e0bc71c63a262152a",
      "593c2414786d75446e97f4ea5d4b731f3313da72",
      "96e8751752eee474706e760eee67f389a35a6448",
    ]);
  });

  it("COPY, MOVE and RENAME keep the members and the encoding", async () => {
    await r.sadd("i", "1", "2");
    await r.sadd("h", "a", "b");
    expect(await r.call("COPY", "i", "i2")).toBe(1);
    expect(await r.call("COPY", "h", "h2")).toBe(1);
    await r.sadd("h2", "c");
    expect(await members("h")).toEqual(["a", "b"]);
    expect(await members("h2")).toEqual(["a", "b", "c"]);
    expect(await encoding("i2")).toBe("intset");
    expect(await encoding("h2")).toBe("hashtable");
    await r.rename("h", "hr");
    expect(await members("hr")).toEqual(["a", "b"]);
    expect(await r.move("hr", 1)).toBe(1);
    await r.select(1);
    expect(await members("hr")).toEqual(["a", "b"]);
    expect(await r.sadd("hr", "z")).toBe(1);
    await r.select(0);
    expect(await r.call("COPY", "i", "i3", "DB", "1")).toBe(1);
    await r.select(1);
    expect(await members("i3")).toEqual(["1", "2"]);
    await r.select(0);
  });

  it("MEMORY USAGE grows with the members", async () => {
    await r.sadd("small", "1", "2", "3", "4", "5");
    await r.sadd("big", ...Array.from({ length: 1000 }, (_, i) => `member${i}`));
    const small = (await r.call("MEMORY", "USAGE", "small")) as number;
    const big = (await r.call("MEMORY", "USAGE", "big", "SAMPLES", "0")) as number;
    expect(small).toBeGreaterThan(20);
    expect(small).toBeLessThan(200);
    // Redis 7.0.15: 48296 bytes for this set.
    expect(big).toBeGreaterThan(48296 * 0.75);
    expect(big).toBeLessThan(48296 * 1.25);
  });

  it("TYPE and OBJECT ENCODING name sets", async () => {
    await r.sadd("s", "a");
    expect(await r.type("s")).toBe("set");
    expect(await r.scan("0", "TYPE", "set")).toEqual(["0", ["s"]]);
  });
});

describe("maxmemory", () => {
  it("over the limit, writes that add are refused with OOM; SREM, SPOP and SMOVE still run", async () => {
    await r.sadd("s", "a", "b", "c");
    await r.config("SET", "maxmemory-policy", "noeviction");
    await r.config("SET", "maxmemory", "1");
    try {
      const oom = "OOM command not allowed when used memory > 'maxmemory'.";
      expect(await errorOf(r.sadd("s", "d"))).toBe(oom);
      expect(await errorOf(r.sunionstore("d", "s"))).toBe(oom);
      // SMOVE is no `denyoom` command: it moves a member.
      expect(await r.smove("s", "t", "a")).toBe(1);
      expect(await r.srem("s", "b")).toBe(1);
      expect(await r.spop("s")).toBe("c");
      expect(await r.exists("s")).toBe(0);
      expect(await members("t")).toEqual(["a"]);
    } finally {
      await r.config("SET", "maxmemory", "0");
    }
  });
});

describe("keyspace events", () => {
  it("are sadd, srem, spop, del, and the STORE forms' own", async () => {
    const events: string[] = [];
    // nedis: read the keyspace's notify hook (what its notifier publishes from); Redis: pub/sub.
    const server = target.server;
    const previous = server?.keyspace.onNotify ?? null;
    const sub = server === undefined ? target.client() : null;
    if (server !== undefined) {
      server.keyspace.onNotify = (type, event, _db, key, off, len) => {
        if (type !== "n") events.push(`${event} ${Buffer.from(key.subarray(off, off + len)).toString("latin1")}`);
      };
    } else {
      await r.config("SET", "notify-keyspace-events", "KEA");
      sub?.on("pmessage", (_p: string, channel: string, message: string) =>
        events.push(`${channel.slice(15)} ${message}`),
      );
      await sub?.psubscribe("__keyevent@0__:*");
    }
    await r.sadd("s", "a", "b", "c");
    await r.sadd("s", "a");
    await r.srem("s", "z");
    await r.srem("s", "a");
    await r.smove("s", "t", "b");
    await r.spop("s");
    await r.sadd("u", "1");
    await r.sunionstore("d", "t", "u");
    await r.sinterstore("d", "t", "u");
    await r.sadd("x", "1");
    await r.sdiffstore("x", "u", "t");
    await r.set("sync", "1");
    for (let i = 0; i < 50 && !events.includes("set sync"); i++) await new Promise((res) => setTimeout(res, 10));
    if (server !== undefined) server.keyspace.onNotify = previous;
    else await r.config("SET", "notify-keyspace-events", "");
    sub?.disconnect();
    expect(events).toEqual([
      "sadd s",
      "srem s",
      "srem s",
      "sadd t",
      "spop s",
      "del s",
      "sadd u",
      "sunionstore d",
      "del d",
      "sadd x",
      "sdiffstore x",
      "set sync",
    ]);
  });
});

describe("the dirty counter", () => {
  const dirty = async () => {
    const text = (await r.info("persistence")) as string;
    return Number(/rdb_changes_since_last_save:(\d+)/.exec(text)?.[1]);
  };
  const counts = async (delta: number, ...cmd: string[]) => {
    const before = await dirty();
    await r.call(cmd[0]!, ...cmd.slice(1)).catch(() => undefined);
    expect(await dirty(), cmd.join(" ")).toBe(before + delta);
  };

  it("counts set writes as Redis does: one per member changed", async () => {
    await counts(3, "SADD", "s", "a", "b", "c");
    await counts(0, "SADD", "s", "a");
    await counts(1, "SADD", "s", "d");
    await counts(0, "SREM", "s", "z");
    await counts(2, "SREM", "s", "a", "b");
    await counts(2, "SREM", "s", "c", "d");
    await counts(3, "SADD", "s", "1", "2", "3");
    await counts(2, "SMOVE", "s", "t", "1");
    await counts(0, "SMOVE", "s", "t", "1");
    await counts(1, "SADD", "t", "2");
    await counts(1, "SMOVE", "s", "t", "2");
    await counts(1, "SPOP", "s");
    await counts(10, "SADD", "p", ...Array.from({ length: 10 }, (_, i) => String(i)));
    await counts(3, "SPOP", "p", "3");
    await counts(7, "SPOP", "p", "100");
    await counts(0, "SPOP", "p", "1");
    await counts(2, "SADD", "a", "1", "2");
    await counts(1, "SINTERSTORE", "d", "a", "a");
    await counts(1, "SINTERSTORE", "d", "a", "none");
    await counts(0, "SINTERSTORE", "d", "a", "none");
    await counts(1, "SUNIONSTORE", "d", "a");
    await counts(1, "SDIFFSTORE", "d", "a", "a");
    await counts(0, "SRANDMEMBER", "a", "5");
    await counts(0, "SINTER", "a", "t");
  });
});

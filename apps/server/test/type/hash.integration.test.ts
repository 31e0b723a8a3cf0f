import { crc64 } from "@nedis/rdb";
import type { Redis } from "ioredis";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rawExchange } from "../utils/raw.js";
import { useTarget } from "../utils/target.js";

/** Hash commands (Redis's tests/unit/type/hash.tcl), green on nedis and on a real Redis 7.0. */

const target = useTarget([
  ["enable-debug-command", ["yes"]],
  ["notify-keyspace-events", ["KEA"]],
]);
let r: Redis;
let sub: Redis | null = null;
const events: string[] = [];

beforeAll(async () => {
  r = target.client();
  const server = target.server;
  if (server !== undefined) {
    server.keyspace.onNotify = (type, event, _db, key, off, len) => {
      if (type !== "m" && type !== "n")
        events.push(`${event}:${Buffer.from(key.subarray(off, off + len)).toString("latin1")}`);
    };
    return;
  }
  sub = target.client();
  await sub.psubscribe("__keyevent@*__:*");
  sub.on("pmessage", (_pattern: string, channel: string, key: string) => {
    events.push(`${channel.slice(channel.indexOf(":") + 1)}:${key}`);
  });
});
beforeEach(async () => {
  await r.flushall();
  await r.config("SET", "hash-max-listpack-entries", "512");
  await r.config("SET", "hash-max-listpack-value", "64");
});
afterEach(async () => {
  await r.config("SET", "hash-max-listpack-entries", "512");
  await r.config("SET", "hash-max-listpack-value", "64");
});

/** The events of `commands` as `event:key` (pub/sub messages given time to arrive on Redis). */
async function eventsOf(...commands: string[][]): Promise<string[]> {
  await r.ping();
  await new Promise((resolve) => setTimeout(resolve, 20));
  events.length = 0;
  for (const cmd of commands) await r.call(cmd[0]!, ...cmd.slice(1)).catch(() => undefined);
  await r.ping();
  if (sub !== null) await sub.ping().catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 30));
  const out = [...events];
  events.length = 0;
  return out;
}

const encoding = (key: string) => r.call("OBJECT", "ENCODING", key);
const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as Error).message;
  }
  return "no error";
}

async function fill(key: string, n: number, prefix = "f", value = (i: number) => `v${i}`): Promise<void> {
  const args: string[] = [];
  for (let i = 0; i < n; i++) args.push(`${prefix}${i}`, value(i));
  await r.call("HSET", key, ...args);
}

describe("HSET, HGET, HMGET, HLEN", () => {
  it("HSET counts the new fields, HGET reads them back, HLEN counts", async () => {
    expect(await r.call("HSET", "h", "a", "1", "b", "2")).toBe(2);
    expect(await r.call("HSET", "h", "a", "10", "c", "3")).toBe(1);
    expect(await r.hget("h", "a")).toBe("10");
    expect(await r.hget("h", "missing")).toBeNull();
    expect(await r.hget("nokey", "a")).toBeNull();
    expect(await r.hlen("h")).toBe(3);
    expect(await r.hlen("nokey")).toBe(0);
    expect(await r.hmget("h", "a", "x", "c")).toEqual(["10", null, "3"]);
    expect(await r.hmget("nokey", "a", "b")).toEqual([null, null]);
    expect(await encoding("h")).toBe("listpack");
  });

  it("HMSET replies OK; HSETNX writes only a new field", async () => {
    expect(await r.call("HMSET", "h", "a", "1", "b", "2")).toBe("OK");
    expect(await r.call("HSETNX", "h", "a", "x")).toBe(0);
    expect(await r.call("HSETNX", "h", "c", "3")).toBe(1);
    expect(await r.call("HSETNX", "new", "f", "v")).toBe(1);
    expect(await r.hgetall("h")).toEqual({ a: "1", b: "2", c: "3" });
    expect(await r.hgetall("new")).toEqual({ f: "v" });
  });

  it("integers, negative numbers and values that only look like integers keep their bytes", async () => {
    const values = [
      "0",
      "-1",
      "12",
      "012",
      "+5",
      "9223372036854775807",
      "-9223372036854775808",
      "99999999999999999999",
      "1.5",
      "",
    ];
    const args: string[] = [];
    values.forEach((v, i) => args.push(`f${i}`, v));
    await r.call("HSET", "h", ...args);
    await r.call("HSET", "h", "123", "field-is-int");
    for (let i = 0; i < values.length; i++) expect(await r.hget("h", `f${i}`)).toBe(values[i]);
    expect(await r.hget("h", "123")).toBe("field-is-int");
    expect(await r.hget("h", "0123")).toBeNull();
    expect(await r.call("HSTRLEN", "h", "f5")).toBe(19);
    expect(await r.call("HSTRLEN", "h", "f9")).toBe(0);
    expect(await r.call("HSTRLEN", "h", "nofield")).toBe(0);
  });

  it("arity and wrong type errors", async () => {
    expect(await errorOf(r.call("HSET", "h", "a", "1", "b"))).toBe("ERR wrong number of arguments for 'hset' command");
    expect(await errorOf(r.call("HMSET", "h", "a", "1", "b"))).toBe(
      "ERR wrong number of arguments for 'hmset' command",
    );
    expect(await errorOf(r.call("HSET", "h", "a"))).toBe("ERR wrong number of arguments for 'hset' command");
    expect(await errorOf(r.call("HGET", "h"))).toBe("ERR wrong number of arguments for 'hget' command");
    await r.set("s", "x");
    for (const call of [
      r.call("HSET", "s", "a", "1"),
      r.call("HGET", "s", "a"),
      r.call("HMGET", "s", "a"),
      r.call("HDEL", "s", "a"),
      r.call("HLEN", "s"),
      r.call("HGETALL", "s"),
      r.call("HINCRBY", "s", "a", "1"),
      r.call("HINCRBYFLOAT", "s", "a", "1"),
      r.call("HRANDFIELD", "s"),
      r.call("HSCAN", "s", "0"),
      r.call("HSETNX", "s", "a", "1"),
      r.call("HEXISTS", "s", "a"),
    ])
      expect(await errorOf(call)).toBe(WRONGTYPE);
  });
});

describe("HDEL, HEXISTS", () => {
  it("HDEL counts removed fields and deletes the key with its last field", async () => {
    await r.call("HSET", "h", "a", "1", "b", "2", "c", "3");
    expect(await r.hdel("h", "a", "x", "a")).toBe(1);
    expect(await r.hexists("h", "a")).toBe(0);
    expect(await r.hexists("h", "b")).toBe(1);
    expect(await r.hdel("nokey", "a")).toBe(0);
    expect(await r.hdel("h", "b", "c", "d")).toBe(2);
    expect(await r.exists("h")).toBe(0);
  });

  it("the same on a hashtable", async () => {
    await r.config("SET", "hash-max-listpack-entries", "128");
    await fill("h", 200);
    expect(await encoding("h")).toBe("hashtable");
    const fields = Array.from({ length: 200 }, (_, i) => `f${i}`);
    expect(await r.hdel("h", ...fields.slice(0, 150))).toBe(150);
    expect(await r.hlen("h")).toBe(50);
    expect(await encoding("h")).toBe("hashtable");
    expect(await r.hdel("h", ...fields)).toBe(50);
    expect(await r.exists("h")).toBe(0);
  });
});

describe("HKEYS, HVALS, HGETALL", () => {
  it("list fields and values in the same order; empty for a missing key", async () => {
    await r.call("HSET", "h", "a", "1", "b", "2", "c", "3");
    expect(await r.hkeys("h")).toEqual(["a", "b", "c"]);
    expect(await r.hvals("h")).toEqual(["1", "2", "3"]);
    expect(await r.call("HGETALL", "h")).toEqual(["a", "1", "b", "2", "c", "3"]);
    expect(await r.hkeys("nokey")).toEqual([]);
    expect(await r.call("HGETALL", "nokey")).toEqual([]);
  });

  it("a hashtable holds all pairs", async () => {
    await fill("h", 600);
    const all = await r.hgetall("h");
    expect(Object.keys(all).length).toBe(600);
    expect(all.f123).toBe("v123");
    expect((await r.hkeys("h")).sort()).toEqual(Object.keys(all).sort());
  });

  it("HGETALL is a map in RESP3, HKEYS an array", async () => {
    await r.call("HSET", "h3", "a", "1", "b", "22");
    const { text } = await rawExchange(target.port, "HELLO 3\r\nHGETALL h3\r\nHGETALL none\r\nHKEYS none\r\nPING\r\n", {
      until: (t) => t.endsWith("+PONG\r\n"),
    });
    expect(text.slice(text.indexOf("%2\r\n$1\r\na"))).toBe(
      "%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n22\r\n%0\r\n*0\r\n+PONG\r\n",
    );
  });
});

describe("HINCRBY, HINCRBYFLOAT", () => {
  it("HINCRBY adds to a missing field, an existing one, and on a new key", async () => {
    expect(await r.call("HINCRBY", "h", "n", "5")).toBe(5);
    expect(await r.call("HINCRBY", "h", "n", "-7")).toBe(-2);
    await r.call("HSET", "h", "big", "9223372036854775806");
    const { text } = await rawExchange(target.port, "HINCRBY h big 1\r\n", { until: (t) => t.endsWith("\r\n") });
    expect(text).toBe(":9223372036854775807\r\n");
    expect(await r.hget("h", "big")).toBe("9223372036854775807");
  });

  it("HINCRBY errors: not an integer, overflow, bad increment", async () => {
    await r.call("HSET", "h", "s", "abc", "max", "9223372036854775807", "sp", " 1", "min", "-9223372036854775808");
    expect(await errorOf(r.call("HINCRBY", "h", "s", "1"))).toBe("ERR hash value is not an integer");
    expect(await errorOf(r.call("HINCRBY", "h", "sp", "1"))).toBe("ERR hash value is not an integer");
    expect(await errorOf(r.call("HINCRBY", "h", "max", "1"))).toBe("ERR increment or decrement would overflow");
    expect(await errorOf(r.call("HINCRBY", "h", "min", "-1"))).toBe("ERR increment or decrement would overflow");
    expect(await errorOf(r.call("HINCRBY", "h", "n", "x"))).toBe("ERR value is not an integer or out of range");
    expect(await errorOf(r.call("HINCRBY", "h", "n", "9223372036854775808"))).toBe(
      "ERR value is not an integer or out of range",
    );
    expect(await r.hget("h", "max")).toBe("9223372036854775807");
  });

  it("HINCRBYFLOAT formats like INCRBYFLOAT and refuses NaN and infinity", async () => {
    expect(await r.call("HINCRBYFLOAT", "h", "f", "10.5")).toBe("10.5");
    expect(await r.call("HINCRBYFLOAT", "h", "f", "0.1")).toBe("10.6");
    expect(await r.call("HINCRBYFLOAT", "h", "f", "-10.6")).toBe("0");
    expect(await r.call("HINCRBYFLOAT", "h", "g", "5.0e3")).toBe("5000");
    expect(await r.call("HINCRBYFLOAT", "h", "z", "-0")).toBe("0");
    await r.call("HSET", "h", "i", "17", "s", "abc");
    expect(await r.call("HINCRBYFLOAT", "h", "i", "1.5")).toBe("18.5");
    expect(await errorOf(r.call("HINCRBYFLOAT", "h", "s", "1"))).toBe("ERR hash value is not a float");
    expect(await errorOf(r.call("HINCRBYFLOAT", "h", "f", "x"))).toBe("ERR value is not a valid float");
    expect(await errorOf(r.call("HINCRBYFLOAT", "h", "f", "inf"))).toBe("ERR value is NaN or Infinity");
    expect(await errorOf(r.call("HINCRBYFLOAT", "h", "f", "nan"))).toBe("ERR value is not a valid float");
    await r.call("HSET", "h", "huge", "1e4932");
    expect(await errorOf(r.call("HINCRBYFLOAT", "h", "huge", "1e4932"))).toBe(
      "ERR increment would produce NaN or Infinity",
    );
  });
});

describe("encodings", () => {
  it("a listpack becomes a hashtable past hash-max-listpack-entries, and stays one", async () => {
    await r.config("SET", "hash-max-listpack-entries", "128");
    await fill("h", 128);
    expect(await encoding("h")).toBe("listpack");
    await r.call("HSET", "h", "one-more", "x");
    expect(await encoding("h")).toBe("hashtable");
    await r.hdel("h", "one-more", "f0", "f1");
    expect(await encoding("h")).toBe("hashtable");
    expect(await r.hlen("h")).toBe(126);
  });

  it("a field or value longer than hash-max-listpack-value converts", async () => {
    await r.call("HSET", "v", "f", "x".repeat(64));
    expect(await encoding("v")).toBe("listpack");
    await r.call("HSET", "v", "g", "x".repeat(65));
    expect(await encoding("v")).toBe("hashtable");
    await r.call("HSET", "k", "y".repeat(65), "1");
    expect(await encoding("k")).toBe("hashtable");
    await r.call("HSET", "i", "a", "1");
    await r.call("HINCRBYFLOAT", "i", "z".repeat(70), "1");
    expect(await encoding("i")).toBe("hashtable");
    // hashTypeTryConversion looks at every argument, even one a later pair overwrites.
    await r.call("HSET", "t", "a", "x".repeat(100), "a", "short");
    expect(await encoding("t")).toBe("hashtable");
  });

  it("CONFIG SET of the thresholds applies to the next writes", async () => {
    await r.config("SET", "hash-max-listpack-entries", "4");
    await fill("h", 4);
    expect(await encoding("h")).toBe("listpack");
    await r.call("HSET", "h", "e", "5");
    expect(await encoding("h")).toBe("hashtable");
    await r.config("SET", "hash-max-listpack-entries", "0");
    await r.call("HSET", "z", "a", "1");
    expect(await encoding("z")).toBe("hashtable");
    await r.config("SET", "hash-max-listpack-value", "3");
    await r.config("SET", "hash-max-listpack-entries", "128");
    await r.call("HSET", "w", "abcd", "1");
    expect(await encoding("w")).toBe("hashtable");
    expect(await r.hgetall("w")).toEqual({ abcd: "1" });
  });
});

describe("HRANDFIELD", () => {
  for (const [label, n] of [
    ["listpack", 20],
    ["hashtable", 600],
  ] as const) {
    it(`returns fields of the hash (${label})`, async () => {
      await fill("h", n);
      const all = await r.hgetall("h");
      const one = (await r.call("HRANDFIELD", "h")) as string;
      expect(all[one]).toBeDefined();
      const five = (await r.call("HRANDFIELD", "h", "5")) as string[];
      expect(new Set(five).size).toBe(5);
      for (const f of five) expect(all[f]).toBeDefined();
      const most = (await r.call("HRANDFIELD", "h", String(n - 2))) as string[];
      expect(new Set(most).size).toBe(n - 2);
      const everything = (await r.call("HRANDFIELD", "h", String(n + 10))) as string[];
      expect(everything.sort()).toEqual(Object.keys(all).sort());
      const repeats = (await r.call("HRANDFIELD", "h", "-50")) as string[];
      expect(repeats.length).toBe(50);
      for (const f of repeats) expect(all[f]).toBeDefined();
      const withValues = (await r.call("HRANDFIELD", "h", "-7", "WITHVALUES")) as string[];
      expect(withValues.length).toBe(14);
      for (let i = 0; i < withValues.length; i += 2) expect(all[withValues[i]!]).toBe(withValues[i + 1]);
      const unique = (await r.call("HRANDFIELD", "h", "3", "withvalues")) as string[];
      expect(unique.length).toBe(6);
      expect(await r.call("HRANDFIELD", "h", "0")).toEqual([]);
    });
  }

  it("every field gets picked: repeats, unique subsets, single picks", async () => {
    for (const n of [5, 600]) {
      await r.del("h");
      await fill("h", n);
      const seen = new Set<string>();
      for (const f of (await r.call("HRANDFIELD", "h", String(-20 * n))) as string[]) seen.add(f);
      expect(seen.size).toBe(n);
      seen.clear();
      for (let i = 0; i < 40 && seen.size < n; i++)
        for (const f of (await r.call("HRANDFIELD", "h", String(Math.ceil(n / 2)))) as string[]) seen.add(f);
      expect(seen.size).toBe(n);
    }
  });

  it("missing keys, bad counts and RESP3 pairs", async () => {
    expect(await r.call("HRANDFIELD", "nokey")).toBeNull();
    expect(await r.call("HRANDFIELD", "nokey", "5")).toEqual([]);
    await r.call("HSET", "h", "a", "1");
    expect(await errorOf(r.call("HRANDFIELD", "h", "x"))).toBe("ERR value is not an integer or out of range");
    expect(await errorOf(r.call("HRANDFIELD", "h", "1", "foo"))).toBe("ERR syntax error");
    expect(await errorOf(r.call("HRANDFIELD", "h", "1", "withvalues", "x"))).toBe("ERR syntax error");
    expect(await errorOf(r.call("HRANDFIELD", "h", "-9223372036854775808"))).toBe(
      "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
    );
    expect(await errorOf(r.call("HRANDFIELD", "h", "-9223372036854775807", "WITHVALUES"))).toBe(
      "ERR value is out of range",
    );
    const { text } = await rawExchange(
      target.port,
      "HELLO 3\r\nHRANDFIELD h -2 WITHVALUES\r\nHRANDFIELD h 2 WITHVALUES\r\nHRANDFIELD h 2\r\nPING\r\n",
      { until: (t) => t.endsWith("+PONG\r\n") },
    );
    const pair = "*2\r\n$1\r\na\r\n$1\r\n1\r\n";
    expect(text.slice(text.lastIndexOf("*2\r\n*2"))).toBe(
      `*2\r\n${pair}${pair}*1\r\n${pair}*1\r\n$1\r\na\r\n+PONG\r\n`,
    );
  });
});

describe("HSCAN", () => {
  it("a listpack comes whole with cursor 0; MATCH filters fields", async () => {
    await r.call("HSET", "h", "a1", "1", "b1", "2", "a2", "3");
    expect(await r.call("HSCAN", "h", "0")).toEqual(["0", ["a1", "1", "b1", "2", "a2", "3"]]);
    expect(await r.call("HSCAN", "h", "0", "MATCH", "a*", "COUNT", "1")).toEqual(["0", ["a1", "1", "a2", "3"]]);
    expect(await r.call("HSCAN", "nokey", "0")).toEqual(["0", []]);
    expect(await r.call("HSCAN", "nokey", "0", "bad")).toEqual(["0", []]);
  });

  it("a hashtable is walked by cursor: every field at least once", async () => {
    await fill("h", 1000);
    expect(await encoding("h")).toBe("hashtable");
    const seen = new Map<string, string>();
    let cursor = "0";
    let rounds = 0;
    do {
      const [next, items] = (await r.call("HSCAN", "h", cursor, "COUNT", "50")) as [string, string[]];
      for (let i = 0; i < items.length; i += 2) seen.set(items[i]!, items[i + 1]!);
      cursor = next;
      rounds++;
    } while (cursor !== "0" && rounds < 1000);
    expect(seen.size).toBe(1000);
    expect(seen.get("f999")).toBe("v999");
    const [, matched] = (await r.call("HSCAN", "h", "0", "MATCH", "nothing*", "COUNT", "5000")) as [string, string[]];
    expect(matched).toEqual([]);
  });

  it("a large COUNT over large values returns them intact", async () => {
    await fill("h", 600, "f", (i) => `${i}:`.padEnd(1000, String.fromCharCode(97 + (i % 26))));
    const [cursor, items] = (await r.call("HSCAN", "h", "0", "COUNT", "100000", "MATCH", "f*9")) as [string, string[]];
    expect(cursor).toBe("0");
    expect(items.length).toBe(120);
    for (let i = 0; i < items.length; i += 2) {
      const n = Number(items[i]!.slice(1));
      expect(items[i + 1]).toBe(`${n}:`.padEnd(1000, String.fromCharCode(97 + (n % 26))));
    }
  });

  it("bad cursor and options", async () => {
    await r.call("HSET", "h", "a", "1");
    expect(await errorOf(r.call("HSCAN", "h", "x"))).toBe("ERR invalid cursor");
    expect(await errorOf(r.call("HSCAN", "h", "0", "COUNT", "0"))).toBe("ERR syntax error");
    expect(await errorOf(r.call("HSCAN", "h", "0", "COUNT", "x"))).toBe("ERR value is not an integer or out of range");
    expect(await errorOf(r.call("HSCAN", "h", "0", "TYPE", "hash"))).toBe("ERR syntax error");
    expect(await errorOf(r.call("HSCAN", "h", "0", "MATCH"))).toBe("ERR syntax error");
  });
});

const hex = (s: string) => Buffer.from(s, "hex");
/** The payload with its CRC64 footer recomputed (a payload that passes the checksum). */
function withCrc(payload: Buffer): Buffer {
  const out = Buffer.from(payload);
  out.writeBigUInt64LE(crc64(out, 0, out.length - 8), out.length - 8);
  return out;
}
/** Redis 7.0.15's DUMP of `HSET h a 1 b 22 field value int 12345 neg -7 big 9223372036854775807`. */
const LISTPACK_DUMP =
  "103f3f0000000c0081610201018162021601856669656c64068576616c75650683696e7404f1393003836e656704dff9028362696704f4ffffffffffffff7f09ff0a00c2a15dbe20f4832a";
/** Redis 7.0.15's DUMP of a hashtable (`hash-max-listpack-entries 2`, `HSET t a 1 b 2 c 3`). */
const HASHTABLE_DUMP = "04030162c0020163c0030161c0010a0020e8e15697ef0c0b";
/** Redis 7.0.15's DUMP of a 5-pair listpack `HSET five a 1 b 2 c 3 d 4 e 5`. */
const FIVE_DUMP = "1020200000000a0081610201018162020201816302030181640204018165020501ff0a007b47bc743ee7c503";

describe("DUMP, RESTORE, DEBUG DIGEST-VALUE", () => {
  it("DUMP of a listpack hash is Redis's bytes, and its digest Redis's", async () => {
    await r.call(
      "HSET",
      "h",
      "a",
      "1",
      "b",
      "22",
      "field",
      "value",
      "int",
      "12345",
      "neg",
      "-7",
      "big",
      "9223372036854775807",
    );
    expect(((await r.dumpBuffer("h")) as Buffer).toString("hex")).toBe(LISTPACK_DUMP);
    expect(await r.call("DEBUG", "DIGEST-VALUE", "h")).toEqual(["ec04d8b16479698fd0fe3a26bb406dc593cc25f1"]);
  });

  it("RESTORE takes Redis's listpack and hashtable payloads", async () => {
    expect(await r.call("RESTORE", "h", "0", hex(LISTPACK_DUMP))).toBe("OK");
    expect(await encoding("h")).toBe("listpack");
    expect(await r.hgetall("h")).toEqual({
      a: "1",
      b: "22",
      field: "value",
      int: "12345",
      neg: "-7",
      big: "9223372036854775807",
    });
    expect(await r.call("RESTORE", "t", "0", hex(HASHTABLE_DUMP))).toBe("OK");
    // Redis 7.0 loads a small RDB_TYPE_HASH as a listpack.
    expect(await encoding("t")).toBe("listpack");
    expect(await r.hgetall("t")).toEqual({ a: "1", b: "2", c: "3" });
    expect(await r.call("DEBUG", "DIGEST-VALUE", "t")).toEqual(["b60c36e529712296d694f27b5914cbe84950995e"]);
  });

  it("RESTORE takes a Redis 6 ziplist hash (RDB 9) as a listpack", async () => {
    // ziplist.c's example ziplist ["2", "5"], as RDB_TYPE_HASH_ZIPLIST in an RDB 9 DUMP.
    const zl = "0f0000000c000000020000f302f6ff";
    const payload = withCrc(hex(`0d0f${zl}0900${"00".repeat(8)}`));
    expect(await r.call("RESTORE", "z", "0", payload)).toBe("OK");
    expect(await encoding("z")).toBe("listpack");
    expect(await r.hgetall("z")).toEqual({ "2": "5" });
    expect(((await r.dumpBuffer("z")) as Buffer).toString("hex").slice(0, 30)).toBe("100b0b000000020002010501ff0a00");
  });

  it("RESTORE takes a Redis 2.4 zipmap hash, converting a long value to a hashtable", async () => {
    const zipmap = (value: string) =>
      Buffer.concat([
        Buffer.from([2, 3]),
        Buffer.from("foo"),
        Buffer.from([value.length, 2]),
        Buffer.from(value),
        Buffer.from([0, 0, 5]),
        Buffer.from("hello"),
        Buffer.from([5, 0]),
        Buffer.from("world"),
        Buffer.from([255]),
      ]);
    const payloadOf = (zm: Buffer) =>
      withCrc(
        Buffer.concat([Buffer.from([9, 0x40 | (zm.length >> 8), zm.length & 0xff]), zm, hex(`0a00${"00".repeat(8)}`)]),
      );
    expect(await r.call("RESTORE", "zm", "0", payloadOf(zipmap("bar")))).toBe("OK");
    expect(await encoding("zm")).toBe("listpack");
    expect(await r.hgetall("zm")).toEqual({ foo: "bar", hello: "world" });
    expect(await r.call("RESTORE", "zl", "0", payloadOf(zipmap("b".repeat(70))))).toBe("OK");
    expect(await encoding("zl")).toBe("hashtable");
    expect(await r.hget("zl", "foo")).toBe("b".repeat(70));
    const broken = zipmap("bar");
    broken[0] = 3;
    expect(await errorOf(r.call("RESTORE", "zb", "0", payloadOf(broken)))).toBe("ERR Bad data format");
  });

  it("RESTORE converts a payload past the thresholds, as Redis does", async () => {
    await r.config("SET", "hash-max-listpack-entries", "4");
    expect(await r.call("RESTORE", "five", "0", hex(FIVE_DUMP))).toBe("OK");
    expect(await encoding("five")).toBe("hashtable");
    expect(await r.hlen("five")).toBe(5);
    expect(await r.call("DEBUG", "DIGEST-VALUE", "five")).toEqual(["73b231fd3bc443c514a02d890c0e0f88e44f465b"]);
    await r.config("SET", "hash-max-listpack-entries", "2");
    expect(await r.call("RESTORE", "t", "0", hex(HASHTABLE_DUMP))).toBe("OK");
    expect(await encoding("t")).toBe("hashtable");
  });

  it("DUMP and RESTORE round-trip a hashtable; a corrupt payload is refused", async () => {
    await fill("big", 600, "f", (i) => `value-${i}`.repeat(i % 3));
    const payload = (await r.dumpBuffer("big")) as Buffer;
    const digest = await r.call("DEBUG", "DIGEST-VALUE", "big");
    expect(await r.call("RESTORE", "copy", "0", payload)).toBe("OK");
    expect(await encoding("copy")).toBe("hashtable");
    expect(await r.call("DEBUG", "DIGEST-VALUE", "copy")).toEqual(digest);
    const bad = hex(LISTPACK_DUMP);
    bad[3] = 0x40; // the listpack's total-bytes header no longer matches its length
    expect(await errorOf(r.call("RESTORE", "x", "0", bad))).toBe("ERR DUMP payload version or checksum are wrong");
    expect(await errorOf(r.call("RESTORE", "x", "0", withCrc(bad)))).toBe("ERR Bad data format");
    const empty = withCrc(hex("1007070000000000ff0a000000000000000000"));
    expect(await errorOf(r.call("RESTORE", "x", "0", empty))).toBe("ERR Bad data format");
    expect(await r.exists("x")).toBe(0);
  });
});

describe("COPY, MOVE, RENAME, MEMORY USAGE", () => {
  for (const [label, n] of [
    ["listpack", 10],
    ["hashtable", 600],
  ] as const) {
    it(`copy, move and rename keep the hash (${label})`, async () => {
      await fill("h", n);
      const digest = await r.call("DEBUG", "DIGEST-VALUE", "h");
      expect(await r.call("COPY", "h", "c")).toBe(1);
      await r.call("HSET", "h", "f0", "changed");
      expect(await r.hget("c", "f0")).toBe("v0");
      expect(await r.call("DEBUG", "DIGEST-VALUE", "c")).toEqual(digest);
      expect(await encoding("c")).toBe(label);
      expect(await r.call("RENAME", "c", "renamed")).toBe("OK");
      expect(await r.call("MOVE", "renamed", "1")).toBe(1);
      await r.select(1);
      expect(await r.hlen("renamed")).toBe(n);
      expect(await r.call("DEBUG", "DIGEST-VALUE", "renamed")).toEqual(digest);
      await r.select(0);
      await r.del("h");
      await r.select(1);
      expect(await r.hget("renamed", "f1")).toBe("v1");
      await r.flushdb();
      await r.select(0);
    });
  }

  it("MEMORY USAGE is near Redis's", async () => {
    await fill("h", 600);
    // Redis 7.0.15 reports 32296 for this hash (SAMPLES 5), 30-odd bytes a field; nedis's field
    // table (12-byte records, no dictEntry) holds about 0.7 of that, and reports what it holds.
    const usage = Number(await r.call("MEMORY", "USAGE", "h"));
    expect(usage).toBeGreaterThan(32296 * 0.6);
    expect(usage).toBeLessThan(32296 * 1.25);
    const all = Number(await r.call("MEMORY", "USAGE", "h", "SAMPLES", "0"));
    expect(all).toBeGreaterThan(32296 * 0.6);
    expect(all).toBeLessThan(32296 * 1.25);
  });
});

describe("keyspace events", () => {
  it("hset, hdel, hincrby, hincrbyfloat and del of an emptied hash", async () => {
    expect(
      await eventsOf(
        ["HSET", "h", "a", "1", "b", "2"],
        ["HMSET", "h", "c", "3"],
        ["HSETNX", "h", "a", "x"],
        ["HSETNX", "h", "d", "4"],
        ["HDEL", "h", "nope"],
        ["HDEL", "h", "a"],
        ["HINCRBY", "h", "n", "1"],
        ["HINCRBYFLOAT", "h", "n", "1.5"],
        ["HINCRBY", "h", "b", "x"],
        ["HDEL", "h", "b", "c", "d", "n"],
      ),
    ).toEqual(["hset:h", "hset:h", "hset:h", "hdel:h", "hincrby:h", "hincrbyfloat:h", "hdel:h", "del:h"]);
  });
});

describe("the dirty counter", () => {
  const dirty = async () => {
    const text = (await r.info("persistence")) as string;
    return Number(/rdb_changes_since_last_save:(\d+)/.exec(text)![1]);
  };
  const counts = async (delta: number, ...cmd: string[]) => {
    const before = await dirty();
    await r.call(cmd[0]!, ...cmd.slice(1)).catch(() => undefined);
    expect(await dirty(), cmd.join(" ")).toBe(before + delta);
  };

  it("counts hash writes as Redis does", async () => {
    await counts(2, "HSET", "h", "a", "1", "b", "2");
    await counts(3, "HSET", "h", "a", "1", "b", "3", "c", "4");
    await counts(2, "HMSET", "n", "a", "1", "a", "2");
    await counts(0, "HSETNX", "h", "a", "1");
    await counts(1, "HSETNX", "h", "z", "1");
    await counts(0, "HDEL", "h", "nope");
    await counts(2, "HDEL", "h", "a", "b", "nope");
    await counts(1, "HINCRBY", "h", "n", "1");
    await counts(0, "HINCRBY", "h", "z", "x");
    await counts(1, "HINCRBYFLOAT", "h", "n", "1");
    await counts(1, "HINCRBY", "new", "n", "1");
    await counts(1, "HDEL", "new", "n");
    await counts(0, "HGET", "h", "n");
  });
});

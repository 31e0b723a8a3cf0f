import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";

/**
 * SETBIT, GETBIT, BITCOUNT and BITPOS as Redis 7.0 answers them (cases of Redis's
 * tests/unit/bitops.tcl plus edge cases); every expectation holds on both targets.
 */

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});

const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
const OFFSET_ERR = "ERR bit offset is not an integer or out of range";
const BIT_ERR = "ERR bit is not an integer or out of range";
const errorOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected an error reply");
};
const bytes = (s: string) => Buffer.from(s, "latin1");
const getBytes = async (key: string) => ((await r.getBuffer(key)) ?? Buffer.alloc(0)).toString("latin1");
const info = async (field: string): Promise<number> => {
  const text = (await r.info("persistence")) as string;
  const m = new RegExp(`${field}:(\\d+)`).exec(text);
  return Number(m![1]);
};

/** Model: set bits of `s` between bit `a` and bit `b` (inclusive), any order of arguments. */
function countBits(s: Buffer, a = 0, b = s.length * 8 - 1): number {
  let n = 0;
  for (let i = a; i <= b; i++) if (i >= 0 && i < s.length * 8 && (s[i >> 3]! >> (7 - (i & 7))) & 1) n++;
  return n;
}

/** Model of Redis's range normalisation over `total` units (bytes or bits). */
function norm(total: number, start: number, end: number): [number, number] {
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  return [start, end];
}

/** Model of BITCOUNT key start end [BIT]. */
function bitcountModel(s: Buffer, start: number, end: number, isBit: boolean): number {
  if (start < 0 && end < 0 && start > end) return 0;
  const [a, b] = norm(isBit ? s.length * 8 : s.length, start, end);
  if (a > b) return 0;
  return isBit ? countBits(s, a, b) : countBits(s, a * 8, b * 8 + 7);
}

/** Model of BITPOS key bit start [end] [BIT]. */
function bitposModel(s: Buffer, bit: number, start: number, end: number | undefined, isBit: boolean): number {
  const total = isBit ? s.length * 8 : s.length;
  const [a, b] = norm(total, start, end ?? (isBit ? s.length * 8 + 7 : s.length - 1));
  if (a > b) return -1;
  const [from, to] = isBit ? [a, b] : [a * 8, b * 8 + 7];
  for (let i = from; i <= to; i++) if (((s[i >> 3]! >> (7 - (i & 7))) & 1) === bit) return i;
  if (bit === 1 || end !== undefined) return -1;
  return to + 1;
}

describe("SETBIT and GETBIT", () => {
  it("set bits from the most significant bit of the first byte, growing the string with zeros", async () => {
    expect(await r.setbit("k", 1, 1)).toBe(0);
    expect(await r.setbit("k", 7, 1)).toBe(0);
    expect(await getBytes("k")).toBe("\x41");
    expect(await r.setbit("k", 7, 0)).toBe(1);
    expect(await r.setbit("k", 23, 1)).toBe(0);
    expect(await getBytes("k")).toBe("\x40\x00\x01");
    expect(await r.getbit("k", 1)).toBe(1);
    expect(await r.getbit("k", 2)).toBe(0);
    expect(await r.getbit("k", 23)).toBe(1);
    expect(await r.getbit("k", 100)).toBe(0);
    expect(await r.getbit("missing", 5)).toBe(0);
    expect(await r.exists("missing")).toBe(0);
  });

  it("creates a raw string and turns an int or embstr value raw", async () => {
    await r.setbit("new", 0, 0);
    expect(await getBytes("new")).toBe("\x00");
    expect(await r.object("ENCODING", "new")).toBe("raw");
    await r.set("n", "1");
    expect(await r.object("ENCODING", "n")).toBe("int");
    expect(await r.getbit("n", 2)).toBe(1); // '1' is 0x31
    expect(await r.setbit("n", 0, 0)).toBe(0);
    expect(await r.object("ENCODING", "n")).toBe("raw");
    expect(await r.get("n")).toBe("1");
    await r.set("e", "ab");
    expect(await r.setbit("e", 7, 1)).toBe(1); // 'a' is 0x61: unchanged, raw all the same
    expect(await r.object("ENCODING", "e")).toBe("raw");
    await r.set("i", "12");
    expect(await r.setbit("i", 7, 1)).toBe(1);
    expect(await r.setbit("i", 6, 1)).toBe(0);
    expect(await r.get("i")).toBe("32");
  });

  it("keeps the expiry of the key it edits", async () => {
    await r.set("k", "a", "EX", 100);
    await r.setbit("k", 100, 1);
    expect(await r.ttl("k")).toBeGreaterThan(90);
    expect(await r.strlen("k")).toBe(13);
  });

  it("reject bad offsets and bits with Redis's errors", async () => {
    expect(await errorOf(r.setbit("k", -1, 1))).toBe(OFFSET_ERR);
    expect(await errorOf(r.call("SETBIT", "k", "abc", "1"))).toBe(OFFSET_ERR);
    expect(await errorOf(r.call("SETBIT", "k", "4294967296", "1"))).toBe(OFFSET_ERR);
    expect(await errorOf(r.call("SETBIT", "k", "99999999999999999999", "1"))).toBe(OFFSET_ERR);
    expect(await errorOf(r.call("GETBIT", "k", "4294967296"))).toBe(OFFSET_ERR);
    expect(await errorOf(r.call("GETBIT", "k", "-1"))).toBe(OFFSET_ERR);
    expect(await errorOf(r.setbit("k", 0, 2))).toBe(BIT_ERR);
    expect(await errorOf(r.call("SETBIT", "k", "0", "-1"))).toBe(BIT_ERR);
    expect(await errorOf(r.call("SETBIT", "k", "0", "x"))).toBe(BIT_ERR);
    expect(await r.exists("k")).toBe(0);
    await r.lpush("l", "a");
    expect(await errorOf(r.setbit("l", 0, 1))).toBe(WRONGTYPE);
    expect(await errorOf(r.getbit("l", 0))).toBe(WRONGTYPE);
  });

  it("reach offset 2^32-1 within the 512 MB cap, and honour a lower proto-max-bulk-len", async () => {
    await r.config("SET", "proto-max-bulk-len", "1048576");
    try {
      expect(await errorOf(r.call("SETBIT", "k", String(1048576 * 8), "1"))).toBe(OFFSET_ERR);
      expect(await r.setbit("k", 1048576 * 8 - 1, 1)).toBe(0);
      expect(await r.strlen("k")).toBe(1048576);
      expect(await r.bitcount("k")).toBe(1);
      expect(await r.getbit("k", 1048576 * 8 - 1)).toBe(1);
    } finally {
      await r.config("SET", "proto-max-bulk-len", "536870912");
    }
    expect(await r.getbit("big", 4294967295)).toBe(0);
  });

  it("count a change, signal WATCH and emit setbit only when the value changes", async () => {
    const start = await info("rdb_changes_since_last_save");
    await r.setbit("foo", 0, 0); // created
    expect(await info("rdb_changes_since_last_save")).toBe(start + 1);
    await r.setbit("foo", 0, 0); // unchanged
    expect(await info("rdb_changes_since_last_save")).toBe(start + 1);
    await r.setbit("foo", 0, 1);
    await r.setbit("foo", 0, 1);
    await r.setbit("foo", 0, 0);
    expect(await info("rdb_changes_since_last_save")).toBe(start + 3);
    await r.setbit("foo", 90, 0); // grows only
    expect(await info("rdb_changes_since_last_save")).toBe(start + 4);

    const w = target.client();
    await w.watch("foo");
    await r.setbit("foo", 3, 0); // no change: WATCH holds
    expect(await w.multi().get("foo").exec()).not.toBeNull();
    await w.watch("foo");
    await r.setbit("foo", 3, 1);
    expect(await w.multi().get("foo").exec()).toBeNull();
    w.disconnect();
  });

  it("emit the setbit keyspace event", async () => {
    await r.config("SET", "notify-keyspace-events", "KEA");
    const sub = target.client();
    const events: string[] = [];
    await sub.psubscribe("__keyevent@0__:*");
    sub.on("pmessage", (_p: string, channel: string, key: string) => events.push(`${channel.split(":")[1]} ${key}`));
    await r.setbit("k", 3, 1);
    await r.setbit("k", 3, 1);
    await r.setbit("k", 3, 0);
    await r.ping();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual(["setbit k", "setbit k"]);
    await r.config("SET", "notify-keyspace-events", "");
    sub.disconnect();
  });
});

describe("BITCOUNT", () => {
  it("counts the set bits of a string, 0 for a missing key", async () => {
    expect(await r.bitcount("no-key")).toBe(0);
    expect(await r.call("BITCOUNT", "no-key", "0", "1000", "bit")).toBe(0);
    for (const vec of ["", "\xaa", "\x00\x00\xff", "foobar", "123"]) {
      await r.set("str", bytes(vec));
      const n = countBits(bytes(vec));
      expect(await r.bitcount("str")).toBe(n);
      expect(await r.call("BITCOUNT", "str", "0", "-1", "bit")).toBe(n);
    }
  });

  it("counts BYTE and BIT ranges as Redis does", async () => {
    await r.set("str", "xxxx");
    expect(await r.bitcount("str", 4, 10)).toBe(0);
    expect(await r.call("BITCOUNT", "str", "32", "87", "bit")).toBe(0);
    expect(await r.bitcount("str", -6, -7)).toBe(0);
    expect(await r.call("BITCOUNT", "str", "-6", "-15", "bit")).toBe(0);
    const s = bytes("foobar");
    await r.set("s", s);
    expect(await r.bitcount("s", 1, -2)).toBe(countBits(bytes("ooba")));
    expect(await r.bitcount("s", -2, 1)).toBe(0);
    expect(await r.bitcount("s", 0, 1000)).toBe(countBits(s));
    expect(await r.call("BITCOUNT", "s", "10", "14", "BIT")).toBe(countBits(s, 10, 14));
    expect(await r.call("BITCOUNT", "s", "3", "-19", "bit")).toBe(countBits(s, 3, 29));
    expect(await r.call("BITCOUNT", "s", "-2", "1", "bit")).toBe(0);
    expect(await r.call("BITCOUNT", "s", "0", "4294967296")).toBe(countBits(s));
    expect(await r.call("BITCOUNT", "s", "1", "-1", "byte")).toBe(countBits(bytes("oobar")));
    await r.set("str", "ab");
    expect(await r.bitcount("str", 1, -1)).toBe(3);
    await r.set("str", "__PPxxxxxxxxxxxxxxxxRR__");
    expect(await r.bitcount("str", 2, -3)).toBe(74);
  });

  it("matches a model on random strings and ranges", async () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pipe = r.pipeline();
    const expected: number[] = [];
    for (let t = 0; t < 300; t++) {
      const s = Buffer.alloc(rand(40));
      for (let i = 0; i < s.length; i++) s[i] = rand(256);
      const isBit = rand(2) === 1;
      const span = isBit ? s.length * 8 + 20 : s.length + 3;
      const start = rand(2 * span + 1) - span;
      const end = rand(2 * span + 1) - span;
      pipe.set(`s${t}`, s);
      pipe.call("BITCOUNT", `s${t}`, String(start), String(end), isBit ? "BIT" : "BYTE");
      expected.push(bitcountModel(s, start, end, isBit));
    }
    const replies = (await pipe.exec())!.filter((_, i) => i % 2 === 1).map(([, v]) => v);
    expect(replies).toEqual(expected);
  });

  it("reply syntax errors, WRONGTYPE, and 0 for a missing key before parsing", async () => {
    await r.set("s", "foobar");
    expect(await errorOf(r.call("BITCOUNT", "s", "0"))).toBe("ERR syntax error");
    expect(await errorOf(r.call("BITCOUNT", "s", "0", "1", "hello"))).toBe("ERR syntax error");
    expect(await errorOf(r.call("BITCOUNT", "s", "0", "1", "bit", "x"))).toBe("ERR syntax error");
    expect(await errorOf(r.call("BITCOUNT", "s", "a", "1"))).toBe("ERR value is not an integer or out of range");
    expect(await r.call("BITCOUNT", "s", "-1", "-2", "hello")).toBe(0);
    expect(await r.call("BITCOUNT", "missing", "x")).toBe(0);
    await r.sadd("set", "a");
    expect(await errorOf(r.bitcount("set"))).toBe(WRONGTYPE);
  });
});

describe("BITPOS", () => {
  it("treats a missing or empty key as zeros", async () => {
    expect(await r.bitpos("missing", 0)).toBe(0);
    expect(await r.bitpos("missing", 1)).toBe(-1);
    await r.set("e", "");
    expect(await r.bitpos("e", 0)).toBe(-1); // an empty range holds no bit at all
    expect(await r.bitpos("e", 1)).toBe(-1);
    expect(await r.call("BITPOS", "e", "0", "0", "-1")).toBe(-1);
  });

  it("finds bits in strings of any alignment", async () => {
    await r.set("str", bytes("\xff\xf0\x00"));
    expect(await r.bitpos("str", 0)).toBe(12);
    await r.set("str", bytes("\x00\x0f\x00"));
    expect(await r.bitpos("str", 1)).toBe(12);
    const long = Buffer.alloc(40, 0xff);
    long[33] = 0xfe;
    await r.set("str", long);
    expect(await r.bitpos("str", 0)).toBe(33 * 8 + 7);
    expect(await r.bitpos("str", 0, 1)).toBe(33 * 8 + 7);
  });

  it("works with BYTE and BIT intervals", async () => {
    await r.set("str", bytes("\x00\xff\x00"));
    expect(await r.call("BITPOS", "str", "0", "0", "-1")).toBe(0);
    expect(await r.call("BITPOS", "str", "0", "1", "-1")).toBe(16);
    expect(await r.call("BITPOS", "str", "0", "2", "200")).toBe(16);
    expect(await r.call("BITPOS", "str", "0", "1", "1")).toBe(-1);
    expect(await r.call("BITPOS", "str", "0", "8", "-1", "bit")).toBe(16);
    expect(await r.call("BITPOS", "str", "0", "8", "8", "bit")).toBe(-1);
    expect(await r.call("BITPOS", "str", "1", "0", "-1")).toBe(8);
    expect(await r.call("BITPOS", "str", "1", "2", "-1")).toBe(-1);
    expect(await r.call("BITPOS", "str", "1", "16", "200", "bit")).toBe(-1);
    expect(await r.call("BITPOS", "str", "1", "8", "8", "bit")).toBe(8);
    expect(await r.call("BITPOS", "str", "1", "2", "1")).toBe(-1);
  });

  it("pads an all-ones string with zeros only without an explicit end", async () => {
    await r.set("str", bytes("\xff\xff\xff"));
    expect(await r.bitpos("str", 0)).toBe(24);
    expect(await r.bitpos("str", 0, 0)).toBe(24);
    expect(await r.call("BITPOS", "str", "0", "0", "-1")).toBe(-1);
    expect(await r.call("BITPOS", "str", "0", "0", "-1", "bit")).toBe(-1);
    expect(await r.call("BITPOS", "str", "0", "3", "-1", "bit")).toBe(-1);
  });

  it("matches a model on random strings and ranges", async () => {
    let seed = 11;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pipe = r.pipeline();
    const expected: number[] = [];
    for (let t = 0; t < 400; t++) {
      const s = Buffer.alloc(1 + rand(30));
      const fill = rand(3);
      for (let i = 0; i < s.length; i++) s[i] = fill === 0 ? 0 : fill === 1 ? 0xff : rand(256);
      if (fill !== 2 && rand(2) === 1) s[rand(s.length)] = rand(256);
      const bit = rand(2);
      const isBit = rand(2) === 1;
      const span = isBit ? s.length * 8 + 20 : s.length + 3;
      const start = rand(2 * span + 1) - span;
      const withEnd = isBit || rand(3) !== 0;
      const end = rand(2 * span + 1) - span;
      pipe.set(`s${t}`, s);
      const argv = [`s${t}`, String(bit), String(start)];
      if (withEnd) argv.push(String(end));
      if (isBit) argv.push("BIT");
      pipe.call("BITPOS", ...argv);
      expected.push(bitposModel(s, bit, start, withEnd ? end : undefined, isBit));
    }
    const replies = (await pipe.exec())!.filter((_, i) => i % 2 === 1).map(([, v]) => v);
    expect(replies).toEqual(expected);
  });

  it("reply Redis's errors", async () => {
    await r.set("s", "foobar");
    expect(await errorOf(r.call("BITPOS", "s", "2"))).toBe("ERR The bit argument must be 1 or 0.");
    expect(await errorOf(r.call("BITPOS", "missing", "x"))).toBe("ERR value is not an integer or out of range");
    expect(await errorOf(r.call("BITPOS", "s", "1", "0", "1", "bits"))).toBe("ERR syntax error");
    expect(await errorOf(r.call("BITPOS", "s", "1", "0", "1", "bit", "x"))).toBe("ERR syntax error");
    expect(await errorOf(r.call("BITPOS", "s", "1", "x"))).toBe("ERR value is not an integer or out of range");
    expect(await r.call("BITPOS", "missing", "1", "x")).toBe(-1);
    await r.lpush("l", "a");
    expect(await errorOf(r.call("BITPOS", "l", "1"))).toBe(WRONGTYPE);
  });
});

describe("over maxmemory (noeviction)", () => {
  const limited = useTarget([["maxmemory-policy", ["noeviction"]]]);
  const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

  it("refuses the writing bit commands and keeps serving the reads", async () => {
    const c = limited.client();
    await c.setbit("bits", 7, 1);
    const value = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < 40; i++) await c.set(`fill:${i}`, value);
    await c.config("SET", "maxmemory", "1mb");
    try {
      expect(await errorOf(c.setbit("bits", 100000, 1))).toBe(OOM);
      expect(await errorOf(c.setbit("bits", 0, 1))).toBe(OOM);
      expect(await errorOf(c.call("BITFIELD", "bits", "set", "u8", "800000", "1"))).toBe(OOM);
      expect(await errorOf(c.bitop("OR", "dest", "bits", "fill:0"))).toBe(OOM);
      expect(await c.getbit("bits", 7)).toBe(1);
      expect(await c.getbit("bits", 0)).toBe(0);
      expect(await c.bitcount("bits")).toBe(1);
      expect(await c.call("BITFIELD_RO", "bits", "get", "u8", "0")).toEqual([1]);
      // BITFIELD is denyoom as a whole, even for GETs only.
      expect(await errorOf(c.call("BITFIELD", "bits", "get", "u8", "0"))).toBe(OOM);
      expect(await c.strlen("bits")).toBe(1);
    } finally {
      await c.config("SET", "maxmemory", "0");
      await c.flushall();
    }
  });
});

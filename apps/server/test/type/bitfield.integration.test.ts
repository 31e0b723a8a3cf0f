import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";

/**
 * BITFIELD and BITFIELD_RO as Redis 7.0 answers them (Redis's tests/unit/bitfield.tcl plus
 * errors, events and dirty counts); every expectation holds on both targets.
 */

const target = useTarget();
let r: Redis;
/** Integer replies as exact decimal strings (64-bit fields). */
let big: Redis;
beforeAll(() => {
  r = target.client();
  big = target.client({ stringNumbers: true });
});
beforeEach(async () => {
  await r.flushall();
});

const TYPE_ERR = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
const OFFSET_ERR = "ERR bit offset is not an integer or out of range";
const bf = (...args: (string | number)[]) => r.call("BITFIELD", ...args.map(String));
const errorOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected an error reply");
};
const info = async (field: string): Promise<number> => {
  const text = (await r.info("persistence")) as string;
  return Number(new RegExp(`${field}:(\\d+)`).exec(text)![1]);
};

/** A deterministic 64-bit generator (xorshift64*). */
function randomBig(seed: bigint): (below: bigint) => bigint {
  let s = seed;
  return (below) => {
    s ^= s >> 12n;
    s ^= (s << 25n) & 0xffffffffffffffffn;
    s ^= s >> 27n;
    const v = (s * 2685821657736338717n) & 0xffffffffffffffffn;
    return ((v << 64n) | (v ^ (s << 7n))) % below;
  };
}
const clamp64 = (v: bigint) => (v > 9223372036854775807n ? 9223372036854775807n : v < -(2n ** 63n) ? -(2n ** 63n) : v);

describe("BITFIELD SET, GET and INCRBY", () => {
  it("set and get signed and unsigned fields, replying the old value of SET", async () => {
    expect(await bf("bits", "set", "i8", 0, -100)).toEqual([0]);
    expect(await bf("bits", "set", "i8", 0, 101)).toEqual([-100]);
    expect(await bf("bits", "get", "i8", 0)).toEqual([101]);
    await r.del("bits");
    expect(await bf("bits", "set", "u8", 0, 255)).toEqual([0]);
    expect(await bf("bits", "set", "u8", 0, 100)).toEqual([255]);
    expect(await bf("bits", "get", "u8", 0)).toEqual([100]);
    await r.del("bits");
    expect(await bf("bits", "set", "i8", 0, 255, "set", "i8", 0, 100, "get", "i8", 0)).toEqual([0, -1, 100]);
    await r.del("bits");
    expect(await bf("bits", "set", "u8", 0, 255, "incrby", "u8", 0, 100, "get", "u8", 0)).toEqual([0, 99, 99]);
  });

  it("answer an empty array for only a key, and zeros past the string", async () => {
    expect(await bf("bits")).toEqual([]);
    expect(await r.exists("bits")).toBe(0);
    expect(await bf("bits", "get", "u8", 100, "get", "i64", 3)).toEqual([0, 0]);
    expect(await r.exists("bits")).toBe(0);
    await r.set("bits", "1");
    expect(await bf("bits", "get", "u1", 0)).toEqual([0]);
    expect(
      await big.call("BITFIELD", "bits", "get", "u8", "0", "get", "u4", "4", "get", "i16", "4", "get", "u63", "1"),
    ).toEqual(["49", "1", "4096", String(0x31n << 56n)]);
  });

  it("multiply #<n> offsets by the width and write fields at any alignment", async () => {
    await bf("bits", "set", "u8", "#0", 65);
    await bf("bits", "set", "u8", "#1", 66);
    await bf("bits", "set", "u8", "#2", 67);
    expect(await r.get("bits")).toBe("ABC");
    await r.del("bits");
    expect(await bf("bits", "set", "u5", 7, 23)).toEqual([0]);
    expect((await r.getBuffer("bits"))!.toString("hex")).toBe("0170");
    // 0x01 0x70 read from bit 3 as 64 bits: 0000 1011 1000 0…
    expect(await big.call("BITFIELD", "bits", "set", "i64", "3", "-2", "get", "i64", "3", "get", "u63", "3")).toEqual([
      String(0x0b8n << 52n),
      "-2",
      String(2n ** 63n - 1n),
    ]);
  });

  it("increment, chaining several operations in one call", async () => {
    await bf("bits", "set", "u8", "#0", 10);
    expect(await bf("bits", "incrby", "u8", "#0", 100)).toEqual([110]);
    expect(await bf("bits", "incrby", "u8", "#0", 100)).toEqual([210]);
    await bf("bits", "set", "u8", "#0", 10);
    expect(await bf("bits", "incrby", "u8", "#0", 100, "incrby", "u8", "#0", 100)).toEqual([110, 210]);
    await r.del("mystring");
    expect(await bf("mystring", "SET", "i8", 0, 10, "SET", "i8", 64, 10, "INCRBY", "i8", 10, 99900)).toEqual([
      0, 0, 60,
    ]);
  });
});

describe("BITFIELD OVERFLOW", () => {
  it("wraps unsigned and signed fields by default and with WRAP", async () => {
    await bf("bits", "set", "u8", "#0", 100);
    expect(await bf("bits", "overflow", "wrap", "incrby", "u8", "#0", 257)).toEqual([101]);
    expect(await bf("bits", "get", "u8", "#0")).toEqual([101]);
    expect(await bf("bits", "overflow", "wrap", "incrby", "u8", "#0", 255)).toEqual([100]);
    await bf("bits", "set", "i8", "#0", 100);
    expect(await bf("bits", "overflow", "wrap", "incrby", "i8", "#0", 257)).toEqual([101]);
    expect(await bf("bits", "overflow", "wrap", "incrby", "i8", "#0", 255)).toEqual([100]);
    expect(await bf("bits", "incrby", "i8", "#0", 100)).toEqual([-56]);
  });

  it("saturates with SAT", async () => {
    await bf("bits", "set", "u8", "#0", 100);
    expect(await bf("bits", "overflow", "sat", "incrby", "u8", "#0", 257)).toEqual([255]);
    expect(await bf("bits", "overflow", "sat", "incrby", "u8", "#0", -255)).toEqual([0]);
    expect(await bf("bits", "get", "u8", "#0")).toEqual([0]);
    await bf("bits", "set", "u8", "#0", 100);
    expect(await bf("bits", "overflow", "sat", "incrby", "i8", "#0", 257)).toEqual([127]);
    expect(await bf("bits", "overflow", "sat", "incrby", "i8", "#0", -255)).toEqual([-128]);
    expect(await bf("bits", "overflow", "sat", "set", "u8", "#0", -1, "get", "u8", "#0")).toEqual([128, 255]);
    expect(await bf("bits", "overflow", "sat", "set", "i4", "#0", -100, "get", "i4", "#0")).toEqual([-1, -8]);
  });

  it("replies nil and writes nothing with FAIL, applying only to the operations after it", async () => {
    await bf("bits", "set", "u8", "#0", 250);
    expect(
      await bf("bits", "incrby", "u8", "#0", 10, "overflow", "fail", "incrby", "u8", "#0", 252, "get", "u8", "#0"),
    ).toEqual([4, null, 4]);
    expect(
      await bf(
        "bits",
        "overflow",
        "fail",
        "set",
        "i8",
        "#0",
        128,
        "overflow",
        "sat",
        "set",
        "i8",
        "#0",
        128,
        "get",
        "i8",
        "#0",
      ),
    ).toEqual([null, 4, 127]);
  });

  it("detects overflow exactly (fuzzed against a model)", async () => {
    const rand = randomBig(0x9e3779b97f4a7c15n);
    const pipe = r.pipeline();
    const expected: boolean[] = [];
    for (let j = 0; j < 300; j++) {
      const bits = Number(rand(64n)) + 1;
      const signed = bits === 64 || rand(2n) === 1n;
      const range = 2n ** BigInt(bits);
      const min = signed ? -(range / 2n) : 0n;
      const max = min + range - 1n;
      const value = clamp64(min * 2n + rand(range * 2n));
      const increment = clamp64(min * 2n + rand(range * 2n));
      const overflow = value > max || value < min || value + increment > max || value + increment < min;
      const type = `${signed ? "i" : "u"}${bits}`;
      pipe.del("bits");
      pipe.call("BITFIELD", "bits", "overflow", "fail", "set", type, "0", String(value));
      pipe.call("BITFIELD", "bits", "overflow", "fail", "incrby", type, "0", String(increment));
      expected.push(overflow);
    }
    const replies = (await pipe.exec())!.map(([, v]) => v as unknown[]);
    const detected = expected.map((_, j) => replies[3 * j + 1]![0] === null || replies[3 * j + 2]![0] === null);
    expect(detected).toEqual(expected);
  });

  it("wraps exactly (fuzzed against a model)", async () => {
    const rand = randomBig(0x243f6a8885a308d3n);
    const pipe = big.pipeline();
    const expected: string[] = [];
    for (let j = 0; j < 300; j++) {
      const bits = Number(rand(64n)) + 1;
      const signed = bits === 64 || rand(2n) === 1n;
      const range = 2n ** BigInt(bits);
      const min = signed ? -(range / 2n) : 0n;
      const value = clamp64(min * 2n + rand(range * 2n));
      const increment = clamp64(min * 2n + rand(range * 2n));
      const type = `${signed ? "i" : "u"}${bits}`;
      pipe.del("bits");
      pipe.call("BITFIELD", "bits", "overflow", "wrap", "set", type, "0", String(value));
      pipe.call("BITFIELD", "bits", "overflow", "wrap", "incrby", type, "0", String(increment));
      pipe.call("BITFIELD", "bits", "get", type, "0");
      const mod = (((value + increment) % range) + range) % range;
      expected.push(String(signed && mod > range / 2n - 1n ? mod - range : mod));
    }
    const replies = (await pipe.exec())!.map(([, v]) => v as unknown[]);
    expect(expected.map((_, j) => String(replies[4 * j + 3]![0]))).toEqual(expected);
  });
});

describe("BITFIELD errors", () => {
  it("reply Redis's errors before touching the value", async () => {
    expect(await errorOf(bf("bits", "set", "u64", 0, 1))).toBe(TYPE_ERR);
    expect(await errorOf(bf("bits", "get", "i65", 0))).toBe(TYPE_ERR);
    expect(await errorOf(bf("bits", "get", "i0", 0))).toBe(TYPE_ERR);
    expect(await errorOf(bf("bits", "get", "x8", 0))).toBe(TYPE_ERR);
    expect(await errorOf(bf("bits", "get", "I8", 0))).toBe(TYPE_ERR);
    expect(await errorOf(bf("bits", "get", "u", 0))).toBe(TYPE_ERR);
    expect(await errorOf(bf("bits", "get", "u8", -1))).toBe(OFFSET_ERR);
    expect(await errorOf(bf("bits", "get", "u8", "4294967296"))).toBe(OFFSET_ERR);
    expect(await errorOf(bf("bits", "get", "u8", "#536870912"))).toBe(OFFSET_ERR);
    expect(await errorOf(bf("bits", "get", "u8", "#-1"))).toBe(OFFSET_ERR);
    expect(await errorOf(bf("bits", "get", "u8", "x"))).toBe(OFFSET_ERR);
    expect(await errorOf(bf("bits", "set", "u8", 0, "x"))).toBe("ERR value is not an integer or out of range");
    expect(await errorOf(bf("bits", "set", "u8", 0, 1, "overflow", "maybe"))).toBe(
      "ERR Invalid OVERFLOW type specified",
    );
    expect(await errorOf(bf("bits", "set", "u8", 0, 1, "get", "u8"))).toBe("ERR syntax error");
    expect(await errorOf(bf("bits", "set", "u8", 0, 1, "overflow"))).toBe("ERR syntax error");
    expect(await errorOf(bf("bits", "foo", "u8", 0))).toBe("ERR syntax error");
    expect(await r.exists("bits")).toBe(0);
    await r.lpush("l", "a");
    expect(await errorOf(bf("l", "get", "u8", 0))).toBe(
      "WRONGTYPE Operation against a key holding the wrong kind of value",
    );
    expect(await errorOf(bf("l", "set", "u8", 0, 1))).toBe(
      "WRONGTYPE Operation against a key holding the wrong kind of value",
    );
  });

  it("accepts the largest offsets: 2^32-1 and #-forms within the cap", async () => {
    expect(await bf("bits", "get", "u8", "4294967295", "get", "i64", "#67108863")).toEqual([0, 0]);
  });
});

describe("BITFIELD_RO", () => {
  it("reads like BITFIELD GET and refuses writes", async () => {
    await bf("bits", "set", "u8", 0, 255, "set", "u8", 0, 100);
    expect(await r.call("BITFIELD_RO", "bits", "get", "u8", 0)).toEqual([100]);
    expect(await r.call("BITFIELD_RO", "bits")).toEqual([]);
    expect(await r.call("BITFIELD_RO", "missing", "get", "i8", 0)).toEqual([0]);
    expect(await errorOf(r.call("BITFIELD_RO", "bits", "set", "u8", 0, 100, "get", "u8", 0))).toBe(
      "ERR BITFIELD_RO only supports the GET subcommand",
    );
    expect(await errorOf(r.call("BITFIELD_RO", "bits", "overflow", "sat", "incrby", "u8", 0, 1))).toBe(
      "ERR BITFIELD_RO only supports the GET subcommand",
    );
    expect(await errorOf(r.call("BITFIELD_RO", "bits", "get", "u64", 0))).toBe(TYPE_ERR);
    expect(await bf("bits", "get", "u8", 0)).toEqual([100]);
  });
});

describe("BITFIELD side effects", () => {
  it("count one change per written field that changed (all of them when the value grew)", async () => {
    const start = await info("rdb_changes_since_last_save");
    await bf("foo2", "set", "i5", 0, 0); // created
    expect(await info("rdb_changes_since_last_save")).toBe(start + 1);
    await bf("foo2", "set", "i5", 0, 0);
    expect(await info("rdb_changes_since_last_save")).toBe(start + 1);
    await bf("foo2", "set", "i5", 0, 1);
    await bf("foo2", "set", "i5", 0, 1);
    await bf("foo2", "set", "i5", 0, 0);
    await bf("foo2", "set", "i5", 0, 0);
    expect(await info("rdb_changes_since_last_save")).toBe(start + 3);
    await bf("foo3", "incrby", "i5", 0, 1);
    await bf("foo3", "incrby", "i5", 0, 1);
    expect(await info("rdb_changes_since_last_save")).toBe(start + 5);
    await bf("foo2", "set", "i5", 90, 0); // grows only
    expect(await info("rdb_changes_since_last_save")).toBe(start + 6);
    await bf("foo2", "set", "u8", 0, 1, "set", "u8", 8, 2, "set", "u8", 16, 0, "get", "u8", 0);
    expect(await info("rdb_changes_since_last_save")).toBe(start + 8);
    await bf("foo2", "set", "u8", 0, 1, "set", "u8", 200, 1, "set", "u8", 16, 0);
    expect(await info("rdb_changes_since_last_save")).toBe(start + 11);
  });

  it("emit setbit once per call that changed the value, and turn the value raw", async () => {
    await r.config("SET", "notify-keyspace-events", "KEA");
    const sub = target.client();
    const events: string[] = [];
    await sub.psubscribe("__keyevent@0__:*");
    sub.on("pmessage", (_p: string, channel: string, key: string) => events.push(`${channel.split(":")[1]} ${key}`));
    await bf("k", "set", "u8", 0, 1, "set", "u8", 8, 1);
    await bf("k", "set", "u8", 0, 1);
    await bf("k", "get", "u8", 0);
    await r.set("n", "12");
    await bf("n", "set", "u8", 0, 0x31);
    expect(await r.object("ENCODING", "n")).toBe("raw");
    expect(await r.get("n")).toBe("12");
    await r.ping();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual(["setbit k", "set n"]);
    await r.config("SET", "notify-keyspace-events", "");
    sub.disconnect();
  });
});

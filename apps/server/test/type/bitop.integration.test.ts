import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";

/**
 * BITOP as Redis 7.0 answers it (cases of Redis's tests/unit/bitops.tcl plus events, dirty
 * counts and TTLs); every expectation holds on both targets.
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
  return Number(new RegExp(`${field}:(\\d+)`).exec(text)![1]);
};

/** Model of BITOP over byte strings (shorter ones zero-padded). */
function bitopModel(op: string, vecs: Buffer[]): Buffer {
  const len = Math.max(0, ...vecs.map((v) => v.length));
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i++) {
    let acc = vecs[0]![i] ?? 0;
    if (op === "not") acc = ~acc & 0xff;
    for (const v of vecs.slice(1)) {
      const b = v[i] ?? 0;
      acc = op === "and" ? acc & b : op === "or" ? acc | b : acc ^ b;
    }
    out[i] = acc;
  }
  return out;
}

describe("BITOP", () => {
  it("NOT complements one string; of an empty one it stores nothing", async () => {
    await r.set("s", "");
    expect(await r.bitop("NOT", "dest", "s")).toBe(0);
    expect(await r.get("dest")).toBeNull();
    await r.set("s", bytes("\xaa\x00\xff\x55"));
    expect(await r.bitop("NOT", "dest", "s")).toBe(4);
    expect(await getBytes("dest")).toBe("\x55\xff\x00\xaa");
    expect(await r.bitop("NOT", "s", "s")).toBe(4);
    expect(await getBytes("s")).toBe("\x55\xff\x00\xaa");
  });

  it("AND, OR and XOR copy a single source and zero-pad the shorter and missing ones", async () => {
    await r.set("a", bytes("\x01\x02\xff"));
    await r.bitop("AND", "res1", "a");
    await r.bitop("or", "res2", "a");
    await r.bitop("Xor", "res3", "a");
    expect([await getBytes("res1"), await getBytes("res2"), await getBytes("res3")]).toEqual([
      "\x01\x02\xff",
      "\x01\x02\xff",
      "\x01\x02\xff",
    ]);
    await r.bitop("AND", "res1", "no-such-key", "a");
    await r.bitop("OR", "res2", "no-such-key", "a", "no-such-key");
    await r.bitop("XOR", "res3", "no-such-key", "a");
    expect([await getBytes("res1"), await getBytes("res2"), await getBytes("res3")]).toEqual([
      "\x00\x00\x00",
      "\x01\x02\xff",
      "\x01\x02\xff",
    ]);
    await r.set("a", bytes("\x01\x02\xff\xff"));
    await r.set("b", bytes("\x01\x02\xff"));
    await r.bitop("AND", "res1", "a", "b");
    await r.bitop("OR", "res2", "a", "b");
    await r.bitop("XOR", "res3", "a", "b");
    expect([await getBytes("res1"), await getBytes("res2"), await getBytes("res3")]).toEqual([
      "\x01\x02\xff\x00",
      "\x01\x02\xff\xff",
      "\x00\x00\x00\xff",
    ]);
    await r.set("z", Buffer.alloc(32));
    expect(await r.bitop("OR", "x", "z", "missing")).toBe(32);
  });

  it("matches a model on random strings", async () => {
    let seed = 3;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (const op of ["and", "or", "xor", "not"]) {
      for (let t = 0; t < 8; t++) {
        const n = op === "not" ? 1 : 1 + rand(10);
        const vecs: Buffer[] = [];
        const keys: string[] = [];
        for (let j = 0; j < n; j++) {
          const v = Buffer.alloc(rand(300));
          for (let i = 0; i < v.length; i++) v[i] = rand(256);
          vecs.push(v);
          keys.push(`v${j}`);
          await r.set(`v${j}`, v);
        }
        const expected = bitopModel(op, vecs);
        expect(await r.bitop(op, "target", ...keys)).toBe(expected.length);
        expect(((await r.getBuffer("target")) ?? Buffer.alloc(0)).equals(expected)).toBe(true);
      }
    }
  });

  it("reads integer values as their digits and stores a raw string without the old TTL", async () => {
    await r.set("a", "1");
    await r.set("b", "2");
    expect(await r.bitop("XOR", "dest", "a", "b", "a")).toBe(1);
    expect(await r.get("dest")).toBe("2");
    expect(await r.object("ENCODING", "dest")).toBe("raw");
    await r.set("dest", "old", "EX", 100);
    await r.bitop("OR", "dest", "a");
    expect(await r.ttl("dest")).toBe(-1);
    await r.lpush("list", "x");
    expect(await r.bitop("OR", "list", "a")).toBe(1);
    expect(await r.type("list")).toBe("string");
  });

  it("reply Redis's errors and leave the destination alone on them", async () => {
    await r.set("a", "1");
    await r.lpush("c", "foo");
    expect(await errorOf(r.bitop("XOR", "dest", "a", "missing", "c", "d"))).toBe(WRONGTYPE);
    expect(await errorOf(r.bitop("NOT", "dest", "a", "a"))).toBe(
      "ERR BITOP NOT must be called with a single source key.",
    );
    expect(await errorOf(r.bitop("NAND", "dest", "a"))).toBe("ERR syntax error");
    expect(await errorOf(r.call("BITOP", "AND", "dest"))).toBe("ERR wrong number of arguments for 'bitop' command");
    expect(await r.exists("dest")).toBe(0);
  });

  it("emit set, or del when the result is empty and the destination existed; count one change", async () => {
    await r.config("SET", "notify-keyspace-events", "KEA");
    const sub = target.client();
    const events: string[] = [];
    await sub.psubscribe("__keyevent@0__:*");
    sub.on("pmessage", (_p: string, channel: string, key: string) => events.push(`${channel.split(":")[1]} ${key}`));
    await r.set("a", "abc");
    const before = await info("rdb_changes_since_last_save");
    await r.bitop("AND", "d", "a");
    await r.bitop("AND", "d", "a");
    expect(await info("rdb_changes_since_last_save")).toBe(before + 2);
    await r.bitop("AND", "d", "missing");
    await r.bitop("AND", "d", "missing");
    expect(await info("rdb_changes_since_last_save")).toBe(before + 3);
    await r.ping();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual(["set a", "set d", "set d", "del d"]);
    await r.config("SET", "notify-keyspace-events", "");
    sub.disconnect();
  });
});

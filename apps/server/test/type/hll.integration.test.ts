import { execFileSync } from "node:child_process";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnRealRedis, type Target, useTarget } from "../utils/target.js";

/**
 * HyperLogLog commands (Redis's tests/unit/hyperloglog.tcl, plus exact bytes, counts, dirty and
 * events recorded from Redis 7.0.15). Every expectation holds on nedis and on redis-server; the
 * byte exchange tests also run a second, real Redis beside the target.
 */

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});

/** A deterministic stream of pseudo-random numbers in [0, 1) (both targets get the same input). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

async function getBytes(client: Redis, key: string): Promise<Buffer> {
  return (await client.getBuffer(key)) as Buffer;
}

async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
}

async function dirty(): Promise<number> {
  const text = (await r.info("persistence")) as string;
  return Number(/rdb_changes_since_last_save:(\d+)/.exec(text)![1]);
}

describe("PFADD / PFCOUNT", () => {
  it("PFADD without arguments creates an HLL value", async () => {
    await r.del("hll");
    expect(await r.pfadd("hll")).toBe(1);
    expect(await r.exists("hll")).toBe(1);
    expect(await r.pfcount("hll")).toBe(0);
  });

  it("returns 1 when a register changed, 0 otherwise (also for the empty string)", async () => {
    await r.del("hll");
    await r.call("pfadd", "hll");
    expect(await r.pfadd("hll", "a", "b", "c")).toBe(1);
    expect(await r.pfadd("hll", "a", "b", "c")).toBe(0);
    expect(await r.pfadd("hll", "")).toBe(1);
  });

  it("PFCOUNT returns the approximated cardinality and refreshes its cache", async () => {
    await r.del("hll");
    await r.pfadd("hll", "1", "2", "3", "4", "5");
    expect(await r.pfcount("hll")).toBe(5);
    await r.pfadd("hll", "6", "7", "8", "8", "9", "10");
    expect(await r.pfcount("hll")).toBe(10);
  });

  it("writes Redis's exact bytes and caches the count in the header", async () => {
    await r.del("hll");
    await r.pfadd("hll", "a", "b", "c");
    expect((await getBytes(r, "hll")).toString("hex")).toBe("48594c4c01000000000000000000008060f38050b1844bfb80425a");
    expect(await r.pfcount("hll")).toBe(3);
    expect((await getBytes(r, "hll")).subarray(8, 16).toString("hex")).toBe("0300000000000000");
    expect(await r.call("pfdebug", "decode", "hll")).toBe("Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603");
    expect(await r.object("ENCODING", "hll")).toBe("raw");
  });

  it("PFADD / PFCOUNT cache invalidation works", async () => {
    await r.del("hll");
    await r.pfadd("hll", "a", "b", "c");
    await r.pfcount("hll");
    expect(await r.getrange("hll", 15, 15)).toBe("\x00");
    await r.pfadd("hll", "a", "b", "c");
    expect(await r.getrange("hll", 15, 15)).toBe("\x00");
    await r.pfadd("hll", "1", "2", "3");
    expect((await r.getrangeBuffer("hll", 15, 15))[0]).toBe(0x80);
  });

  it("counts as Redis 7.0.15 does, sparse and dense", async () => {
    await r.del("hll");
    const pipe = r.pipeline();
    for (let i = 1; i <= 1000; i++) pipe.pfadd("hll", `e${i}`);
    await pipe.exec();
    expect(await r.call("pfdebug", "encoding", "hll")).toBe("sparse");
    expect(await r.strlen("hll")).toBe(1906);
    expect(await r.pfcount("hll")).toBe(1008);
    expect(await r.call("pfdebug", "todense", "hll")).toBe(1);
    expect(await r.call("pfdebug", "todense", "hll")).toBe(0);
    expect(await r.strlen("hll")).toBe(12304);
    expect(await r.pfcount("hll")).toBe(1008);
    const elements: string[] = [];
    for (let i = 0; i < 100000; i++) elements.push(`x${i}`);
    for (let i = 0; i < elements.length; i += 10000) await r.pfadd("big", ...elements.slice(i, i + 10000));
    expect(await r.call("pfdebug", "encoding", "big")).toBe("dense");
    expect(await r.pfcount("big")).toBe(100903);
  });

  it("promotes from sparse to dense past hll-sparse-max-bytes", async () => {
    await r.del("hll");
    await r.config("SET", "hll-sparse-max-bytes", "3000");
    const rand = prng(7);
    let n = 0;
    while (n < 20000) {
      const elements: string[] = [];
      for (let j = 0; j < 100; j++) elements.push(String(rand()));
      n += 100;
      await r.pfadd("hll", ...elements);
      const card = await r.pfcount("hll");
      expect(Math.abs(card - n)).toBeLessThan((card / 100) * 5);
      const encoding = await r.call("pfdebug", "encoding", "hll");
      if (n < 1000) expect(encoding).toBe("sparse");
      else if (n > 10000) expect(encoding).toBe("dense");
    }
  });

  it("follows hll-sparse-max-bytes when it changes", async () => {
    await r.del("hll");
    await r.config("SET", "hll-sparse-max-bytes", "30");
    await r.pfadd("hll", "a", "b", "c", "d", "e", "f", "g", "h");
    expect(await r.call("pfdebug", "encoding", "hll")).toBe("dense");
    await r.config("SET", "hll-sparse-max-bytes", "3000");
  });

  it("sparse encoding stress test: sparse and dense agree", async () => {
    const rand = prng(11);
    for (let x = 0; x < 100; x++) {
      await r.del("hll1", "hll2");
      const numele = Math.floor(rand() * 100);
      const elements: string[] = [];
      for (let j = 0; j < numele; j++) elements.push(String(rand()));
      await r.pfadd("hll2");
      await r.call("pfdebug", "todense", "hll2");
      await r.pfadd("hll1", ...elements);
      await r.pfadd("hll2", ...elements);
      expect(await r.call("pfdebug", "encoding", "hll1")).toBe("sparse");
      expect(await r.call("pfdebug", "encoding", "hll2")).toBe("dense");
      expect(await r.pfcount("hll1")).toBe(await r.pfcount("hll2"));
    }
  });
});

describe("corrupt and wrong values", () => {
  it("detects additional bytes at the tail of a sparse HLL", async () => {
    await r.del("hll");
    await r.pfadd("hll", "a", "b", "c");
    await r.append("hll", "hello");
    expect(await errorOf(r.pfcount("hll"))).toBe("INVALIDOBJ Corrupted HLL object detected");
  });

  it("detects a broken magic, an invalid encoding and a wrong dense length", async () => {
    const notHll = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    await r.del("hll");
    await r.pfadd("hll", "a", "b", "c");
    await r.setrange("hll", 0, "0123");
    expect(await errorOf(r.pfcount("hll"))).toBe(notHll);
    await r.del("hll");
    await r.pfadd("hll", "a", "b", "c");
    await r.setrange("hll", 4, "x");
    expect(await errorOf(r.pfcount("hll"))).toBe(notHll);
    await r.del("hll");
    await r.pfadd("hll", "a", "b", "c");
    await r.setrange("hll", 4, "\x00");
    expect(await errorOf(r.pfcount("hll"))).toBe(notHll);
    await r.set("short", "HYLL");
    expect(await errorOf(r.pfadd("short", "a"))).toBe(notHll);
    await r.set("int", "12345678901234567");
    expect(await errorOf(r.pfcount("int"))).toBe(notHll);
  });

  it("replies INVALIDOBJ for sparse opcodes that do not cover the registers", async () => {
    const corrupt = "INVALIDOBJ Corrupted HLL object detected";
    const header = Buffer.from("48594c4c010000000000000000000080", "hex");
    await r.del("short", "m");
    await r.set("short", Buffer.concat([header, Buffer.from([0x00])]));
    expect(await errorOf(r.pfadd("short", "a", "b", "c"))).toBe(corrupt);
    expect(await errorOf(r.pfcount("short"))).toBe(corrupt);
    expect(await errorOf(r.pfcount("short", "m"))).toBe(corrupt);
    expect(await errorOf(r.pfmerge("m", "short"))).toBe(corrupt);
    expect(await errorOf(r.call("pfdebug", "todense", "short"))).toBe(corrupt);
    expect(await r.exists("m")).toBe(0);
  });

  it("replies a cached cardinality as stored, up to 2^63-1", async () => {
    const exact = target.client({ stringNumbers: true });
    const value = Buffer.from("48594c4c01000000ffffffffffffff7f7fff", "hex");
    await exact.set("bigc", value);
    expect(await exact.call("pfcount", "bigc")).toBe("9223372036854775807");
    await exact.set("bigc", Buffer.from("48594c4c010000000100000000002000" + "7fff", "hex"));
    expect(await exact.call("pfcount", "bigc")).toBe(String(2n ** 53n + 1n));
  });

  it("type checking works for PFADD, PFCOUNT, PFMERGE", async () => {
    const notHll = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    await r.del("foo{t}", "bar{t}", "list{t}");
    await r.set("foo{t}", "bar");
    expect(await errorOf(r.pfadd("foo{t}", "1"))).toBe(notHll);
    expect(await errorOf(r.pfcount("foo{t}"))).toBe(notHll);
    expect(await errorOf(r.pfmerge("bar{t}", "foo{t}"))).toBe(notHll);
    expect(await errorOf(r.pfmerge("foo{t}", "bar{t}"))).toBe(notHll);
    await r.rpush("list{t}", "a");
    const wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
    expect(await errorOf(r.pfadd("list{t}", "1"))).toBe(wrongType);
    expect(await errorOf(r.pfcount("list{t}"))).toBe(wrongType);
    expect(await errorOf(r.pfcount("bar{t}", "list{t}"))).toBe(wrongType);
    expect(await errorOf(r.call("pfdebug", "encoding", "list{t}"))).toBe(wrongType);
  });

  it("fuzzing: random corruption never crashes the server", async () => {
    const rand = prng(3);
    for (let j = 0; j < 200; j++) {
      await r.del("hll");
      const items: string[] = [];
      const numitems = Math.floor(rand() * 3000);
      for (let i = 0; i < numitems; i++) items.push(String(rand()));
      if (items.length > 0) await r.pfadd("hll", ...items);
      else await r.pfadd("hll");
      for (let i = 0; i < 5; i++) {
        const len = await r.strlen("hll");
        const pos = Math.floor(rand() * len);
        await r.setrange("hll", pos, Buffer.from([Math.floor(rand() * 256)]));
        if (rand() < 0.5) break;
      }
      await r.pfcount("hll").catch(() => undefined);
      await r.pfadd("hll", "x", "y", "z").catch(() => undefined);
      await r.pfmerge("hll2", "hll").catch(() => undefined);
    }
    expect(await r.ping()).toBe("PONG");
  });
});

describe("PFMERGE / PFCOUNT of several keys", () => {
  it("PFMERGE results on the cardinality of union of sets", async () => {
    await r.del("hll{t}", "hll1{t}", "hll2{t}", "hll3{t}");
    await r.pfadd("hll1{t}", "a", "b", "c");
    await r.pfadd("hll2{t}", "b", "c", "d");
    await r.pfadd("hll3{t}", "c", "d", "e");
    expect(await r.pfmerge("hll{t}", "hll1{t}", "hll2{t}", "hll3{t}")).toBe("OK");
    expect(await r.pfcount("hll{t}")).toBe(5);
    expect(await r.call("pfdebug", "encoding", "hll{t}")).toBe("sparse");
  });

  it("merges into an existing destination, dense when a source is dense", async () => {
    await r.del("d{t}", "s{t}", "x{t}");
    await r.pfadd("d{t}", "1", "2", "3");
    await r.pfadd("s{t}", "3", "4");
    await r.pfadd("x{t}", "5");
    await r.call("pfdebug", "todense", "x{t}");
    expect(await r.pfmerge("d{t}", "s{t}")).toBe("OK");
    expect(await r.pfcount("d{t}")).toBe(4);
    expect(await r.call("pfdebug", "encoding", "d{t}")).toBe("sparse");
    expect(await r.pfmerge("d{t}", "x{t}", "missing{t}")).toBe("OK");
    expect(await r.call("pfdebug", "encoding", "d{t}")).toBe("dense");
    expect(await r.pfcount("d{t}")).toBe(5);
    expect(await r.pfmerge("empty{t}")).toBe("OK");
    expect(await r.pfcount("empty{t}")).toBe(0);
    // PFCOUNT above refreshed the cache PFMERGE left stale.
    expect((await getBytes(r, "empty{t}")).toString("hex")).toBe("48594c4c0100000000000000000000007fff");
  });

  it("PFCOUNT of several keys is the cardinality of the union (not cached)", async () => {
    await r.del("hll1{t}", "hll2{t}", "hll3{t}");
    const pipe = r.pipeline();
    for (let x = 1; x < 3000; x++) {
      pipe.pfadd("hll1{t}", `foo-${x}`);
      pipe.pfadd("hll2{t}", `bar-${x}`);
      pipe.pfadd("hll3{t}", `zap-${x}`);
    }
    await pipe.exec();
    const card = await r.pfcount("hll1{t}", "hll2{t}", "hll3{t}");
    expect(card).toBe(8967);
    expect(await r.pfcount("hll1{t}", "missing{t}")).toBe(await r.pfcount("hll1{t}"));
    const before = await dirty();
    await r.pfcount("hll1{t}", "hll2{t}");
    expect(await dirty()).toBe(before);
  });
});

describe("PFDEBUG / PFSELFTEST", () => {
  it("GETREG returns the raw registers (and converts to dense)", async () => {
    await r.del("hll");
    await r.pfadd("hll", "1", "2", "3");
    const regs = (await r.call("pfdebug", "getreg", "hll")) as number[];
    expect(regs.length).toBe(16384);
    expect(regs.filter((v) => v !== 0).length).toBe(3);
    expect(await r.call("pfdebug", "encoding", "hll")).toBe("dense");
  });

  it("replies Redis's errors", async () => {
    await r.del("hll", "nokey");
    await r.pfadd("hll", "a");
    expect(await errorOf(r.call("pfdebug", "encoding", "nokey"))).toBe("ERR The specified key does not exist");
    expect(await errorOf(r.call("pfdebug", "Foo", "hll"))).toBe("ERR Unknown PFDEBUG subcommand 'Foo'");
    // PFDEBUG's arity is exactly 3: the subcommands' own arity check is never reached.
    expect(await errorOf(r.call("pfdebug", "GetReg", "hll", "x"))).toBe(
      "ERR wrong number of arguments for 'pfdebug' command",
    );
    await r.call("pfdebug", "todense", "hll");
    expect(await errorOf(r.call("pfdebug", "decode", "hll"))).toBe("ERR HLL encoding is not sparse");
  });

  it("PFSELFTEST passes", { timeout: 60_000 }, async () => {
    expect(await r.call("pfselftest")).toBe("OK");
  });
});

describe("dirty counter, keyspace events, encodings", () => {
  it("counts changes as Redis does", async () => {
    await r.del("hll");
    let before = await dirty();
    await r.pfadd("hll", "a", "b", "c");
    expect(await dirty()).toBe(before + 4); // the creation and three registers
    before = await dirty();
    await r.pfadd("hll", "a");
    expect(await dirty()).toBe(before);
    await r.pfcount("hll");
    expect(await dirty()).toBe(before + 1); // the cache written
    await r.pfcount("hll");
    expect(await dirty()).toBe(before + 1);
    await r.pfmerge("hll", "hll");
    expect(await dirty()).toBe(before + 2);
    await r.call("pfdebug", "todense", "hll");
    expect(await dirty()).toBe(before + 3);
    await r.call("pfdebug", "getreg", "hll");
    expect(await dirty()).toBe(before + 3);
  });

  it("emits pfadd for PFADD and PFMERGE", async () => {
    const events: string[] = [];
    const server = target.server;
    const previous = server?.keyspace.onNotify ?? null;
    const sub = server === undefined ? target.client() : null;
    if (server !== undefined) {
      server.keyspace.onNotify = (type, event, _db, key, off, len) => {
        if (type !== "n" && type !== "m")
          events.push(`${event} ${Buffer.from(key.subarray(off, off + len)).toString("latin1")}`);
      };
    } else {
      await r.config("SET", "notify-keyspace-events", "KEA");
      sub?.on("pmessage", (_p: string, channel: string, message: string) =>
        events.push(`${channel.slice(15)} ${message}`),
      );
      await sub?.psubscribe("__keyevent@0__:*");
    }
    await r.del("e1", "e2");
    await r.pfadd("e1", "a");
    await r.pfadd("e1", "a");
    await r.pfcount("e1");
    await r.pfmerge("e2", "e1");
    await r.set("sync", "1");
    for (let i = 0; i < 300 && !events.includes("set sync"); i++) await new Promise((res) => setTimeout(res, 10));
    if (server !== undefined) server.keyspace.onNotify = previous;
    else await r.config("SET", "notify-keyspace-events", "");
    sub?.disconnect();
    expect(events.filter((e) => !e.startsWith("del "))).toEqual(["pfadd e1", "pfadd e2", "set sync"]);
  });

  it("keeps an embstr HLL until a PF command unshares it (raw)", async () => {
    await r.del("hll", "copy");
    await r.pfadd("hll");
    await r.set("copy", await getBytes(r, "hll"));
    expect(await r.object("ENCODING", "copy")).toBe("embstr");
    expect(await r.pfadd("copy")).toBe(0);
    expect(await r.object("ENCODING", "copy")).toBe("raw");
  });
});

function hasRedisServer(): boolean {
  try {
    execFileSync(process.env.REDIS_SERVER_BIN ?? "redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe.runIf(hasRedisServer())("HLL bytes moved between the target and a real Redis", () => {
  let other: Target;
  let o: Redis;
  beforeAll(async () => {
    other = await spawnRealRedis(
      [],
      [
        ["bind", ["127.0.0.1"]],
        ["save", [""]],
      ],
    );
    o = other.client();
  });
  afterAll(() => other?.stop());

  async function addBoth(key: string, elements: string[]): Promise<void> {
    for (let i = 0; i < elements.length; i += 500) {
      await r.pfadd(key, ...elements.slice(i, i + 500));
      await o.pfadd(key, ...elements.slice(i, i + 500));
    }
  }

  it("writes the same sparse bytes as Redis for random inputs and sparse limits", async () => {
    const rand = prng(99);
    for (let round = 0; round < 40; round++) {
      const limit = String(50 + Math.floor(rand() * 1500));
      await r.config("SET", "hll-sparse-max-bytes", limit);
      await o.config("SET", "hll-sparse-max-bytes", limit);
      await r.del("y", "z");
      await o.del("y", "z");
      const count = Math.floor(rand() * 400);
      let added = 0;
      while (added < count) {
        const chunk: string[] = [];
        const size = 1 + Math.floor(rand() * 20);
        for (let i = 0; i < size; i++) chunk.push(`r${Math.floor(rand() * 5000)}`);
        added += size;
        expect(await r.pfadd("y", ...chunk)).toBe(await o.pfadd("y", ...chunk));
      }
      if (rand() < 0.5) expect(await r.pfcount("y")).toBe(await o.pfcount("y"));
      expect((await getBytes(r, "y")).equals(await getBytes(o, "y"))).toBe(true);
      await r.pfadd("z", "q", "r", "s");
      await o.pfadd("z", "q", "r", "s");
      await r.pfmerge("z", "y");
      await o.pfmerge("z", "y");
      expect((await getBytes(r, "z")).equals(await getBytes(o, "z"))).toBe(true);
    }
    await r.config("SET", "hll-sparse-max-bytes", "3000");
    await o.config("SET", "hll-sparse-max-bytes", "3000");
  });

  it("grows a sparse HLL past 4 KB in one PFADD when hll-sparse-max-bytes allows it", async () => {
    const elements: string[] = [];
    for (let i = 1; i <= 3000; i++) elements.push(`e${i}`);
    for (const client of [r, o]) {
      await client.config("SET", "hll-sparse-max-bytes", "20000");
      await client.del("big");
      expect(await client.pfadd("big", ...elements)).toBe(1);
    }
    expect(await r.call("pfdebug", "encoding", "big")).toBe("sparse");
    expect(await r.strlen("big")).toBe(4821);
    expect((await getBytes(r, "big")).equals(await getBytes(o, "big"))).toBe(true);
    expect(await r.pfcount("big")).toBe(2979);
    for (const client of [r, o]) await client.config("SET", "hll-sparse-max-bytes", "3000");
  });

  for (const [label, size] of [
    ["sparse", 300],
    ["dense", 20000],
  ] as const) {
    it(`builds byte-identical ${label} HLLs and reads each other's`, async () => {
      const rand = prng(size);
      const elements: string[] = [];
      for (let i = 0; i < size; i++) elements.push(`m${Math.floor(rand() * 1e9)}`);
      await r.del("x", "fromOther");
      await o.del("x", "fromTarget");
      await addBoth("x", elements);
      expect(await r.call("pfdebug", "encoding", "x")).toBe(label);
      const mine = await getBytes(r, "x");
      const theirs = await getBytes(o, "x");
      expect(mine.equals(theirs)).toBe(true);
      // Moved before the cache is valid, then after.
      await r.set("fromOther", theirs);
      await o.set("fromTarget", mine);
      expect(await r.pfcount("fromOther")).toBe(await o.pfcount("x"));
      expect(await o.pfcount("fromTarget")).toBe(await r.pfcount("x"));
      expect((await getBytes(r, "x")).equals(await getBytes(o, "x"))).toBe(true);
      await r.set("fromOther", await getBytes(o, "x"));
      expect(await r.pfcount("fromOther")).toBe(await o.pfcount("x"));
      // DUMP / RESTORE carry the same bytes (LZF-compressed when large).
      const dumped = (await r.dumpBuffer("x")) as Buffer;
      await o.del("restored");
      await o.restore("restored", 0, dumped);
      expect((await getBytes(o, "restored")).equals(await getBytes(r, "x"))).toBe(true);
      const back = (await o.dumpBuffer("x")) as Buffer;
      await r.del("restored");
      await r.restore("restored", 0, back);
      expect(await r.pfcount("restored")).toBe(await o.pfcount("x"));
      // Merges agree too.
      await r.pfmerge("m", "x", "fromOther");
      await o.pfmerge("m", "x", "fromTarget");
      expect((await getBytes(r, "m")).equals(await getBytes(o, "m"))).toBe(true);
    });
  }
});

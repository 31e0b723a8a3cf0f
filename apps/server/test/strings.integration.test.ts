import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});

const encoding = (key: string) => r.call("OBJECT", "ENCODING", key);

describe("SET options", () => {
  it("NX sets only a missing key, XX only an existing one", async () => {
    expect(await r.call("SET", "k", "1", "XX")).toBeNull();
    expect(await r.call("SET", "k", "1", "NX")).toBe("OK");
    expect(await r.call("SET", "k", "2", "NX")).toBeNull();
    expect(await r.call("SET", "k", "3", "XX")).toBe("OK");
    expect(await r.get("k")).toBe("3");
  });

  it("GET returns the old value (or nil) whether or not NX/XX let the write happen", async () => {
    expect(await r.call("SET", "k", "1", "GET")).toBeNull();
    expect(await r.call("SET", "k", "2", "GET")).toBe("1");
    expect(await r.call("SET", "k", "3", "NX", "GET")).toBe("2");
    expect(await r.get("k")).toBe("2");
    expect(await r.call("SET", "missing", "x", "XX", "GET")).toBeNull();
    expect(await r.exists("missing")).toBe(0);
  });

  it("EX, PX, EXAT and PXAT set the TTL; a plain SET clears it; KEEPTTL keeps it", async () => {
    await r.call("SET", "k", "v", "EX", "100");
    expect(await r.ttl("k")).toBe(100);
    await r.call("SET", "k", "v", "PX", "100000");
    expect(await r.pttl("k")).toBeGreaterThan(99_000);
    const at = Math.floor(Date.now() / 1000) + 200;
    await r.call("SET", "k", "v", "EXAT", String(at));
    expect(await r.call("EXPIRETIME", "k")).toBe(at);
    await r.call("SET", "k", "v", "PXAT", String(at * 1000 + 5));
    expect(await r.call("PEXPIRETIME", "k")).toBe(at * 1000 + 5);
    await r.call("SET", "k", "v2", "KEEPTTL");
    expect(await r.call("PEXPIRETIME", "k")).toBe(at * 1000 + 5);
    await r.set("k", "v3");
    expect(await r.ttl("k")).toBe(-1);
  });

  it("an EXAT/PXAT time in the past stores an already-expired key", async () => {
    expect(await r.call("SET", "k", "v", "PXAT", "1")).toBe("OK");
    expect(await r.get("k")).toBeNull();
    expect(await r.exists("k")).toBe(0);
  });

  it("option conflicts and unknown options are syntax errors", async () => {
    for (const opts of [
      ["NX", "XX"],
      ["XX", "NX"],
      ["EX", "10", "PX", "100"],
      ["PX", "1", "EX", "1"],
      ["EX", "10", "KEEPTTL"],
      ["KEEPTTL", "EX", "10"],
      ["EXAT", "1", "PXAT", "1"],
      ["EX"],
      ["PERSIST"],
      ["BOGUS"],
      ["GET", "GET", "NX", "NX", "XX"],
    ]) {
      await expect(r.call("SET", "k", "v", ...opts), opts.join(" ")).rejects.toThrow("ERR syntax error");
    }
  });

  it("repeating an option is allowed (the last expire wins)", async () => {
    expect(await r.call("SET", "k", "v", "EX", "10", "EX", "20", "NX", "NX", "GET", "GET")).toBeNull();
    expect(await r.ttl("k")).toBe(20);
  });

  it("zero, negative, non-numeric and overflowing times are refused before anything changes", async () => {
    await r.set("k", "old");
    for (const [opt, value] of [
      ["EX", "0"],
      ["PX", "-1"],
      ["EXAT", "0"],
      ["EX", "9223372036854775"],
      ["PX", "9223372036854775807"],
    ] as const) {
      await expect(r.call("SET", "k", "v", opt, value), `${opt} ${value}`).rejects.toThrow(
        "ERR invalid expire time in 'set' command",
      );
    }
    await expect(r.call("SET", "k", "v", "EX", "1.5")).rejects.toThrow("ERR value is not an integer or out of range");
    await expect(r.call("SET", "k", "v", "EX", "9223372036854775808")).rejects.toThrow(
      "ERR value is not an integer or out of range",
    );
    await expect(r.call("SETEX", "k", "0", "v")).rejects.toThrow("ERR invalid expire time in 'setex' command");
    await expect(r.call("PSETEX", "k", "-5", "v")).rejects.toThrow("ERR invalid expire time in 'psetex' command");
    expect(await r.get("k")).toBe("old");
  });

  it("GET with a non-string old value is WRONGTYPE before any change (checked on a string here: reply order)", async () => {
    // The GET reply comes first, then the write: a pipelined GET sees the new value.
    const results = await r.pipeline().set("k", "a").call("SET", "k", "b", "GET").get("k").exec();
    expect(results!.map(([, v]) => v)).toEqual(["OK", "a", "b"]);
  });

  it("replies are exact on the wire", async () => {
    const { text } = await rawExchange(
      target.port,
      "SET k v\r\nSET k v NX\r\nSET k w GET\r\nSET missing v XX GET\r\n",
      {
        until: (t) => t.split("\r\n").length > 5,
      },
    );
    expect(text).toBe("+OK\r\n$-1\r\n$1\r\nv\r\n$-1\r\n");
  });
});

describe("SETNX / SETEX / PSETEX / GETSET", () => {
  it("SETNX replies 1 when it sets, 0 when the key exists", async () => {
    expect(await r.setnx("k", "1")).toBe(1);
    expect(await r.setnx("k", "2")).toBe(0);
    expect(await r.get("k")).toBe("1");
  });

  it("SETEX and PSETEX set value and TTL; GETSET returns the old value and clears the TTL", async () => {
    expect(await r.setex("k", 50, "v")).toBe("OK");
    expect(await r.ttl("k")).toBe(50);
    expect(await r.psetex("p", 5000, "v")).toBe("OK");
    expect(await r.pttl("p")).toBeGreaterThan(4000);
    expect(await r.getset("k", "new")).toBe("v");
    expect(await r.ttl("k")).toBe(-1);
    expect(await r.getset("fresh", "x")).toBeNull();
    expect(await r.get("fresh")).toBe("x");
  });

  it("wrong arity is reported with the command's name", async () => {
    await expect(r.call("SETEX", "k", "10")).rejects.toThrow("ERR wrong number of arguments for 'setex' command");
    await expect(r.call("GETSET", "k")).rejects.toThrow("ERR wrong number of arguments for 'getset' command");
  });
});

describe("GETEX / GETDEL", () => {
  it("GETEX without options is a GET; with options it sets or removes the TTL", async () => {
    expect(await r.call("GETEX", "missing", "EX", "10")).toBeNull();
    await r.set("k", "v");
    expect(await r.call("GETEX", "k")).toBe("v");
    expect(await r.ttl("k")).toBe(-1);
    expect(await r.call("GETEX", "k", "EX", "100")).toBe("v");
    expect(await r.ttl("k")).toBe(100);
    expect(await r.call("GETEX", "k", "PX", "200000")).toBe("v");
    expect(await r.ttl("k")).toBe(200);
    expect(await r.call("GETEX", "k", "PERSIST")).toBe("v");
    expect(await r.ttl("k")).toBe(-1);
    const at = Math.floor(Date.now() / 1000) + 300;
    expect(await r.call("GETEX", "k", "EXAT", String(at))).toBe("v");
    expect(await r.call("EXPIRETIME", "k")).toBe(at);
  });

  it("GETEX with a past EXAT/PXAT returns the value and deletes the key", async () => {
    await r.set("k", "v");
    expect(await r.call("GETEX", "k", "PXAT", "1")).toBe("v");
    expect(await r.exists("k")).toBe(0);
  });

  it("GETEX refuses bad options and times (after the key lookup)", async () => {
    await r.set("k", "v");
    await expect(r.call("GETEX", "k", "KEEPTTL")).rejects.toThrow("ERR syntax error");
    await expect(r.call("GETEX", "k", "EX", "10", "PERSIST")).rejects.toThrow("ERR syntax error");
    await expect(r.call("GETEX", "k", "NX")).rejects.toThrow("ERR syntax error");
    await expect(r.call("GETEX", "k", "EX", "0")).rejects.toThrow("ERR invalid expire time in 'getex' command");
    await expect(r.call("GETEX", "k", "EX", "x")).rejects.toThrow("ERR value is not an integer or out of range");
    expect(await r.call("GETEX", "missing", "EX", "0")).toBeNull();
  });

  it("GETDEL returns the value and removes the key", async () => {
    await r.set("k", "v");
    expect(await r.call("GETDEL", "k")).toBe("v");
    expect(await r.exists("k")).toBe(0);
    expect(await r.call("GETDEL", "k")).toBeNull();
  });
});

describe("MSET / MSETNX / MGET", () => {
  it("MSET sets every pair, later pairs winning", async () => {
    expect(await r.mset("a", "1", "b", "2", "a", "3")).toBe("OK");
    expect(await r.mget("a", "b", "c")).toEqual(["3", "2", null]);
  });

  it("MSET clears TTLs of keys it overwrites", async () => {
    await r.set("a", "1", "EX", 100);
    await r.mset("a", "2");
    expect(await r.ttl("a")).toBe(-1);
  });

  it("MSETNX sets all or nothing", async () => {
    expect(await r.msetnx("a", "1", "b", "2")).toBe(1);
    expect(await r.msetnx("b", "x", "c", "3")).toBe(0);
    expect(await r.mget("a", "b", "c")).toEqual(["1", "2", null]);
  });

  it("an odd number of arguments is an arity error", async () => {
    await expect(r.call("MSET", "a", "1", "b")).rejects.toThrow("ERR wrong number of arguments for 'mset' command");
    await expect(r.call("MSETNX", "a", "1", "b")).rejects.toThrow("ERR wrong number of arguments for 'msetnx' command");
  });
});

describe("encodings (OBJECT ENCODING)", () => {
  it("int for canonical 64-bit integers, embstr up to 44 bytes, raw beyond", async () => {
    const cases: [string, string][] = [
      ["0", "int"],
      ["-1", "int"],
      ["12345678901234567", "int"],
      ["9223372036854775807", "int"],
      ["-9223372036854775808", "int"],
      ["9223372036854775808", "embstr"],
      ["01", "embstr"],
      ["+1", "embstr"],
      ["-0", "embstr"],
      ["1.5", "embstr"],
      ["", "embstr"],
      ["a".repeat(44), "embstr"],
      ["a".repeat(45), "raw"],
    ];
    for (const [value, expected] of cases) {
      await r.set("k", value);
      expect([value, await encoding("k")]).toEqual([value, expected]);
      expect(await r.get("k")).toBe(value);
    }
  });

  it("APPEND and SETRANGE produce raw; INCR produces int; INCRBYFLOAT produces embstr", async () => {
    await r.set("k", "1");
    await r.append("k", "2");
    expect(await encoding("k")).toBe("raw");
    await r.incr("k");
    expect(await encoding("k")).toBe("int");
    expect(await r.get("k")).toBe("13");
    await r.setrange("s", 0, "x");
    expect(await encoding("s")).toBe("raw");
    await r.append("fresh", "123");
    expect(await encoding("fresh")).toBe("int");
    await r.incrbyfloat("f", "3");
    expect(await encoding("f")).toBe("embstr");
    expect(await r.get("f")).toBe("3");
  });

  it("MSET, SETNX, GETSET and SETEX encode like SET", async () => {
    await r.mset("a", "10", "b", "x");
    await r.setnx("c", "20");
    await r.getset("d", "30");
    await r.setex("e", 100, "40");
    expect([
      await encoding("a"),
      await encoding("b"),
      await encoding("c"),
      await encoding("d"),
      await encoding("e"),
    ]).toEqual(["int", "embstr", "int", "int", "int"]);
  });
});

describe("values", () => {
  it("binary values round-trip, including CR LF and NUL bytes, under keys of every size", async () => {
    const value = Buffer.from([0, 13, 10, 255, 0, 1]);
    for (const key of ["k", "k".repeat(127), "k".repeat(128), "k".repeat(70_000)]) {
      await r.set(key, value);
      expect(await r.getBuffer(key)).toEqual(value);
    }
    expect(await r.dbsize()).toBe(4);
  });

  it("a 20 MB value round-trips and can be overwritten by a small one", async () => {
    const big = Buffer.alloc(20 * 1024 * 1024, 0x62);
    await r.set("big", big);
    expect((await r.getBuffer("big"))!.equals(big)).toBe(true);
    await r.set("big", "small");
    expect(await r.get("big")).toBe("small");
  });
});

import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("EXPIRE / PEXPIRE / EXPIREAT / PEXPIREAT", () => {
  it("set a TTL on existing keys only", async () => {
    expect(await r.expire("missing", 10)).toBe(0);
    await r.set("k", "v");
    expect(await r.expire("k", 100)).toBe(1);
    expect(await r.ttl("k")).toBe(100);
    expect(await r.pexpire("k", 50_000)).toBe(1);
    expect(await r.ttl("k")).toBe(50);
    const at = Math.floor(Date.now() / 1000) + 500;
    expect(await r.expireat("k", at)).toBe(1);
    expect(await r.call("EXPIRETIME", "k")).toBe(at);
    expect(await r.pexpireat("k", at * 1000 + 123)).toBe(1);
    expect(await r.call("PEXPIRETIME", "k")).toBe(at * 1000 + 123);
  });

  it("a deadline now or in the past deletes the key and replies 1", async () => {
    for (const args of [
      ["EXPIRE", "-1"],
      ["PEXPIRE", "0"],
      ["EXPIREAT", "1"],
      ["PEXPIREAT", "-100"],
    ]) {
      await r.set("k", "v");
      expect(await r.call(args[0]!, "k", args[1]!), args.join(" ")).toBe(1);
      expect(await r.exists("k")).toBe(0);
    }
  });

  it("NX, XX, GT and LT compare with the current TTL (none counts as infinite)", async () => {
    await r.set("k", "v");
    expect(await r.call("EXPIRE", "k", "100", "XX")).toBe(0);
    expect(await r.call("EXPIRE", "k", "100", "GT")).toBe(0);
    expect(await r.call("EXPIRE", "k", "100", "LT")).toBe(1);
    expect(await r.call("EXPIRE", "k", "200", "NX")).toBe(0);
    expect(await r.call("EXPIRE", "k", "200", "XX")).toBe(1);
    expect(await r.call("EXPIRE", "k", "100", "GT")).toBe(0);
    expect(await r.call("EXPIRE", "k", "300", "GT")).toBe(1);
    expect(await r.call("EXPIRE", "k", "400", "LT")).toBe(0);
    expect(await r.call("EXPIRE", "k", "50", "lt")).toBe(1);
    expect(await r.ttl("k")).toBe(50);
    await r.persist("k");
    expect(await r.call("EXPIRE", "k", "10", "NX")).toBe(1);
    expect(await r.call("EXPIRE", "k", "20", "XX", "GT")).toBe(1);
    expect(await r.ttl("k")).toBe(20);
  });

  it("incompatible and unknown options", async () => {
    await r.set("k", "v");
    await expect(r.call("EXPIRE", "k", "10", "NX", "XX")).rejects.toThrow(
      "ERR NX and XX, GT or LT options at the same time are not compatible",
    );
    await expect(r.call("EXPIRE", "k", "10", "GT", "NX")).rejects.toThrow(
      "ERR NX and XX, GT or LT options at the same time are not compatible",
    );
    await expect(r.call("EXPIRE", "k", "10", "GT", "LT")).rejects.toThrow(
      "ERR GT and LT options at the same time are not compatible",
    );
    await expect(r.call("EXPIRE", "k", "10", "foo")).rejects.toThrow("ERR Unsupported option foo");
    // Options are parsed before the time.
    await expect(r.call("EXPIRE", "k", "x", "foo")).rejects.toThrow("ERR Unsupported option foo");
    await expect(r.call("EXPIRE", "k", "x")).rejects.toThrow("ERR value is not an integer or out of range");
  });

  it("an unsupported option holding CR/LF is echoed with spaces, keeping the reply one line", async () => {
    const { rawExchange } = await import("./utils/raw.js");
    const input = "*4\r\n$6\r\nEXPIRE\r\n$1\r\nk\r\n$2\r\n10\r\n$4\r\na\r\nb\r\n*1\r\n$4\r\nPING\r\n";
    const { text } = await rawExchange(target.port, input, { until: (t) => t.endsWith("+PONG\r\n") });
    expect(text).toBe("-ERR Unsupported option a  b\r\n+PONG\r\n");
  });

  it("an unsupported option is echoed up to its first NUL byte, like Redis's %s", async () => {
    await expect(r.call("EXPIRE", "k", "10", "ab\0cd")).rejects.toThrow(/^ERR Unsupported option ab$/);
    await expect(r.call("PEXPIREAT", "k", "10", "\0\xff")).rejects.toThrow(/^ERR Unsupported option $/);
  });

  it("overflowing times are invalid, huge valid ones are kept exactly", async () => {
    await r.set("k", "v");
    await expect(r.call("EXPIRE", "k", "9223372036854775807")).rejects.toThrow(
      "ERR invalid expire time in 'expire' command",
    );
    await expect(r.call("EXPIRE", "k", "-9223372036854775807")).rejects.toThrow(
      "ERR invalid expire time in 'expire' command",
    );
    await expect(r.call("PEXPIRE", "k", "9223372036854775807")).rejects.toThrow(
      "ERR invalid expire time in 'pexpire' command",
    );
    await expect(r.call("EXPIREAT", "k", "9223372036854776")).rejects.toThrow(
      "ERR invalid expire time in 'expireat' command",
    );
    expect(await r.call("EXPIREAT", "k", "9223372036854775")).toBe(1);
    expect(await r.call("PEXPIREAT", "k", "9223372036854775807")).toBe(1);
    const { rawExchange } = await import("./utils/raw.js");
    const { text } = await rawExchange(target.port, "PEXPIRETIME k\r\nEXPIRETIME k\r\n", {
      until: (t) => t.split("\r\n").length > 2,
    });
    expect(text).toBe(":9223372036854775807\r\n:9223372036854776\r\n");
  });
});

describe("TTL / PTTL / EXPIRETIME / PEXPIRETIME / PERSIST", () => {
  it("-2 for missing keys, -1 without a TTL", async () => {
    for (const cmd of ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"]) {
      expect(await r.call(cmd, "missing")).toBe(-2);
    }
    await r.set("k", "v");
    for (const cmd of ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"]) {
      expect(await r.call(cmd, "k")).toBe(-1);
    }
  });

  it("TTL rounds to the nearest second", async () => {
    await r.set("k", "v", "PX", 1600);
    expect(await r.ttl("k")).toBe(2);
    await r.set("k", "v", "PX", 1400);
    expect(await r.ttl("k")).toBe(1);
  });

  it("PERSIST removes the TTL and replies whether there was one", async () => {
    await r.set("k", "v", "EX", 100);
    expect(await r.persist("k")).toBe(1);
    expect(await r.ttl("k")).toBe(-1);
    expect(await r.persist("k")).toBe(0);
    expect(await r.persist("missing")).toBe(0);
  });
});

describe("expiry in time", () => {
  it("a key is gone right after its deadline, for reads and for DBSIZE (active expiry)", async () => {
    await r.set("k", "v", "PX", 100);
    expect(await r.get("k")).toBe("v");
    await sleep(250);
    expect(await r.dbsize()).toBe(0);
    expect(await r.get("k")).toBeNull();
  });

  it("active expiry reclaims many keys that nobody reads", async () => {
    const p = r.pipeline();
    for (let i = 0; i < 2000; i++) p.set(`k${i}`, "v", "PX", 50 + (i % 100));
    p.set("stays", "v");
    await p.exec();
    // DBSIZE does not look keys up: only the background cycle can bring it down.
    const deadline = Date.now() + 3000;
    while ((await r.dbsize()) > 1 && Date.now() < deadline) await sleep(50);
    expect(await r.dbsize()).toBe(1);
  });

  it("overwriting with SET clears the TTL; the key then survives its old deadline", async () => {
    await r.set("k", "v", "PX", 100);
    await r.set("k", "w");
    await sleep(200);
    expect(await r.get("k")).toBe("w");
  });

  it("INFO keyspace counts keys and expires", async () => {
    await r.set("a", "1", "EX", 100);
    await r.set("b", "2");
    const info = await r.info("keyspace");
    expect(info).toMatch(/db0:keys=2,expires=1,avg_ttl=\d+/);
  });
});

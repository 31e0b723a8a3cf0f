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

describe("SET / GET", () => {
  it("GET of a missing key is nil", async () => {
    expect(await r.get("missing")).toBeNull();
  });

  it("SET then GET returns the value, binary-safe", async () => {
    const value = Buffer.from([0, 255, 13, 10, 1]);
    expect(await r.set("k", value)).toBe("OK");
    expect(await r.getBuffer("k")).toEqual(value);
  });

  it("SET overwrites, empty values are kept", async () => {
    await r.set("k", "one");
    await r.set("k", "");
    expect(await r.get("k")).toBe("");
    expect(await r.exists("k")).toBe(1);
  });

  it("SET with an unknown option is a syntax error", async () => {
    await expect(r.call("SET", "k", "v", "BOGUS")).rejects.toThrow("ERR syntax error");
  });

  it("large values round-trip", async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 0x61);
    await r.set("big", big);
    expect((await r.getBuffer("big"))!.equals(big)).toBe(true);
  });
});

describe("DEL / EXISTS / DBSIZE", () => {
  it("DEL counts only the keys that existed", async () => {
    await r.set("a", "1");
    await r.set("b", "2");
    expect(await r.del("a", "b", "c", "a")).toBe(2);
    expect(await r.dbsize()).toBe(0);
  });

  it("EXISTS counts a key named twice twice", async () => {
    await r.set("a", "1");
    expect(await r.exists("a", "a", "nope")).toBe(2);
  });

  it("DBSIZE counts keys of the selected database", async () => {
    for (let i = 0; i < 10; i++) await r.set(`key:${i}`, "v");
    expect(await r.dbsize()).toBe(10);
  });
});

describe("FLUSHDB / FLUSHALL", () => {
  it("accept SYNC and ASYNC, reject anything else", async () => {
    await r.set("a", "1");
    expect(await r.call("FLUSHDB", "ASYNC")).toBe("OK");
    expect(await r.dbsize()).toBe(0);
    await r.set("a", "1");
    expect(await r.call("FLUSHALL", "sync")).toBe("OK");
    expect(await r.dbsize()).toBe(0);
    await expect(r.call("FLUSHDB", "LATER")).rejects.toThrow("ERR syntax error");
    await expect(r.call("FLUSHALL", "SYNC", "ASYNC")).rejects.toThrow("ERR syntax error");
  });
});

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

/** Runs a whole SCAN with the given options and returns every key seen (with duplicates). */
async function scanAll(...options: string[]): Promise<string[]> {
  const seen: string[] = [];
  let cursor = "0";
  let calls = 0;
  do {
    const [next, keys] = (await r.call("SCAN", cursor, ...options)) as [string, string[]];
    expect(typeof next).toBe("string");
    seen.push(...keys);
    cursor = next;
    calls++;
  } while (cursor !== "0" && calls < 100_000);
  return seen;
}

describe("KEYS", () => {
  it("matches Redis globs and * returns everything", async () => {
    await r.mset("hello", "1", "hallo", "1", "hxllo", "1", "hllo", "1", "heeeello", "1", "h[llo", "1", "other", "1");
    expect((await r.keys("*")).sort()).toEqual(["h[llo", "hallo", "heeeello", "hello", "hllo", "hxllo", "other"]);
    expect((await r.keys("h?llo")).sort()).toEqual(["h[llo", "hallo", "hello", "hxllo"]);
    expect((await r.keys("h*llo")).sort()).toEqual(["h[llo", "hallo", "heeeello", "hello", "hllo", "hxllo"]);
    expect((await r.keys("h[ae]llo")).sort()).toEqual(["hallo", "hello"]);
    expect((await r.keys("h[^e]llo")).sort()).toEqual(["h[llo", "hallo", "hxllo"]);
    expect((await r.keys("h[a-b]llo")).sort()).toEqual(["hallo"]);
    expect((await r.keys("h\\[llo")).sort()).toEqual(["h[llo"]);
    expect(await r.keys("nothing*")).toEqual([]);
  });

  it("skips expired keys", async () => {
    await r.set("live", "1");
    await r.set("dead", "1", "PX", 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await r.keys("*")).toEqual(["live"]);
  });
});

describe("SCAN", () => {
  it("returns every key of a database exactly as KEYS does, over many calls", async () => {
    const p = r.pipeline();
    for (let i = 0; i < 3000; i++) p.set(`key:${i}`, "v");
    await p.exec();
    const seen = await scanAll();
    expect(new Set(seen).size).toBe(3000);
    expect(seen.length).toBeLessThan(3000 * 1.1);
  });

  it("returns every key present for the whole scan while other keys come and go (resizes)", async () => {
    const p = r.pipeline();
    for (let i = 0; i < 500; i++) p.set(`stable:${i}`, "v");
    await p.exec();
    const seen = new Set<string>();
    let cursor = "0";
    let round = 0;
    do {
      const [next, keys] = (await r.call("SCAN", cursor, "COUNT", "20")) as [string, string[]];
      for (const k of keys) seen.add(k);
      cursor = next;
      // Grow past a resize, then shrink back down.
      const q = r.pipeline();
      if (round % 10 < 5) for (let i = 0; i < 400; i++) q.set(`churn:${round}:${i}`, "c");
      else for (let i = 0; i < 400; i++) q.del(`churn:${round - 5}:${i}`);
      await q.exec();
      round++;
    } while (cursor !== "0");
    for (let i = 0; i < 500; i++) expect(seen.has(`stable:${i}`)).toBe(true);
  });

  it("MATCH filters, COUNT is a hint, TYPE filters by type", async () => {
    await r.mset("user:1", "a", "user:2", "b", "item:1", "c");
    expect((await scanAll("MATCH", "user:*", "COUNT", "1")).sort()).toEqual(["user:1", "user:2"]);
    expect((await scanAll("MATCH", "*")).sort()).toEqual(["item:1", "user:1", "user:2"]);
    expect((await scanAll("TYPE", "string")).sort()).toEqual(["item:1", "user:1", "user:2"]);
    expect(await scanAll("TYPE", "STRING")).toHaveLength(3);
    expect(await scanAll("TYPE", "list")).toEqual([]);
    expect(await scanAll("TYPE", "nonsense")).toEqual([]);
  });

  it("does not return expired keys", async () => {
    await r.set("live", "1");
    for (let i = 0; i < 50; i++) await r.set(`dead${i}`, "1", "PX", 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await scanAll()).toEqual(["live"]);
  });

  it("parses the cursor like strtoul", async () => {
    await r.set("k", "v");
    for (const cursor of ["", "+0", "007", "-0"]) {
      const [next] = (await r.call("SCAN", cursor)) as [string, string[]];
      expect(typeof next, cursor).toBe("string");
    }
    for (const cursor of ["x", " 0", "0 ", "1.5", "+", "-", "18446744073709551616", "0x10"]) {
      await expect(r.call("SCAN", cursor), JSON.stringify(cursor)).rejects.toThrow("ERR invalid cursor");
    }
    const [next] = (await r.call("SCAN", "18446744073709551615")) as [string, string[]];
    expect(next).toBe("0");
  });

  it("option errors", async () => {
    await expect(r.call("SCAN", "0", "COUNT", "0")).rejects.toThrow("ERR syntax error");
    await expect(r.call("SCAN", "0", "COUNT", "-1")).rejects.toThrow("ERR syntax error");
    await expect(r.call("SCAN", "0", "COUNT", "x")).rejects.toThrow("ERR value is not an integer or out of range");
    await expect(r.call("SCAN", "0", "COUNT")).rejects.toThrow("ERR syntax error");
    await expect(r.call("SCAN", "0", "MATCH")).rejects.toThrow("ERR syntax error");
    await expect(r.call("SCAN", "0", "BOGUS", "1")).rejects.toThrow("ERR syntax error");
    await expect(r.call("SCAN")).rejects.toThrow("ERR wrong number of arguments for 'scan' command");
  });
});

import type { Redis } from "ioredis";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { errorOf } from "../utils/replyError.js";
import { useTarget } from "../utils/target.js";

const target = useTarget();
let r: Redis;
const extra: Redis[] = [];
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});
afterEach(() => {
  for (const c of extra.splice(0)) c.disconnect();
});
const client = (): Redis => {
  const c = target.client();
  extra.push(c);
  return c;
};
const err = errorOf;
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
/** Waits until `n` clients are blocked (INFO's blocked_clients), as the Tcl tests' wait_for_blocked_clients_count. */
async function blocked(n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const info = (await r.info("clients")) as string;
    if (Number(/blocked_clients:(\d+)/.exec(info)?.[1]) >= n) return;
    await sleep(10);
  }
  throw new Error(`never saw ${n} blocked clients`);
}

describe("XREAD", () => {
  beforeEach(async () => {
    await r.xadd("s1", "1-0", "a", "1");
    await r.xadd("s1", "2-0", "a", "2");
    await r.xadd("s2", "5-0", "b", "1");
  });

  it("reads entries after the given IDs from several streams", async () => {
    expect(await r.xread("STREAMS", "s1", "s2", "0", "0")).toEqual([
      [
        "s1",
        [
          ["1-0", ["a", "1"]],
          ["2-0", ["a", "2"]],
        ],
      ],
      ["s2", [["5-0", ["b", "1"]]]],
    ]);
    expect(await r.xread("COUNT", 1, "STREAMS", "s1", "s2", "1-0", "5")).toEqual([["s1", [["2-0", ["a", "2"]]]]]);
    expect(await r.xread("STREAMS", "s1", "2-0")).toBeNull();
    expect(await r.xread("STREAMS", "s1", "$")).toBeNull();
    expect(await r.xread("STREAMS", "missing", "0")).toBeNull();
  });

  it("reports bad arguments", async () => {
    expect(await err(r.call("XREAD", "STREAMS", "s1"))).toMatch(/wrong number of arguments|Unbalanced/);
    expect(await err(r.call("XREAD", "STREAMS", "s1", "s2", "0"))).toBe(
      "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
    );
    expect(await err(r.call("XREAD", "COUNT", "1", "s1", "0"))).toBe("ERR syntax error");
    expect(await err(r.call("XREAD", "STREAMS", "s1", ">"))).toBe(
      "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
    );
    expect(await err(r.call("XREAD", "GROUP", "g", "c", "STREAMS", "s1", "0"))).toBe(
      "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
    );
    expect(await err(r.call("XREAD", "BLOCK", "-1", "STREAMS", "s1", "0"))).toBe("ERR timeout is negative");
    expect(await err(r.call("XREAD", "BLOCK", "x", "STREAMS", "s1", "0"))).toBe(
      "ERR timeout is not an integer or out of range",
    );
    expect(await err(r.call("XREAD", "STREAMS", "s1", "x"))).toBe(
      "ERR Invalid stream ID specified as stream command argument",
    );
    await r.set("str", "v");
    expect(await err(r.call("XREAD", "STREAMS", "str", "0"))).toMatch(/^WRONGTYPE/);
  });

  it("BLOCK times out with a null reply", async () => {
    const start = Date.now();
    expect(await r.xread("BLOCK", 100, "STREAMS", "s1", "$")).toBeNull();
    expect(Date.now() - start).toBeGreaterThanOrEqual(90);
  });

  it("BLOCK $ is served by a later XADD, several clients at once", async () => {
    const a = client();
    const b = client();
    const pa = a.xread("BLOCK", 5000, "STREAMS", "s1", "s2", "$", "$");
    const pb = b.xread("COUNT", 5, "BLOCK", 5000, "STREAMS", "s2", "$");
    await blocked(2);
    await r.xadd("s2", "6-0", "new", "x");
    expect(await pa).toEqual([["s2", [["6-0", ["new", "x"]]]]]);
    expect(await pb).toEqual([["s2", [["6-0", ["new", "x"]]]]]);
  });

  it("BLOCK on a missing key is served when XADD creates it", async () => {
    const a = client();
    const pa = a.xread("BLOCK", 0, "STREAMS", "newkey", "$");
    await blocked(1);
    await r.xadd("newkey", "1-1", "f", "v");
    expect(await pa).toEqual([["newkey", [["1-1", ["f", "v"]]]]]);
  });

  it("a blocked reader with an old ID gets what is there once woken", async () => {
    const a = client();
    const pa = a.xread("BLOCK", 0, "STREAMS", "s1", "2-0");
    await blocked(1);
    await r.xadd("other", "1-0", "f", "v");
    await r.xadd("s1", "3-0", "f", "v");
    expect(await pa).toEqual([["s1", [["3-0", ["f", "v"]]]]]);
  });

  it("inside MULTI a BLOCK read replies at once", async () => {
    const res = await r.multi().xread("BLOCK", 0, "STREAMS", "s1", "$").exec();
    expect(res).toEqual([[null, null]]);
  });

  it("a blocked XREAD is not served an empty array", async () => {
    await r.xadd("e", "666-0", "f", "v");
    await r.xadd("e", "667-0", "f2", "v2");
    await r.xdel("e", "667-0");
    expect(await client().xread("BLOCK", 10, "STREAMS", "e", "666")).toBeNull();
  });

  it("XADD + DEL (and a list in its place) in MULTI do not wake the reader", async () => {
    const a = client();
    const pa = a.xread("BLOCK", 5000, "STREAMS", "k", "$");
    await blocked(1);
    await r.multi().xadd("k", "*", "old", "x").del("k").lpush("k", "a").exec();
    await r.del("k");
    await r.xadd("k", "5-0", "new", "y");
    expect(await pa).toEqual([["k", [["5-0", ["new", "y"]]]]]);
  });

  it("the same stream named several times is served once", async () => {
    await r.xadd("d", "1-0", "old", "x");
    const a = client();
    const pa = a.xread("BLOCK", 5000, "STREAMS", "d", "d", "d", "$", "$", "$");
    await blocked(1);
    await r.multi().xadd("d", "2-0", "f", "one").xadd("d", "3-0", "f", "two").exec();
    expect(await pa).toEqual([
      [
        "d",
        [
          ["2-0", ["f", "one"]],
          ["3-0", ["f", "two"]],
        ],
      ],
    ]);
  });

  it("stream ID edges, blocking and not", async () => {
    const a = client();
    const pa = a.xread("BLOCK", 0, "STREAMS", "x", "1-18446744073709551615");
    await blocked(1);
    await r.xadd("x", "1-1", "f", "v");
    await r.xadd("x", "1-18446744073709551615", "f", "v");
    await r.xadd("x", "2-1", "f", "v");
    expect(await pa).toEqual([["x", [["2-1", ["f", "v"]]]]]);
    expect(await r.xread("BLOCK", 0, "STREAMS", "x", "1-18446744073709551615")).toEqual([["x", [["2-1", ["f", "v"]]]]]);
    await r.xadd("y", "2577343934890-18446744073709551615", "f", "v");
    expect(await r.xadd("y", "*", "f2", "v2")).toBe("2577343934891-0");
  });
});

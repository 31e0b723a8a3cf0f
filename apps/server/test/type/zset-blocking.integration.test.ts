import type { Redis } from "ioredis";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";

/** BZPOPMIN, BZPOPMAX and BZMPOP (Redis's tests/unit/type/zset.tcl blocking cases), on both targets. */
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

function client(): Redis {
  const c = target.client();
  extra.push(c);
  return c;
}

/** Waits until `n` clients are blocked (INFO clients), bounded. */
async function blockedClients(n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const info = await r.info("clients");
    if (Number(/blocked_clients:(\d+)/.exec(info)?.[1]) >= n) return;
    await new Promise((res) => setTimeout(res, 5));
  }
  throw new Error(`never saw ${n} blocked clients`);
}

describe("BZPOPMIN / BZPOPMAX", () => {
  it("pop at once from the first non-empty key", async () => {
    await r.zadd("z2", 1, "a", 2, "b", 3, "c");
    expect(await r.call("BZPOPMIN", "z1", "z2", 0)).toEqual(["z2", "a", "1"]);
    expect(await r.call("BZPOPMAX", "z1", "z2", 0)).toEqual(["z2", "c", "3"]);
    expect(await r.call("BZPOPMAX", "z2", 0)).toEqual(["z2", "b", "2"]);
    expect(await r.exists("z2")).toBe(0);
  });

  it("block until ZADD serves them, in the order they blocked", async () => {
    const a = client();
    const b = client();
    const first = a.call("BZPOPMIN", "z", 5);
    await blockedClients(1);
    const second = b.call("BZPOPMIN", "z", 5);
    await blockedClients(2);
    await r.zadd("z", 2, "two", 1, "one");
    expect(await first).toEqual(["z", "one", "1"]);
    expect(await second).toEqual(["z", "two", "2"]);
    expect(await r.exists("z")).toBe(0);
  });

  it("time out with a null array after a fractional timeout", async () => {
    const c = client();
    const t0 = Date.now();
    expect(await c.call("BZPOPMIN", "z", "0.05")).toBeNull();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
  });

  it("refuse bad timeouts", async () => {
    await expect(r.call("BZPOPMIN", "z", -1)).rejects.toThrow("ERR timeout is negative");
    await expect(r.call("BZPOPMIN", "z", "x")).rejects.toThrow("ERR timeout is not a float or out of range");
  });

  it("inside MULTI never block: a missing key gives a null", async () => {
    const results = await r.multi().call("BZPOPMIN", "z", 0).zadd("z", 1, "a").call("BZPOPMAX", "z", 0).exec();
    expect(results).toEqual([
      [null, null],
      [null, 1],
      [null, ["z", "a", "1"]],
    ]);
  });

  it("a key of another type is WRONGTYPE", async () => {
    await r.set("s", "x");
    await expect(r.call("BZPOPMIN", "s", 0)).rejects.toThrow("WRONGTYPE");
  });
});

describe("BZMPOP", () => {
  it("pops COUNT members from the first non-empty key", async () => {
    await r.zadd("z", 1, "a", 2, "b", 3, "c");
    expect(await r.call("BZMPOP", 0, 2, "none", "z", "MIN", "COUNT", 2)).toEqual([
      "z",
      [
        ["a", "1"],
        ["b", "2"],
      ],
    ]);
    expect(await r.call("BZMPOP", 0, 1, "z", "MAX")).toEqual(["z", [["c", "3"]]]);
  });

  it("blocks until a member arrives and times out with null", async () => {
    const c = client();
    const pending = c.call("BZMPOP", 5, 1, "z", "MAX", "COUNT", 10);
    await blockedClients(1);
    await r.zadd("z", 1, "a", 2, "b");
    expect(await pending).toEqual([
      "z",
      [
        ["b", "2"],
        ["a", "1"],
      ],
    ]);
    expect(await c.call("BZMPOP", "0.02", 1, "z", "MIN")).toBeNull();
  });

  it("checks its arguments as Redis does", async () => {
    await expect(r.call("BZMPOP", 0, 0, "z", "MIN")).rejects.toThrow("ERR numkeys should be greater than 0");
    await expect(r.call("BZMPOP", 0, 2, "z", "MIN")).rejects.toThrow("ERR syntax error");
    await expect(r.call("BZMPOP", 0, 1, "z", "MIN", "COUNT", 0)).rejects.toThrow("ERR count should be greater than 0");
    await expect(r.call("BZMPOP", 0, 1, "z", "FOO")).rejects.toThrow("ERR syntax error");
    await expect(r.call("BZMPOP", -1, 1, "z", "MIN")).rejects.toThrow("ERR timeout is negative");
  });
});

describe("waiters of different kinds on one key", () => {
  it("a list push serves the list waiter behind a sorted-set waiter", async () => {
    const z = client();
    const l = client();
    const zpending = z.call("BZPOPMIN", "k", "0.5");
    await blockedClients(1);
    const lpending = l.call("BLPOP", "k", 5);
    await blockedClients(2);
    await r.rpush("k", "x");
    expect(await lpending).toEqual(["k", "x"]);
    expect(await zpending).toBeNull();
  });
});

import type { Redis } from "ioredis";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

// Redis 7.0's stale-key WATCH rules (multi.c `watchedKey.expired`), as unit/multi checks them:
// a key already expired when watched is logically missing, so its deletion changes nothing,
// while a key that expires after WATCH fails EXEC even if nobody touched it.
const target = useTarget([["enable-debug-command", ["yes"]]]);
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
  // Only lazy expiry: the keys stay in the keyspace, past their deadline, until looked up.
  await r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
});
afterEach(async () => {
  await r.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client on `db` with `key` set to expire in 1 ms, already past its deadline. */
async function staleKey(db: number, key: string): Promise<void> {
  const c = target.client();
  await c.select(db);
  await c.set(key, "v", "PX", 1);
  await sleep(5);
  c.disconnect();
}

describe("WATCH and expired keys", () => {
  it("a key that expires after WATCH fails EXEC though never read", async () => {
    // Long enough that WATCH sees the key alive even on a loaded machine.
    await r.set("sw:k", "1", "PX", 300);
    const w = target.client();
    await w.watch("sw:k");
    await sleep(400);
    expect(await w.multi().incr("sw:k").exec()).toBeNull();
  });

  it("a key already expired when watched does not fail EXEC", async () => {
    await staleKey(0, "sw:x");
    const w = target.client();
    await w.watch("sw:x");
    expect(await w.multi().ping().exec()).toEqual([[null, "PONG"]]);
  });

  it("the lazy deletion of a stale watched key does not fail EXEC", async () => {
    await staleKey(0, "sw:x");
    const w = target.client();
    await w.watch("sw:x");
    expect(await w.exists("sw:x")).toBe(0);
    expect(await w.multi().ping().exec()).toEqual([[null, "PONG"]]);
  });

  it("FLUSHDB of a stale watched key does not fail EXEC", async () => {
    await staleKey(0, "sw:x");
    const w = target.client();
    await w.watch("sw:x");
    await w.flushdb();
    expect(await w.multi().ping().exec()).toEqual([[null, "PONG"]]);
  });

  it("SWAPDB bringing a stale key where none was does not fail EXEC", async () => {
    await staleKey(0, "sw:x");
    const w = target.client();
    await w.select(1);
    await w.watch("sw:x");
    await w.swapdb(0, 1);
    expect(await w.multi().ping().exec()).toEqual([[null, "PONG"]]);
  });

  it("SWAPDB replacing a stale key with another stale key does not fail EXEC", async () => {
    await staleKey(1, "sw:x");
    await staleKey(0, "sw:x");
    const w = target.client();
    await w.select(1);
    await w.watch("sw:x");
    await w.swapdb(0, 1);
    expect(await w.multi().ping().exec()).toEqual([[null, "PONG"]]);
  });

  it("a stale watched key overwritten with a live value still fails EXEC", async () => {
    await staleKey(0, "sw:x");
    const w = target.client();
    await w.watch("sw:x");
    await r.set("sw:x", "new");
    expect(await w.multi().ping().exec()).toBeNull();
  });

  it("SWAPDB bringing a live key over a watched stale one fails EXEC", async () => {
    await staleKey(1, "sw:x");
    await r.set("sw:x", "live");
    const w = target.client();
    await w.select(1);
    await w.watch("sw:x");
    await w.swapdb(0, 1);
    expect(await w.multi().ping().exec()).toBeNull();
  });
});

// unit/tracking "lazy expired keys" relies on it: Redis's call() fixes the expiry clock for EXEC.
describe("EXEC and time", () => {
  it("keys expire by the instant EXEC started, whatever its commands take", async () => {
    const res = await r.multi().set("tt:x", "v", "PX", 1).call("DEBUG", "SLEEP", "0.05").get("tt:x").exec();
    expect(res).toEqual([
      [null, "OK"],
      [null, "OK"],
      [null, "v"],
    ]);
    expect(await r.get("tt:x")).toBeNull();
  });
});

import { createHash } from "node:crypto";
import { crc64 } from "@nedis/rdb";
import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";

/**
 * List encodings against redis-server 7.0.15's bytes: the same script of pushes, inserts, sets,
 * trims and pops crosses `list-max-listpack-size` both ways, and the DUMP payloads (hence the
 * quicklist node layout) must equal the golden hashes taken from Redis. Also: corrupt RESTORE
 * payloads are refused, and the keyspace events of the list commands are Redis's.
 */

const target = useTarget([["enable-debug-command", ["yes"]]]);
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});

const sha1 = (b: Buffer): string => createHash("sha1").update(b).digest("hex");

/** A deterministic pseudo-random script over key `l`; returns the DUMP hashes taken along the way. */
async function script(fill: string): Promise<string[]> {
  await r.config("SET", "list-max-listpack-size", fill);
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const element = (): string => {
    const k = rnd(6);
    if (k === 0) return String(rnd(100000) - 50000);
    if (k === 1) return "x".repeat(rnd(300));
    return `e${rnd(1000)}`;
  };
  const hashes: string[] = [];
  for (let step = 0; step < 400; step++) {
    const op = rnd(10);
    if (op < 4) await r.rpush("l", element(), element());
    else if (op < 6) await r.lpush("l", element());
    else if (op === 6)
      await r.call("LINSERT", "l", rnd(2) ? "BEFORE" : "AFTER", (await r.lindex("l", rnd(5))) ?? "none", element());
    else if (op === 7) await r.lset("l", 0, element()).catch(() => {});
    else if (op === 8) await r.call("LPOP", "l", String(rnd(4) + 1));
    else await r.call("RPOP", "l", String(rnd(6) + 1));
    if (step % 50 === 49) {
      const dump = await r.dumpBuffer("l");
      hashes.push(dump === null ? "none" : sha1(dump));
    }
  }
  return hashes;
}

describe("quicklist node layout", () => {
  for (const fill of ["4", "-1"]) {
    it(`DUMPs of a scripted list equal Redis's (list-max-listpack-size ${fill})`, async () => {
      const hashes = await script(fill);
      if (process.env.LIST_GOLDEN) console.log(fill, JSON.stringify(hashes));
      expect(hashes).toEqual(GOLDEN[fill]);
      await r.config("SET", "list-max-listpack-size", "-2");
    });
  }
});

/** Rewrites the CRC64 footer of a DUMP payload after an edit. */
function reseal(payload: Buffer): Buffer {
  const body = payload.subarray(0, payload.length - 8);
  const crc = crc64(body, 0, body.length);
  const out = Buffer.from(payload);
  out.writeBigUInt64LE(BigInt.asUintN(64, crc), payload.length - 8);
  return out;
}

describe("RESTORE of corrupt list payloads", () => {
  it("refuses a damaged listpack with Redis's error and no key", async () => {
    // Redis checks every entry only when sanitizing; nedis always does (a bad node must never
    // reach a command), so the expectations hold on both with sanitizing on.
    await r.config("SET", "sanitize-dump-payload", "yes");
    await r.rpush("l", "a", "b", "c");
    const dump = await r.dumpBuffer("l");
    expect(await r.call("RESTORE", "ok", "0", dump)).toBe("OK");
    // Type 18, 1 node, container 2, string length, then the listpack: damage its first entry.
    const bad = Buffer.from(dump);
    bad[10] = 0xf5;
    await expect(r.call("RESTORE", "bad", "0", reseal(bad))).rejects.toThrow("Bad data format");
    const badContainer = Buffer.from(dump);
    badContainer[2] = 7;
    await expect(r.call("RESTORE", "bad", "0", reseal(badContainer))).rejects.toThrow("Bad data format");
    const empty = Buffer.from([18, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    await expect(r.call("RESTORE", "bad", "0", reseal(empty))).rejects.toThrow("Bad data format");
    expect(await r.exists("bad")).toBe(0);
    expect(await r.lrange("ok", 0, -1)).toEqual(["a", "b", "c"]);
    await r.config("SET", "sanitize-dump-payload", "no");
  });
});

describe("keyspace events of the list commands", () => {
  it("are Redis's, in order", async () => {
    await r.config("SET", "notify-keyspace-events", "KEA");
    const sub = target.client();
    const seen: string[] = [];
    sub.on("pmessage", (_p: string, channel: string, message: string) => {
      if (channel.startsWith("__keyspace@0__:")) seen.push(`${channel.slice(15)} ${message}`);
    });
    await sub.psubscribe("__keyspace@0__:*");
    await r.rpush("a", "1", "2", "3");
    await r.lpush("a", "0");
    await r.lpushx("nope", "x");
    await r.lset("a", 0, "z");
    await r.linsert("a", "AFTER", "z", "y");
    await r.lrem("a", 1, "y");
    await r.ltrim("a", 0, 2);
    await r.lmove("a", "b", "LEFT", "RIGHT");
    await r.rpoplpush("a", "b");
    await r.call("LMPOP", "1", "a", "LEFT");
    await r.call("LPOP", "b", "5");
    await r.ping();
    await sub.ping();
    expect(seen).toEqual([
      "a rpush",
      "a lpush",
      "a lset",
      "a linsert",
      "a lrem",
      "a ltrim",
      "b rpush",
      "a lpop",
      "b lpush",
      "a rpop",
      "a lpop",
      "a del",
      "b lpop",
      "b del",
    ]);
    await r.config("SET", "notify-keyspace-events", "");
    sub.disconnect();
  });
});

const GOLDEN: Record<string, string[]> = {
  "4": [
    "5834eb6d02b341d8ae660dbb5d5082a11fe6db06",
    "d540419f6c00efd1e87775eea1acfa0c0e464abd",
    "aed99b7e235c1d4692ea5afc80473299f68db3a8",
    "2945fd9348bae4d9e73d87202f9186cbbfc05e90",
    "6649b7c6a883a78df51f11218d084b9ae0339306",
    "e4e2114512f3ac3f1547862a03c32d990ad3738d",
    "53a27ba3bc451eef35adf4e98d7890383f1669cb",
    "4f8b5b9672afa97083b1901bc300c9e28f78a151",
  ],
  "-1": [
    "9365964d74673663346b69e8d3c95c99b93f73b9",
    "4ab62b1f541f05ec2309c3d551cf0cfa4d1fe6d7",
    "241da7ee9dec66b8f7e2591017c3675ac1c04d0c",
    "0696df8a329057861f48cb986c2515be979e277a",
    "1561f38ce6e83f375813ed9839d1f7f720a4c1b1",
    "9d12fc5fac281d3eb73a089eff40f630bbdd7537",
    "99741b2a6274cf23cb634b7e5d04af80306479db",
    "3a32e92c15ee3a58687ce7b197c695d3c7aab1d0",
  ],
};

/**
 * Quicklist node layout against redis-server 7.0.15 itself: the same RPUSH / LPUSH / LINSERT /
 * LSET / LTRIM / LPOP / RPOP script is replayed on a real Redis and on a {@link Quicklist}, then
 * the key's DUMP (RDB LIST_QUICKLIST_2: one blob per node) must hold exactly our nodes' bytes.
 * Skipped when /usr/bin/redis-server is absent.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { KvPool } from "@nedis/allocators/kv-pool";
import { openDumpPayload, RdbReader, RdbType } from "@nedis/rdb";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Quicklist } from "../../src/values/list/Quicklist.js";

const REDIS = "/usr/bin/redis-server";
const PORT = 20000 + Math.floor(Math.random() * 20000);

function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const LOOK_ALIKES = ["", "0", "-0", "012", "+1", "1.0", "-1", "127", "4095", "-4097", "8388608"];
const LOOK_ALIKES_BIG = ["9007199254740993", "9223372036854775807", "9223372036854775808", "-9223372036854775808"];
const SIZES = [0, 1, 10, 63, 64, 200, 1000, 4095, 4096, 5000, 9000];

function element(rnd: () => number): Buffer {
  const r = rnd();
  if (r < 0.15) return Buffer.from(String(Math.floor((rnd() - 0.5) * 2 ** (1 + Math.floor(rnd() * 52)))));
  if (r < 0.25) return Buffer.from((rnd() < 0.7 ? LOOK_ALIKES : LOOK_ALIKES_BIG)[Math.floor(rnd() * 11) % 4] ?? "");
  if (r < 0.3) return Buffer.from(LOOK_ALIKES[Math.floor(rnd() * LOOK_ALIKES.length)] ?? "");
  const size = rnd() < 0.6 ? Math.floor(rnd() * 120) : (SIZES[Math.floor(rnd() * SIZES.length)] as number);
  const out = Buffer.alloc(size);
  const base = Math.floor(rnd() * 256);
  for (let i = 0; i < size; i++) out[i] = (base + i * 7) & 0xff;
  return out;
}

type Command = [string, ...(string | Buffer)[]];

/** Applies one random command to the model and the quicklist; returns it for Redis. */
function step(rnd: () => number, ql: Quicklist, model: Buffer[], key: string): Command {
  const len = model.length;
  const r = rnd();
  const e = element(rnd);
  if (len === 0 || r < 0.35) {
    ql.pushTail(e, 0, e.length);
    model.push(e);
    return ["rpush", key, e];
  }
  if (r < 0.55) {
    ql.pushHead(e, 0, e.length);
    model.unshift(e);
    return ["lpush", key, e];
  }
  if (r < 0.75) {
    const pivot = model[Math.floor(rnd() * len)] as Buffer;
    const at = model.findIndex((x) => x.equals(pivot));
    const before = rnd() < 0.5;
    if (before) ql.insertBefore(at, e, 0, e.length);
    else ql.insertAfter(at, e, 0, e.length);
    model.splice(before ? at : at + 1, 0, e);
    return ["linsert", key, before ? "BEFORE" : "AFTER", pivot, e];
  }
  if (r < 0.87) {
    const at = Math.floor(rnd() * len);
    const index = rnd() < 0.5 ? at : at - len;
    ql.replaceAtIndex(index, e, 0, e.length);
    model[at] = e;
    return ["lset", key, String(index), e];
  }
  if (r < 0.94) {
    const start = Math.floor(rnd() * 4);
    const stop = -1 - Math.floor(rnd() * 4);
    // ltrimCommand: two quicklistDelRange calls.
    const end = len + stop;
    const [ltrim, rtrim] = start > end || start >= len ? [len, 0] : [start, len - end - 1];
    ql.delRange(0, ltrim);
    ql.delRange(-rtrim, rtrim);
    model.splice(0, ltrim);
    model.splice(model.length - rtrim, rtrim);
    return ["ltrim", key, String(start), String(stop)];
  }
  if (rnd() < 0.5) {
    ql.popHead();
    model.shift();
    return ["lpop", key];
  }
  ql.popTail();
  model.pop();
  return ["rpop", key];
}

/** The node blobs of a LIST_QUICKLIST_2 DUMP payload, with their container (1 plain, 2 packed). */
function dumpNodes(payload: Buffer | null): { plain: boolean; bytes: Buffer }[] {
  if (payload === null) return [];
  const reader = new RdbReader();
  expect(openDumpPayload(reader, payload)).toBe(RdbType.ListQuicklist2);
  const nodes = [];
  for (let n = reader.readLength(); n > 0; n--) {
    const container = reader.readLength();
    reader.readString();
    nodes.push({
      plain: container === 1,
      bytes: Buffer.from(reader.stringBytes.slice(reader.stringStart, reader.stringEnd)),
    });
  }
  return nodes;
}

function ourNodes(ql: Quicklist): { plain: boolean; bytes: Buffer }[] {
  const nodes = [];
  for (let i = 0; i < ql.nodeCount; i++) {
    const off = ql.nodeOffset(i);
    nodes.push({ plain: ql.nodeIsPlain(i), bytes: Buffer.from(ql.nodePage(i).slice(off, off + ql.nodeSize(i))) });
  }
  return nodes;
}

describe.skipIf(!existsSync(REDIS))("Quicklist node layout against redis-server", () => {
  let server: ChildProcess | null = null;
  let redis: Redis | null = null;

  beforeAll(async () => {
    server = spawn(
      REDIS,
      ["--port", String(PORT), "--save", "", "--appendonly", "no", "--enable-debug-command", "yes"],
      {
        stdio: "ignore",
      },
    );
    for (let tries = 0; ; tries++) {
      const client = new Redis({ port: PORT, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on("error", () => {});
      try {
        await client.connect();
        await client.ping();
        redis = client;
        break;
      } catch (error) {
        client.disconnect();
        if (tries > 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }, 20_000);

  afterAll(async () => {
    redis?.disconnect();
    server?.kill();
  });

  const cases: [number, number][] = [
    [-2, 0],
    [-1, 0],
    [-5, 0],
    [1, 0],
    [5, 0],
    [128, 0],
    [-2, 4096],
    [3, 4096],
  ];
  for (const [fill, threshold] of cases) {
    it(`DUMPs the same nodes, fill ${fill}${threshold ? `, packed threshold ${threshold}` : ""}`, async () => {
      const client = redis as Redis;
      await client.config("SET", "list-max-listpack-size", String(fill));
      await client.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", String(threshold));
      const pool = new KvPool({ checkAccess: true });
      let multiNode = 0;
      let plainNodes = 0;
      for (let round = 0; round < 20; round++) {
        const rnd = random(fill * 7919 + threshold + round * 104729 + 17);
        const key = `ql:${fill}:${threshold}:${round}`;
        const ql = new Quicklist(pool, fill, threshold || undefined);
        const model: Buffer[] = [];
        const commands: Command[] = [];
        for (let i = 0; i < (fill === -5 ? 600 : 200); i++) commands.push(step(rnd, ql, model, key));
        const results = await client.pipeline(commands).exec();
        for (const [error] of results ?? []) expect(error).toBeNull();
        const theirs = dumpNodes(await client.dumpBuffer(key));
        const ours = ourNodes(ql);
        expect(ours.length, `round ${round}: node count`).toBe(theirs.length);
        if (ours.length > 1) multiNode++;
        plainNodes += ours.filter((n) => n.plain).length;
        for (let i = 0; i < ours.length; i++) {
          expect(ours[i]?.plain, `round ${round}: node ${i} container`).toBe(theirs[i]?.plain);
          expect(ours[i]?.bytes.equals(theirs[i]?.bytes as Buffer), `round ${round}: node ${i} bytes`).toBe(true);
        }
        ql.free();
      }
      expect(pool.usedBytes).toBe(0);
      // The script must have exercised several nodes (and plain ones under a low threshold).
      expect(multiNode).toBeGreaterThan(10);
      if (threshold > 0) expect(plainNodes).toBeGreaterThan(0);
    }, 60_000);
  }

  // Element lengths swept: node sizes land exactly on the 4 KB / 8 KB
  // limits (SIZE_ESTIMATE_OVERHEAD) and on the merge estimate's edge (`a->sz + b->sz - 11`).
  for (const fill of [-1, -2, 128]) {
    it(`DUMPs the same nodes at the size limits, fill ${fill}`, async () => {
      const client = redis as Redis;
      await client.config("SET", "list-max-listpack-size", String(fill));
      await client.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0");
      const pool = new KvPool();
      const commands: Command[] = [];
      const lists: Quicklist[] = [];
      const rnd = random(4242 + fill);
      for (let len = 4; len <= 160; len++) {
        const key = `sweep:${fill}:${len}`;
        const ql = new Quicklist(pool, fill);
        const model: Buffer[] = [];
        let serial = 0;
        // Lengths len..len+3, so that node sizes fall on every byte near the limits.
        const next = (): Buffer => Buffer.from(`x${String(serial++).padStart(len - 1 + ((serial * 7) % 4), "0")}`);
        for (let i = 0; i < 120; i++) {
          const e = next();
          ql.pushTail(e, 0, e.length);
          model.push(e);
          commands.push(["rpush", key, e]);
        }
        for (let i = 0; i < 60; i++) {
          const at = Math.floor(rnd() * model.length);
          const e = next();
          const before = rnd() < 0.5;
          if (before) ql.insertBefore(at, e, 0, e.length);
          else ql.insertAfter(at, e, 0, e.length);
          commands.push(["linsert", key, before ? "BEFORE" : "AFTER", model[at] as Buffer, e]);
          model.splice(before ? at : at + 1, 0, e);
          if (i % 10 === 9) {
            const count = 1 + Math.floor(rnd() * 5);
            const start = Math.floor(rnd() * (model.length - count));
            // LTRIM-like cut in the middle: LREM of `count` elements one by one (quicklistDelEntry).
            for (let k = 0; k < count; k++) {
              commands.push(["lrem", key, "1", model[start] as Buffer]);
              ql.delRange(start, 1);
              model.splice(start, 1);
            }
          }
        }
        lists.push(ql);
      }
      const results = await client.pipeline(commands).exec();
      for (const [error] of results ?? []) expect(error).toBeNull();
      for (let len = 4; len <= 160; len++) {
        const ql = lists[len - 4] as Quicklist;
        const theirs = dumpNodes(await client.dumpBuffer(`sweep:${fill}:${len}`));
        const ours = ourNodes(ql);
        expect(
          ours.map((n) => n.bytes.length),
          `length ${len}`,
        ).toEqual(theirs.map((n) => n.bytes.length));
        for (let i = 0; i < ours.length; i++) expect(ours[i]?.bytes.equals(theirs[i]?.bytes as Buffer)).toBe(true);
        ql.free();
      }
      expect(pool.usedBytes).toBe(0);
    }, 60_000);
  }
});

import { type KeyEntryReader, RemovalReason } from "@nedis/keyspace";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NedisServer, startServer } from "../src/index.js";

/**
 * Every write reaches the keyspace through its gateways — key added, key removed (with a
 * reason), value about to change — and the last one is called *before* the first byte changes:
 * a forkless snapshot copies the old value there. Spies on the gateway hooks of an in-process
 * server record what the entry held when they were called.
 */

let server: NedisServer;
let r: Redis;

interface Seen {
  kind: "changing" | "removed" | "added";
  key: string;
  value?: string;
  deadline?: number;
  reason?: number;
}
const seen: Seen[] = [];

function entryOf(db: KeyEntryReader, ref: number): { key: string; value: string } {
  db.loadKey(db.handleAt(ref));
  const key = Buffer.from(db.keyBuf.subarray(db.keyOff, db.keyOff + db.keyLen)).toString("latin1");
  db.loadValue(ref);
  const value = Buffer.from(db.valueBuf.subarray(db.valueOff, db.valueOff + db.valueLen)).toString("latin1");
  return { key, value };
}

beforeAll(async () => {
  server = await startServer({
    anyPort: true,
    options: [
      ["bind", ["127.0.0.1"]],
      ["save", [""]],
      ["loglevel", ["warning"]],
    ],
  });
  r = new Redis({ host: "127.0.0.1", port: server.addresses[0]!.port, maxRetriesPerRequest: 1 });
  const ks = server.keyspace;
  ks.onKeyChanging = (db, ref) =>
    seen.push({ kind: "changing", ...entryOf(db, ref), deadline: ks.db(db.id).expireAt(ref) });
  ks.onKeyRemoved = (db, ref, reason) => seen.push({ kind: "removed", ...entryOf(db, ref), reason });
  ks.onKeyAdded = (_db, key, off, len) =>
    seen.push({ kind: "added", key: Buffer.from(key.subarray(off, off + len)).toString("latin1") });
});
afterAll(async () => {
  r.disconnect();
  await server.close();
});

/** Sets k to `value` (with a TTL when asked), runs `cmd`, returns what the gateways saw for it. */
async function run(value: string, cmd: string[], ttl = false): Promise<Seen[]> {
  await r.set("k", value);
  if (ttl) await r.expire("k", 1000);
  seen.length = 0;
  await r.call(cmd[0]!, ...cmd.slice(1));
  return seen.filter((s) => s.key === "k" || s.key === "k2");
}

describe("the value-changing gateway", () => {
  const inPlace: [string, string[]][] = [
    ["SET", ["SET", "k", "new"]],
    ["SET KEEPTTL", ["SET", "k", "new", "KEEPTTL"]],
    ["SET GET", ["SET", "k", "new", "GET"]],
    ["SET XX EX", ["SET", "k", "new", "XX", "EX", "100"]],
    ["SETEX", ["SETEX", "k", "100", "new"]],
    ["PSETEX", ["PSETEX", "k", "100000", "new"]],
    ["GETSET", ["GETSET", "k", "new"]],
    ["MSET", ["MSET", "k", "new", "other", "x"]],
    ["INCR (same length)", ["INCR", "k"]],
    ["INCR (longer)", ["INCRBY", "k", "1000"]],
    ["DECR", ["DECR", "k"]],
    ["DECRBY", ["DECRBY", "k", "5"]],
    ["INCRBYFLOAT", ["INCRBYFLOAT", "k", "0.5"]],
    ["APPEND", ["APPEND", "k", "tail"]],
    ["SETRANGE (inside)", ["SETRANGE", "k", "0", "9"]],
    ["SETRANGE (growing)", ["SETRANGE", "k", "10", "zz"]],
    ["GETEX EX", ["GETEX", "k", "EX", "100"]],
    ["EXPIRE", ["EXPIRE", "k", "100"]],
    ["PEXPIREAT", ["PEXPIREAT", "k", String(Date.now() + 100_000)]],
  ];
  it.each(inPlace)("%s calls it once, while the old value is still in place", async (_name, cmd) => {
    const calls = await run("100", cmd);
    expect(calls).toEqual([{ kind: "changing", key: "k", value: "100", deadline: -1 }]);
    expect(await r.get("k")).not.toBeNull();
  });

  it("PERSIST and GETEX PERSIST call it while the old deadline is still set", async () => {
    for (const cmd of [
      ["PERSIST", "k"],
      ["GETEX", "k", "PERSIST"],
    ]) {
      const calls = await run("100", cmd, true);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.kind).toBe("changing");
      expect(calls[0]!.deadline).toBeGreaterThan(Date.now());
      expect(await r.ttl("k")).toBe(-1);
    }
  });

  it("writes that change nothing do not call it", async () => {
    for (const cmd of [
      ["SETNX", "k", "x"],
      ["SET", "k", "x", "NX"],
      ["PERSIST", "k"],
      ["GET", "k"],
      ["SETRANGE", "k", "0", ""],
      ["INCR", "nokey-but-k-untouched"],
    ]) {
      expect(await run("100", cmd), cmd.join(" ")).toEqual([]);
    }
  });
});

describe("the key-removed and key-added gateways", () => {
  it("deletions tell the reason while the entry is still readable", async () => {
    expect(await run("v", ["DEL", "k"])).toEqual([
      { kind: "removed", key: "k", value: "v", reason: RemovalReason.Deleted },
    ]);
    expect(await run("v", ["GETDEL", "k"])).toEqual([
      { kind: "removed", key: "k", value: "v", reason: RemovalReason.Deleted },
    ]);
    expect(await run("v", ["EXPIRE", "k", "-1"])).toEqual([
      { kind: "removed", key: "k", value: "v", reason: RemovalReason.Deleted },
    ]);
    await r.set("k2", "old");
    expect(await run("v", ["RENAME", "k", "k2"])).toEqual([
      { kind: "removed", key: "k2", value: "old", reason: RemovalReason.Overwritten },
      { kind: "removed", key: "k", value: "v", reason: RemovalReason.Moved },
      { kind: "added", key: "k2" },
    ]);
  });

  it("new keys are announced once, whatever command writes them", async () => {
    for (const cmd of [
      ["SET", "k2", "v"],
      ["INCR", "k2"],
      ["APPEND", "k2", "v"],
      ["SETRANGE", "k2", "2", "v"],
      ["MSETNX", "k2", "v"],
      ["COPY", "k", "k2"],
    ]) {
      await r.del("k2");
      expect(await run("1", cmd), cmd.join(" ")).toEqual([{ kind: "added", key: "k2" }]);
    }
  });

  it("expiry removes with its own reason", async () => {
    seen.length = 0;
    await r.set("k", "v", "PX", 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await r.get("k");
    // Lazily on GET or by the active cycle before it: removed once, as expired.
    expect(seen.filter((s) => s.key === "k" && s.kind === "removed")).toEqual([
      { kind: "removed", key: "k", value: "v", reason: RemovalReason.Expired },
    ]);
  });
});

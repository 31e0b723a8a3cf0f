import { Keyspace, RemovalReason, StringEncodingMode } from "@nedis/keyspace";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArraySource, KeyspaceSnapshot, loadRdb, MemorySink, RdbFileWriter, RdbSnapshotWriter } from "../src/index.js";
import { keyspaceDigest } from "./utils/digest.js";

const AUX = { redisVersion: "7.0.15", ctime: 1, usedMemory: 0, aofBase: false };

function set(ks: Keyspace, db: number, key: string, value: string, deadline = 0): void {
  const d = ks.db(db);
  const k = Buffer.from(key);
  const v = Buffer.from(value);
  const ref = d.lookupWrite(k, 0, k.length);
  if (ref >= 0) d.overwriteString(ref, v, 0, v.length, StringEncodingMode.Auto, false, deadline);
  else d.insertString(k, 0, k.length, v, 0, v.length, StringEncodingMode.Auto, deadline);
}

function del(ks: Keyspace, db: number, key: string): void {
  const k = Buffer.from(key);
  ks.db(db).delete(k, 0, k.length, RemovalReason.Deleted);
}

function expire(ks: Keyspace, db: number, key: string, deadline: number): void {
  const k = Buffer.from(key);
  const d = ks.db(db);
  const ref = d.lookupWrite(k, 0, k.length);
  if (ref >= 0) d.setExpire(ref, deadline);
}

function startSnapshot(ks: Keyspace): { snapshot: KeyspaceSnapshot; bytes: () => Uint8Array } {
  const sink = new MemorySink();
  const writer = new RdbFileWriter(sink, { compress: true, checksum: true });
  writer.writeHeader(AUX);
  const snapshot = new KeyspaceSnapshot(ks, new RdbSnapshotWriter(ks, writer));
  snapshot.start();
  return {
    snapshot,
    bytes: () => {
      while (snapshot.step(1000));
      writer.finish();
      return sink.bytes();
    },
  };
}

function loaded(bytes: Uint8Array): Keyspace {
  const ks = new Keyspace({ timers: false });
  loadRdb(new ArraySource(bytes), ks, { now: -1, verifyChecksum: true });
  return ks;
}

const keyName = fc.integer({ min: 0, max: 40 }).map((i) => `k${i}`);
const op = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), db: fc.nat(2), key: keyName, value: fc.string({ maxLength: 60 }) }),
  fc.record({ kind: fc.constant("del" as const), db: fc.nat(2), key: keyName }),
  fc.record({
    kind: fc.constant("expire" as const),
    db: fc.nat(2),
    key: keyName,
    at: fc.integer({ min: 1e12, max: 4e12 }),
  }),
  fc.record({ kind: fc.constant("flushdb" as const), db: fc.nat(2) }),
  fc.record({ kind: fc.constant("flushall" as const) }),
  fc.record({ kind: fc.constant("swapdb" as const), a: fc.nat(2), b: fc.nat(2) }),
  fc.record({ kind: fc.constant("step" as const), keys: fc.integer({ min: 1, max: 5 }) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function apply(ks: Keyspace, snapshot: KeyspaceSnapshot, o: Op): void {
  switch (o.kind) {
    case "set":
      return set(ks, o.db, o.key, o.value);
    case "del":
      return del(ks, o.db, o.key);
    case "expire":
      return expire(ks, o.db, o.key, o.at);
    case "flushdb":
      ks.db(o.db).flush();
      return;
    case "flushall":
      ks.flushAll();
      return;
    case "swapdb":
      ks.swapDatabases(o.a, o.b);
      return;
    case "step":
      snapshot.step(1000, o.keys);
      return;
  }
}

describe("forkless snapshot (copy before first write)", () => {
  it("writes exactly the keyspace as it was at the start, whatever happens during the walk", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(2), keyName, fc.string({ maxLength: 40 })), { maxLength: 60 }),
        fc.array(op, { maxLength: 80 }),
        (initial, ops) => {
          const ks = new Keyspace({ timers: false, databases: 3 });
          for (const [db, key, value] of initial) set(ks, db, key, value, key.length % 3 === 0 ? 3e12 : 0);
          const expected = keyspaceDigest(ks);
          const { snapshot, bytes } = startSnapshot(ks);
          for (const o of ops) apply(ks, snapshot, o);
          const after = keyspaceDigest(ks);
          const file = bytes();
          expect(keyspaceDigest(loaded(file))).toBe(expected);
          // The snapshot changed nothing in the live keyspace.
          expect(keyspaceDigest(ks)).toBe(after);
          expect(snapshot.failure).toBeNull();
          expect(ks.onKeyChanging).toBeNull();
          expect(ks.onKeyRemoved).toBeNull();
        },
      ),
      { numRuns: 300, seed: 21 },
    );
  });

  it("walks in slices and leaves the keyspace's own hooks in place", () => {
    const ks = new Keyspace({ timers: false });
    for (let i = 0; i < 1000; i++) set(ks, i % 4, `key:${i}`, `v${i}`);
    const calls: string[] = [];
    ks.onKeyRemoved = () => calls.push("removed");
    const expected = keyspaceDigest(ks);
    const { snapshot, bytes } = startSnapshot(ks);
    expect(snapshot.step(1000, 100)).toBe(true);
    expect(snapshot.keysVisited).toBe(100);
    del(ks, 3, "key:999");
    expect(calls).toEqual(["removed"]);
    expect(keyspaceDigest(loaded(bytes()))).toBe(expected);
    expect(snapshot.keysVisited).toBe(1000);
    expect(ks.onKeyRemoved).not.toBeNull();
  });
});

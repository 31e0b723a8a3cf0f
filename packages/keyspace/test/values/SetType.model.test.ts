import { RdbOutput, RdbReader } from "@nedis/rdb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Database,
  digestValue,
  dumpValue,
  Encoding,
  loadDumpPayload,
  ObjectType,
  PayloadStatus,
  picked,
  SetType,
  setTypeAdd,
  setTypeCreate,
  setTypeForEach,
  setTypeIsMember,
  setTypeRandom,
  setTypeRebuild,
  setTypeRemove,
  setTypeRemovePicked,
  setTypeSize,
  ValueLoad,
} from "../../src/index.js";
import { b, manualKeyspace } from "../utils/fixtures.js";

/**
 * The set type API against a JS `Set`, over random operation sequences that cross
 * `set-max-intset-entries` and add non-integer members (intset → hashtable, never back), with
 * DUMP/RESTORE, COPY and DEBUG DIGEST-VALUE checked along the way.
 */

const KEY = b("s");

function lookup(db: Database): number {
  return db.lookupWrite(KEY, 0, KEY.length);
}

function members(db: Database, ref: number): string[] {
  const out: string[] = [];
  setTypeForEach(db, ref, {
    member: (buf, off, len) => out.push(Buffer.from(buf.subarray(off, off + len)).toString("latin1")),
  });
  return out.sort();
}

const member = fc.oneof(
  fc.integer({ min: -40, max: 40 }).map(String),
  fc.constantFrom("9223372036854775807", "-9223372036854775808", "4294967296", "-70000", "65536", "9007199254740993"),
  fc.constantFrom("a", "b", "x1", "01", "+5", " 7", "", "9223372036854775808", "é"),
);

type Op = { kind: "add" | "remove"; m: string } | { kind: "pop" } | { kind: "dump" };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: member.map((m) => ({ kind: "add" as const, m })) },
  { weight: 2, arbitrary: member.map((m) => ({ kind: "remove" as const, m })) },
  { weight: 1, arbitrary: fc.constant({ kind: "pop" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "dump" as const }) },
);

const isInt = (m: string): boolean =>
  /^(0|-?[1-9][0-9]*)$/.test(m) && BigInt(m) >= -(2n ** 63n) && BigInt(m) < 2n ** 63n;

function digest(db: Database, ref: number): string {
  const d = new Uint8Array(20);
  digestValue(db, ref, d);
  return Buffer.from(d).toString("hex");
}

describe("SetType against a model", () => {
  it("keeps the members, the count and Redis's encoding rules", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.array(op, { maxLength: 120 }), (limit, ops) => {
        const { ks } = manualKeyspace({ limits: { setMaxIntsetEntries: limit } });
        const db = ks.db(0);
        const model = new Set<string>();
        let converted = false;
        const out = new RdbOutput(64);
        const reader = new RdbReader();
        const load = new ValueLoad();
        load.host = ks;
        for (const o of ops) {
          let ref = lookup(db);
          if (o.kind === "add") {
            const m = b(o.m);
            if (ref < 0) {
              setTypeCreate(db, KEY, 0, KEY.length, m, 0, m.length);
              converted = !isInt(o.m) || limit === 0;
            } else {
              expect(setTypeAdd(db, ref, m, 0, m.length)).toBe(!model.has(o.m));
            }
            // Only an add that adds converts (an intset restored past the limit keeps its encoding).
            const added = !model.has(o.m);
            model.add(o.m);
            if (!isInt(o.m) || (added && model.size > limit)) converted = true;
          } else if (o.kind === "remove") {
            if (ref < 0) continue;
            const m = b(o.m);
            expect(setTypeRemove(db, ref, m, 0, m.length)).toBe(model.has(o.m));
            model.delete(o.m);
          } else if (o.kind === "pop") {
            if (ref < 0) continue;
            const token = setTypeRandom(db, ref);
            const m = Buffer.from(picked.buf.subarray(picked.off, picked.off + picked.len)).toString("latin1");
            expect(model.has(m)).toBe(true);
            setTypeRemovePicked(db, ref, token);
            model.delete(m);
          } else {
            if (ref < 0) continue;
            const before = digest(db, ref);
            out.reset();
            dumpValue(db, ref, out, { compress: true });
            const payload = out.buffer.slice(0, out.length);
            expect(loadDumpPayload(payload, 0, payload.length, reader, load)).toBe(PayloadStatus.Ok);
            db.delete(KEY, 0, KEY.length);
            expect(lookup(db)).toBe(-1);
            ref = load.commit(db, KEY, 0, KEY.length, 0, false);
            expect(digest(db, ref)).toBe(before);
            // A copy is equal too, and independent.
            const copyKey = b("c");
            db.delete(copyKey, 0, 1);
            const copy = db.copyFrom(db, lookup(db), copyKey, 0, 1);
            expect(digest(db, copy)).toBe(before);
            db.delete(copyKey, 0, 1);
            ref = lookup(db);
            // RESTORE decides with the configured limit, as Redis's rdbLoadObject.
            converted = [...model].some((m) => !isInt(m)) || model.size > limit;
          }
          ref = lookup(db);
          if (ref >= 0 && setTypeSize(db, ref) === 0) {
            db.delete(KEY, 0, KEY.length);
            ref = -1;
          }
          if (ref < 0) {
            expect(model.size).toBe(0);
            converted = false;
            continue;
          }
          expect(db.typeAt(ref)).toBe(ObjectType.Set);
          expect(setTypeSize(db, ref)).toBe(model.size);
          expect(members(db, ref)).toEqual([...model].sort());
          for (const m of model) expect(setTypeIsMember(db, ref, b(m), 0, b(m).length)).toBe(true);
          expect(db.encodingAt(ref)).toBe(converted ? Encoding.HashTable : Encoding.IntSet);
        }
        db.flush();
        expect(ks.values.count).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe("SetType, large sets", () => {
  it("restores a large set as a table in the pool, and frees it all on delete", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    const before = ks.usedMemory;
    const all = Array.from({ length: 700 }, (_, i) => (i % 3 === 0 ? `m${i}` : String(i * 7)));
    const first = b(all[0]!);
    lookup(db);
    let ref = setTypeCreate(db, KEY, 0, KEY.length, first, 0, first.length);
    for (const m of all) setTypeAdd(db, lookup(db), b(m), 0, b(m).length);
    ref = lookup(db);
    expect(db.encodingAt(ref)).toBe(Encoding.HashTable);
    const d = digest(db, ref);
    const out = new RdbOutput(64);
    dumpValue(db, ref, out, { compress: false });
    const payload = out.buffer.slice(0, out.length);
    const load = new ValueLoad();
    load.host = ks;
    expect(loadDumpPayload(payload, 0, payload.length, new RdbReader(), load)).toBe(PayloadStatus.Ok);
    db.delete(KEY, 0, KEY.length);
    expect(lookup(db)).toBe(-1);
    ref = load.commit(db, KEY, 0, KEY.length, 0, false);
    expect(digest(db, ref)).toBe(d);
    expect(setTypeSize(db, ref)).toBe(700);
    expect(setTypeIsMember(db, ref, b("m3"), 0, 2)).toBe(true);
    ref = lookup(db);
    expect(setTypeRemove(db, ref, b("m3"), 0, 2)).toBe(true);
    expect(setTypeSize(db, ref)).toBe(699);
    expect(members(db, ref)).toEqual(all.filter((m) => m !== "m3").sort());
    // Every member of an all-integer payload over the limit loads into a table too.
    db.delete(KEY, 0, KEY.length);
    expect(ks.usedMemory).toBe(before);
    expect(ks.values.count).toBe(0);
  });
});

describe("SetType, AOF rewrite and rebuild", () => {
  it("rewrites a set as SADDs of at most 64 members", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    for (const n of [3, 64, 65, 200]) {
      db.delete(KEY, 0, KEY.length);
      lookup(db);
      const all = Array.from({ length: n }, (_, i) => (n === 200 ? `m${i}` : String(i)));
      setTypeCreate(db, KEY, 0, KEY.length, b(all[0]!), 0, all[0]!.length);
      for (const m of all) setTypeAdd(db, lookup(db), b(m), 0, m.length);
      const commands: string[][] = [];
      SetType.rewrite(db, lookup(db), KEY, (args) => commands.push(args.map((a) => Buffer.from(a).toString("latin1"))));
      expect(commands.length).toBe(Math.ceil(n / 64));
      for (const c of commands) {
        expect(c.slice(0, 2)).toEqual(["SADD", "s"]);
        expect(c.length - 2).toBeLessThanOrEqual(64);
      }
      expect(commands.flatMap((c) => c.slice(2)).sort()).toEqual(all.slice().sort());
    }
  });

  it("rebuilds a table of few integers as an intset, and leaves others alone", () => {
    const { ks } = manualKeyspace({ limits: { setMaxIntsetEntries: 4 } });
    const db = ks.db(0);
    lookup(db);
    setTypeCreate(db, KEY, 0, KEY.length, b("1"), 0, 1);
    for (const m of ["2", "3", "4", "5", "6"]) setTypeAdd(db, lookup(db), b(m), 0, 1);
    expect(db.encodingAt(lookup(db))).toBe(Encoding.HashTable);
    setTypeRebuild(db, lookup(db));
    expect(db.encodingAt(lookup(db))).toBe(Encoding.HashTable);
    for (const m of ["5", "6"]) setTypeRemove(db, lookup(db), b(m), 0, 1);
    setTypeAdd(db, lookup(db), b("x"), 0, 1);
    setTypeRebuild(db, lookup(db));
    expect(db.encodingAt(lookup(db))).toBe(Encoding.HashTable);
    setTypeRemove(db, lookup(db), b("x"), 0, 1);
    setTypeRebuild(db, lookup(db));
    expect(db.encodingAt(lookup(db))).toBe(Encoding.IntSet);
    expect(members(db, lookup(db))).toEqual(["1", "2", "3", "4"]);
    expect(ks.values.count).toBe(0);
  });
});

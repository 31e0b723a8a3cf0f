import { RdbOutput, RdbReader } from "@nedis/rdb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Database,
  digestValue,
  dumpValue,
  Encoding,
  LEX_BYTES,
  LexRange,
  loadDumpPayload,
  PayloadStatus,
  ScoreRange,
  ValueLoad,
  ZSetCursor,
  ZSetType,
  zset,
} from "../../src/index.js";
import { compareBytes } from "../../src/values/zset/LexRange.js";
import { b, manualKeyspace } from "../utils/fixtures.js";

/** The model: elements sorted by (score, member bytes). */
interface Elem {
  score: number;
  member: Uint8Array;
}
const hex = (m: Uint8Array): string => Buffer.from(m).toString("hex");
const cmp = (x: Elem, y: Elem): number =>
  x.score < y.score
    ? -1
    : x.score > y.score
      ? 1
      : compareBytes(x.member, 0, x.member.length, y.member, 0, y.member.length);

const memberArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("a", "b", "c", "d", "e", "f", "10", "-3", "", "ab") },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const scoreArb = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 0.5, 1e20, -2.25) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);
const opArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ op: fc.constant("add" as const), score: scoreArb, member: memberArb, flags: fc.nat(31) }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("del" as const), member: memberArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("remRank" as const), start: fc.nat(6), n: fc.nat(3) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("remScore" as const),
      min: scoreArb,
      max: scoreArb,
      minex: fc.boolean(),
      maxex: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("remLex" as const), min: memberArb, max: memberArb }) },
);

const KEY = b("z");

function refOf(db: Database): number {
  return db.find(KEY, 0, 1);
}

function contents(db: Database, ref: number): Elem[] {
  const out: Elem[] = [];
  const c = new ZSetCursor().open(db, ref);
  for (let ok = c.seekRank(0); ok; ok = c.step(false)) {
    out.push({ score: c.score, member: c.memberBuf.slice(c.memberOff, c.memberOff + c.memberLen) });
  }
  return out;
}

describe("ZSetType against a sorted-array model", () => {
  it("agrees through adds, updates and removals across the listpack/skiplist threshold", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.nat(6), (ops, maxEntries) => {
        const { ks } = manualKeyspace();
        ks.limits.zsetMaxListpackEntries = maxEntries;
        ks.limits.zsetMaxListpackValue = 8;
        const db = ks.db(0);
        let model: Elem[] = [];
        let skiplist = false;
        for (const o of ops) {
          let ref = refOf(db);
          if (o.op === "add") {
            const m = b(o.member);
            let flags = o.flags & (zset.ZADD_IN_INCR | zset.ZADD_IN_GT);
            if (o.flags & 4) flags |= zset.ZADD_IN_XX;
            else if (o.flags & 2 && !(flags & zset.ZADD_IN_GT)) flags |= zset.ZADD_IN_NX;
            if (ref < 0) {
              if (flags & zset.ZADD_IN_XX) continue;
              db.lookupWrite(KEY, 0, 1);
              ref = zset.zsetCreate(db, KEY, 0, 1, m.length);
              skiplist = maxEntries === 0 || m.length > 8;
            }
            const i = model.findIndex((e) => hex(e.member) === hex(m));
            const out = zset.zsetAdd(db, ref, o.score, m, 0, m.length, flags);
            if (i >= 0) {
              const cur = model[i]!.score;
              let next = flags & zset.ZADD_IN_INCR ? cur + o.score : o.score;
              if (flags & zset.ZADD_IN_NX) next = cur;
              if (next !== next) {
                expect(out).toBe(zset.ZADD_OUT_NAN);
                continue;
              }
              if (flags & zset.ZADD_IN_GT && next <= cur) next = cur;
              model[i]!.score = next;
            } else if (!(flags & zset.ZADD_IN_XX)) {
              if (model.length + 1 > maxEntries || m.length > 8) skiplist = true;
              model.push({ score: o.score, member: m });
              expect(out).toBe(zset.ZADD_OUT_ADDED);
            }
          } else if (ref >= 0) {
            let removed: Elem[] = [];
            if (o.op === "del") {
              const m = b(o.member);
              removed = model.filter((e) => hex(e.member) === hex(m));
              expect(zset.zsetDel(db, ref, m, 0, m.length)).toBe(removed.length === 1);
            } else if (o.op === "remRank") {
              const end = Math.min(o.start + o.n, model.length - 1);
              if (o.start <= end) removed = model.slice(o.start, end + 1);
              const n = o.start <= end ? zset.zsetRemoveRangeByRank(db, ref, o.start, end) : 0;
              expect(n).toBe(removed.length);
            } else if (o.op === "remScore") {
              const r = new ScoreRange().set(o.min, o.minex, o.max, o.maxex);
              removed = model.filter((e) => r.gteMin(e.score) && r.lteMax(e.score));
              expect(zset.zsetRemoveRangeByScore(db, ref, r)).toBe(removed.length);
            } else {
              const lo = b(o.min);
              const hi = b(o.max);
              const r = new LexRange()
                .setMin(LEX_BYTES, false, lo, 0, lo.length)
                .setMax(LEX_BYTES, true, hi, 0, hi.length);
              // Lex ranges are defined for equal scores; compare with the model only then.
              if (new Set(model.map((e) => e.score)).size > 1) continue;
              removed = model.filter(
                (e) =>
                  compareBytes(e.member, 0, e.member.length, lo, 0, lo.length) >= 0 &&
                  compareBytes(e.member, 0, e.member.length, hi, 0, hi.length) < 0,
              );
              expect(zset.zsetRemoveRangeByLex(db, ref, r)).toBe(removed.length);
            }
            model = model.filter((e) => !removed.includes(e));
            if (model.length === 0) {
              db.deleteRef(refOf(db));
              skiplist = false;
              continue;
            }
          }
          model.sort(cmp);
          ref = refOf(db);
          if (ref < 0) {
            expect(model.length).toBe(0);
            continue;
          }
          expect(db.encodingAt(ref)).toBe(skiplist ? Encoding.SkipList : Encoding.ListPack);
          expect(zset.zsetLength(db, ref)).toBe(model.length);
          const got = contents(db, ref);
          expect(got.map((e) => hex(e.member))).toEqual(model.map((e) => hex(e.member)));
          // -0 becomes 0 in a listpack (stored as an integer, as Redis does).
          expect(got.map((e) => e.score + 0)).toEqual(model.map((e) => e.score + 0));
          for (let i = 0; i < model.length; i++) {
            const m = model[i]!.member;
            expect(zset.zsetRank(db, ref, m, 0, m.length, false)).toBe(i);
            expect(zset.zsetScore(db, ref, m, 0, m.length) + 0).toBe(model[i]!.score + 0);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("DUMP/RESTORE round-trips both encodings and digests equal across encodings", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(memberArb, scoreArb), { selector: (t) => t[0], minLength: 1, maxLength: 40 }),
        (elems) => {
          const digests: string[] = [];
          for (const limit of [128, 0]) {
            const { ks } = manualKeyspace();
            ks.limits.zsetMaxListpackEntries = limit;
            const db = ks.db(0);
            db.lookupWrite(KEY, 0, 1);
            let ref = zset.zsetCreate(db, KEY, 0, 1, 1);
            for (const [m, s] of elems) {
              const mb = b(m);
              zset.zsetAdd(db, ref, s + 0, mb, 0, mb.length, 0);
            }
            ref = refOf(db);
            const digest = new Uint8Array(20);
            digestValue(db, ref, digest);
            digests.push(hex(digest));
            const out = new RdbOutput(64);
            dumpValue(db, ref, out, { compress: true });
            const payload = out.buffer.slice(0, out.length);
            const load = new ValueLoad();
            load.host = ks;
            expect(loadDumpPayload(payload, 0, payload.length, new RdbReader(), load)).toBe(PayloadStatus.Ok);
            const k2 = b("copy");
            expect(db.lookupWrite(k2, 0, 4)).toBe(-1);
            const copy = load.commit(db, k2, 0, 4, 0, false);
            expect(contents(db, copy).map((e) => [hex(e.member), e.score])).toEqual(
              contents(db, refOf(db)).map((e) => [hex(e.member), e.score]),
            );
          }
          expect(digests[0]).toBe(digests[1]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("AOF rewrite emits ZADD commands of at most 64 pairs that rebuild the value", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    db.lookupWrite(KEY, 0, 1);
    let ref = zset.zsetCreate(db, KEY, 0, 1, 1);
    for (let i = 0; i < 150; i++) {
      const m = b(`m${i}`);
      zset.zsetAdd(db, ref, i / 7, m, 0, m.length, 0);
    }
    ref = refOf(db);
    const commands: string[][] = [];
    ZSetType.rewrite(db, ref, KEY, (args) => commands.push(args.map((a) => Buffer.from(a).toString("latin1"))));
    expect(commands.map((c) => c.length)).toEqual([130, 130, 46]);
    expect(commands[0]!.slice(0, 4)).toEqual(["ZADD", "z", "0", "m0"]);
    const k2 = b("y");
    db.lookupWrite(k2, 0, 1);
    let ref2 = zset.zsetCreate(db, k2, 0, 1, 1);
    for (const c of commands) {
      for (let i = 2; i < c.length; i += 2) {
        const m = b(c[i + 1]!);
        ref2 = db.find(k2, 0, 1);
        zset.zsetAdd(db, ref2, Number(c[i]), m, 0, m.length, 0);
      }
    }
    ref2 = db.find(k2, 0, 1);
    ref = refOf(db);
    expect(contents(db, ref2).map((e) => [hex(e.member), e.score])).toEqual(
      contents(db, ref).map((e) => [hex(e.member), e.score]),
    );
  });
});

import { RdbOutput, RdbReader } from "@nedis/rdb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Database,
  dumpValue,
  Encoding,
  ListEnd,
  listTypeCreate,
  listTypeIndex,
  listTypeInsert,
  listTypeLength,
  listTypeNext,
  listTypePop,
  listTypePush,
  listTypeRemove,
  listTypeReplace,
  listTypeSeek,
  listTypeTrim,
  listValue,
  loadDumpPayload,
  PayloadStatus,
  ValueLoad,
} from "../../src/index.js";
import { b, manualKeyspace } from "../utils/fixtures.js";

const KEY = b("list");
const text = (): string => Buffer.from(listValue.bytes.subarray(listValue.start, listValue.end)).toString("latin1");

function refOf(db: Database): number {
  return db.lookupWrite(KEY, 0, KEY.length);
}

function contents(db: Database): string[] {
  const ref = refOf(db);
  if (ref < 0) return [];
  const out: string[] = [];
  if (!listTypeSeek(db, ref, 0, true)) return out;
  while (listTypeNext()) out.push(text());
  return out;
}

const element = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer().map(String),
  fc.constantFrom("0", "-1", "012", "9223372036854775807", "x".repeat(300)),
);

type Op =
  | { k: "push"; head: boolean; e: string }
  | { k: "pop"; head: boolean }
  | { k: "set"; i: number; e: string }
  | { k: "insert"; after: boolean; pivot: number; e: string }
  | { k: "trim"; l: number; r: number }
  | { k: "rem"; count: number; pivot: number }
  | { k: "index"; i: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant("push" as const), head: fc.boolean(), e: element }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("pop" as const), head: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant("set" as const), i: fc.integer({ min: -30, max: 30 }), e: element }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant("insert" as const), after: fc.boolean(), pivot: fc.nat(40), e: element }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("trim" as const), l: fc.nat(3), r: fc.nat(3) }) },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant("rem" as const), count: fc.integer({ min: -2, max: 2 }), pivot: fc.nat(40) }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("index" as const), i: fc.integer({ min: -30, max: 30 }) }) },
);

function apply(db: Database, model: string[], o: Op): void {
  let ref = refOf(db);
  const need = (): number => {
    if (ref < 0) ref = listTypeCreate(db, KEY, 0, KEY.length);
    return ref;
  };
  const at = (i: number): number => (i < 0 ? model.length + i : i);
  switch (o.k) {
    case "push": {
      const e = b(o.e);
      listTypePush(db, need(), o.head ? ListEnd.Head : ListEnd.Tail, e, 0, e.length);
      if (o.head) model.unshift(o.e);
      else model.push(o.e);
      break;
    }
    case "pop": {
      if (ref < 0) return;
      expect(listTypePop(db, ref, o.head ? ListEnd.Head : ListEnd.Tail)).toBe(true);
      expect(text()).toBe(o.head ? model.shift() : model.pop());
      break;
    }
    case "set": {
      if (ref < 0) return;
      const e = b(o.e);
      const ok = at(o.i) >= 0 && at(o.i) < model.length;
      expect(listTypeReplace(db, ref, o.i, e, 0, e.length)).toBe(ok);
      if (ok) model[at(o.i)] = o.e;
      break;
    }
    case "insert": {
      if (ref < 0) return;
      const pivot = model.length === 0 ? "nope" : model[o.pivot % model.length]!;
      const p = b(pivot);
      const e = b(o.e);
      const idx = model.indexOf(pivot);
      expect(listTypeInsert(db, ref, o.after, p, 0, p.length, e, 0, e.length)).toBe(idx >= 0);
      if (idx >= 0) model.splice(o.after ? idx + 1 : idx, 0, o.e);
      break;
    }
    case "trim": {
      if (ref < 0) return;
      const l = Math.min(o.l, model.length);
      const r = Math.min(o.r, model.length - l);
      listTypeTrim(db, ref, l, r);
      model.splice(0, l);
      model.splice(model.length - r, r);
      break;
    }
    case "rem": {
      if (ref < 0 || model.length === 0) return;
      const pivot = model[o.pivot % model.length]!;
      const p = b(pivot);
      const n = listTypeRemove(db, ref, o.count, p, 0, p.length);
      let expected = 0;
      const limit = o.count === 0 ? Infinity : Math.abs(o.count);
      if (o.count >= 0) {
        for (let i = 0; i < model.length && expected < limit; )
          if (model[i] === pivot) {
            model.splice(i, 1);
            expected++;
          } else i++;
      } else {
        for (let i = model.length - 1; i >= 0 && expected < limit; i--)
          if (model[i] === pivot) {
            model.splice(i, 1);
            expected++;
          }
      }
      expect(n).toBe(expected);
      break;
    }
    case "index": {
      if (ref < 0) return;
      const ok = at(o.i) >= 0 && at(o.i) < model.length;
      expect(listTypeIndex(db, ref, o.i)).toBe(ok);
      if (ok) expect(text()).toBe(model[at(o.i)]);
      break;
    }
  }
  if (ref >= 0 && listTypeLength(db, ref) === 0) db.deleteRef(ref);
}

describe("ListType against an array", () => {
  for (const fill of [4, -1, -2]) {
    it(`agrees across the encodings (list-max-listpack-size ${fill})`, () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
          const { ks } = manualKeyspace({ limits: { listMaxListpackSize: fill } });
          const db = ks.db(0);
          const model: string[] = [];
          let sawQuicklist = false;
          for (const o of ops) {
            apply(db, model, o);
            expect(contents(db)).toEqual(model);
            const ref = refOf(db);
            if (ref >= 0) {
              expect(listTypeLength(db, ref)).toBe(model.length);
              if (db.rawEncodingAt(ref) === Encoding.QuickList) sawQuicklist = true;
              expect(db.encodingAt(ref)).toBe(Encoding.QuickList);
            }
          }
          // DUMP / RESTORE round trip of the final list.
          const ref = refOf(db);
          if (ref >= 0) {
            const out = new RdbOutput();
            dumpValue(db, ref, out, { compress: true });
            const payload = out.view().slice();
            const load = new ValueLoad();
            load.host = ks;
            expect(loadDumpPayload(payload, 0, payload.length, new RdbReader(), load)).toBe(PayloadStatus.Ok);
            db.deleteRef(ref);
            db.lookupWrite(KEY, 0, KEY.length);
            load.commit(db, KEY, 0, KEY.length, 0, false);
            expect(contents(db)).toEqual(model);
            // The restored list takes writes.
            const e = b("tail");
            listTypePush(db, refOf(db), ListEnd.Tail, e, 0, e.length);
            expect(contents(db)).toEqual([...model, "tail"]);
          }
          return sawQuicklist || ops.length < 100 || true;
        }),
        { numRuns: 60 },
      );
    });
  }
});

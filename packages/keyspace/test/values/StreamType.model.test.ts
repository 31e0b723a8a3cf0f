import { RdbOutput, RdbReader } from "@nedis/rdb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Database,
  dumpValue,
  Encoding,
  loadDumpPayload,
  ObjectType,
  PayloadStatus,
  stream,
  ValueLoad,
} from "../../src/index.js";
import { b, manualKeyspace } from "../utils/fixtures.js";

/** The model: entries in ID order, each an ID and its field/value strings. */
interface Entry {
  ms: stream.U64;
  seq: stream.U64;
  fields: string[];
}

const KEY = b("s");

type Op =
  | { kind: "add"; ms: number; seq: number | null; fields: string[] }
  | { kind: "del"; index: number }
  | { kind: "maxlen"; n: number; approx: boolean }
  | { kind: "minid"; index: number; approx: boolean };

const field = fc.constantFrom("a", "b", "c", "12", "-7", "9223372036854775807", "long-value-".repeat(3));
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      ms: fc.integer({ min: 0, max: 3 }),
      seq: fc.option(fc.integer({ min: 0, max: 5 })),
      fields: fc.array(field, { minLength: 2, maxLength: 6 }).map((a) => (a.length % 2 === 0 ? a : a.slice(1))),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("del" as const), index: fc.nat(60) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("maxlen" as const), n: fc.nat(40), approx: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("minid" as const), index: fc.nat(60), approx: fc.boolean() }),
  },
);

function argsOf(fields: string[]): stream.FieldArgs {
  const bufs = fields.map((f) => b(f));
  const buffer = Buffer.concat(bufs);
  const offsets: number[] = [];
  const lengths: number[] = [];
  let at = 0;
  for (const x of bufs) {
    offsets.push(at);
    lengths.push(x.length);
    at += x.length;
  }
  return { buffer, offsets, lengths };
}

function read(db: Database, ref: number, rev = false): Entry[] {
  const s = db.objectAt(ref) as stream.StreamObject;
  const it = new stream.StreamIterator().begin(s, null, null, rev);
  const out: Entry[] = [];
  while (it.next()) {
    const fields: string[] = [];
    for (let i = 0; i < it.numFields; i++) {
      it.nextField();
      fields.push(Buffer.from(stream.elementCopy(it.page, it.fieldP)).toString("latin1"));
      fields.push(Buffer.from(stream.elementCopy(it.page, it.valueP)).toString("latin1"));
    }
    out.push({ ms: it.id.ms, seq: it.id.seq, fields });
  }
  return out;
}

const cmp = (a: Entry, x: stream.StreamId) =>
  a.ms === x.ms ? (a.seq === x.seq ? 0 : a.seq < x.seq ? -1 : 1) : a.ms < x.ms ? -1 : 1;

describe("stream type against a model", () => {
  it("XADD / XDEL / XTRIM sequences keep ID order and content", () => {
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 80 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 300 }),
        (ops, maxEntries, maxBytes) => {
          const { ks } = manualKeyspace();
          ks.limits.streamNodeMaxEntries = maxEntries;
          ks.limits.streamNodeMaxBytes = maxBytes;
          const db = ks.db(0);
          db.lookupWrite(KEY, 0, 1);
          const object = new stream.StreamObject(db.host.pool, db.host.memory);
          let ref = db.insertOutOfLine(KEY, 0, 1, object, ObjectType.Stream, Encoding.Stream);
          const s = db.objectAt(ref) as stream.StreamObject;
          let model: Entry[] = [];
          let last: stream.StreamId = { ms: 0, seq: 0 };
          for (const o of ops) {
            if (o.kind === "add") {
              const id: stream.StreamId = { ms: o.ms, seq: o.seq ?? 0 };
              const result = stream.streamAppendItem(
                s,
                argsOf(o.fields),
                0,
                o.fields.length / 2,
                id,
                o.seq !== null,
                0,
                ks.limits,
              );
              let expected: stream.StreamId | null = id;
              if (o.seq === null) expected = last.ms === id.ms ? { ms: id.ms, seq: stream.u64Inc(last.seq) } : id;
              if (stream.compareStreamId(expected, last) <= 0) expected = null;
              if (expected === null) expect(result).toBe(stream.APPEND_ID_TOO_SMALL);
              else {
                expect(result).toBe(stream.APPEND_OK);
                expect(stream.appendedId).toEqual(expected);
                model.push({ ...expected, fields: o.fields });
                last = expected;
              }
            } else if (o.kind === "del") {
              const target = model[o.index % Math.max(1, model.length)];
              const id = target ?? { ms: 1, seq: 1 };
              const present = target !== undefined;
              expect(stream.streamDeleteItem(s, id)).toBe(present);
              if (present) model = model.filter((e) => cmp(e, id) !== 0);
            } else {
              const args: stream.StreamTrimArgs = {
                strategy: o.kind === "maxlen" ? stream.TRIM_MAXLEN : stream.TRIM_MINID,
                approx: o.approx,
                limit: 0,
                maxlen: o.kind === "maxlen" ? o.n : 0,
                minid:
                  o.kind === "minid"
                    ? (model[o.index % Math.max(1, model.length)] ?? { ms: 0, seq: 0 })
                    : { ms: 0, seq: 0 },
              };
              const before = model.length;
              const removed = stream.streamTrim(s, args);
              if (!o.approx) {
                if (o.kind === "maxlen") model = model.slice(Math.max(0, model.length - o.n));
                else model = model.filter((e) => cmp(e, args.minid) >= 0);
                expect(removed).toBe(before - model.length);
              } else {
                // Whole nodes only: a prefix of the model goes, never more than asked.
                const gone = model.slice(0, removed);
                model = model.slice(removed);
                if (o.kind === "maxlen") expect(model.length).toBeGreaterThanOrEqual(Math.min(before, o.n));
                else expect(gone.every((e) => cmp(e, args.minid) < 0)).toBe(true);
              }
            }
            expect(s.length).toBe(model.length);
          }
          const forward = read(db, ref);
          expect(forward).toEqual(model);
          expect(read(db, ref, true)).toEqual([...model].reverse());
          // A DUMP round trip keeps everything.
          const out = new RdbOutput();
          dumpValue(db, ref, out, { compress: true });
          const payload = out.buffer.slice(0, out.length);
          const load = new ValueLoad();
          load.host = ks;
          expect(loadDumpPayload(payload, 0, payload.length, new RdbReader(), load)).toBe(PayloadStatus.Ok);
          const k2 = b("copy");
          expect(db.lookupWrite(k2, 0, 4)).toBe(-1);
          const copy = load.commit(db, k2, 0, 4, 0, false);
          expect(read(db, copy)).toEqual(model);
          ref = db.lookupRead(KEY, 0, 1);
          expect(read(db, ref)).toEqual(model);
        },
      ),
      { numRuns: 200 },
    );
  });
});

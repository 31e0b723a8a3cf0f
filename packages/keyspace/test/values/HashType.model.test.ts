import { RdbOutput, RdbReader } from "@nedis/rdb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Database,
  digestValue,
  dumpValue,
  Encoding,
  HashDeleted,
  HashReader,
  hashCreate,
  hashDelete,
  hashLength,
  hashSet,
  loadDumpPayload,
  PayloadStatus,
  ValueLoad,
} from "../../src/index.js";
import { b, manualKeyspace } from "../utils/fixtures.js";

/**
 * The hash type API against a `Map`: random HSET/HDEL sequences on a key with small thresholds
 * (8 entries, 20-byte values), so hashes cross listpack → hashtable and are emptied and
 * recreated; after each step the content, length and encoding match the model, and DUMP →
 * RESTORE, COPY and the digest agree with the original.
 */

const ENTRIES = 8;
const VALUE = 20;

/** Field `i`: integer-looking text, plain text, an empty field, or one past the value limit. */
function field(i: number): string {
  if (i === 0) return "";
  if (i === 29) return "a-field-past-the-value-limit";
  if (i % 3 === 0) return String(i * 1000 - 5000);
  return `f${i}`;
}

/** A value from a seed: integers (some int64 extremes), short text, empty, past the limit. */
function value(seed: number): string {
  if (seed % 97 === 0) return `v${seed}`.padEnd(21 + (seed % 20), "y");
  switch (seed % 9) {
    case 0:
      return "";
    case 1:
      return String(seed);
    case 2:
      return "-9223372036854775808";
    case 3:
      return "9223372036854775807";
    case 4:
      return "-1";
    case 5:
      return "0123";
    default:
      return `v${seed % 1000}`;
  }
}

type Op = { kind: "set"; i: number; seed: number } | { kind: "del"; i: number } | { kind: "expire" };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("set" as const), i: fc.nat(30), seed: fc.nat(100000) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("del" as const), i: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("expire" as const) }) },
);

const reader = new HashReader();

function contentOf(db: Database, key: string): Map<string, string> | null {
  const k = b(key);
  const ref = db.find(k, 0, k.length);
  if (ref < 0) return null;
  const out = new Map<string, string>();
  const r = reader.open(db, ref);
  while (r.next()) {
    const f = Buffer.from(r.fieldBuf.subarray(r.fieldOff, r.fieldOff + r.fieldLen)).toString("latin1");
    const v = Buffer.from(r.valueBuf.subarray(r.valueOff, r.valueOff + r.valueLen)).toString("latin1");
    expect(out.has(f)).toBe(false);
    out.set(f, v);
  }
  expect(hashLength(db, ref)).toBe(out.size);
  return out;
}

function digestOf(db: Database, key: string): string {
  const k = b(key);
  const ref = db.find(k, 0, k.length);
  const digest = new Uint8Array(20);
  digestValue(db, ref, digest);
  return Buffer.from(digest).toString("hex");
}

describe("HashType against a Map", () => {
  it("keeps content, length and encoding across conversions, DUMP/RESTORE and COPY", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 120 }), (ops) => {
        const { ks, clock } = manualKeyspace();
        ks.limits.hashMaxListpackEntries = ENTRIES;
        ks.limits.hashMaxListpackValue = VALUE;
        const db = ks.db(0);
        const baseline = ks.pool.usedBytes;
        const key = b("h");
        const model = new Map<string, string>();
        let table = false;
        let volatile = false;
        for (const o of ops) {
          const ref = db.lookupWrite(key, 0, key.length);
          if (o.kind === "set") {
            const f = b(field(o.i));
            const v = b(value(o.seed));
            const isNew = !model.has(f.toString("latin1"));
            if (f.length > VALUE || v.length > VALUE) table = true;
            if (ref < 0) {
              hashCreate(db, key, 0, key.length, f, 0, f.length, v, 0, v.length, false);
            } else {
              expect(hashSet(db, ref, f, 0, f.length, v, 0, v.length)).toBe(isNew);
            }
            model.set(f.toString("latin1"), v.toString("latin1"));
            if (model.size > ENTRIES) table = true;
          } else if (o.kind === "del") {
            if (ref < 0) continue;
            const f = b(field(o.i));
            const had = model.delete(f.toString("latin1"));
            const result = hashDelete(db, ref, f, 0, f.length);
            expect(result).toBe(!had ? HashDeleted.None : model.size === 0 ? HashDeleted.Key : HashDeleted.Field);
            if (model.size === 0) table = volatile = false;
          } else if (ref >= 0) {
            db.setExpire(ref, clock.now + 100000);
            volatile = true;
          }
          const content = contentOf(db, "h");
          if (model.size === 0) {
            expect(content).toBeNull();
            continue;
          }
          expect(content).toEqual(model);
          const now = db.lookupRead(key, 0, key.length);
          expect(db.encodingAt(now)).toBe(table ? Encoding.HashTable : Encoding.ListPack);
        }
        if (model.size > 0) {
          // DUMP → RESTORE under another name, COPY: same content and digest.
          const out = new RdbOutput(64);
          dumpValue(db, db.find(key, 0, key.length), out, { compress: true });
          const load = new ValueLoad();
          load.host = ks;
          const payload = out.buffer.slice(0, out.length);
          expect(loadDumpPayload(payload, 0, payload.length, new RdbReader(), load)).toBe(PayloadStatus.Ok);
          const restored = b("restored");
          db.lookupWrite(restored, 0, restored.length);
          load.commit(db, restored, 0, restored.length, 0, true);
          expect(contentOf(db, "restored")).toEqual(model);
          const copy = b("copy");
          db.copyFrom(db, db.find(key, 0, key.length), copy, 0, copy.length);
          expect(contentOf(db, "copy")).toEqual(model);
          // Digests of equal hashes are equal whatever the encoding or order (COPY keeps the TTL).
          expect(digestOf(db, "copy")).toBe(digestOf(db, "h"));
          if (!volatile) expect(digestOf(db, "restored")).toBe(digestOf(db, "h"));
          for (const name of ["h", "restored", "copy"]) db.delete(b(name), 0, name.length);
        }
        expect(db.size).toBe(0);
        expect(ks.values.count).toBe(0);
        expect(ks.pool.usedBytes).toBeLessThanOrEqual(baseline + 64 * 1024);
      }),
      { numRuns: 150 },
    );
  });
});

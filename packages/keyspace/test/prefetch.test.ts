import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { b, get, manualKeyspace, set } from "./utils/fixtures.js";

/** Keys laid out in one buffer the way a pipelined read holds them. */
function batch(keys: string[]): { buf: Buffer; offsets: Int32Array; lengths: Int32Array } {
  const offsets = new Int32Array(keys.length);
  const lengths = new Int32Array(keys.length);
  let text = "";
  keys.forEach((key, i) => {
    text += "$$";
    offsets[i] = text.length;
    lengths[i] = key.length;
    text += key;
  });
  return { buf: Buffer.from(text, "latin1"), offsets, lengths };
}

describe("Keyspace.prefetchKeys", () => {
  it("hands the lookups that follow the hashes it computed, for exactly those bytes", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    for (let i = 0; i < 1000; i++) set(db, `key:${i}`, `v${i}`);
    const keys = ["key:1", "key:500", "missing", "key:999"];
    const { buf, offsets, lengths } = batch(keys);
    const expected = keys.map((_, i) => ks.hashKey(buf, offsets[i]!, lengths[i]!));
    ks.prefetchKeys(0, buf, offsets, lengths, keys.length);
    // Same bytes at the same place: the memo answers, and it agrees with hashing.
    expect(keys.map((_, i) => ks.hashKey(buf, offsets[i]!, lengths[i]!))).toEqual(expected);
    ks.endPrefetch();
    expect(keys.map((_, i) => ks.hashKey(buf, offsets[i]!, lengths[i]!))).toEqual(expected);
  });

  it("never answers for other bytes: another buffer, offset or length, or after endPrefetch", () => {
    const { ks } = manualKeyspace();
    const { buf, offsets, lengths } = batch(["aaaa", "bbbb"]);
    const truth = (data: Uint8Array, off: number, len: number) => {
      const copy = Buffer.from(data.subarray(off, off + len));
      return ks.hashKey(copy, 0, copy.length);
    };
    ks.prefetchKeys(0, buf, offsets, lengths, 2);
    expect(ks.hashKey(buf, offsets[0]!, 3)).toBe(truth(buf, offsets[0]!, 3));
    expect(ks.hashKey(buf, offsets[0]! + 1, 3)).toBe(truth(buf, offsets[0]! + 1, 3));
    const other = Buffer.from(buf);
    expect(ks.hashKey(other, offsets[1]!, 4)).toBe(truth(other, offsets[1]!, 4));
    ks.endPrefetch();
    // The buffer is overwritten, as a shared read buffer is by the next read.
    buf.write("zzzz", offsets[1]!, "latin1");
    expect(ks.hashKey(buf, offsets[1]!, 4)).toBe(truth(buf, offsets[1]!, 4));
  });

  it("leaves every lookup's result unchanged, whatever the batch and the lookups in between", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 2, maxLength: 64 }),
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        (picks, skip) => {
          const { ks } = manualKeyspace();
          const db = ks.db(0);
          for (let i = 0; i < 200; i++) set(db, `key:${i}`, `v${i}`);
          const keys = picks.map((n) => `key:${n}`);
          const { buf, offsets, lengths } = batch(keys);
          ks.prefetchKeys(0, buf, offsets, lengths, keys.length);
          keys.forEach((key, i) => {
            // Some lookups are skipped (a command rejected), others look up an unrelated key first.
            if (skip[i]) return;
            if (i % 3 === 0) expect(get(db, "key:7")).toBe("v7");
            const ref = db.find(buf, offsets[i]!, lengths[i]!);
            const n = Number(key.slice(4));
            expect(ref >= 0).toBe(n < 200);
          });
          ks.endPrefetch();
        },
      ),
      { numRuns: 200 },
    );
  });

  it("warms a database that is resizing or empty without changing it", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(3);
    const { buf, offsets, lengths } = batch(["a", "b", "c"]);
    ks.prefetchKeys(3, buf, offsets, lengths, 3);
    ks.endPrefetch();
    for (let i = 0; i < 5000; i++) set(db, `k${i}`, "v");
    expect(db.index.resizing || db.size === 5000).toBe(true);
    ks.prefetchKeys(3, buf, offsets, lengths, 3);
    expect(db.size).toBe(5000);
    expect(get(db, "k4999")).toBe("v");
    expect(db.exists(b("a"), 0, 1)).toBe(false);
    ks.endPrefetch();
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScoreRange, ZSetScoreWalker, zset } from "../../src/index.js";
import { b, manualKeyspace } from "../utils/fixtures.js";

/** ZSetScoreWalker against a sorted model: [min, max) ranges as the geo searches walk them. */

const KEY = b("k");

for (const encoding of ["listpack", "skiplist"] as const) {
  describe(`ZSetScoreWalker (${encoding})`, () => {
    it("walks the elements of a score range in order, members on demand", () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.record({ score: fc.integer({ min: 0, max: 40 }), member: fc.nat(500) }), {
            selector: (e) => e.member,
            minLength: 1,
            maxLength: 60,
          }),
          fc.integer({ min: 0, max: 40 }),
          fc.integer({ min: 0, max: 20 }),
          (elements, min, width) => {
            const { ks } = manualKeyspace();
            ks.limits.zsetMaxListpackEntries = encoding === "listpack" ? 128 : 0;
            const db = ks.db(0);
            db.lookupWrite(KEY, 0, 1); // zsetCreate inserts where this lookup ended
            const ref = zset.zsetCreate(db, KEY, 0, 1, 3);
            for (const e of elements) {
              const m = b(String(e.member));
              zset.zsetAdd(db, ref, e.score, m, 0, m.length, 0);
            }
            const max = min + width;
            const expected = elements
              .filter((e) => e.score >= min && e.score < max)
              .sort((x, y) => x.score - y.score || Buffer.compare(b(String(x.member)), b(String(y.member))))
              .map((e) => `${e.score}:${e.member}`);
            const walker = new ZSetScoreWalker().open(db, ks.db(0).lookupRead(KEY, 0, 1));
            const range = new ScoreRange().set(min, false, max, true);
            const seen: string[] = [];
            for (let ok = walker.seek(range); ok && range.lteMax(walker.score); ok = walker.next()) {
              walker.readMember();
              const member = Buffer.from(
                walker.memberBuf.subarray(walker.memberOff, walker.memberOff + walker.memberLen),
              );
              seen.push(`${walker.score}:${member.toString("latin1")}`);
            }
            expect(seen).toEqual(expected);
          },
        ),
        { numRuns: 150 },
      );
    });
  });
}

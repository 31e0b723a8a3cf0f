import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HandleSet } from "../src/snapshot/HandleSet.js";

describe("HandleSet", () => {
  it("finds every handle added (up to 2^53) and no other, with one done bit each", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { maxLength: 400 }),
        (handles) => {
          const set = new HandleSet(handles.length);
          for (const h of handles) set.add(h);
          expect(set.size).toBe(handles.length);
          const seen = new Set<number>();
          for (const h of handles) {
            const slot = set.slotOf(h);
            expect(set.slots[slot]).toBe(h);
            expect(set.isDone(slot)).toBe(false);
            expect(set.markDone(slot)).toBe(true);
            expect(set.markDone(slot)).toBe(false);
            seen.add(slot);
          }
          expect(seen.size).toBe(handles.length);
          expect(set.slotOf(Number.MAX_SAFE_INTEGER + 1)).toBe(-1);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });
});

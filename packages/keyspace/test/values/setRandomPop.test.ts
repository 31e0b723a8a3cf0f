import { KvPool } from "@nedis/allocators/kv-pool";
import { describe, expect, it } from "vitest";
import { FieldTable } from "../../src/values/hash/FieldTable.js";

/**
 * SPOP's path through a large set: a random slot, then its removal, until the set is empty. The
 * table shrinks on the way (incrementally, two tables), and the random draws must stay short:
 * the old table's drained part is a long run of empty records, never drawn from.
 */
describe("random pops of a large hashtable set", () => {
  it("pop every member exactly once with few draws each, through every shrink", () => {
    const table = new FieldTable(new KvPool());
    const n = 60_000;
    const encoder = new TextEncoder();
    for (let i = 0; i < n; i++) {
      const member = encoder.encode(`element:${i}`);
      table.add(member, 0, member.length);
    }
    const seen = new Uint8Array(n);
    const random = Math.random;
    let draws = 0;
    let windowDraws = 0;
    let worstWindow = 0;
    Math.random = () => {
      draws++;
      return random();
    };
    try {
      const decoder = new TextDecoder();
      for (let popped = 0; popped < n; popped++) {
        draws = 0;
        const slot = table.randomSlot();
        windowDraws += draws;
        if (popped % 1000 === 999) {
          worstWindow = Math.max(worstWindow, windowDraws / 1000);
          windowDraws = 0;
        }
        expect(slot).toBeGreaterThanOrEqual(0);
        table.load(slot);
        const text = decoder.decode(table.fieldBuf.subarray(table.fieldOff, table.fieldOff + table.fieldLen));
        const i = Number(text.slice("element:".length));
        expect(seen[i]).toBe(0);
        seen[i] = 1;
        table.deleteSlot(slot);
      }
    } finally {
      Math.random = random;
    }
    expect(table.count).toBe(0);
    expect(table.randomSlot()).toBe(-1);
    // The draw space stays over ~8% full (drawing from the drained part too averaged ~19 draws a pop).
    expect(worstWindow).toBeLessThan(14);
  });
});

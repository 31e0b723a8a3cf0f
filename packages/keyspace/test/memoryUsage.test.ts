import { describe, expect, it } from "vitest";
import { b, manualKeyspace, set } from "./utils/fixtures.js";

/** MEMORY USAGE (`Keyspace.memoryUsageOf`) of string keys against what the pool really grew by. */
describe("Keyspace.memoryUsageOf for strings", () => {
  function usageOf(key: string, ks: ReturnType<typeof manualKeyspace>["ks"]): number {
    const db = ks.databases[0]!;
    const k = b(key);
    return ks.memoryUsageOf(db, db.lookupRead(k, 0, k.length));
  }

  it("charges a single key its slot and an index share at a real load, not the whole first table", () => {
    const { ks } = manualKeyspace();
    set(ks.databases[0]!, "a", "x".repeat(100));
    // 1 + 1 + 100 bytes in a 104-byte slot; the 16-record table at a load of 6/16: 43 bytes.
    expect(usageOf("a", ks)).toBe(104 + 43);
  });

  it("adds the expiry record of a volatile key", () => {
    const { ks, clock } = manualKeyspace();
    const db = ks.databases[0]!;
    set(db, "p", "v");
    set(db, "t", "v", clock.now + 10_000);
    // Both entries fit a 16-byte slot (3 bytes, and 15 with the 12-byte trailer); the expiry heap
    // holds 16 bytes for the volatile one.
    expect(usageOf("t", ks) - usageOf("p", ks)).toBe(16);
  });

  for (const size of [1, 100, 5000, 16_385, 600_000, 4 << 20]) {
    it(`sums, over many keys of ${size} bytes, to what the pool grew by (within 10%)`, () => {
      const { ks } = manualKeyspace();
      const db = ks.databases[0]!;
      const n = size < 10_000 ? 3000 : 5;
      const value = new Uint8Array(size).fill(0x61);
      const before = ks.usedMemory;
      for (let i = 0; i < n; i++) set(db, `key:${i}`, value);
      const grown = ks.usedMemory - before;
      let reported = 0;
      for (let i = 0; i < n; i++) reported += usageOf(`key:${i}`, ks);
      expect(Math.abs(reported - grown) / grown).toBeLessThanOrEqual(0.1);
      if (size > 16_384) expect(reported / n).toBeLessThanOrEqual(size * 1.05);
    });
  }
});

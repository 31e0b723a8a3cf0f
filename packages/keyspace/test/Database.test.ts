import { describe, expect, it } from "vitest";
import { ENCODING_NAMES, Encoding, StringEncodingMode } from "../src/index.js";
import { b, get, manualKeyspace, set } from "./utils/fixtures.js";

const encoding = (db: ReturnType<typeof manualKeyspace>["ks"]["databases"][number], key: string) => {
  const k = b(key);
  return ENCODING_NAMES[db.encodingAt(db.find(k, 0, k.length))];
};

describe("string entries", () => {
  it("stores a copy of the value bytes, not a view of the caller's buffer", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    const input = b("xxkeyvalue");
    db.find(input, 2, 3);
    db.insertString(input, 2, 3, input, 5, 5, StringEncodingMode.Auto);
    input.fill(0);
    expect(get(db, "key")).toBe("value");
  });

  it("chooses Redis's encodings: int for canonical int64 text, embstr up to 44 bytes, raw beyond", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    const cases: [string, string][] = [
      ["12345", "int"],
      ["-9223372036854775808", "int"],
      ["9223372036854775807", "int"],
      ["9223372036854775808", "embstr"],
      ["007", "embstr"],
      ["-0", "embstr"],
      ["+1", "embstr"],
      [" 1", "embstr"],
      ["", "embstr"],
      ["x".repeat(44), "embstr"],
      ["x".repeat(45), "raw"],
      ["1".repeat(21), "embstr"],
    ];
    for (const [value, enc] of cases) {
      set(db, "k", value);
      expect([value, encoding(db, "k")]).toEqual([value, enc]);
      expect(get(db, "k")).toBe(value);
    }
  });

  it("marks 0..9999 as shared integers while the policy allows sharing, and reports them as int", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    const shared = (key: string) => db.isSharedInteger(db.find(b(key), 0, key.length));
    for (const [value, isShared] of [
      ["0", true],
      ["9999", true],
      ["10000", false],
      ["-1", false],
      ["007", false],
      ["x", false],
    ] as const) {
      set(db, "k", value);
      expect([value, shared("k")]).toEqual([value, isShared]);
    }
    set(db, "k", "42");
    expect(encoding(db, "k")).toBe("int");
    // COPY duplicates: the copy is a plain int.
    const src = db.find(b("k"), 0, 1);
    db.find(b("copy"), 0, 4);
    db.copyFrom(db, src, b("copy"), 0, 4);
    expect([shared("copy"), encoding(db, "copy"), get(db, "copy")]).toEqual([false, "int", "42"]);
    ks.maxmemory = 1 << 30;
    ks.maxmemoryPolicy = "allkeys-lru";
    set(db, "lru", "42");
    expect([shared("lru"), shared("k"), encoding(db, "lru")]).toEqual([false, true, "int"]);
  });

  it("keeps key and value apart for keys with the 4-byte length header and large values", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    const key = "k".repeat(300);
    const value = Buffer.alloc(3 * 1024 * 1024, 7);
    set(db, key, value);
    set(db, "short", "s");
    const k = b(key);
    const ref = db.lookupRead(k, 0, k.length);
    db.loadValue(ref);
    expect(db.valueLen).toBe(value.length);
    expect(Buffer.compare(db.valueBuf.subarray(db.valueOff, db.valueOff + db.valueLen), value)).toBe(0);
  });

  it("resizes a value keeping its prefix, zero-filling growth and keeping the expiry", () => {
    const { ks, clock } = manualKeyspace();
    const db = ks.db(0);
    const deadline = clock.now + 10_000;
    set(db, "k", "abc", deadline);
    const k = b("k");
    const ref = db.lookupWrite(k, 0, 1);
    db.resizeValue(ref, 100, Encoding.Raw);
    expect(db.valueLen).toBe(100);
    expect(db.expireAt(ref)).toBe(deadline);
    expect(get(db, "k")).toBe("abc" + "\0".repeat(97));
    expect(db.encodingAt(db.find(k, 0, 1))).toBe(Encoding.Raw);
  });

  it("overwriting drops the TTL unless asked to keep it", () => {
    const { ks, clock } = manualKeyspace();
    const db = ks.db(0);
    const k = b("k");
    set(db, "k", "v1", clock.now + 5000);
    let ref = db.lookupWrite(k, 0, 1);
    db.overwriteString(ref, b("value-two"), 0, 9, StringEncodingMode.Auto, true);
    ref = db.find(k, 0, 1);
    expect(db.expireAt(ref)).toBe(clock.now + 5000);
    expect(db.expires).toBe(1);
    db.overwriteString(ref, b("v3"), 0, 2, StringEncodingMode.Auto, false);
    expect(db.expireAt(db.find(k, 0, 1))).toBe(-1);
    expect(db.expires).toBe(0);
    expect(get(db, "k")).toBe("v3");
  });

  it("keeps databases separate and flushes them", () => {
    const { ks } = manualKeyspace();
    set(ks.db(0), "a", "1");
    set(ks.db(1), "a", "2");
    set(ks.db(1), "b", "2");
    expect(ks.keyCount).toBe(3);
    expect(ks.db(1).flush()).toBe(2);
    expect(get(ks.db(0), "a")).toBe("1");
    expect(ks.flushAll()).toBe(1);
    expect(ks.keyCount).toBe(0);
    expect(ks.pool.liveAllocations).toBe(0);
  });

  it("calls onBeforeFlush while the keys still exist, then onFlush once they are gone", () => {
    const { ks } = manualKeyspace();
    set(ks.db(1), "a", "1");
    const seen: string[] = [];
    ks.onBeforeFlush = (db) => seen.push(`before ${db} ${db === -1 ? ks.keyCount : ks.db(db).size}`);
    ks.onFlush = (db) => seen.push(`after ${db} ${db === -1 ? ks.keyCount : ks.db(db).size}`);
    ks.db(1).flush();
    set(ks.db(0), "b", "2");
    ks.flushAll();
    expect(seen).toEqual(["before 1 1", "after 1 0", "before -1 1", "after -1 0"]);
  });

  it("swaps databases, expiries included", () => {
    const { ks, clock } = manualKeyspace();
    set(ks.db(0), "a", "zero", clock.now + 1000);
    set(ks.db(5), "b", "five");
    const swaps: [number, number][] = [];
    ks.onSwapDb = (x, y) => swaps.push([x, y]);
    expect(ks.swapDatabases(0, 5)).toBe(true);
    expect(get(ks.db(5), "a")).toBe("zero");
    expect(ks.db(5).expires).toBe(1);
    expect(get(ks.db(0), "b")).toBe("five");
    expect(ks.swapDatabases(0, 16)).toBe(false);
    expect(swaps).toEqual([[0, 5]]);
  });
});

import { expect, it } from "vitest";
import { Keyspace, StringEncodingMode } from "../src/index.js";

it("the README example stores and reads a value with a TTL", () => {
  const ks = new Keyspace({ maxmemory: 64 << 20, maxmemoryPolicy: "allkeys-lru" });
  const db = ks.db(0);
  const key = Buffer.from("greeting");
  const value = Buffer.from("hello");
  if (ks.reserve(ks.stringCharge(key.length, value.length, true))) {
    const ref = db.lookupWrite(key, 0, key.length);
    if (ref < 0)
      db.insertString(key, 0, key.length, value, 0, value.length, StringEncodingMode.Auto, Date.now() + 10_000);
    else db.overwriteString(ref, value, 0, value.length, StringEncodingMode.Auto, false, Date.now() + 10_000);
  }
  const ref = db.lookupRead(key, 0, key.length);
  expect(ref).toBeGreaterThanOrEqual(0);
  db.loadValue(ref);
  expect(Buffer.from(db.valueBuf.subarray(db.valueOff, db.valueOff + db.valueLen)).toString()).toBe("hello");
  expect(db.expires).toBe(1);
  ks.close();
});

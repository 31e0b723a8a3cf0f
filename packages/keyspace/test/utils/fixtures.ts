import { type Database, Keyspace, type KeyspaceOptions, StringEncodingMode } from "../../src/index.js";

/** A keyspace without timers and with a clock the test moves by hand. */
export function manualKeyspace(options: KeyspaceOptions = {}): { ks: Keyspace; clock: { now: number } } {
  const clock = { now: 1_700_000_000_000 };
  const ks = new Keyspace({
    timers: false,
    clock: () => clock.now,
    hashKey: [0x1234, 0x5678],
    pool: { checkAccess: true },
    ...options,
  });
  return { ks, clock };
}

export const b = (s: string): Buffer => Buffer.from(s, "latin1");

/** SET key value [deadline] through the primitives, like the SET command does. */
export function set(db: Database, key: string, value: string | Uint8Array, deadline = 0): number {
  const k = b(key);
  const v = typeof value === "string" ? b(value) : value;
  const ref = db.lookupWrite(k, 0, k.length);
  if (ref >= 0) return db.overwriteString(ref, v, 0, v.length, StringEncodingMode.Auto, false, deadline);
  return db.insertString(k, 0, k.length, v, 0, v.length, StringEncodingMode.Auto, deadline);
}

/** GET key as a latin1 string, or null. */
export function get(db: Database, key: string): string | null {
  const k = b(key);
  const ref = db.lookupRead(k, 0, k.length);
  if (ref < 0) return null;
  db.loadValue(ref);
  return Buffer.from(db.valueBuf.subarray(db.valueOff, db.valueOff + db.valueLen)).toString("latin1");
}

export function del(db: Database, key: string): boolean {
  const k = b(key);
  return db.delete(k, 0, k.length);
}

/** Every key of a database (SCAN to completion), as strings. */
export function allKeys(db: Database): string[] {
  const out: string[] = [];
  db.index.forEach((handle) => out.push(db.keyCopy(handle).toString("latin1")));
  return out;
}

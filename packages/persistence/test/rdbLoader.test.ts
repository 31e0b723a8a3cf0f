import { Keyspace, StringEncodingMode } from "@nedis/keyspace";
import { describe, expect, it } from "vitest";
import { ArraySource, loadRdb, MemorySink, RdbFileWriter, RdbLoadError, saveKeyspace } from "../src/index.js";
import { keyspaceDigest } from "./utils/digest.js";

const text = (s: string) => Buffer.from(s);
const AUX = { redisVersion: "7.0.15", ctime: 1700000000, usedMemory: 1000, aofBase: false };

function setString(ks: Keyspace, db: number, key: string, value: string, deadline = 0): void {
  const d = ks.db(db);
  const k = text(key);
  const v = text(value);
  d.lookupWrite(k, 0, k.length);
  d.insertString(k, 0, k.length, v, 0, v.length, StringEncodingMode.Auto, deadline);
}

function sample(): Keyspace {
  const ks = new Keyspace({ timers: false });
  for (let i = 0; i < 200; i++)
    setString(ks, i % 3, `key:${i}`, i % 2 === 0 ? String(i) : `value-${i}-${"z".repeat(i % 40)}`);
  setString(ks, 0, "ttl", "soon", Date.now() + 60_000);
  return ks;
}

function save(ks: Keyspace, compress = true, checksum = true): Uint8Array {
  const sink = new MemorySink();
  saveKeyspace(ks, new RdbFileWriter(sink, { compress, checksum }), AUX);
  return sink.bytes();
}

const opts = { now: Date.now(), verifyChecksum: true };

describe("RDB save and load", () => {
  it("round-trips a keyspace to the same digest and deadlines", () => {
    const ks = sample();
    const bytes = save(ks);
    const copy = new Keyspace({ timers: false });
    const result = loadRdb(new ArraySource(bytes), copy, opts);
    expect(result.keysLoaded).toBe(201);
    expect(result.aux.get("ctime")).toBe("1700000000");
    expect(keyspaceDigest(copy)).toBe(keyspaceDigest(ks));
    const k = text("ttl");
    expect(copy.db(0).expireAt(copy.db(0).find(k, 0, 3))).toBe(ks.db(0).expireAt(ks.db(0).find(k, 0, 3)));
  });

  it("skips keys already past their deadline and counts them", () => {
    const ks = new Keyspace({ timers: false, clock: () => 1000 });
    setString(ks, 0, "gone", "x", 1500);
    setString(ks, 0, "kept", "y");
    const copy = new Keyspace({ timers: false });
    const result = loadRdb(new ArraySource(save(ks)), copy, { now: 2000, verifyChecksum: true });
    expect(result).toMatchObject({ keysLoaded: 1, keysExpired: 1 });
    expect(copy.keyCount).toBe(1);
  });

  it("loads a value larger than its read window", () => {
    const ks = new Keyspace({ timers: false });
    setString(ks, 0, "big", "q".repeat(100_000));
    const copy = new Keyspace({ timers: false });
    loadRdb(new ArraySource(save(ks, false)), copy, { ...opts, windowSize: 16 });
    expect(keyspaceDigest(copy)).toBe(keyspaceDigest(ks));
  });

  it("refuses every truncation with an RdbLoadError and verifyOnly adds nothing", () => {
    const bytes = save(sample());
    const target = new Keyspace({ timers: false });
    setString(target, 0, "mine", "kept");
    for (let end = 0; end < bytes.length; end += 7) {
      expect(() => loadRdb(new ArraySource(bytes.subarray(0, end)), target, { ...opts, verifyOnly: true })).toThrow(
        RdbLoadError,
      );
    }
    expect(target.keyCount).toBe(1);
  });

  it("refuses a flipped byte (checksum or format) without any other kind of error", () => {
    const bytes = save(sample());
    const target = new Keyspace({ timers: false });
    for (let at = 0; at < bytes.length; at += 3) {
      const bad = bytes.slice();
      bad[at] = bad[at]! ^ 0x24;
      expect(() => loadRdb(new ArraySource(bad), target, { ...opts, verifyOnly: true })).toThrow(RdbLoadError);
    }
    expect(target.keyCount).toBe(0);
  });

  it("reports a wrong checksum as Redis does, and skips the check when told to", () => {
    const bytes = save(sample());
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    expect(() => loadRdb(new ArraySource(bytes), new Keyspace({ timers: false }), opts)).toThrow(
      /^Wrong RDB checksum expected: \([0-9a-f]+\) got \([0-9a-f]+\)\. Aborting now\.$/,
    );
    const result = loadRdb(new ArraySource(bytes), new Keyspace({ timers: false }), { ...opts, verifyChecksum: false });
    expect(result.keysLoaded).toBe(201);
  });

  it("writes zeros for the checksum under rdbchecksum no, and loads them unchecked", () => {
    const bytes = save(sample(), true, false);
    expect([...bytes.subarray(bytes.length - 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(loadRdb(new ArraySource(bytes), new Keyspace({ timers: false }), opts).keysLoaded).toBe(201);
  });

  it("refuses a newer version, a bad signature, function libraries and module values with clear errors", () => {
    const bytes = save(sample());
    const newer = bytes.slice();
    newer.set(text("0011"), 5);
    expect(() => loadRdb(new ArraySource(newer), new Keyspace({ timers: false }), opts)).toThrow(
      "Can't handle RDB format version 0011",
    );
    expect(() => loadRdb(new ArraySource(text("RUBBISH!!!!")), new Keyspace({ timers: false }), opts)).toThrow(
      "Wrong signature trying to load DB from file",
    );
    const fn = new Uint8Array([...text("REDIS0010"), 245, 0]);
    expect(() => loadRdb(new ArraySource(fn), new Keyspace({ timers: false }), opts)).toThrow(/FUNCTION2/);
    const module = new Uint8Array([...text("REDIS0010"), 254, 0, 7, 1, 0x6d]);
    expect(() => loadRdb(new ArraySource(module), new Keyspace({ timers: false }), opts)).toThrow(
      /module value \(RDB type 7\)/,
    );
  });
});

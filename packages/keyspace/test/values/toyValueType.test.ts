import type { KvHandle, KvPool } from "@nedis/allocators/kv-pool";
import { RdbOutput, RdbReader, RdbType, writeLength, writeString } from "@nedis/rdb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Database,
  digestValue,
  dumpValue,
  Encoding,
  loadDumpPayload,
  mixDigest,
  ObjectType,
  type OutOfLineValue,
  PayloadStatus,
  registerValueType,
  typeName,
  unregisterValueType,
  ValueLoad,
  type ValueReader,
  type ValueType,
  type ValueWriter,
} from "../../src/index.js";
import { b, manualKeyspace, set } from "../utils/fixtures.js";

/**
 * A toy value type registered from this file alone: a list of short strings, inline (bytes
 * `[len][bytes]…`, encoding listpack) while small, out of line (one pool node per element,
 * encoding hashtable) when large. COPY, DUMP/RESTORE, MEMORY USAGE, DEBUG DIGEST-VALUE,
 * eviction and flushes must all work for it through the registry.
 */

let pool: KvPool | null = null;
let freed = 0;

class ToyList implements OutOfLineValue {
  readonly nodes: KvHandle[] = [];
  constructor(private readonly p: KvPool) {}
  push(bytes: Uint8Array): void {
    const h = this.p.alloc(bytes.length + 1) as KvHandle;
    const page = this.p.pageOf(h);
    const at = this.p.offsetOf(h);
    page[at] = bytes.length;
    page.set(bytes, at + 1);
    this.nodes.push(h);
  }
  item(i: number): Uint8Array {
    const h = this.nodes[i]!;
    const page = this.p.pageOf(h);
    const at = this.p.offsetOf(h);
    return page.subarray(at + 1, at + 1 + page[at]!);
  }
  memoryUsage(): number {
    return 64 + this.nodes.length * 8;
  }
}

/** The elements of the toy value at `ref`, whatever its encoding. */
function itemsOf(db: ValueReader, ref: number): Uint8Array[] {
  if (db.encodingAt(ref) === Encoding.HashTable) {
    const list = db.objectAt(ref) as ToyList;
    return list.nodes.map((_, i) => list.item(i));
  }
  db.loadValue(ref);
  const out: Uint8Array[] = [];
  const buf = db.valueBuf;
  for (let at = db.valueOff; at < db.valueOff + db.valueLen; at += 1 + buf[at]!)
    out.push(buf.slice(at + 1, at + 1 + buf[at]!));
  return out;
}

const INLINE_MAX = 4;

/** Writes `items` into `into` the way the toy encodes them: inline up to 4 elements. */
function writeItems(items: Uint8Array[], into: ValueWriter): void {
  if (items.length <= INLINE_MAX) {
    const bytes = Buffer.concat(items.map((i) => Buffer.concat([Buffer.from([i.length]), i])));
    into.inline(bytes, 0, bytes.length, Encoding.ListPack);
    return;
  }
  const list = new ToyList(pool!);
  for (const i of items) list.push(i);
  into.outOfLine(list, Encoding.HashTable);
}

const ToyType: ValueType = {
  type: ObjectType.Module,
  name: "toy",
  rdbTypes: [RdbType.Module2],
  outOfLineEncodings: [Encoding.HashTable],
  free(object, p) {
    for (const h of (object as ToyList).nodes) p.free(h);
    freed++;
  },
  ownedBytes(db, ref, samples) {
    if (db.encodingAt(ref) !== Encoding.HashTable) return 0;
    const list = db.objectAt(ref) as ToyList;
    const n = list.nodes.length;
    const seen = samples === 0 ? n : Math.min(samples, n);
    let sum = 0;
    for (let i = 0; i < seen; i++) sum += pool!.usableSize(list.nodes[i]!);
    return list.memoryUsage() + Math.round((sum / Math.max(1, seen)) * n);
  },
  duplicate(db, ref, into) {
    writeItems(itemsOf(db, ref), into);
  },
  rdbType: () => RdbType.Module2,
  rdbSave(db, ref, out, options) {
    const items = itemsOf(db, ref);
    writeLength(out, items.length);
    for (const i of items) writeString(out, i, 0, i.length, options.compress);
  },
  rdbLoad(_type, reader, into) {
    const n = reader.readLength();
    const items: Uint8Array[] = [];
    for (let i = 0; i < n; i++) items.push(reader.readStringCopy());
    writeItems(items, into);
  },
  rewrite(db, ref, key, emit) {
    emit([b("TOY.PUSH"), key, ...itemsOf(db, ref)]);
  },
  digest(db, ref, digest) {
    for (const i of itemsOf(db, ref)) mixDigest(digest, i);
  },
};

function toyKey(db: Database, key: string, items: string[], deadline = 0): number {
  const k = b(key);
  db.lookupWrite(k, 0, k.length);
  const into = db.newKeyWriter(k, 0, k.length, ObjectType.Module, deadline);
  writeItems(items.map(b), into);
  return into.ref;
}

const read = (db: Database, key: string): string[] | null => {
  const k = b(key);
  const ref = db.lookupRead(k, 0, k.length);
  return ref < 0 ? null : itemsOf(db, ref).map((i) => Buffer.from(i).toString("latin1"));
};

const SMALL = ["a", "bb", "ccc"];
const LARGE = Array.from({ length: 40 }, (_, i) => `element-${i}`);

describe("a value type registered from one file", () => {
  beforeEach(() => {
    freed = 0;
    registerValueType(ToyType);
  });
  afterEach(() => unregisterValueType(ObjectType.Module));

  it("is named by TYPE and keeps both encodings", () => {
    const { ks } = manualKeyspace();
    pool = ks.pool;
    const db = ks.db(0);
    expect(db.encodingAt(toyKey(db, "s", SMALL))).toBe(Encoding.ListPack);
    expect(db.encodingAt(toyKey(db, "l", LARGE))).toBe(Encoding.HashTable);
    expect(typeName(db.typeAt(db.find(b("s"), 0, 1)))).toBe("toy");
    expect(read(db, "s")).toEqual(SMALL);
    expect(read(db, "l")).toEqual(LARGE);
  });

  it("COPY duplicates both encodings, within and across databases, with the expiry", () => {
    const { ks, clock } = manualKeyspace();
    pool = ks.pool;
    const db = ks.db(0);
    const deadline = clock.now + 5000;
    for (const [key, items] of [
      ["s", SMALL],
      ["l", LARGE],
    ] as const) {
      const ref = toyKey(db, key, [...items], deadline);
      const dst = ks.db(3);
      const copy = dst.copyFrom(db, ref, b(`${key}2`), 0, key.length + 1);
      expect(dst.expireAt(copy)).toBe(deadline);
      expect(read(dst, `${key}2`)).toEqual(items);
    }
    // The copy owns its own nodes: deleting the original leaves it whole.
    expect(db.delete(b("l"), 0, 1)).toBe(true);
    expect(read(ks.db(3), "l2")).toEqual(LARGE);
    expect(ks.values.count).toBe(1);
  });

  it("DUMP and RESTORE round-trip both encodings; a bad payload touches nothing", () => {
    const { ks } = manualKeyspace();
    pool = ks.pool;
    const db = ks.db(0);
    const out = new RdbOutput(64);
    const reader = new RdbReader();
    const load = new ValueLoad();
    load.host = ks;
    for (const [key, items] of [
      ["s", SMALL],
      ["l", LARGE],
    ] as const) {
      out.reset();
      dumpValue(db, toyKey(db, key, [...items]), out, { compress: true });
      const payload = out.buffer.slice(0, out.length);
      expect(loadDumpPayload(payload, 0, payload.length, reader, load)).toBe(PayloadStatus.Ok);
      const k = b(`${key}-restored`);
      expect(db.lookupWrite(k, 0, k.length)).toBe(-1);
      load.commit(db, k, 0, k.length, 0, true);
      expect(read(db, `${key}-restored`)).toEqual(items);
      payload[3] = (payload[3] ?? 0) ^ 0xff;
      expect(loadDumpPayload(payload, 0, payload.length, reader, load)).toBe(PayloadStatus.BadChecksum);
    }
  });

  it("MEMORY USAGE counts what an out-of-line value owns, sampled", () => {
    const { ks } = manualKeyspace();
    pool = ks.pool;
    const db = ks.db(0);
    const small = ks.memoryUsageOf(db, toyKey(db, "s", SMALL));
    const large = ks.memoryUsageOf(db, toyKey(db, "l", LARGE), 0);
    expect(large - small).toBeGreaterThan(40 * 8);
    expect(ks.memoryUsageOf(db, db.find(b("l"), 0, 1), 5)).toBe(large);
  });

  it("DEBUG DIGEST-VALUE digests equal values equally, whatever their encoding and database", () => {
    const { ks } = manualKeyspace();
    pool = ks.pool;
    const db = ks.db(0);
    const d = (ref: number, of = db) => {
      const digest = new Uint8Array(20);
      digestValue(of, ref, digest);
      return Buffer.from(digest).toString("hex");
    };
    const l = d(toyKey(db, "l", LARGE));
    const copy = ks.db(1).copyFrom(db, db.find(b("l"), 0, 1), b("l"), 0, 1);
    expect(d(copy, ks.db(1))).toBe(l);
    expect(d(toyKey(db, "s", SMALL))).not.toBe(l);
  });

  it("delete, overwrite, FLUSHDB and FLUSHALL free its nodes", () => {
    const { ks } = manualKeyspace();
    pool = ks.pool;
    const db = ks.db(0);
    const before = ks.usedMemory;
    toyKey(db, "a", LARGE);
    expect(ks.usedMemory).toBeGreaterThan(before);
    expect(db.delete(b("a"), 0, 1)).toBe(true);
    toyKey(db, "a", LARGE);
    set(db, "a", "now a string");
    expect(freed).toBe(2);
    expect(db.delete(b("a"), 0, 1)).toBe(true);
    expect(ks.usedMemory).toBe(before);
    toyKey(db, "x", LARGE);
    toyKey(ks.db(1), "y", LARGE);
    db.flush();
    expect(freed).toBe(3);
    ks.flushAll();
    expect(ks.values.count).toBe(0);
    expect(ks.usedMemory).toBe(before);
  });

  it("eviction frees its nodes and counts no change", () => {
    const { ks } = manualKeyspace({ maxmemoryPolicy: "allkeys-random" });
    pool = ks.pool;
    const db = ks.db(0);
    for (let i = 0; i < 50; i++) toyKey(db, `k${i}`, LARGE);
    const dirty = ks.dirty;
    ks.maxmemory = ks.usedMemory - 20_000;
    expect(ks.freeMemoryIfNeeded()).toBe(true);
    expect(ks.stats.evictedKeys).toBeGreaterThan(0);
    expect(freed).toBe(ks.stats.evictedKeys);
    expect(ks.values.count).toBe(50 - ks.stats.evictedKeys);
    expect(ks.dirty).toBe(dirty);
  });
});

import { crc64, ListpackBuilder, RdbOutput, RdbReader, RdbType, writeLength, writeString } from "@nedis/rdb";
import { describe, expect, it } from "vitest";
import {
  dumpValue,
  Encoding,
  HashReader,
  HashValueType,
  type Keyspace,
  loadDumpPayload,
  PayloadStatus,
  ValueLoad,
} from "../../src/index.js";
import { b, manualKeyspace } from "../utils/fixtures.js";

/**
 * Hash payloads as RESTORE meets them: built here the way Redis writes them (type byte, value,
 * RDB version 10, CRC64), including the malformed ones Redis refuses and the large ones it
 * converts while loading.
 */

function payload(type: number, write: (out: RdbOutput) => void): Uint8Array {
  const out = new RdbOutput(64);
  out.writeByte(type);
  write(out);
  out.writeByte(10);
  out.writeByte(0);
  const bytes = out.buffer.slice(0, out.length + 8);
  new DataView(bytes.buffer).setBigUint64(out.length, crc64(bytes, 0, out.length), true);
  return bytes;
}

function pairs(n: number, valueOf = (i: number) => `v${i}`): [string, string][] {
  return Array.from({ length: n }, (_, i) => [`f${i}`, valueOf(i)]);
}

function hashPayload(list: [string, string][]): Uint8Array {
  return payload(RdbType.Hash, (out) => {
    writeLength(out, list.length);
    for (const [f, v] of list) {
      writeString(out, b(f), 0, f.length, true);
      writeString(out, b(v), 0, v.length, true);
    }
  });
}

function listpackPayload(items: string[]): Uint8Array {
  const builder = new ListpackBuilder();
  builder.begin();
  for (const item of items) builder.appendString(b(item), 0, item.length);
  const lp = builder.finish();
  return payload(RdbType.HashListpack, (out) => writeString(out, lp, 0, lp.length, false));
}

const reader = new HashReader();

/** RESTOREs `bytes` as key `k`; the key's pairs and encoding, or the status when refused. */
function restore(
  ks: Keyspace,
  bytes: Uint8Array,
): { status: PayloadStatus; pairs?: Map<string, string>; encoding?: number } {
  const load = new ValueLoad();
  load.host = ks;
  const status = loadDumpPayload(bytes, 0, bytes.length, new RdbReader(), load);
  if (status !== PayloadStatus.Ok) return { status };
  const db = ks.db(0);
  const key = b("k");
  const old = db.lookupWrite(key, 0, key.length);
  if (old >= 0) db.deleteRef(old);
  db.lookupWrite(key, 0, key.length);
  const ref = load.commit(db, key, 0, key.length, 0, true);
  const out = new Map<string, string>();
  const r = reader.open(db, ref);
  while (r.next()) {
    out.set(
      Buffer.from(r.fieldBuf.subarray(r.fieldOff, r.fieldOff + r.fieldLen)).toString("latin1"),
      Buffer.from(r.valueBuf.subarray(r.valueOff, r.valueOff + r.valueLen)).toString("latin1"),
    );
  }
  return { status, pairs: out, encoding: db.encodingAt(ref) };
}

describe("hash RESTORE payloads", () => {
  it("RDB_TYPE_HASH loads as a listpack while it fits, a hashtable past either limit", () => {
    const { ks } = manualKeyspace();
    const small = restore(ks, hashPayload(pairs(10)));
    expect(small.encoding).toBe(Encoding.ListPack);
    expect(small.pairs).toEqual(new Map(pairs(10)));
    const many = restore(ks, hashPayload(pairs(600)));
    expect(many.encoding).toBe(Encoding.HashTable);
    expect(many.pairs).toEqual(new Map(pairs(600)));
    // A long value in the middle: the pairs before it move to the table.
    const long = pairs(10, (i) => (i === 6 ? "x".repeat(65) : `${i}`));
    const converted = restore(ks, hashPayload(long));
    expect(converted.encoding).toBe(Encoding.HashTable);
    expect(converted.pairs).toEqual(new Map(long));
  });

  it("a listpack past hash-max-listpack-entries converts; a long value alone does not (as Redis 7.0)", () => {
    const { ks } = manualKeyspace();
    ks.limits.hashMaxListpackEntries = 3;
    expect(restore(ks, listpackPayload(["a", "1", "b", "2", "c", "3"])).encoding).toBe(Encoding.ListPack);
    const four = restore(ks, listpackPayload(["a", "1", "b", "2", "c", "3", "d", "4"]));
    expect(four.encoding).toBe(Encoding.HashTable);
    expect(four.pairs).toEqual(
      new Map([
        ["a", "1"],
        ["b", "2"],
        ["c", "3"],
        ["d", "4"],
      ]),
    );
    expect(restore(ks, listpackPayload(["a", "y".repeat(100)])).encoding).toBe(Encoding.ListPack);
  });

  it("refuses empty hashes, odd listpacks and duplicate fields, freeing what it built", () => {
    const { ks } = manualKeyspace();
    const before = ks.pool.usedBytes;
    expect(restore(ks, hashPayload([])).status).toBe(PayloadStatus.BadFormat);
    expect(restore(ks, listpackPayload([])).status).toBe(PayloadStatus.BadFormat);
    expect(restore(ks, listpackPayload(["a", "1", "b"])).status).toBe(PayloadStatus.BadFormat);
    expect(restore(ks, listpackPayload(["a", "1", "a", "2"])).status).toBe(PayloadStatus.BadFormat);
    expect(restore(ks, listpackPayload(["1", "x", "01", "y"])).status).toBe(PayloadStatus.Ok);
    ks.db(0).delete(b("k"), 0, 1);
    expect(
      restore(
        ks,
        hashPayload([
          ["a", "1"],
          ["b", "2"],
          ["a", "3"],
        ]),
      ).status,
    ).toBe(PayloadStatus.BadFormat);
    const dupInTable = [...pairs(600), ["f7", "again"] as [string, string]];
    expect(restore(ks, hashPayload(dupInTable)).status).toBe(PayloadStatus.BadFormat);
    const truncated = hashPayload(pairs(3)).slice(0, 12);
    expect(restore(ks, truncated).status).not.toBe(PayloadStatus.Ok);
    expect(ks.pool.usedBytes).toBe(before);
    expect(ks.values.count).toBe(0);
  });

  it("DUMP of a hashtable restores to the same pairs", () => {
    const { ks } = manualKeyspace();
    restore(ks, hashPayload(pairs(700, (i) => String(i * 7))));
    const db = ks.db(0);
    const out = new RdbOutput(64);
    dumpValue(db, db.find(b("k"), 0, 1), out, { compress: true });
    const again = restore(ks, out.buffer.slice(0, out.length));
    expect(again.encoding).toBe(Encoding.HashTable);
    expect(again.pairs).toEqual(new Map(pairs(700, (i) => String(i * 7))));
  });
});

describe("hash AOF rewrite", () => {
  it("emits HMSET with up to 64 pairs per command, every pair once", () => {
    const { ks } = manualKeyspace();
    for (const n of [3, 130]) {
      restore(ks, hashPayload(pairs(n)));
      const db = ks.db(0);
      const commands: string[][] = [];
      HashValueType.rewrite(db, db.find(b("k"), 0, 1), b("k"), (args) =>
        commands.push(args.map((a) => Buffer.from(a).toString("latin1"))),
      );
      expect(commands.map((c) => c.length)).toEqual(n === 3 ? [8] : [130, 130, 6]);
      const seen = new Map<string, string>();
      for (const c of commands) {
        expect(c.slice(0, 2)).toEqual(["HMSET", "k"]);
        for (let i = 2; i < c.length; i += 2) seen.set(c[i]!, c[i + 1]!);
      }
      expect(seen).toEqual(new Map(pairs(n)));
    }
  });
});

/** A ziplist as Redis ≤ 6.2 writes one (short strings, the smallest integer encodings). */
function ziplistOf(items: string[]): Buffer {
  const entries: Buffer[] = [];
  let previous = 0;
  for (const item of items) {
    let body: Buffer;
    const n = /^(0|-?[1-9][0-9]*)$/.test(item) ? Number(item) : Number.NaN;
    if (n >= 0 && n <= 12) body = Buffer.from([0xf1 + n]);
    else if (n >= -128 && n <= 127) body = Buffer.from([0xfe, n & 0xff]);
    else if (n >= -32768 && n <= 32767)
      body = Buffer.concat([Buffer.from([0xc0]), Buffer.from(new Int16Array([n]).buffer)]);
    else if (Number.isSafeInteger(n))
      body = Buffer.concat([Buffer.from([0xe0]), Buffer.from(new BigInt64Array([BigInt(n)]).buffer)]);
    else body = Buffer.concat([Buffer.from([item.length]), Buffer.from(item, "latin1")]);
    const entry = Buffer.concat([Buffer.from([previous]), body]);
    previous = entry.length;
    entries.push(entry);
  }
  const all = Buffer.concat(entries);
  const header = Buffer.alloc(10);
  header.writeUInt32LE(10 + all.length + 1, 0);
  header.writeUInt32LE(items.length === 0 ? 10 : 10 + all.length - previous, 4);
  header.writeUInt16LE(items.length, 8);
  return Buffer.concat([header, all, Buffer.from([0xff])]);
}

function ziplistPayload(zl: Uint8Array): Uint8Array {
  return payload(RdbType.HashZiplist, (out) => writeString(out, zl, 0, zl.length, false));
}

describe("hash ziplists of Redis 6 (RDB_TYPE_HASH_ZIPLIST)", () => {
  it("loads ziplist.c's own example and built ones as listpacks equal to Redis 7.0's", () => {
    const { ks } = manualKeyspace();
    const example = Buffer.from("0f0000000c0000000200" + "00f3" + "02f6" + "ff", "hex");
    const loaded = restore(ks, ziplistPayload(example));
    expect(loaded.status).toBe(PayloadStatus.Ok);
    expect(loaded.encoding).toBe(Encoding.ListPack);
    expect(loaded.pairs).toEqual(new Map([["2", "5"]]));
    const items = ["a", "1", "b", "-100", "c", "30000", "d", "123456789012", "name", "Hello World", "12", ""];
    const built = restore(ks, ziplistPayload(ziplistOf(items)));
    expect(built.pairs).toEqual(
      new Map([
        ["a", "1"],
        ["b", "-100"],
        ["c", "30000"],
        ["d", "123456789012"],
        ["name", "Hello World"],
        ["12", ""],
      ]),
    );
    // The same pairs through RDB_TYPE_HASH give the same listpack, so DUMP is Redis's.
    const db = ks.db(0);
    const fromZiplist = new RdbOutput(64);
    dumpValue(db, db.find(b("k"), 0, 1), fromZiplist, { compress: false });
    restore(
      ks,
      hashPayload([
        ["a", "1"],
        ["b", "-100"],
        ["c", "30000"],
        ["d", "123456789012"],
        ["name", "Hello World"],
        ["12", ""],
      ]),
    );
    const fromPairs = new RdbOutput(64);
    dumpValue(db, db.find(b("k"), 0, 1), fromPairs, { compress: false });
    expect(Buffer.from(fromZiplist.buffer.subarray(0, fromZiplist.length))).toEqual(
      Buffer.from(fromPairs.buffer.subarray(0, fromPairs.length)),
    );
  });

  it("converts past hash-max-listpack-entries and refuses malformed ziplists", () => {
    const { ks } = manualKeyspace();
    ks.limits.hashMaxListpackEntries = 2;
    expect(restore(ks, ziplistPayload(ziplistOf(["a", "1", "b", "2", "c", "3"]))).encoding).toBe(Encoding.HashTable);
    const good = ziplistOf(["a", "1", "b", "2"]);
    const bad = (edit: (z: Buffer) => void) => {
      const z = Buffer.from(good);
      edit(z);
      return restore(ks, ziplistPayload(z)).status;
    };
    expect(bad(() => {})).toBe(PayloadStatus.Ok);
    expect(bad((z) => z.writeUInt32LE(z.length + 1, 0))).toBe(PayloadStatus.BadFormat);
    expect(bad((z) => z.writeUInt16LE(3, 8))).toBe(PayloadStatus.BadFormat);
    expect(bad((z) => z.writeUInt32LE(11, 4))).toBe(PayloadStatus.BadFormat);
    expect(bad((z) => (z[z.length - 1] = 0))).toBe(PayloadStatus.BadFormat);
    expect(bad((z) => (z[10] = 5))).toBe(PayloadStatus.BadFormat);
    expect(bad((z) => (z[11] = 60))).toBe(PayloadStatus.BadFormat);
    expect(restore(ks, ziplistPayload(ziplistOf(["a", "1", "a", "2"]))).status).toBe(PayloadStatus.BadFormat);
    expect(restore(ks, ziplistPayload(ziplistOf(["a", "1", "b"]))).status).toBe(PayloadStatus.BadFormat);
    expect(restore(ks, ziplistPayload(ziplistOf([]))).status).toBe(PayloadStatus.BadFormat);
  });
});

describe("hash zipmaps of Redis 2.4 (RDB_TYPE_HASH_ZIPMAP)", () => {
  const zipmapPayload = (zm: Uint8Array) =>
    payload(RdbType.HashZipmap, (out) => writeString(out, zm, 0, zm.length, false));

  it("reads one-byte and 5-byte lengths and free bytes; refuses malformed zipmaps", () => {
    const { ks } = manualKeyspace();
    const long = "v".repeat(300);
    const big = Buffer.alloc(4);
    big.writeUInt32LE(long.length);
    const zm = Buffer.concat([
      Buffer.from([254, 1]),
      b("k"),
      Buffer.from([254]),
      big,
      Buffer.from([1]),
      b(long),
      Buffer.from([0, 255]),
    ]);
    const loaded = restore(ks, zipmapPayload(zm));
    expect(loaded.pairs).toEqual(new Map([["k", long]]));
    expect(loaded.encoding).toBe(Encoding.HashTable);
    expect(restore(ks, zipmapPayload(Buffer.from([0, 255]))).status).toBe(PayloadStatus.BadFormat);
    expect(restore(ks, zipmapPayload(Buffer.from([1, 1]))).status).toBe(PayloadStatus.BadFormat);
    expect(restore(ks, zipmapPayload(Buffer.from([1, 1, 0x61, 5, 0, 0x62, 255]))).status).toBe(PayloadStatus.BadFormat);
    expect(restore(ks, zipmapPayload(Buffer.from([2, 1, 0x61, 1, 0, 0x62, 255]))).status).toBe(PayloadStatus.BadFormat);
    expect(restore(ks, zipmapPayload(Buffer.from([2, 1, 0x61, 1, 0, 0x62, 1, 0x61, 0, 0, 255]))).status).toBe(
      PayloadStatus.BadFormat,
    );
    expect(restore(ks, zipmapPayload(Buffer.from([1, 1, 0x61, 1, 0, 0x62, 255]))).pairs).toEqual(new Map([["a", "b"]]));
  });
});

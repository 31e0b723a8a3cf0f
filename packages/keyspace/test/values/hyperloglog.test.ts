import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Database,
  HLL_DENSE_SIZE,
  HLL_INVALID,
  HLL_REGISTERS,
  hllAdd,
  hllCount,
  hllCountHistogram,
  hllCountRegisters,
  hllCreate,
  hllDecode,
  hllInsert,
  hllIsDense,
  hllIsValid,
  hllMergeInto,
  hllRegisters,
  hllSelfTest,
  hllStoreMerged,
  hllToDense,
  murmurHash64A,
} from "../../src/index.js";
import { b, get, manualKeyspace, set } from "../utils/fixtures.js";

/**
 * The HyperLogLog type API: MurmurHash64A against a BigInt transcription of Redis's C, the
 * sparse and dense encodings against each other (same registers, same estimate), bytes and
 * counts recorded from Redis 7.0.15, and the self test.
 */

const MASK = (1n << 64n) - 1n;
const M = 0xc6a4a7935bd1e995n;

function murmurReference(data: Uint8Array, seed: bigint): bigint {
  const len = data.length;
  let h = (seed ^ (BigInt(len) * M)) & MASK;
  const end = len - (len & 7);
  for (let i = 0; i < end; i += 8) {
    let k = 0n;
    for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(data[i + j]!);
    k = (k * M) & MASK;
    k ^= k >> 47n;
    k = (k * M) & MASK;
    h ^= k;
    h = (h * M) & MASK;
  }
  const tail = len & 7;
  if (tail > 0) {
    for (let j = tail - 1; j >= 0; j--) h ^= BigInt(data[end + j]!) << BigInt(8 * j);
    h = (h * M) & MASK;
  }
  h ^= h >> 47n;
  h = (h * M) & MASK;
  h ^= h >> 47n;
  return h;
}

const KEY = b("hll");

function add(db: Database, ...elements: string[]): number {
  const ref = db.lookupWrite(KEY, 0, KEY.length);
  const created = ref < 0;
  const parts = elements.map(b);
  const buf = Buffer.concat(parts);
  const offsets: number[] = [];
  const lengths: number[] = [];
  let at = 0;
  for (const p of parts) {
    offsets.push(at);
    lengths.push(p.length);
    at += p.length;
  }
  const changed = created
    ? hllInsert(db, KEY, 0, KEY.length, buf, offsets, lengths, 0, parts.length, 3000)
    : hllAdd(db, ref, buf, offsets, lengths, 0, parts.length, 3000);
  return changed < 0 ? changed : created || changed > 0 ? 1 : 0;
}

function ref(db: Database, key: Buffer = KEY): number {
  return db.lookupWrite(key, 0, key.length);
}

function hex(bytes: string): Uint8Array {
  return Buffer.from(bytes.replace(/\s/g, ""), "hex");
}

describe("MurmurHash64A", () => {
  it("matches a BigInt transcription of Redis's C for every length", () => {
    const out = new Uint32Array(2);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (data) => {
        murmurHash64A(data, 0, data.length, 0xadc83b19, out);
        const h = (BigInt(out[1]!) << 32n) | BigInt(out[0]!);
        expect(h).toBe(murmurReference(data, 0xadc83b19n));
      }),
      { numRuns: 500 },
    );
  });
});

describe("HyperLogLog type API", () => {
  it("writes Redis's bytes for PFADD hll a b c and caches the count as Redis does", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    expect(add(db, "a", "b", "c")).toBe(1);
    expect(Buffer.from(get(db, "hll")!, "latin1")).toEqual(
      Buffer.from(hex("48594c4c 01000000 00000000 00000080 60f38050b1844bfb80425a")),
    );
    expect(hllCount(db, ref(db))).toBe(3);
    expect(Buffer.from(get(db, "hll")!, "latin1").subarray(8, 16)).toEqual(Buffer.from(hex("0300000000000000")));
    expect(add(db, "a", "b", "c")).toBe(0);
  });

  it("counts 1000 elements as Redis 7.0.15 does (1008), still sparse", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    for (let i = 1; i <= 1000; i++) add(db, `e${i}`);
    expect(hllIsDense(db, ref(db))).toBe(false);
    db.loadValue(ref(db));
    expect(db.valueLen).toBe(1906);
    expect(hllCount(db, ref(db))).toBe(1008);
  });

  it("keeps the histogram of a union up to date through every kind of merge", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(400), fc.boolean()), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (sources, seed) => {
          const { ks } = manualKeyspace();
          const db = ks.db(0);
          const refs = sources.map(([size, dense], s) => {
            const key = b(`src${s}`);
            const elements: string[] = [];
            for (let i = 0; i < size; i++) elements.push(`${seed % 97}:${s}:${i}`);
            const buf = Buffer.from(elements.join(""));
            const offsets: number[] = [];
            const lengths: number[] = [];
            let at = 0;
            for (const e of elements) {
              offsets.push(at);
              lengths.push(e.length);
              at += e.length;
            }
            db.lookupWrite(key, 0, key.length);
            hllInsert(db, key, 0, key.length, buf, offsets, lengths, 0, elements.length, 3000);
            if (dense) hllToDense(db, ref(db, key));
            return key;
          });
          // An odd offset takes the byte-by-byte path (words need an aligned array).
          const max = new Uint8Array(HLL_REGISTERS + 1).subarray(seed & 1, (seed & 1) + HLL_REGISTERS);
          const histogram = new Int32Array(64);
          histogram[0] = HLL_REGISTERS;
          refs.forEach((key, i) => {
            expect(hllMergeInto(db, ref(db, key), max, i === 0, histogram)).toBe(true);
          });
          const recount = new Int32Array(64);
          for (const v of max) recount[v]!++;
          expect(Array.from(histogram)).toEqual(Array.from(recount));
          expect(hllCountHistogram(histogram)).toBe(hllCountRegisters(max));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("keeps sparse and dense HLLs in agreement (registers and estimate)", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 300 }), (elements) => {
        const { ks } = manualKeyspace();
        const db = ks.db(0);
        add(db, ...elements);
        const sparseRef = ref(db);
        const merged = new Uint8Array(HLL_REGISTERS);
        expect(hllMergeInto(db, sparseRef, merged)).toBe(true);
        const sparseCount = hllCount(db, ref(db));
        expect(hllToDense(db, ref(db))).toBe(1);
        expect(hllToDense(db, ref(db))).toBe(0);
        const registers = new Uint8Array(HLL_REGISTERS);
        hllRegisters(db, ref(db), registers);
        expect(registers).toEqual(merged);
        // A dense HLL fed the same elements.
        const other = b("dense");
        ref(db, other); // sets lastHash for the insert
        const denseRef = hllCreate(db, other, 0, other.length);
        hllToDense(db, denseRef);
        const buf = Buffer.concat(elements.map(b));
        const offsets: number[] = [];
        const lengths: number[] = [];
        let at = 0;
        for (const e of elements) {
          offsets.push(at);
          lengths.push(b(e).length);
          at += b(e).length;
        }
        hllAdd(db, ref(db, other), buf, offsets, lengths, 0, elements.length, 3000);
        const denseRegs = new Uint8Array(HLL_REGISTERS);
        hllRegisters(db, ref(db, other), denseRegs);
        expect(denseRegs).toEqual(merged);
        expect(hllCount(db, ref(db, other))).toBe(sparseCount);
        expect(hllCountRegisters(merged)).toBe(sparseCount);
      }),
      { numRuns: 25 },
    );
  });

  it("promotes to dense past the sparse byte limit", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    for (let i = 0; i < 3000; i++) add(db, `x${i}`);
    expect(hllIsDense(db, ref(db))).toBe(true);
    db.loadValue(ref(db));
    expect(db.valueLen).toBe(HLL_DENSE_SIZE);
  });

  it("merges into a sparse destination and decodes its opcodes", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    add(db, "a", "b", "c");
    expect(hllDecode(db, ref(db))).toBe("Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603"); // Redis 7.0.15's PFDEBUG DECODE
    const max = new Uint8Array(HLL_REGISTERS);
    hllMergeInto(db, ref(db), max);
    const dest = b("dest");
    ref(db, dest);
    const destRef = hllCreate(db, dest, 0, dest.length);
    expect(hllStoreMerged(db, destRef, max, false, 3000, true)).toBe(true);
    expect(hllDecode(db, ref(db, dest))).toBe(hllDecode(db, ref(db)));
    expect(hllCount(db, ref(db, dest))).toBe(3);
  });

  it("rejects strings that are not HLLs and detects corrupt sparse ones", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    set(db, "hll", "HYLL");
    expect(hllIsValid(db, ref(db))).toBe(false);
    set(db, "hll", Buffer.concat([b("HYLL"), Buffer.from([0, 0, 0, 0]), Buffer.alloc(8)]));
    expect(hllIsValid(db, ref(db))).toBe(false); // dense of the wrong length
    set(db, "hll", Buffer.concat([b("HYLL"), Buffer.from([2, 0, 0, 0]), Buffer.alloc(8)]));
    expect(hllIsValid(db, ref(db))).toBe(false);
    // A sparse HLL with garbage after its opcodes.
    set(
      db,
      "hll",
      Buffer.concat([b("HYLL"), Buffer.from([1, 0, 0, 0]), Buffer.alloc(7), Buffer.from([0x80, 0x7f, 0xff, 0x00])]),
    );
    expect(hllIsValid(db, ref(db))).toBe(true);
    expect(hllCount(db, ref(db))).toBe(HLL_INVALID);
  });

  it("passes Redis's self test", { timeout: 60_000 }, () => {
    expect(hllSelfTest(3000)).toBeNull();
  });
});

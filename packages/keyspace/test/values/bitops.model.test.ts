import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BIT_CHANGED,
  BitfieldOverflow,
  BitOp,
  bitfieldResult,
  bitopFirst,
  bitopNext,
  bitpos,
  checkSignedBitfieldOverflow,
  checkUnsignedBitfieldOverflow,
  Encoding,
  getBit,
  getSignedBitfield,
  getUnsignedBitfield,
  popcount,
  setBitfield,
  stringGrowZero,
  stringInsertBit,
  stringInsertZeros,
  stringSetBit,
  stringSetBitfield,
} from "../../src/index.js";
import { b, manualKeyspace, set } from "../utils/fixtures.js";

/**
 * The bit primitives against plain models: a string as an array of bits (bit 0 the most
 * significant bit of the first byte, zeros past the end) and BigInt arithmetic for fields.
 */

const bitsOf = (bytes: Uint8Array): number[] => {
  const out: number[] = [];
  for (const byte of bytes) for (let i = 7; i >= 0; i--) out.push((byte >> i) & 1);
  return out;
};
const bitAt = (bytes: Uint8Array, i: number): number =>
  i >> 3 < bytes.length ? (bytes[i >> 3]! >> (7 - (i & 7))) & 1 : 0;

/** A byte string placed at a random offset inside a larger buffer, to test non-zero starts. */
const placed = fc
  .tuple(fc.uint8Array({ maxLength: 80 }), fc.nat(7), fc.uint8Array({ minLength: 4, maxLength: 4 }))
  .map(([data, pad, junk]) => {
    const buf = new Uint8Array(pad + data.length + 4);
    buf.fill(0xa5);
    buf.set(data, pad);
    buf.set(junk, pad + data.length);
    return { buf, start: pad, end: pad + data.length, data };
  });
const runs = fc.oneof(
  fc.uint8Array({ maxLength: 80 }),
  fc.tuple(fc.nat(300), fc.constantFrom(0, 0xff), fc.nat(255)).map(([n, fill, last]) => {
    const a = new Uint8Array(n + 1).fill(fill);
    a[n] = last;
    return a;
  }),
);

describe("popcount, bitpos, getBit", () => {
  it("count the set bits of any byte range", () => {
    fc.assert(
      fc.property(placed, ({ buf, start, end, data }) => {
        expect(popcount(buf, start, end)).toBe(bitsOf(data).filter((x) => x === 1).length);
      }),
    );
  });

  it("find the first bit of either value, zero-padded for 0, -1 for a missing 1", () => {
    fc.assert(
      fc.property(runs, fc.nat(7), fc.constantFrom(0, 1), (data, pad, bit) => {
        const buf = new Uint8Array(pad + data.length + 1).fill(bit ? 0xff : 0);
        buf.set(data, pad);
        const bits = bitsOf(data);
        const first = bits.indexOf(bit);
        const expected = first >= 0 ? first : bit ? -1 : bits.length;
        expect(bitpos(buf, pad, pad + data.length, bit)).toBe(expected);
      }),
    );
  });

  it("read single bits, zero past the end", () => {
    fc.assert(
      fc.property(placed, fc.nat(800), ({ buf, start, end, data }, i) => {
        expect(getBit(buf, start, end, i)).toBe(bitAt(data, i));
      }),
    );
  });
});

describe("BITOP", () => {
  it("combines zero-padded sources like a byte-wise model, at any alignment", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(BitOp.And, BitOp.Or, BitOp.Xor, BitOp.Not),
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 300 }), fc.nat(5)), { minLength: 1, maxLength: 5 }),
        fc.nat(7),
        (op, placedSources, at) => {
          if (op === BitOp.Not) placedSources = placedSources.slice(0, 1);
          const sources = placedSources.map(([s]) => s);
          const total = Math.max(...sources.map((s) => s.length));
          const out = new Uint8Array(at + total + 3).fill(0x5a);
          placedSources.forEach(([s, pad], j) => {
            const holder = new Uint8Array(pad + s.length + 2).fill(0xee);
            holder.set(s, pad);
            if (j === 0) bitopFirst(out, at, total, holder, pad, pad + s.length, op);
            else bitopNext(out, at, total, holder, pad, pad + s.length, op);
          });
          const expected = new Uint8Array(total);
          for (let i = 0; i < total; i++) {
            let acc = sources[0]![i] ?? 0;
            if (op === BitOp.Not) acc = ~acc & 0xff;
            for (const s of sources.slice(1)) {
              const v = s[i] ?? 0;
              acc = op === BitOp.And ? acc & v : op === BitOp.Or ? acc | v : acc ^ v;
            }
            expected[i] = acc;
          }
          expect(Buffer.from(out.subarray(at, at + total)).equals(Buffer.from(expected))).toBe(true);
          // Nothing written outside the result.
          expect([...out.subarray(0, at), ...out.subarray(at + total)].every((x) => x === 0x5a)).toBe(true);
        },
      ),
    );
  });
});

describe("popcount of long ranges", () => {
  it("counts ranges around the WebAssembly threshold at any start, the odd tail included", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 100, maxLength: 700 }), fc.nat(11), (data, pad) => {
        const buf = new Uint8Array(pad + data.length + 8).fill(0xff);
        buf.set(data, pad);
        expect(popcount(buf, pad, pad + data.length)).toBe(bitsOf(data).filter((x) => x === 1).length);
      }),
    );
  });

  it("matches a byte-table count on 200 KB at every alignment", () => {
    const data = new Uint8Array(200_011);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    data.fill(0xff, 1000, 5000);
    let table = 0;
    for (let i = 0; i < data.length; i++) table += bitsOf(data.subarray(i, i + 1)).filter((x) => x === 1).length;
    for (let pad = 0; pad < 4; pad++) {
      let tail = 0;
      for (let i = 0; i < pad; i++) tail += bitsOf(data.subarray(i, i + 1)).filter((x) => x === 1).length;
      expect(popcount(data, pad, data.length)).toBe(table - tail);
    }
  });
});

describe("BITOP over several chunks", () => {
  it("combines sources longer than its 64 KiB chunk", () => {
    const len = 200_003;
    const a = new Uint8Array(len + 1);
    const c = new Uint8Array(len + 2);
    for (let i = 0; i < len; i++) {
      a[i + 1] = (i * 2654435761) >>> 24;
      c[i + 2] = (i * 40503) >>> 8;
    }
    for (const op of [BitOp.And, BitOp.Or, BitOp.Xor]) {
      const out = new Uint8Array(len + 8);
      bitopFirst(out, 5, len, a, 1, len + 1, op);
      bitopNext(out, 5, len, c, 2, len + 2, op);
      for (let i = 0; i < len; i += 997) {
        const x = a[i + 1]!;
        const y = c[i + 2]!;
        expect(out[5 + i]).toBe(op === BitOp.And ? x & y : op === BitOp.Or ? x | y : x ^ y);
      }
      expect(out[5 + len - 1]).toBe(
        op === BitOp.And ? a[len]! & c[len + 1]! : op === BitOp.Or ? a[len]! | c[len + 1]! : a[len]! ^ c[len + 1]!,
      );
    }
  });
});

describe("bit fields", () => {
  /** Model: the `bits`-wide unsigned field at `offset` as a BigInt. */
  const fieldModel = (data: Uint8Array, offset: number, bits: number): bigint => {
    let v = 0n;
    for (let i = 0; i < bits; i++) v = (v << 1n) | BigInt(bitAt(data, offset + i));
    return v;
  };

  it("get unsigned and signed fields of any width and alignment, zeros past the end", () => {
    fc.assert(
      fc.property(placed, fc.nat(700), fc.integer({ min: 1, max: 64 }), ({ buf, start, end, data }, offset, bits) => {
        const u = fieldModel(data, offset, bits);
        expect(getUnsignedBitfield(buf, start, end, offset, bits)).toBe(u);
        expect(getSignedBitfield(buf, start, end, offset, bits)).toBe(BigInt.asIntN(bits, u));
      }),
    );
  });

  it("set a field's bits and no other", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 9, maxLength: 30 }),
        fc.integer({ min: 1, max: 64 }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
        fc.nat(1000),
        (data, bits, value, seed) => {
          const offset = seed % (data.length * 8 - bits + 1);
          const before = bitsOf(data);
          const buf = new Uint8Array(data.length + 2);
          buf.set(data, 1);
          setBitfield(buf, 1, offset, bits, value);
          const after = bitsOf(buf.subarray(1, 1 + data.length));
          expect(buf[0]).toBe(0);
          expect(buf[buf.length - 1]).toBe(0);
          for (let i = 0; i < after.length; i++) if (i < offset || i >= offset + bits) expect(after[i]).toBe(before[i]);
          expect(getUnsignedBitfield(buf, 1, 1 + data.length, offset, bits)).toBe(BigInt.asUintN(bits, value));
        },
      ),
    );
  });

  it("detect overflow and compute WRAP and SAT results like Redis", () => {
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        int64,
        int64,
        fc.constantFrom(BitfieldOverflow.Wrap, BitfieldOverflow.Sat),
        (bits, signed, a, incr, overflow) => {
          if (!signed && bits === 64) bits = 63;
          const min = signed ? -(2n ** BigInt(bits - 1)) : 0n;
          const max = signed ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n;
          // INCRBY: the old value is a field's; SET: any int64 (read as uint64 for unsigned).
          const old = signed ? BigInt.asIntN(bits, a) : BigInt.asUintN(bits, a);
          const check = signed ? checkSignedBitfieldOverflow : checkUnsignedBitfieldOverflow;
          const sum = old + incr;
          const code = check(old, incr, bits, overflow);
          expect(code).toBe(sum > max ? 1 : sum < min ? -1 : 0);
          const wrapped = signed ? BigInt.asIntN(bits, sum) : BigInt.asUintN(bits, sum);
          expect(bitfieldResult.value).toBe(
            code === 0 || overflow === BitfieldOverflow.Wrap ? wrapped : code > 0 ? max : min,
          );
          const setValue = signed ? a : BigInt.asUintN(64, a);
          const setCode = check(a, 0n, bits, overflow);
          expect(setCode).toBe(setValue > max ? 1 : setValue < min ? -1 : 0);
        },
      ),
    );
  });
});

describe("in-place bit edits", () => {
  it("SETBIT grows a value with zeros through the gateway, only when it changes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(300), fc.constantFrom(0, 1)), { maxLength: 40 }),
        fc.constantFrom("", "1", "12345", "hello world"),
        (ops, initial) => {
          const { ks } = manualKeyspace();
          const db = ks.db(0);
          const key = b("k");
          let model = b(initial);
          let ref = initial === "" ? -1 : set(db, "k", initial);
          for (const [offset, on] of ops) {
            const dirty = ks.dirty;
            let result: number;
            if (ref < 0) {
              db.lookupWrite(key, 0, 1);
              ref = stringInsertBit(db, key, 0, 1, offset, on);
              result = BIT_CHANGED;
            } else {
              result = stringSetBit(db, ref, offset, on);
            }
            const old = bitAt(model, offset);
            const grown = Buffer.alloc(Math.max(model.length, (offset >> 3) + 1));
            grown.set(model);
            if (on) grown[offset >> 3]! |= 0x80 >> (offset & 7);
            else grown[offset >> 3]! &= ~(0x80 >> (offset & 7));
            const changed = !grown.equals(model) || grown.length !== model.length;
            expect(result & 1).toBe(old);
            expect((result & BIT_CHANGED) !== 0).toBe(changed);
            expect(ks.dirty - dirty).toBe(changed ? 1 : 0);
            model = grown;
            db.loadValue(ref);
            expect(Buffer.from(db.valueBuf.subarray(db.valueOff, db.valueOff + db.valueLen)).equals(model)).toBe(true);
            expect(db.rawEncodingAt(ref)).toBe(Encoding.Raw);
          }
        },
      ),
    );
  });

  it("BITFIELD grows once, then writes fields in place", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    const key = b("f");
    db.lookupWrite(key, 0, 1);
    let ref = stringInsertZeros(db, key, 0, 1, 2);
    expect(db.valueLen).toBe(2);
    stringSetBitfield(db, ref, 7, 5, 23n, true);
    db.loadValue(ref);
    expect(Buffer.from(db.valueBuf.subarray(db.valueOff, db.valueOff + 2)).toString("hex")).toBe("0170");
    set(db, "n", "42");
    ref = db.lookupWrite(b("n"), 0, 1);
    const dirty = ks.dirty;
    expect(stringGrowZero(db, ref, 2)).toBe(false);
    expect(db.rawEncodingAt(ref)).toBe(Encoding.Raw);
    expect(ks.dirty).toBe(dirty);
    expect(stringGrowZero(db, ref, 4)).toBe(true);
    expect(ks.dirty).toBe(dirty + 1);
    stringSetBitfield(db, ref, 16, 16, 0x4142n, true);
    expect(ks.dirty).toBe(dirty + 1);
    stringSetBitfield(db, ref, 0, 8, 0x41n, false);
    expect(ks.dirty).toBe(dirty + 2);
    db.loadValue(ref);
    expect(Buffer.from(db.valueBuf.subarray(db.valueOff, db.valueOff + db.valueLen)).toString("latin1")).toBe("A2AB");
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stream } from "../../src/index.js";

const U64_MAX = stream.U64_MAX;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// u64s that matter: small, around 2^32, around 2^53 (the number/bigint seam), near 2^64.
const edges = [0n, 1n, 0xffff_ffffn, 0x1_0000_0000n, SAFE - 1n, SAFE, SAFE + 1n, SAFE + 2n, U64_MAX - 1n, U64_MAX];
const u64Big = fc.oneof(
  fc.constantFrom(...edges),
  fc.bigInt({ min: 0n, max: U64_MAX }),
  fc.bigInt({ min: SAFE - 1000n, max: SAFE + 1000n }),
);
const idOf = (ms: bigint, seq: bigint): stream.StreamId => ({ ms: stream.u64(ms), seq: stream.u64(seq) });
const bigCompare = (a: bigint, b: bigint) => (a === b ? 0 : a > b ? 1 : -1);

describe("stream IDs (numbers below 2^53, bigints past it)", () => {
  it("are canonical: a bigint only past 2^53 - 1", () => {
    fc.assert(
      fc.property(u64Big, (v) => {
        const u = stream.u64(v);
        expect(typeof u).toBe(v > SAFE ? "bigint" : "number");
        expect(stream.u64Big(u)).toBe(v);
        expect(stream.u64FromWords(stream.u64Hi(u), stream.u64Lo(u))).toBe(u);
      }),
    );
  });

  it("print, parse and compare exactly", () => {
    const text = new Uint8Array(stream.STREAM_ID_MAX_TEXT);
    fc.assert(
      fc.property(u64Big, u64Big, u64Big, u64Big, (ams, aseq, bms, bseq) => {
        const a = idOf(ams, aseq);
        const b = idOf(bms, bseq);
        const end = stream.writeStreamId(a, text, 0);
        expect(Buffer.from(text.subarray(0, end)).toString("latin1")).toBe(`${ams}-${aseq}`);
        expect(stream.formatStreamId(a)).toBe(`${ams}-${aseq}`);
        const parsed = stream.parseStreamId(text, 0, end, 0, true);
        expect(parsed).toEqual(a);
        const expected = ams !== bms ? bigCompare(ams, bms) : bigCompare(aseq, bseq);
        expect(stream.compareStreamId(a, b)).toBe(expected);
      }),
    );
  });

  it("step, add deltas and take differences modulo 2^64", () => {
    fc.assert(
      fc.property(u64Big, u64Big, (a, b) => {
        const ua = stream.u64(a);
        const ub = stream.u64(b);
        if (a < U64_MAX) expect(stream.u64Inc(ua)).toBe(stream.u64(a + 1n));
        if (a > 0n) expect(stream.u64Dec(ua)).toBe(stream.u64(a - 1n));
        const delta = stream.u64Delta(ua, ub);
        const exact = BigInt.asIntN(64, a - b);
        expect(BigInt(delta)).toBe(exact);
        if (typeof delta === "bigint") expect(exact > SAFE || exact < -SAFE).toBe(true);
        expect(stream.u64AddDelta(ub, delta)).toBe(ua);
      }),
    );
  });

  it("keep their order in a StreamIdArray", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(u64Big, u64Big), { minLength: 1, maxLength: 20 }), (pairs) => {
        const ids = pairs.map(([ms, seq]) => idOf(ms, seq));
        const array = new stream.StreamIdArray(1);
        array.grow(ids.length);
        ids.forEach((id, i) => array.set(i, id));
        ids.forEach((id, i) => {
          expect(array.id(i)).toEqual(id);
          for (const other of ids) expect(array.compareAt(i, other)).toBe(stream.compareStreamId(id, other));
        });
      }),
    );
  });

  it("increment and decrement across the seams", () => {
    const max = stream.maxStreamId();
    expect(stream.incrStreamId(max)).toBeNull();
    expect(stream.decrStreamId(stream.zeroStreamId())).toBeNull();
    expect(stream.incrStreamId({ ms: 5, seq: U64_MAX })).toEqual({ ms: 6, seq: 0 });
    expect(stream.incrStreamId({ ms: Number.MAX_SAFE_INTEGER, seq: U64_MAX })).toEqual({ ms: SAFE + 1n, seq: 0 });
    expect(stream.decrStreamId({ ms: SAFE + 1n, seq: 0 })).toEqual({ ms: Number.MAX_SAFE_INTEGER, seq: U64_MAX });
    expect(stream.incrStreamId({ ms: 1, seq: Number.MAX_SAFE_INTEGER })).toEqual({ ms: 1, seq: SAFE + 1n });
  });
});

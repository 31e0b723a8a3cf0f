import { KvPool } from "@nedis/allocators/kv-pool";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareBytes, LEX_BYTES, LEX_MAX_STRING, LEX_MIN_STRING, LexRange } from "../../src/values/zset/LexRange.js";
import { SkipList } from "../../src/values/zset/SkipList.js";

/** The model: elements sorted by (score, member bytes), as a plain array. */
interface Elem {
  score: number;
  member: Uint8Array;
}

const key = (m: Uint8Array): string => Buffer.from(m).toString("hex");
const cmpElem = (a: Elem, b: Elem): number =>
  a.score < b.score
    ? -1
    : a.score > b.score
      ? 1
      : compareBytes(a.member, 0, a.member.length, b.member, 0, b.member.length);

function memberOf(list: SkipList, node: number): Uint8Array {
  const page = list.member(node);
  return page.slice(list.memberOff, list.memberOff + list.memberLen);
}

/** Checks order both ways, spans (rank of every node, node of every rank) and the dict. */
function check(list: SkipList, model: Elem[], dict: Map<string, number>): void {
  expect(list.length).toBe(model.length);
  expect(dict.size).toBe(model.length);
  let x = list.first();
  for (let i = 0; i < model.length; i++) {
    expect(x).not.toBe(0);
    expect(Object.is(list.score(x), model[i]!.score)).toBe(true);
    expect(key(memberOf(list, x))).toBe(key(model[i]!.member));
    expect(dict.get(key(model[i]!.member))).toBe(x);
    expect(list.rankOf(x)).toBe(i + 1);
    expect(list.getByRank(i + 1)).toBe(x);
    x = list.next(x);
  }
  expect(x).toBe(0);
  x = list.last();
  for (let i = model.length - 1; i >= 0; i--) {
    expect(x).toBe(dict.get(key(model[i]!.member)));
    x = list.prev(x);
  }
  expect(x).toBe(0);
  expect(list.getByRank(0)).toBe(0);
  expect(list.getByRank(model.length + 1)).toBe(0);
}

const memberArb = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 3, max: 3 }) }, // small alphabet: many prefixes, collisions
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 16 }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 120, maxLength: 300, max: 1 }) },
);
const scoreArb = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -0, 0.5) },
  { weight: 1, arbitrary: fc.double({ noNaN: true }) },
);
const boundArb = fc.record({ min: scoreArb, minex: fc.boolean(), max: scoreArb, maxex: fc.boolean() });
const lexBoundArb = fc.record({
  kind: fc.constantFrom(LEX_MIN_STRING, LEX_BYTES, LEX_BYTES, LEX_BYTES, LEX_MAX_STRING),
  ex: fc.boolean(),
  bytes: memberArb,
});

const opArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("insert" as const), score: scoreArb, member: memberArb }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("delete" as const), pick: fc.nat(), score: scoreArb, member: memberArb }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("update" as const), pick: fc.nat(), score: scoreArb, byNode: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("rank" as const), pick: fc.nat(), score: scoreArb, member: memberArb }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("range" as const), b: boundArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("delScore" as const), b: boundArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("delRank" as const),
      start: fc.integer({ min: -1, max: 40 }),
      n: fc.integer({ min: -1, max: 10 }),
    }),
  },
);

const inScore = (s: number, b: { min: number; minex: boolean; max: number; maxex: boolean }): boolean =>
  (b.minex ? s > b.min : s >= b.min) && (b.maxex ? s < b.max : s <= b.max);

function setLex(r: LexRange, min: { kind: number; ex: boolean; bytes: Uint8Array }, max: typeof min): void {
  r.setMin(min.kind, min.ex, min.bytes, 0, min.bytes.length);
  r.setMax(max.kind, max.ex, max.bytes, 0, max.bytes.length);
}

function inLex(m: Uint8Array, min: { kind: number; ex: boolean; bytes: Uint8Array }, max: typeof min): boolean {
  const cMin =
    min.kind === LEX_MIN_STRING
      ? 1
      : min.kind === LEX_MAX_STRING
        ? -1
        : compareBytes(m, 0, m.length, min.bytes, 0, min.bytes.length);
  const cMax =
    max.kind === LEX_MAX_STRING
      ? -1
      : max.kind === LEX_MIN_STRING
        ? 1
        : compareBytes(m, 0, m.length, max.bytes, 0, max.bytes.length);
  return (
    (min.ex || min.kind !== LEX_BYTES ? cMin > 0 : cMin >= 0) &&
    (max.ex || max.kind !== LEX_BYTES ? cMax < 0 : cMax <= 0)
  );
}

describe("SkipList against a sorted-array model", () => {
  it("inserts, deletes, score updates, ranks and score ranges keep order, spans and the dict in step", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fffffff }), fc.array(opArb, { maxLength: 120 }), (seed, ops) => {
        const pool = new KvPool({ pageSize: 4096 });
        const start = pool.usedBytes;
        const list = new SkipList(pool, { seed, capacity: 2 });
        const model: Elem[] = [];
        const dict = new Map<string, number>();
        const removed: string[] = [];
        const onRemove = (node: number): void => {
          const k = key(memberOf(list, node));
          expect(dict.get(k)).toBe(node);
          dict.delete(k);
          removed.push(k);
        };
        for (const o of ops) {
          switch (o.op) {
            case "insert": {
              if (dict.has(key(o.member))) break;
              const node = list.insert(o.score, o.member, 0, o.member.length);
              expect(node).toBeGreaterThan(0);
              dict.set(key(o.member), node);
              model.push({ score: o.score, member: o.member });
              model.sort(cmpElem);
              break;
            }
            case "delete": {
              const e =
                model.length > 0 && o.pick % 3 !== 0
                  ? model[o.pick % model.length]!
                  : { score: o.score, member: o.member };
              const i = model.findIndex((m) => m.score === e.score && key(m.member) === key(e.member));
              const useNode = i >= 0 && o.pick % 2 === 0;
              if (useNode) list.deleteNode(dict.get(key(e.member))!);
              else expect(list.delete(e.score, e.member, 0, e.member.length)).toBe(i >= 0);
              if (i >= 0) {
                model.splice(i, 1);
                dict.delete(key(e.member));
              }
              break;
            }
            case "update": {
              if (model.length === 0) break;
              const e = model[o.pick % model.length]!;
              const node = dict.get(key(e.member))!;
              const got = o.byNode
                ? list.updateScore(node, o.score)
                : list.updateScoreOf(e.score, e.member, 0, e.member.length, o.score);
              expect(got).toBe(node);
              e.score = o.score;
              model.sort(cmpElem);
              break;
            }
            case "rank": {
              const e =
                model.length > 0 && o.pick % 2 === 0
                  ? model[o.pick % model.length]!
                  : { score: o.score, member: o.member };
              const i = model.findIndex((m) => m.score === e.score && key(m.member) === key(e.member));
              expect(list.getRank(e.score, e.member, 0, e.member.length)).toBe(i + 1);
              break;
            }
            case "range": {
              const { min, minex, max, maxex } = o.b;
              const inRange = model.filter((m) => inScore(m.score, o.b));
              const first = list.firstInRange(min, minex, max, maxex);
              const last = list.lastInRange(min, minex, max, maxex);
              if (inRange.length > 0) expect(list.isInRange(min, minex, max, maxex)).toBe(true);
              if (inRange.length === 0) {
                expect(first).toBe(0);
                expect(last).toBe(0);
              } else {
                expect(first).toBe(dict.get(key(inRange[0]!.member)));
                expect(last).toBe(dict.get(key(inRange[inRange.length - 1]!.member)));
                const got: string[] = [];
                for (let x = first; ; x = list.next(x)) {
                  got.push(key(memberOf(list, x)));
                  if (x === last) break;
                }
                expect(got).toEqual(inRange.map((m) => key(m.member)));
              }
              break;
            }
            case "delScore": {
              const { min, minex, max, maxex } = o.b;
              removed.length = 0;
              const want = model.filter((m) => inScore(m.score, o.b)).map((m) => key(m.member));
              expect(list.deleteRangeByScore(min, minex, max, maxex, onRemove)).toBe(want.length);
              expect(removed).toEqual(want);
              model.splice(0, model.length, ...model.filter((m) => !inScore(m.score, o.b)));
              break;
            }
            case "delRank": {
              removed.length = 0;
              const end = o.start + o.n;
              const from = Math.max(o.start, 1);
              const want = model.slice(from - 1, Math.max(end, from - 1)).map((m) => key(m.member));
              expect(list.deleteRangeByRank(o.start, end, onRemove)).toBe(want.length);
              expect(removed).toEqual(want);
              model.splice(from - 1, want.length);
              break;
            }
          }
          check(list, model, dict);
        }
        list.free();
        expect(list.length).toBe(0);
        expect(pool.usedBytes).toBe(start);
        expect(pool.liveAllocations).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it("lex ranges on an equal-score set match the model, deletions included", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 0x7fffffff }),
        fc.uniqueArray(memberArb, { selector: key, maxLength: 60 }),
        fc.array(fc.record({ min: lexBoundArb, max: lexBoundArb, del: fc.boolean() }), { maxLength: 12 }),
        (seed, members, queries) => {
          const pool = new KvPool({ pageSize: 4096 });
          const list = new SkipList(pool, { seed });
          const dict = new Map<string, number>();
          for (const m of members) dict.set(key(m), list.insert(7, m, 0, m.length));
          let model: Elem[] = members.map((member) => ({ score: 7, member })).sort(cmpElem);
          check(list, model, dict);
          const r = new LexRange();
          for (const q of queries) {
            setLex(r, q.min, q.max);
            const want = model.filter((m) => inLex(m.member, q.min, q.max));
            // zslIsInLexRange only tests the ends: it may say yes for an empty range, never no for a non-empty one.
            if (want.length > 0) expect(list.isInLexRange(r)).toBe(true);
            const first = list.firstInLexRange(r);
            const last = list.lastInLexRange(r);
            expect(first).toBe(want.length === 0 ? 0 : dict.get(key(want[0]!.member)));
            expect(last).toBe(want.length === 0 ? 0 : dict.get(key(want[want.length - 1]!.member)));
            if (q.del) {
              const removed: string[] = [];
              const n = list.deleteRangeByLex(r, (node) => {
                const k = key(memberOf(list, node));
                dict.delete(k);
                removed.push(k);
              });
              expect(n).toBe(want.length);
              expect(removed).toEqual(want.map((m) => key(m.member)));
              model = model.filter((m) => !inLex(m.member, q.min, q.max));
              check(list, model, dict);
            }
          }
          list.free();
          expect(pool.usedBytes).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("SkipList", () => {
  it("parses lex bounds as zslParseLexRange does", () => {
    const r = new LexRange();
    const a = (s: string): Uint8Array => Buffer.from(s);
    const ok = (min: string, max: string): boolean => r.parse(a(min), 0, min.length, a(max), 0, max.length);
    expect(ok("-", "+")).toBe(true);
    expect([r.minKind, r.minEx, r.maxKind, r.maxEx]).toEqual([LEX_MIN_STRING, true, LEX_MAX_STRING, true]);
    expect(ok("[a", "(b")).toBe(true);
    expect([r.minKind, r.minEx, r.minLen, r.maxKind, r.maxEx, r.maxLen]).toEqual([
      LEX_BYTES,
      false,
      1,
      LEX_BYTES,
      true,
      1,
    ]);
    expect(ok("(", "[")).toBe(true);
    expect(ok("a", "+")).toBe(false);
    expect(ok("-x", "+")).toBe(false);
    expect(ok("", "+")).toBe(false);
    expect(ok("-", "+x")).toBe(false);
  });

  it("draws levels with P = 1/4 and reproduces them from a seed", () => {
    const pool = new KvPool();
    const lists = [new SkipList(pool, { seed: 42 }), new SkipList(pool, { seed: 42 })];
    const n = 100_000;
    const m = new Uint8Array(4);
    const view = new DataView(m.buffer);
    for (let i = 0; i < n; i++) {
      view.setUint32(0, i);
      for (const l of lists) l.insert(i % 1000, m, 0, 4);
    }
    const levels = (lists[0] as unknown as { levels: Uint8Array }).levels.subarray(1, n + 1);
    const levels2 = (lists[1] as unknown as { levels: Uint8Array }).levels.subarray(1, n + 1);
    expect(Buffer.from(levels).equals(Buffer.from(levels2))).toBe(true);
    const atLeast = (k: number): number => levels.filter((l) => l >= k).length / n;
    expect(atLeast(2)).toBeCloseTo(0.25, 2);
    expect(atLeast(3)).toBeCloseTo(0.0625, 2);
    expect(atLeast(4)).toBeCloseTo(0.015625, 2);
    for (const l of lists) l.free();
    expect(pool.usedBytes).toBe(0);
  });

  it("costs about 40 bytes of typed arrays per element at full capacity", () => {
    const pool = new KvPool();
    const n = 1 << 17;
    const list = new SkipList(pool, { seed: 7, capacity: n + 1 });
    const m = new Uint8Array(8);
    const view = new DataView(m.buffer);
    for (let i = 0; i < n; i++) {
      view.setFloat64(0, Math.random());
      list.insert(Math.random(), m, 0, 8);
    }
    const core = list as unknown as { linksTop: number };
    const perElement = (list.memoryUsage() - 4 * (2 * 32 * 4)) / n;
    const linksPerElement = ((core.linksTop - 68) * 4) / n;
    // 13 bytes of node columns; a tower of 16 bytes + 8 per level reached (4/3 levels on average); doubling slack of `links`.
    expect(linksPerElement).toBeGreaterThan(26);
    expect(linksPerElement).toBeLessThan(27.5);
    expect(perElement).toBeLessThan(13 + 2 * linksPerElement + 1);
    console.log(
      `skiplist: ${n} elements, ${(list.memoryUsage() / n).toFixed(1)} B/element of typed arrays ` +
        `(links ${linksPerElement.toFixed(2)} B/element used), members ${(pool.usedBytes / n).toFixed(1)} B/element in the pool`,
    );
    list.free();
    expect(pool.usedBytes).toBe(0);
  });

  it("reuses node slots and towers after deletions, and returns 0 when the pool is out of memory", () => {
    const pool = new KvPool({ budget: 1 << 20, pageSize: 4096 });
    const list = new SkipList(pool, { seed: 3 });
    const m = new Uint8Array([1, 2, 3]);
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) {
        m[0] = i;
        list.insert(i, m, 0, 3);
      }
      expect(list.deleteRangeByRank(1, 100)).toBe(100);
    }
    const before = list.memoryUsage();
    for (let i = 0; i < 100; i++) {
      m[0] = i;
      list.insert(i, m, 0, 3);
    }
    expect(list.memoryUsage()).toBe(before);
    const big = new Uint8Array(2 << 20);
    const used = pool.usedBytes;
    expect(list.insert(1, big, 0, big.length)).toBe(0);
    expect(list.length).toBe(100);
    expect(pool.usedBytes).toBe(used);
    list.free();
    expect(pool.usedBytes).toBe(0);
  });
  it("grows its links past 1 MB by quarters and keeps order (150K inserts from a zset's conversion capacity)", () => {
    const pool = new KvPool();
    const list = new SkipList(pool, { seed: 11, capacity: 129 });
    const m = new Uint8Array(4);
    const view = new DataView(m.buffer);
    const n = 150_000;
    for (let i = 0; i < n; i++) {
      view.setUint32(0, i);
      expect(list.insert((i * 7919) % n, m, 0, 4)).toBeGreaterThan(0);
    }
    expect(list.length).toBe(n);
    let previous = -1;
    let seen = 0;
    for (let node = list.first(); node !== 0; node = list.next(node), seen++) {
      expect(list.score(node)).toBeGreaterThanOrEqual(previous);
      previous = list.score(node);
    }
    expect(seen).toBe(n);
    const core = list as unknown as { links: Int32Array; linksTop: number };
    // Past 2^18 cells the slack is at most a quarter (plus rounding to whole float64s).
    expect(core.links.length).toBeGreaterThan(1 << 18);
    expect(core.links.length).toBeLessThanOrEqual(Math.ceil(core.linksTop * 1.25) + 8);
    list.free();
    expect(pool.usedBytes).toBe(0);
  });
});

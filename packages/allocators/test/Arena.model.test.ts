import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ARENA_EXHAUSTED, Arena, type ArenaMark } from "../src/arena/index.js";
import { fuzzRuns, fuzzTimeout } from "./utils/fuzzRuns.js";

type Op =
  | { kind: "alloc"; size: number; alignment: number; seed: number }
  | { kind: "mark" }
  | { kind: "release"; pick: number }
  | { kind: "reset" };

interface LiveAllocation {
  buffer: Uint8Array;
  offset: number;
  bytes: Uint8Array;
}

/**
 * The specification of the arena's block chain, written plainly: where the next allocation goes,
 * when a block is added, when the cap refuses. Offsets returned by the arena must equal these.
 */
class ArenaModel {
  blocks: number[] = [];
  fills: number[] = [];
  current = -1;
  position = 0;
  used = 0;

  constructor(
    readonly blockSize: number,
    readonly maxBytes: number,
    readonly retainBytes: number,
  ) {}

  alloc(size: number, alignment: number): number | "exhausted" {
    if (this.current >= 0) {
      const offset = Math.ceil(this.position / alignment) * alignment;
      if (offset + size <= this.blocks[this.current]!) {
        this.used += offset + size - this.position;
        this.position = offset + size;
        return offset;
      }
    }
    const next = this.current + 1;
    if (next >= this.blocks.length || this.blocks[next]! < size) {
      this.blocks.length = next;
      this.fills.length = next;
      const length = Math.max(this.blockSize, size);
      if (this.maxBytes !== 0 && this.held() + length > this.maxBytes) return "exhausted";
      this.blocks.push(length);
      this.fills.push(0);
    }
    if (this.current >= 0) this.fills[this.current] = this.position;
    this.current = next;
    this.position = size;
    this.used += size;
    return 0;
  }

  held(): number {
    return this.blocks.reduce((sum, b) => sum + b, 0);
  }

  reset(): void {
    let kept = 0;
    let bytes = 0;
    while (kept < this.blocks.length && bytes + this.blocks[kept]! <= this.retainBytes) bytes += this.blocks[kept++]!;
    this.blocks.length = kept;
    this.fills.length = kept;
    this.current = kept > 0 ? 0 : -1;
    this.position = 0;
    this.used = 0;
  }
}

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant("alloc" as const),
      size: fc.oneof(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 300 }),
        fc.constantFrom(0, 63, 64, 65, 127, 128, 129, 199, 200, 201),
      ),
      alignment: fc.constantFrom(1, 1, 1, 8),
      seed: fc.integer({ min: 0, max: 255 }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: "mark" as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("release" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: "reset" as const }) },
);

function pattern(size: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (seed * 37 + i * 11) & 0xff);
}

describe("Arena against a reference model", () => {
  it(
    "places allocations where the model says, keeps them intact and disjoint, honours the cap",
    () => {
      fc.assert(
        fc.property(
          fc.array(opArbitrary, { maxLength: 150 }),
          fc.constantFrom(64, 128, 200),
          fc.constantFrom(0, 256, 400, 640, 1000),
          fc.constantFrom(0, 128, 400),
          (ops, blockSize, maxBytes, retainBytes) => {
            const arena = new Arena({ blockSize, maxBytes, retainBytes });
            const model = new ArenaModel(blockSize, maxBytes, retainBytes);
            let live: LiveAllocation[] = [];
            const marks: { mark: ArenaMark; live: number; used: number; current: number; position: number }[] = [];
            for (const op of ops) {
              switch (op.kind) {
                case "alloc": {
                  const expected = model.alloc(op.size, op.alignment);
                  const offset = arena.alloc(op.size, op.alignment);
                  if (expected === "exhausted") {
                    expect(offset).toBe(ARENA_EXHAUSTED);
                    break;
                  }
                  expect(offset).toBe(expected);
                  expect(offset % op.alignment).toBe(0);
                  const bytes = pattern(op.size, op.seed);
                  arena.buffer.set(bytes, offset);
                  live.push({ buffer: arena.buffer, offset, bytes });
                  break;
                }
                case "mark":
                  marks.push({
                    mark: arena.mark(),
                    live: live.length,
                    used: model.used,
                    current: model.current,
                    position: model.position,
                  });
                  break;
                case "release": {
                  if (marks.length === 0) break;
                  const index = op.pick % marks.length;
                  const target = marks[index]!;
                  marks.length = index + 1;
                  arena.release(target.mark);
                  live = live.slice(0, target.live);
                  if (model.current >= 0) {
                    model.current = Math.max(0, target.current);
                    model.position = target.position;
                    model.used = target.used;
                  }
                  break;
                }
                case "reset":
                  arena.reset();
                  model.reset();
                  live = [];
                  marks.length = 0;
                  break;
              }
              const stats = arena.stats();
              expect(stats.usedBytes).toBe(model.used);
              expect(stats.blocks).toBe(model.blocks.length);
              expect(stats.blockBytes).toBe(model.held());
              if (maxBytes !== 0) expect(stats.blockBytes).toBeLessThanOrEqual(maxBytes);
              const byBuffer = new Map<Uint8Array, [number, number][]>();
              for (const a of live) {
                expect(a.buffer.subarray(a.offset, a.offset + a.bytes.length)).toEqual(a.bytes);
                const ranges = byBuffer.get(a.buffer) ?? [];
                ranges.push([a.offset, a.offset + a.bytes.length]);
                byBuffer.set(a.buffer, ranges);
              }
              for (const ranges of byBuffer.values()) {
                ranges.sort((x, y) => x[0] - y[0]);
                for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBeGreaterThanOrEqual(ranges[i - 1]![1]);
              }
            }
          },
        ),
        { numRuns: fuzzRuns(300) },
      );
    },
    fuzzTimeout(300, 200),
  );
});

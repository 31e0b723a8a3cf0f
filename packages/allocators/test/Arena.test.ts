import { describe, expect, it } from "vitest";
import { ARENA_EXHAUSTED, Arena } from "../src/arena/index.js";

describe("Arena", () => {
  it("holds no memory until the first allocation", () => {
    const arena = new Arena();
    expect(arena.stats()).toMatchObject({ blocks: 0, blockBytes: 0, usedBytes: 0 });
    expect(arena.buffer.length).toBe(0);
    arena.reset();
    expect(arena.stats().blocks).toBe(0);
  });

  it("bumps within a block and returns offsets into arena.buffer", () => {
    const arena = new Arena({ blockSize: 1024 });
    const a = arena.alloc(10);
    const b = arena.alloc(20);
    expect([a, b]).toEqual([0, 10]);
    expect(arena.buffer.length).toBe(1024);
    expect(arena.usedBytes).toBe(30);
  });

  it("serves zero-size requests without moving", () => {
    const arena = new Arena({ blockSize: 64 });
    arena.alloc(64);
    expect(arena.alloc(0)).toBe(64);
    expect(arena.stats().blocks).toBe(1);
  });

  it("aligns on request", () => {
    const arena = new Arena({ blockSize: 1024 });
    arena.alloc(3);
    expect(arena.alloc(8, 8)).toBe(8);
    expect(arena.usedBytes).toBe(16);
    expect(() => arena.alloc(1, 3)).toThrow(RangeError);
  });

  it("chains a new block when the current one is full and counts the skipped tail", () => {
    const arena = new Arena({ blockSize: 100 });
    arena.alloc(90);
    const first = arena.buffer;
    expect(arena.alloc(20)).toBe(0);
    expect(arena.buffer).not.toBe(first);
    expect(arena.stats()).toMatchObject({ blocks: 2, blockBytes: 200, usedBytes: 110, wastedBytes: 10 });
  });

  it("gives a request larger than a block a block of its own size", () => {
    const arena = new Arena({ blockSize: 100 });
    expect(arena.alloc(250)).toBe(0);
    expect(arena.buffer.length).toBe(250);
  });

  it("refuses growth past maxBytes and stays usable", () => {
    const arena = new Arena({ blockSize: 100, maxBytes: 250 });
    arena.alloc(100);
    arena.alloc(100);
    expect(arena.alloc(1)).toBe(ARENA_EXHAUSTED);
    expect(arena.stats()).toMatchObject({ blocks: 2, blockBytes: 200, failures: 1, usedBytes: 200 });
    arena.reset();
    expect(arena.alloc(50)).toBe(0);
  });

  it("reaches exactly maxBytes", () => {
    const arena = new Arena({ blockSize: 100, maxBytes: 300 });
    for (let i = 0; i < 3; i++) expect(arena.alloc(100)).toBe(0);
    expect(arena.stats().blockBytes).toBe(300);
    expect(arena.alloc(1)).toBe(ARENA_EXHAUSTED);
  });

  it("releases to a mark and reuses the same bytes", () => {
    const arena = new Arena({ blockSize: 100 });
    arena.alloc(30);
    const mark = arena.mark();
    arena.alloc(60);
    arena.alloc(60);
    expect(arena.stats().blocks).toBe(2);
    arena.release(mark);
    expect(arena.usedBytes).toBe(30);
    expect(arena.alloc(10)).toBe(30);
    expect(arena.stats().blocks).toBe(2);
  });

  it("rejects a mark beyond the current position", () => {
    const arena = new Arena({ blockSize: 100 });
    arena.alloc(10);
    const early = arena.mark();
    arena.alloc(10);
    const late = arena.mark();
    arena.release(early);
    expect(() => arena.release(late)).toThrow(RangeError);
  });

  it("keeps blocks up to retainBytes across reset", () => {
    const arena = new Arena({ blockSize: 100, retainBytes: 200 });
    for (let i = 0; i < 5; i++) arena.alloc(100);
    arena.reset();
    expect(arena.stats()).toMatchObject({ blocks: 2, blockBytes: 200, usedBytes: 0 });
    expect(arena.alloc(10)).toBe(0);
  });

  it("copies a range of a source array", () => {
    const arena = new Arena({ blockSize: 64 });
    const source = Uint8Array.from({ length: 200 }, (_, i) => i);
    const short = arena.copy(source, 5, 9);
    expect([...arena.buffer.subarray(short, short + 4)]).toEqual([5, 6, 7, 8]);
    const long = arena.copy(source, 0, 200);
    expect([...arena.buffer.subarray(long, long + 200)]).toEqual([...source]);
    expect(() => arena.copy(source, 150, 300)).toThrow(RangeError);
  });

  it("rejects invalid sizes and options", () => {
    const arena = new Arena();
    for (const size of [-1, 0.5, Number.NaN]) expect(() => arena.alloc(size)).toThrow(RangeError);
    expect(() => new Arena({ blockSize: 8 })).toThrow(RangeError);
    expect(() => new Arena({ maxBytes: -1 })).toThrow(RangeError);
  });
});

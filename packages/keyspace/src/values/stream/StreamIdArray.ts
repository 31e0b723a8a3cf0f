import { compareU64, type StreamId, type U64, u64FromWords, u64Hi, u64Lo } from "./streamId.js";

/**
 * A growable packed array of stream IDs, four 32-bit words each (ms high, ms low, seq high,
 * seq low): 16 bytes an ID as Redis's rax keys, exact over the whole u64 range, and read back as
 * plain numbers below 2^53 (a BigUint64Array would make a bigint on every read).
 */
export class StreamIdArray {
  words: Uint32Array;

  constructor(capacity: number) {
    this.words = new Uint32Array(capacity * 4);
  }

  get capacity(): number {
    return this.words.length >>> 2;
  }

  get byteLength(): number {
    return this.words.byteLength;
  }

  ms(i: number): U64 {
    const w = this.words;
    return u64FromWords(w[i * 4]!, w[i * 4 + 1]!);
  }

  seq(i: number): U64 {
    const w = this.words;
    return u64FromWords(w[i * 4 + 2]!, w[i * 4 + 3]!);
  }

  id(i: number): StreamId {
    return { ms: this.ms(i), seq: this.seq(i) };
  }

  set(i: number, id: StreamId): void {
    const w = this.words;
    const at = i * 4;
    w[at] = u64Hi(id.ms);
    w[at + 1] = u64Lo(id.ms);
    w[at + 2] = u64Hi(id.seq);
    w[at + 3] = u64Lo(id.seq);
  }

  /** `compareStreamId(this.id(i), id)` without making the ID. */
  compareAt(i: number, id: StreamId): number {
    const c = compareU64(this.ms(i), id.ms);
    return c !== 0 ? c : compareU64(this.seq(i), id.seq);
  }

  /** Moves IDs `[start, end)` to `target` (as TypedArray.copyWithin, in IDs). */
  copyWithin(target: number, start: number, end: number): void {
    this.words.copyWithin(target * 4, start * 4, end * 4);
  }

  /** Grows to hold `capacity` IDs, keeping the first ones. */
  grow(capacity: number): void {
    const words = new Uint32Array(capacity * 4);
    words.set(this.words);
    this.words = words;
  }

  clone(): StreamIdArray {
    const c = new StreamIdArray(0);
    c.words = this.words.slice();
    return c;
  }
}

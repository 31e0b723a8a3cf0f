import { EMPTY_BUFFER, type FastBuffer } from "./FastBuffer.js";

// A store grown past this for one big command is dropped once that command is consumed.
const RETAIN_LIMIT = 256 * 1024;
const PULL_STEP = 1024;

/**
 * The bytes a request parser reads: the caller's chunk while whole commands are parsed in place,
 * and an owned `store` for the one command split across chunks. The split command is completed by
 * copying only the bytes it still needs from the next chunk (`pull`); once it is complete, parsing
 * `resume`s in place in that chunk. So a pipelined stream costs one small copy per chunk boundary,
 * not a copy of every chunk.
 */
export class QueryBuffer {
  /** Bytes being parsed: `input[pos, end)` is unparsed. */
  input: FastBuffer = EMPTY_BUFFER;
  end = 0;
  pos = 0;
  /** True while `input` is the owned store. */
  storeActive = false;
  private store: FastBuffer | null = null;
  // True when the store holds exactly one incomplete command (what `keep` left).
  private holdsPartial = false;
  // The chunk a split command is being completed from, and how much of it was copied.
  private chunk: FastBuffer | null = null;
  private chunkPos = 0;
  private pullSize = PULL_STEP;

  /** Memory allocated for the store. */
  get retainedBytes(): number {
    return this.store === null ? 0 : this.store.length;
  }

  /** True when nothing is left to parse (no unparsed bytes from `from`, no pending chunk). */
  isDrained(from: number): boolean {
    return from >= this.end && this.chunk === null;
  }

  /**
   * Takes the next chunk, `data[0, length)`; `from` is where unparsed bytes start in the
   * current input.
   */
  feed(data: FastBuffer, from: number, length: number): void {
    if (this.isDrained(from)) {
      this.input = data;
      this.end = length;
      this.pos = 0;
      this.storeActive = false;
      return;
    }
    if (length !== data.length) data = data.subarray(0, length) as FastBuffer;
    if (!this.storeActive) {
      // Fed again before the previous chunk was parsed to its end: keep its rest first.
      this.keep(from);
      this.holdsPartial = false;
    }
    if (this.chunk !== null) {
      this.append(this.chunk, this.chunkPos, this.chunk.length, -1);
      this.chunk = null;
    }
    if (this.holdsPartial) {
      this.chunk = data;
      this.chunkPos = 0;
      this.pullSize = PULL_STEP;
    } else {
      this.append(data, 0, data.length, -1);
    }
  }

  /**
   * Moves the unparsed bytes from `from` (one incomplete command) to the start of the store and
   * returns how far positions moved back (`pos` is adjusted; the caller rebases its own).
   */
  keep(from: number): number {
    const tail = this.end - from;
    if (tail <= 0) {
      this.input = EMPTY_BUFFER;
      this.end = 0;
      this.pos = 0;
      this.storeActive = false;
      this.holdsPartial = false;
      if (this.store !== null && this.store.length > RETAIN_LIMIT) this.store = null;
      return 0;
    }
    if (this.storeActive) {
      if (from > 0) this.input.copyWithin(0, from, this.end);
    } else {
      let store = this.store;
      if (store === null || store.length < tail) {
        store = Buffer.allocUnsafe(Math.max(tail * 2, 4096)) as FastBuffer;
        this.store = store;
      }
      this.input.copy(store, 0, from, this.end);
      this.input = store;
      this.storeActive = true;
    }
    this.end = tail;
    this.pos -= from;
    this.holdsPartial = true;
    return from;
  }

  /**
   * Copies more of the pending chunk into the store: at least `needed` bytes when known (a bulk's
   * rest), plus a doubling step. `growthLimit` (or -1) caps the store size for a known big bulk.
   * False when there is nothing left to copy.
   */
  pull(needed: number, growthLimit: number): boolean {
    const chunk = this.chunk;
    if (chunk === null) return false;
    const remaining = chunk.length - this.chunkPos;
    if (remaining === 0) {
      this.chunk = null;
      return false;
    }
    let amount = this.pullSize + (needed > 0 ? needed : 0);
    this.pullSize *= 2;
    if (amount > remaining) amount = remaining;
    this.append(chunk, this.chunkPos, this.chunkPos + amount, growthLimit);
    this.chunkPos += amount;
    return true;
  }

  /**
   * After the split command completed in the store, continues in the chunk it was completed from
   * (the store's unparsed rest was copied from that chunk, so it maps back). False when there is
   * no pending chunk.
   */
  resume(): boolean {
    const chunk = this.chunk;
    if (chunk === null) return false;
    const leftover = this.end - this.pos;
    if (leftover > this.chunkPos) return false;
    this.chunk = null;
    this.input = chunk;
    this.pos = this.chunkPos - leftover;
    this.end = chunk.length;
    this.storeActive = false;
    this.holdsPartial = false;
    return true;
  }

  /**
   * Copies the caller's chunk (and a chunk waiting to be pulled from) into memory of its own, so
   * the caller may overwrite its buffer while input stays unparsed. Returns the copy of `input`,
   * or null when `input` was already owned.
   */
  own(): FastBuffer | null {
    if (this.chunk !== null) this.chunk = Buffer.from(this.chunk) as FastBuffer;
    if (this.storeActive || this.input === EMPTY_BUFFER) return null;
    this.input = Buffer.from(this.input.subarray(0, this.end)) as FastBuffer;
    return this.input;
  }

  /** Forgets all input. */
  clear(): void {
    this.input = EMPTY_BUFFER;
    this.end = 0;
    this.pos = 0;
    this.storeActive = false;
    this.holdsPartial = false;
    this.chunk = null;
    this.chunkPos = 0;
  }

  // Appends to the active store, growing it by doubling (capped by `growthLimit` when ≥ 0).
  private append(source: Uint8Array, from: number, to: number, growthLimit: number): void {
    const need = this.end + (to - from);
    let store = this.input;
    if (need > store.length) {
      let size = Math.max(store.length * 2, 4096);
      if (growthLimit >= 0 && size > growthLimit) size = growthLimit;
      if (size < need) size = need;
      const grown = Buffer.allocUnsafe(size) as FastBuffer;
      store.copy(grown, 0, 0, this.end);
      store = grown;
      this.store = grown;
      this.input = grown;
    }
    store.set(source.subarray(from, to), this.end);
    this.end = need;
  }
}

import { isUint32 } from "../shared/bits.js";
import { copyBytes } from "../shared/copyBytes.js";

declare const arenaMarkBrand: unique symbol;

/** A position in an {@link Arena} to release back to; obtained from `mark()`. */
export type ArenaMark = number & { readonly [arenaMarkBrand]: true };

/** The result of an arena allocation that would pass the arena's `maxBytes` cap. */
export type ArenaExhausted = -1;

/** Returned by `alloc`/`copy` when the cap does not allow another block; nothing was changed. */
export const ARENA_EXHAUSTED: ArenaExhausted = -1;

/** Construction options of an {@link Arena}. */
export interface ArenaOptions {
  /** Bytes of each ordinary block; bigger requests get a block of their own size. Default 64 KiB. */
  blockSize?: number;
  /** Most bytes of blocks the arena may hold at once; 0 = no cap. Default 64 MiB. */
  maxBytes?: number;
  /** Bytes of blocks kept across `reset` for reuse (a prefix of the chain). Default 4 × blockSize. */
  retainBytes?: number;
}

/** A snapshot of an {@link Arena}'s accounting. */
export interface ArenaStats {
  /** Blocks held. */
  readonly blocks: number;
  /** Bytes of blocks held. */
  readonly blockBytes: number;
  /** Bytes handed out since the last reset and not released (alignment padding included). */
  readonly usedBytes: number;
  /** Bytes at the ends of blocks that were skipped because a request did not fit. */
  readonly wastedBytes: number;
  /** Largest `usedBytes` seen. */
  readonly peakUsedBytes: number;
  /** Successful allocations since construction. */
  readonly allocations: number;
  /** Allocations refused for the cap since construction. */
  readonly failures: number;
  /** The cap (0 = none). */
  readonly maxBytes: number;
}

const EMPTY = new Uint8Array(0);

function checkAlignment(alignment: number): void {
  if (!isUint32(alignment) || alignment === 0 || (alignment & (alignment - 1)) !== 0 || alignment > 4096) {
    throw new RangeError(`alignment must be a power of two up to 4096, got ${alignment}`);
  }
}
const MARK_SCALE = 2 ** 32;

/**
 * A bump allocator for data that lives for one batch: copy what must outlive a read chunk,
 * build reply scratch, then `reset()` (or `release` to a `mark()`) when the batch is done.
 *
 * Allocation is a bounds check and an add. Memory is a chain of blocks: when the current block
 * is full the next retained block is reused, or a new one is made (counted against `maxBytes`).
 * An allocation never spans blocks, so `alloc` returns an offset into {@link Arena.buffer}, the
 * block that holds the latest allocation: keep the pair `(arena.buffer, offset)`. Until the first
 * allocation the arena holds no memory at all.
 *
 * @example
 * ```ts
 * const arena = new Arena();
 * const at = arena.copy(chunk, argStart, argEnd);
 * if (at === ARENA_EXHAUSTED) throw new Error("batch too large");
 * const arg = { bytes: arena.buffer, start: at, end: at + (argEnd - argStart) };
 * // ... after the batch is replied:
 * arena.reset();
 * ```
 */
export class Arena {
  /** Bytes of each ordinary block. */
  readonly blockSize: number;
  /** The cap on bytes of blocks held (0 = none). */
  readonly maxBytes: number;
  /** Bytes of blocks kept across `reset`. */
  readonly retainBytes: number;
  private blocks: Uint8Array[] = [];
  /** Where the bump stood in each block when the arena moved on to the next one. */
  private fills: number[] = [];
  private current = -1;
  private position = 0;
  private usedBefore = 0;
  private heldBytes = 0;
  private peak = 0;
  private allocationCount = 0;
  private failureCount = 0;

  constructor(options: ArenaOptions = {}) {
    const blockSize = options.blockSize ?? 64 * 1024;
    const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    const retainBytes = options.retainBytes ?? 4 * blockSize;
    if (!isUint32(blockSize) || blockSize < 64)
      throw new RangeError(`blockSize must be an integer of at least 64, got ${blockSize}`);
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
      throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
    if (!Number.isSafeInteger(retainBytes) || retainBytes < 0)
      throw new RangeError(`retainBytes must be a non-negative integer`);
    this.blockSize = blockSize;
    this.maxBytes = maxBytes;
    this.retainBytes = retainBytes;
  }

  /** The block holding the most recent allocation (an empty array before the first one). */
  get buffer(): Uint8Array {
    return this.current < 0 ? EMPTY : (this.blocks[this.current] as Uint8Array);
  }

  /** Bytes handed out since the last reset and not released. */
  get usedBytes(): number {
    return this.usedBefore + this.position;
  }

  /**
   * Reserves `size` bytes aligned to `alignment` (a power of two, default 1) and returns their
   * offset in {@link Arena.buffer}, or {@link ARENA_EXHAUSTED} when the cap forbids a new block.
   * The bytes are not cleared.
   */
  alloc(size: number, alignment = 1): number {
    if (alignment !== 1) checkAlignment(alignment);
    const block = this.current < 0 ? EMPTY : (this.blocks[this.current] as Uint8Array);
    const offset = (this.position + alignment - 1) & -alignment;
    if (offset + size <= block.length && isUint32(size) && this.current >= 0) {
      this.position = offset + size;
      this.allocationCount++;
      if (this.usedBefore + this.position > this.peak) this.peak = this.usedBefore + this.position;
      return offset;
    }
    return this.allocInNextBlock(size);
  }

  /** Allocates `end - start` bytes and copies `source[start..end)` there; offset or {@link ARENA_EXHAUSTED}. */
  copy(source: Uint8Array, start = 0, end = source.length): number {
    const length = end - start;
    if (!(start >= 0 && length >= 0 && end <= source.length))
      throw new RangeError(`copy range ${start}..${end} is outside the source`);
    const offset = this.alloc(length);
    if (offset !== ARENA_EXHAUSTED) copyBytes(source, start, this.buffer, offset, length);
    return offset;
  }

  /** The current position, to `release` back to later. */
  mark(): ArenaMark {
    return ((this.current < 0 ? 0 : this.current) * MARK_SCALE + this.position) as ArenaMark;
  }

  /**
   * Frees everything allocated after `mark` (blocks stay for reuse). A mark is valid until the
   * arena is released below it or reset; a mark beyond the current position throws `RangeError`.
   */
  release(mark: ArenaMark): void {
    const position = mark % MARK_SCALE;
    const block = (mark - position) / MARK_SCALE;
    const current = this.current < 0 ? 0 : this.current;
    if (!Number.isSafeInteger(mark) || mark < 0 || block > current || (block === current && position > this.position)) {
      throw new RangeError(`arena mark ${mark} is beyond the current position`);
    }
    if (this.current < 0) return;
    let usedBefore = 0;
    for (let i = 0; i < block; i++) usedBefore += this.fills[i] as number;
    this.current = block;
    this.position = position;
    this.usedBefore = usedBefore;
  }

  /** Frees everything; keeps the first blocks up to `retainBytes` for the next batch. */
  reset(): void {
    let kept = 0;
    let keptBytes = 0;
    while (kept < this.blocks.length && keptBytes + (this.blocks[kept] as Uint8Array).length <= this.retainBytes) {
      keptBytes += (this.blocks[kept] as Uint8Array).length;
      kept++;
    }
    this.dropBlocksFrom(kept);
    this.current = kept > 0 ? 0 : -1;
    this.position = 0;
    this.usedBefore = 0;
  }

  /** Accounting at this moment. */
  stats(): ArenaStats {
    let wasted = 0;
    for (let i = 0; i < this.current; i++) wasted += (this.blocks[i] as Uint8Array).length - (this.fills[i] as number);
    return {
      blocks: this.blocks.length,
      blockBytes: this.heldBytes,
      usedBytes: this.usedBytes,
      wastedBytes: wasted,
      peakUsedBytes: this.peak,
      allocations: this.allocationCount,
      failures: this.failureCount,
      maxBytes: this.maxBytes,
    };
  }

  private allocInNextBlock(size: number): number {
    if (!isUint32(size)) throw new RangeError(`allocation size must be an integer from 0 to 2^32-1, got ${size}`);
    // A new block starts at offset 0, which satisfies every alignment.
    const next = this.current + 1;
    const retained = this.blocks[next];
    if (retained === undefined || retained.length < size) {
      // No retained block fits: the retained ones are unused, so drop them and make a new block.
      const blockLength = size > this.blockSize ? size : this.blockSize;
      this.dropBlocksFrom(next);
      if (this.maxBytes !== 0 && this.heldBytes + blockLength > this.maxBytes) {
        this.failureCount++;
        return ARENA_EXHAUSTED;
      }
      this.blocks.push(new Uint8Array(blockLength));
      this.fills.push(0);
      this.heldBytes += blockLength;
    }
    if (this.current >= 0) {
      this.fills[this.current] = this.position;
      this.usedBefore += this.position;
    }
    this.current = next;
    this.position = size;
    this.allocationCount++;
    if (this.usedBefore + size > this.peak) this.peak = this.usedBefore + size;
    return 0;
  }

  private dropBlocksFrom(index: number): void {
    for (let i = index; i < this.blocks.length; i++) this.heldBytes -= (this.blocks[i] as Uint8Array).length;
    this.blocks.length = index;
    this.fills.length = index;
  }
}

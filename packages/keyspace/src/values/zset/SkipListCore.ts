import { headerBytes, keyStart, readKeyLength, writeKey } from "../../entry/EntryLayout.js";
import { compareBytes } from "./LexRange.js";

/** Redis's ZSKIPLIST_MAXLEVEL: enough for 2^64 elements at P = 1/4. */
export const ZSKIPLIST_MAXLEVEL = 32;
/** Redis's ZSKIPLIST_P, as a threshold on a uint32 draw (0.25 * 2^32). */
const LEVEL_THRESHOLD = 0x40000000;

/**
 * Where member bytes are allocated: a `KvPool` satisfies it as is. The `(array, index)` forms
 * keep handles (doubles above 2^31) out of call boundaries, so nothing is boxed (see the
 * kv-pool README, "The hot path").
 */
export interface MemberAllocator {
  /** Allocates `size` bytes, storing the handle at `out[index]`; false when out of memory. */
  allocInto(size: number, out: Float64Array, index: number): boolean;
  freeAt(handles: Float64Array, index: number): void;
  /** The page of `handles[index]`; its offset is left in {@link lastOffset}. */
  bytesAt(handles: Float64Array, index: number): Uint8Array;
  readonly lastOffset: number;
}

export interface SkipListOptions {
  /** Seed of the level generator (a nonzero uint32 makes levels reproducible). */
  seed?: number;
  /** Nodes to make room for at once (the zset's conversion size, e.g. 129). */
  capacity?: number;
}

/** Cells of `links` (1 MB) past which it grows by a quarter instead of doubling. */
const LARGE_LINKS = 1 << 18;
type GrowableBuffer = ArrayBuffer & {
  resize(byteLength: number): void;
  readonly resizable?: boolean;
  readonly maxByteLength: number;
};
const canGrow = typeof (ArrayBuffer.prototype as Partial<GrowableBuffer>).resize === "function";

/** A resizable buffer of `bytes` that may grow in place to `maxBytes`. */
function growableBuffer(bytes: number, maxBytes: number): ArrayBuffer {
  const Resizable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer;
  return new Resizable(bytes, { maxByteLength: maxBytes });
}

/** Cells of a tower before its links: score (2 cells, a float64), node, backward tower. */
export const TOWER_HEAD = 4;
/** Cells of the header's tower. */
const HEADER_CELLS = TOWER_HEAD + 2 * ZSKIPLIST_MAXLEVEL;

/**
 * Storage of {@link SkipList}. A node is a small integer (0: none) indexing three columns:
 * `members` (pool handles of `[len][bytes]`, the entry key-length header), `towers` and
 * `levels`. Everything a search reads lives in the node's *tower*, a run of `links` cells:
 *
 * ```
 * [score: float64, 2 cells][node][backward tower][forward tower, span] × levels
 * ```
 *
 * Links point to towers, not nodes, so a search step touches one place (the next tower: its
 * score and its links), like Redis's node struct, instead of three columns. A node costs
 * 16 + 8 × levels bytes of tower (1.33 levels on average) plus 13 bytes of columns, instead of
 * the 256 bytes of a flat MAXLEVEL-wide row. The header's tower is at 0, and 0 also means
 * "none", as no link points back to the header.
 *
 * Free node slots chain through `towers`; free towers chain per height through their node cell.
 */
export abstract class SkipListCore {
  protected members: Float64Array;
  protected towers: Int32Array;
  protected levels: Uint8Array;
  protected links: Int32Array;
  /** The same buffer as `links`: the score of the tower at `t` is `towerScores[t >> 1]`. */
  protected towerScores: Float64Array;
  /** Cells of `links` in use or on a free list. */
  protected linksTop = 0;
  /** Head of the free towers of each height (-1: none). */
  protected readonly freeTowers = new Int32Array(ZSKIPLIST_MAXLEVEL + 1);
  /** Head of the free node slots (0: none); next never used slot. */
  protected freeNode = 0;
  protected nodeTop = 1;
  /** Levels in use (Redis's `zsl->level`), last tower, element count. */
  protected level = 1;
  protected tail = 0;
  protected count = 0;
  /** Scratch of a search: the rightmost tower before the target per level, and its rank. */
  protected readonly update = new Int32Array(ZSKIPLIST_MAXLEVEL);
  protected readonly rank = new Float64Array(ZSKIPLIST_MAXLEVEL);
  private seed: number;
  private readonly initialCapacity: number;

  /** Registers of {@link member}: where the member bytes start in the returned page, and their length. */
  memberOff = 0;
  memberLen = 0;

  constructor(
    protected readonly pool: MemberAllocator,
    options: SkipListOptions = {},
  ) {
    this.seed = (options.seed ?? Math.random() * 0x100000000) >>> 0 || 0x9e3779b9;
    this.initialCapacity = Math.max(2, options.capacity ?? 16);
    this.members = new Float64Array(0);
    this.towers = this.links = new Int32Array(0);
    this.towerScores = this.members;
    this.levels = new Uint8Array(0);
    this.reset();
  }

  /** Empty list with the initial capacity (drops the arrays; member handles must be freed first). */
  protected reset(): void {
    const cap = this.initialCapacity;
    this.members = new Float64Array(cap);
    this.towers = new Int32Array(cap);
    this.levels = new Uint8Array(cap);
    this.links = new Int32Array(HEADER_CELLS + 8 * cap);
    this.towerScores = new Float64Array(this.links.buffer);
    this.linksTop = HEADER_CELLS; // the header's tower at 0: all links 0 = NULL, spans 0
    this.freeTowers.fill(-1);
    this.freeNode = 0;
    this.nodeTop = 1;
    this.level = 1;
    this.tail = 0;
    this.count = 0;
  }

  /** Bytes of the typed arrays (member bytes are pool allocations, charged by the pool). */
  memoryUsage(): number {
    return (
      this.members.byteLength +
      this.towers.byteLength +
      this.levels.byteLength +
      this.links.byteLength +
      this.freeTowers.byteLength +
      this.update.byteLength +
      this.rank.byteLength
    );
  }

  /** A level from 1 to 32, P(level > k) = 0.25^k (Redis's `zslRandomLevel`), from xorshift32. */
  protected randomLevel(): number {
    let level = 1;
    let s = this.seed;
    for (;;) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      if (s >>> 0 >= LEVEL_THRESHOLD || level === ZSKIPLIST_MAXLEVEL) break;
      level++;
    }
    this.seed = s;
    return level;
  }

  /** The page holding `node`'s member bytes, with {@link memberOff} and {@link memberLen} set. */
  member(node: number): Uint8Array {
    const page = this.pool.bytesAt(this.members, node);
    const at = this.pool.lastOffset;
    this.memberLen = readKeyLength(page, at);
    this.memberOff = keyStart(page, at);
    return page;
  }

  /** The member of the node of tower `t` compared with `buf[off, off + len)` (memcmp, then length). */
  protected compareMember(t: number, buf: Uint8Array, off: number, len: number): number {
    const page = this.pool.bytesAt(this.members, this.links[t + 2]!);
    const at = this.pool.lastOffset;
    const b0 = page[at]!;
    return b0 < 0x80
      ? compareBytes(page, at + 1, b0, buf, off, len)
      : compareBytes(page, at + 4, readKeyLength(page, at), buf, off, len);
  }

  /**
   * A node slot with its member copied into the pool and a tower of `height` levels holding
   * `score`; returns the tower, or 0 when the pool is out of memory (nothing changed).
   */
  protected allocNode(score: number, buf: Uint8Array, off: number, len: number, height: number): number {
    let node = this.freeNode;
    if (node !== 0) {
      this.freeNode = this.towers[node]!;
    } else {
      if (this.nodeTop === this.members.length) this.growNodes();
      node = this.nodeTop++;
    }
    if (!this.pool.allocInto(headerBytes(len) + len, this.members, node)) {
      this.towers[node] = this.freeNode;
      this.freeNode = node;
      return 0;
    }
    writeKey(this.pool.bytesAt(this.members, node), this.pool.lastOffset, buf, off, len);
    let tower = this.freeTowers[height]!;
    if (tower >= 0) {
      this.freeTowers[height] = this.links[tower + 2]!;
    } else {
      const need = this.linksTop + TOWER_HEAD + 2 * height;
      if (need > this.links.length) this.growLinks(need);
      tower = this.linksTop;
      this.linksTop = need;
    }
    this.towers[node] = tower;
    this.levels[node] = height;
    this.towerScores[tower >> 1] = score;
    this.links[tower + 2] = node;
    return tower;
  }

  /** Frees `node`'s member and returns its slot and tower to the free lists (it must be unlinked). */
  protected freeNodeSlot(node: number): void {
    this.pool.freeAt(this.members, node);
    this.members[node] = 0;
    const tower = this.towers[node]!;
    const height = this.levels[node]!;
    this.links[tower + 2] = this.freeTowers[height]!;
    this.freeTowers[height] = tower;
    this.towers[node] = this.freeNode;
    this.freeNode = node;
  }

  private growNodes(): void {
    const cap = this.members.length * 2;
    const members = new Float64Array(cap);
    members.set(this.members);
    this.members = members;
    const towers = new Int32Array(cap);
    towers.set(this.towers);
    this.towers = towers;
    const levels = new Uint8Array(cap);
    levels.set(this.levels);
    this.levels = levels;
  }

  private growLinks(need: number): void {
    const len = this.links.length;
    // Doubling while small; past LARGE_LINKS cells a quarter more at a time: a million-member
    // zset's links are ~27 MB, so doubling would leave up to as much again unused, while a copy
    // per 25% growth costs a few milliseconds every ~250K inserts.
    let cap = len >= LARGE_LINKS ? len + (len >> 2) : len * 2;
    while (cap < need) cap = cap >= LARGE_LINKS ? cap + (cap >> 2) : cap * 2;
    cap = (cap + 7) & ~7; // `towerScores` views the same buffer as float64s
    const old = this.links.buffer as GrowableBuffer;
    // Big links grow in place in a resizable buffer (room for 4× reserved, not committed): no
    // copy, and no retired array of tens of MB left in RSS until a full collection finds it.
    if (canGrow && old.resizable === true && old.maxByteLength >= cap * 4) {
      old.resize(cap * 4);
      this.links = new Int32Array(old, 0, cap);
      this.towerScores = new Float64Array(old, 0, cap >> 1);
      return;
    }
    const buffer = cap >= LARGE_LINKS && canGrow ? growableBuffer(cap * 4, cap * 16) : new ArrayBuffer(cap * 4);
    const links = new Int32Array(buffer, 0, cap);
    links.set(this.links.subarray(0, this.linksTop));
    this.links = links;
    this.towerScores = new Float64Array(buffer, 0, cap >> 1);
  }

  /**
   * Links the tower `nt` (score set, member stored) at its place: Redis's `zslInsert` after the
   * allocation. `buf[off, off + len)` is its member.
   */
  protected link(nt: number, height: number, buf: Uint8Array, off: number, len: number): void {
    const { links: L, towerScores: S, update, rank } = this;
    const score = S[nt >> 1]!;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1]!;
      for (;;) {
        const t = x + TOWER_HEAD + 2 * i;
        const f = L[t]!;
        if (f === 0) break;
        const fs = S[f >> 1]!;
        if (fs < score || (fs === score && this.compareMember(f, buf, off, len) < 0)) {
          rank[i] = rank[i]! + L[t + 1]!;
          x = f;
        } else {
          break;
        }
      }
      update[i] = x;
    }
    if (height > this.level) {
      for (let i = this.level; i < height; i++) {
        rank[i] = 0;
        update[i] = 0;
        L[TOWER_HEAD + 2 * i + 1] = this.count;
      }
      this.level = height;
    }
    const rank0 = rank[0]!;
    for (let i = 0; i < height; i++) {
      const u = update[i]! + TOWER_HEAD + 2 * i;
      const t = nt + TOWER_HEAD + 2 * i;
      L[t] = L[u]!;
      L[u] = nt;
      const crossed = rank0 - rank[i]!;
      L[t + 1] = L[u + 1]! - crossed;
      L[u + 1] = crossed + 1;
    }
    for (let i = height; i < this.level; i++) {
      const u = update[i]! + TOWER_HEAD + 2 * i + 1;
      L[u] = L[u]! + 1;
    }
    L[nt + 3] = update[0]!;
    const next = L[nt + TOWER_HEAD]!;
    if (next !== 0) L[next + 3] = nt;
    else this.tail = nt;
    this.count++;
  }

  /**
   * Fills {@link update} for (score, member) as `zslDelete` does and returns the first tower not
   * before it (0: none).
   */
  protected seek(score: number, buf: Uint8Array, off: number, len: number): number {
    const { links: L, towerScores: S, update } = this;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = L[x + TOWER_HEAD + 2 * i]!;
        if (f === 0) break;
        const fs = S[f >> 1]!;
        if (fs < score || (fs === score && this.compareMember(f, buf, off, len) < 0)) x = f;
        else break;
      }
      update[i] = x;
    }
    return L[x + TOWER_HEAD]!;
  }

  /** Unlinks the tower `nt` given {@link update} (Redis's `zslDeleteNode`); its slot stays allocated. */
  protected unlink(nt: number): void {
    const { links: L, update } = this;
    for (let i = 0; i < this.level; i++) {
      const u = update[i]! + TOWER_HEAD + 2 * i;
      if (L[u] === nt) {
        L[u + 1] = L[u + 1]! + L[nt + TOWER_HEAD + 2 * i + 1]! - 1;
        L[u] = L[nt + TOWER_HEAD + 2 * i]!;
      } else {
        L[u + 1] = L[u + 1]! - 1;
      }
    }
    const next = L[nt + TOWER_HEAD]!;
    if (next !== 0) L[next + 3] = L[nt + 3]!;
    else this.tail = L[nt + 3]!;
    while (this.level > 1 && L[TOWER_HEAD + 2 * (this.level - 1)] === 0) this.level--;
    this.count--;
  }
}

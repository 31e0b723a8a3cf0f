import type { OutOfLineValue } from "../ValueType.js";
import { LEX_BYTES, LEX_MAX_STRING, LEX_MIN_STRING, type LexRange, lexRangeIsEmpty } from "./LexRange.js";
import { SkipListCore, TOWER_HEAD } from "./SkipListCore.js";

/** Called for each node a range deletion removes, after unlinking and before its member is freed. */
export type RemovedNode = (node: number) => void;

/**
 * The skiplist of a large sorted set (Redis 7.0's `zskiplist`, `t_zset.c`), ordered by score,
 * then member bytes (memcmp, then length). Nodes are integers (0: none) into typed arrays; member
 * bytes are pool allocations. Members are passed as `(buf, off, len)` byte ranges and copied
 * once on insert. Ranks are 1-based. Uniqueness of members is the caller's (the zset dict's) job,
 * as in Redis.
 *
 * A node number stays valid until its element is deleted: {@link updateScore} keeps it. Internally
 * searches walk towers (see {@link SkipListCore}); nodes appear only at the API.
 */
export class SkipList extends SkipListCore implements OutOfLineValue {
  /** Elements. */
  get length(): number {
    return this.count;
  }

  /** `node`'s score. */
  score(node: number): number {
    return this.towerScores[this.towers[node]! >> 1]!;
  }

  /** First node (lowest score), 0 when empty. */
  first(): number {
    return this.links[this.links[TOWER_HEAD]! + 2]!;
  }

  /** Last node, 0 when empty. */
  last(): number {
    return this.links[this.tail + 2]!;
  }

  /** The node after `node`, 0 at the end. */
  next(node: number): number {
    return this.links[this.links[this.towers[node]! + TOWER_HEAD]! + 2]!;
  }

  /**
   * Walking by tower, for scans that read scores and few members (geo searches): one place per
   * step instead of the node column and then the tower. `node`'s tower (0 for node 0).
   */
  towerOf(node: number): number {
    return node === 0 ? 0 : this.towers[node]!;
  }

  /** The tower after tower `t`, 0 at the end. */
  nextTower(t: number): number {
    return this.links[t + TOWER_HEAD]!;
  }

  /** The tower before tower `t`, 0 at the start. */
  prevTower(t: number): number {
    return this.links[t + 3]!;
  }

  /** The score of tower `t`. */
  towerScore(t: number): number {
    return this.towerScores[t >> 1]!;
  }

  /** The node of tower `t`. */
  towerNode(t: number): number {
    return this.links[t + 2]!;
  }

  /** The node before `node`, 0 at the start. */
  prev(node: number): number {
    return this.links[this.links[this.towers[node]! + 3]! + 2]!;
  }

  /**
   * Inserts (score, member), which must not be present; returns its node, or 0 when the pool is
   * out of memory (nothing changed). `score` must not be NaN.
   */
  insert(score: number, buf: Uint8Array, off: number, len: number): number {
    if (score !== score) throw new RangeError("skiplist: NaN score");
    const height = this.randomLevel();
    const t = this.allocNode(score, buf, off, len, height);
    if (t === 0) return 0;
    this.link(t, height, buf, off, len);
    return this.links[t + 2]!;
  }

  /** Deletes (score, member); false when it is not there (Redis's `zslDelete`). */
  delete(score: number, buf: Uint8Array, off: number, len: number): boolean {
    const t = this.seek(score, buf, off, len);
    if (t === 0 || this.towerScores[t >> 1] !== score || this.compareMember(t, buf, off, len) !== 0) return false;
    this.unlink(t);
    this.freeNodeSlot(this.links[t + 2]!);
    return true;
  }

  /** Deletes the element of `node`. */
  deleteNode(node: number): void {
    const page = this.member(node);
    const t = this.seek(this.score(node), page, this.memberOff, this.memberLen);
    if (t !== this.towers[node]) throw new Error("skiplist: node is not linked");
    this.unlink(t);
    this.freeNodeSlot(node);
  }

  /**
   * Sets the score of the element at `node` (Redis's `zslUpdateScore`): in place when the order
   * does not change, else unlinked and linked again. Returns `node`, which stays the element's node.
   */
  updateScore(node: number, newScore: number): number {
    if (newScore !== newScore) throw new RangeError("skiplist: NaN score");
    const page = this.member(node);
    const off = this.memberOff;
    const len = this.memberLen;
    const t = this.seek(this.score(node), page, off, len);
    if (t !== this.towers[node]) throw new Error("skiplist: node is not linked");
    this.moveTo(t, newScore, page, off, len);
    return node;
  }

  /** {@link updateScore} of the element (curScore, member); 0 when it is not there. */
  updateScoreOf(curScore: number, buf: Uint8Array, off: number, len: number, newScore: number): number {
    if (newScore !== newScore) throw new RangeError("skiplist: NaN score");
    const t = this.seek(curScore, buf, off, len);
    if (t === 0 || this.towerScores[t >> 1] !== curScore || this.compareMember(t, buf, off, len) !== 0) return 0;
    const node = this.links[t + 2]!;
    const page = this.member(node);
    this.moveTo(t, newScore, page, this.memberOff, this.memberLen);
    return node;
  }

  private moveTo(t: number, newScore: number, page: Uint8Array, off: number, len: number): void {
    const { links: L, towerScores: S } = this;
    const back = L[t + 3]!;
    const next = L[t + TOWER_HEAD]!;
    if ((back === 0 || S[back >> 1]! < newScore) && (next === 0 || S[next >> 1]! > newScore)) {
      S[t >> 1] = newScore;
      return;
    }
    this.unlink(t);
    S[t >> 1] = newScore;
    this.link(t, this.levels[L[t + 2]!]!, page, off, len);
  }

  /** 1-based rank of (score, member), 0 when absent (Redis's `zslGetRank`). */
  getRank(score: number, buf: Uint8Array, off: number, len: number): number {
    const { links: L, towerScores: S } = this;
    let rank = 0;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const t = x + TOWER_HEAD + 2 * i;
        const f = L[t]!;
        if (f === 0) break;
        const fs = S[f >> 1]!;
        if (fs < score || (fs === score && this.compareMember(f, buf, off, len) <= 0)) {
          rank += L[t + 1]!;
          x = f;
        } else {
          break;
        }
      }
      if (x !== 0 && S[x >> 1] === score && this.compareMember(x, buf, off, len) === 0) return rank;
    }
    return 0;
  }

  /** Rank of `node` (1-based), by its score and member. */
  rankOf(node: number): number {
    const page = this.member(node);
    return this.getRank(this.score(node), page, this.memberOff, this.memberLen);
  }

  /** The node at 1-based `rank`, 0 when out of range (Redis's `zslGetElementByRank`). */
  getByRank(rank: number): number {
    const L = this.links;
    let traversed = 0;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const t = x + TOWER_HEAD + 2 * i;
        const f = L[t]!;
        if (f === 0 || traversed + L[t + 1]! > rank) break;
        traversed += L[t + 1]!;
        x = f;
      }
      if (traversed === rank) return L[x + 2]!;
    }
    return 0;
  }

  /** Whether some element has a score in the range (Redis's `zslIsInRange`). */
  isInRange(min: number, minex: boolean, max: number, maxex: boolean): boolean {
    if (min > max || (min === max && (minex || maxex))) return false;
    const S = this.towerScores;
    if (this.tail === 0 || !gteMin(S[this.tail >> 1]!, min, minex)) return false;
    const first = this.links[TOWER_HEAD]!;
    return first !== 0 && lteMax(S[first >> 1]!, max, maxex);
  }

  /** First node whose score is in the range, 0 when none (Redis's `zslFirstInRange`). */
  firstInRange(min: number, minex: boolean, max: number, maxex: boolean): number {
    if (!this.isInRange(min, minex, max, maxex)) return 0;
    const t = this.links[this.seekScore(min, minex) + TOWER_HEAD]!;
    return lteMax(this.towerScores[t >> 1]!, max, maxex) ? this.links[t + 2]! : 0;
  }

  /** Last node whose score is in the range, 0 when none (Redis's `zslLastInRange`). */
  lastInRange(min: number, minex: boolean, max: number, maxex: boolean): number {
    if (!this.isInRange(min, minex, max, maxex)) return 0;
    const { links: L, towerScores: S } = this;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = L[x + TOWER_HEAD + 2 * i]!;
        if (f === 0 || !lteMax(S[f >> 1]!, max, maxex)) break;
        x = f;
      }
    }
    return gteMin(S[x >> 1]!, min, minex) ? L[x + 2]! : 0;
  }

  /** Whether some element is in the lex range (Redis's `zslIsInLexRange`; equal scores assumed). */
  isInLexRange(r: LexRange): boolean {
    if (lexRangeIsEmpty(r)) return false;
    if (this.tail === 0 || !this.lexGteMin(this.tail, r)) return false;
    const first = this.links[TOWER_HEAD]!;
    return first !== 0 && this.lexLteMax(first, r);
  }

  /** First node in the lex range, 0 when none (Redis's `zslFirstInLexRange`). */
  firstInLexRange(r: LexRange): number {
    if (!this.isInLexRange(r)) return 0;
    const t = this.links[this.seekLex(r) + TOWER_HEAD]!;
    return this.lexLteMax(t, r) ? this.links[t + 2]! : 0;
  }

  /** Last node in the lex range, 0 when none (Redis's `zslLastInLexRange`). */
  lastInLexRange(r: LexRange): number {
    if (!this.isInLexRange(r)) return 0;
    const L = this.links;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = L[x + TOWER_HEAD + 2 * i]!;
        if (f === 0 || !this.lexLteMax(f, r)) break;
        x = f;
      }
    }
    return x !== 0 && this.lexGteMin(x, r) ? L[x + 2]! : 0;
  }

  /** Deletes the elements with a score in the range; returns how many (`zslDeleteRangeByScore`). */
  deleteRangeByScore(min: number, minex: boolean, max: number, maxex: boolean, onRemove?: RemovedNode): number {
    const L = this.links;
    let t = L[this.seekScore(min, minex) + TOWER_HEAD]!;
    let removed = 0;
    while (t !== 0 && lteMax(this.towerScores[t >> 1]!, max, maxex)) {
      const next = L[t + TOWER_HEAD]!;
      this.removeLinked(t, onRemove);
      removed++;
      t = next;
    }
    return removed;
  }

  /** Deletes the elements in the lex range; returns how many (`zslDeleteRangeByLex`). */
  deleteRangeByLex(r: LexRange, onRemove?: RemovedNode): number {
    const L = this.links;
    let t = L[this.seekLex(r) + TOWER_HEAD]!;
    let removed = 0;
    while (t !== 0 && this.lexLteMax(t, r)) {
      const next = L[t + TOWER_HEAD]!;
      this.removeLinked(t, onRemove);
      removed++;
      t = next;
    }
    return removed;
  }

  /** Deletes the elements of 1-based ranks `start..end`; returns how many (`zslDeleteRangeByRank`). */
  deleteRangeByRank(start: number, end: number, onRemove?: RemovedNode): number {
    const { links: L, update } = this;
    let traversed = 0;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const t = x + TOWER_HEAD + 2 * i;
        const f = L[t]!;
        if (f === 0 || traversed + L[t + 1]! >= start) break;
        traversed += L[t + 1]!;
        x = f;
      }
      update[i] = x;
    }
    traversed++;
    x = L[x + TOWER_HEAD]!;
    let removed = 0;
    while (x !== 0 && traversed <= end) {
      const next = L[x + TOWER_HEAD]!;
      this.removeLinked(x, onRemove);
      removed++;
      traversed++;
      x = next;
    }
    return removed;
  }

  /** Frees every member and drops the arrays; the list is empty (and usable) afterwards. */
  free(): void {
    const L = this.links;
    for (let t = L[TOWER_HEAD]!; t !== 0; t = L[t + TOWER_HEAD]!) this.pool.freeAt(this.members, L[t + 2]!);
    this.reset();
  }

  /** Unlinks tower `t` ({@link update} filled), reports its node, frees it. */
  private removeLinked(t: number, onRemove: RemovedNode | undefined): void {
    const node = this.links[t + 2]!;
    this.unlink(t);
    if (onRemove !== undefined) onRemove(node);
    this.freeNodeSlot(node);
  }

  /** Fills `update` with the last tower per level whose score is below the range's min; returns the level-0 one. */
  private seekScore(min: number, minex: boolean): number {
    const { links: L, towerScores: S, update } = this;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = L[x + TOWER_HEAD + 2 * i]!;
        if (f === 0 || gteMin(S[f >> 1]!, min, minex)) break;
        x = f;
      }
      update[i] = x;
    }
    return x;
  }

  private seekLex(r: LexRange): number {
    const { links: L, update } = this;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = L[x + TOWER_HEAD + 2 * i]!;
        if (f === 0 || this.lexGteMin(f, r)) break;
        x = f;
      }
      update[i] = x;
    }
    return x;
  }

  /** Whether the member of tower `t` is at or above the range's min. */
  private lexGteMin(t: number, r: LexRange): boolean {
    if (r.minKind !== LEX_BYTES) return r.minKind === LEX_MIN_STRING;
    const c = this.compareMember(t, r.minBuf, r.minOff, r.minLen);
    return r.minEx ? c > 0 : c >= 0;
  }

  /** Whether the member of tower `t` is at or below the range's max. */
  private lexLteMax(t: number, r: LexRange): boolean {
    if (r.maxKind !== LEX_BYTES) return r.maxKind === LEX_MAX_STRING;
    const c = this.compareMember(t, r.maxBuf, r.maxOff, r.maxLen);
    return r.maxEx ? c < 0 : c <= 0;
  }
}

function gteMin(value: number, min: number, minex: boolean): boolean {
  return minex ? value > min : value >= min;
}

function lteMax(value: number, max: number, maxex: boolean): boolean {
  return maxex ? value < max : value <= max;
}

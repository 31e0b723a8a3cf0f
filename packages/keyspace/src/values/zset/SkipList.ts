import type { OutOfLineValue } from "../ValueType.js";
import { LEX_BYTES, LEX_MAX_STRING, LEX_MIN_STRING, type LexRange, lexRangeIsEmpty } from "./LexRange.js";
import { SkipListCore } from "./SkipListCore.js";

/** Called for each node a range deletion removes, after unlinking and before its member is freed. */
export type RemovedNode = (node: number) => void;

/**
 * The skiplist of a large sorted set (Redis 7.0's `zskiplist`, `t_zset.c`), ordered by score,
 * then member bytes (memcmp, then length). Nodes are integers (0: none) into typed arrays; member
 * bytes are pool allocations. Members are passed as `(buf, off, len)` byte ranges and copied
 * once on insert. Ranks are 1-based. Uniqueness of members is the caller's (the zset dict's) job,
 * as in Redis.
 *
 * A node number stays valid until its element is deleted: {@link updateScore} keeps it.
 */
export class SkipList extends SkipListCore implements OutOfLineValue {
  /** Elements. */
  get length(): number {
    return this.count;
  }

  /** `node`'s score. */
  score(node: number): number {
    return this.scores[node]!;
  }

  /** First node (lowest score), 0 when empty. */
  first(): number {
    return this.links[0]!;
  }

  /** Last node, 0 when empty. */
  last(): number {
    return this.tail;
  }

  /** The node after `node`, 0 at the end. */
  next(node: number): number {
    return this.links[this.towers[node]!]!;
  }

  /** The node before `node`, 0 at the start. */
  prev(node: number): number {
    return this.backward[node]!;
  }

  /**
   * Inserts (score, member), which must not be present; returns its node, or 0 when the pool is
   * out of memory (nothing changed). `score` must not be NaN.
   */
  insert(score: number, buf: Uint8Array, off: number, len: number): number {
    if (score !== score) throw new RangeError("skiplist: NaN score");
    const node = this.allocNode(buf, off, len, this.randomLevel());
    if (node === 0) return 0;
    this.scores[node] = score;
    this.link(node, buf, off, len);
    return node;
  }

  /** Deletes (score, member); false when it is not there (Redis's `zslDelete`). */
  delete(score: number, buf: Uint8Array, off: number, len: number): boolean {
    const x = this.seek(score, buf, off, len);
    if (x === 0 || this.scores[x] !== score || this.compareMember(x, buf, off, len) !== 0) return false;
    this.unlink(x);
    this.freeNodeSlot(x);
    return true;
  }

  /** Deletes the element of `node`. */
  deleteNode(node: number): void {
    const page = this.member(node);
    const x = this.seek(this.scores[node]!, page, this.memberOff, this.memberLen);
    if (x !== node) throw new Error("skiplist: node is not linked");
    this.unlink(x);
    this.freeNodeSlot(x);
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
    const x = this.seek(this.scores[node]!, page, off, len);
    if (x !== node) throw new Error("skiplist: node is not linked");
    return this.moveTo(node, newScore, page, off, len);
  }

  /** {@link updateScore} of the element (curScore, member); 0 when it is not there. */
  updateScoreOf(curScore: number, buf: Uint8Array, off: number, len: number, newScore: number): number {
    if (newScore !== newScore) throw new RangeError("skiplist: NaN score");
    const x = this.seek(curScore, buf, off, len);
    if (x === 0 || this.scores[x] !== curScore || this.compareMember(x, buf, off, len) !== 0) return 0;
    const page = this.member(x);
    return this.moveTo(x, newScore, page, this.memberOff, this.memberLen);
  }

  private moveTo(x: number, newScore: number, page: Uint8Array, off: number, len: number): number {
    const back = this.backward[x]!;
    const next = this.links[this.towers[x]!]!;
    if ((back === 0 || this.scores[back]! < newScore) && (next === 0 || this.scores[next]! > newScore)) {
      this.scores[x] = newScore;
      return x;
    }
    this.unlink(x);
    this.scores[x] = newScore;
    this.link(x, page, off, len);
    return x;
  }

  /** 1-based rank of (score, member), 0 when absent (Redis's `zslGetRank`). */
  getRank(score: number, buf: Uint8Array, off: number, len: number): number {
    const { links: L, towers, scores } = this;
    let rank = 0;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const t = towers[x]! + 2 * i;
        const f = L[t]!;
        if (f === 0) break;
        const fs = scores[f]!;
        if (fs < score || (fs === score && this.compareMember(f, buf, off, len) <= 0)) {
          rank += L[t + 1]!;
          x = f;
        } else {
          break;
        }
      }
      if (x !== 0 && scores[x] === score && this.compareMember(x, buf, off, len) === 0) return rank;
    }
    return 0;
  }

  /** Rank of `node` (1-based), by its score and member. */
  rankOf(node: number): number {
    const page = this.member(node);
    return this.getRank(this.scores[node]!, page, this.memberOff, this.memberLen);
  }

  /** The node at 1-based `rank`, 0 when out of range (Redis's `zslGetElementByRank`). */
  getByRank(rank: number): number {
    const { links: L, towers } = this;
    let traversed = 0;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const t = towers[x]! + 2 * i;
        const f = L[t]!;
        if (f === 0 || traversed + L[t + 1]! > rank) break;
        traversed += L[t + 1]!;
        x = f;
      }
      if (traversed === rank) return x;
    }
    return 0;
  }

  /** Whether some element has a score in the range (Redis's `zslIsInRange`). */
  isInRange(min: number, minex: boolean, max: number, maxex: boolean): boolean {
    if (min > max || (min === max && (minex || maxex))) return false;
    if (this.tail === 0 || !gteMin(this.scores[this.tail]!, min, minex)) return false;
    const first = this.links[0]!;
    return first !== 0 && lteMax(this.scores[first]!, max, maxex);
  }

  /** First node whose score is in the range, 0 when none (Redis's `zslFirstInRange`). */
  firstInRange(min: number, minex: boolean, max: number, maxex: boolean): number {
    if (!this.isInRange(min, minex, max, maxex)) return 0;
    const x = this.next(this.seekScore(min, minex));
    return lteMax(this.scores[x]!, max, maxex) ? x : 0;
  }

  /** Last node whose score is in the range, 0 when none (Redis's `zslLastInRange`). */
  lastInRange(min: number, minex: boolean, max: number, maxex: boolean): number {
    if (!this.isInRange(min, minex, max, maxex)) return 0;
    const { links: L, towers, scores } = this;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = L[towers[x]! + 2 * i]!;
        if (f === 0 || !lteMax(scores[f]!, max, maxex)) break;
        x = f;
      }
    }
    return gteMin(scores[x]!, min, minex) ? x : 0;
  }

  /** Whether some element is in the lex range (Redis's `zslIsInLexRange`; equal scores assumed). */
  isInLexRange(r: LexRange): boolean {
    if (lexRangeIsEmpty(r)) return false;
    if (this.tail === 0 || !this.lexGteMin(this.tail, r)) return false;
    const first = this.links[0]!;
    return first !== 0 && this.lexLteMax(first, r);
  }

  /** First node in the lex range, 0 when none (Redis's `zslFirstInLexRange`). */
  firstInLexRange(r: LexRange): number {
    if (!this.isInLexRange(r)) return 0;
    const x = this.next(this.seekLex(r));
    return this.lexLteMax(x, r) ? x : 0;
  }

  /** Last node in the lex range, 0 when none (Redis's `zslLastInLexRange`). */
  lastInLexRange(r: LexRange): number {
    if (!this.isInLexRange(r)) return 0;
    const { links: L, towers } = this;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = L[towers[x]! + 2 * i]!;
        if (f === 0 || !this.lexLteMax(f, r)) break;
        x = f;
      }
    }
    return x !== 0 && this.lexGteMin(x, r) ? x : 0;
  }

  /** Deletes the elements with a score in the range; returns how many (`zslDeleteRangeByScore`). */
  deleteRangeByScore(min: number, minex: boolean, max: number, maxex: boolean, onRemove?: RemovedNode): number {
    let x = this.next(this.seekScore(min, minex));
    let removed = 0;
    while (x !== 0 && lteMax(this.scores[x]!, max, maxex)) {
      const next = this.next(x);
      this.removeLinked(x, onRemove);
      removed++;
      x = next;
    }
    return removed;
  }

  /** Deletes the elements in the lex range; returns how many (`zslDeleteRangeByLex`). */
  deleteRangeByLex(r: LexRange, onRemove?: RemovedNode): number {
    let x = this.next(this.seekLex(r));
    let removed = 0;
    while (x !== 0 && this.lexLteMax(x, r)) {
      const next = this.next(x);
      this.removeLinked(x, onRemove);
      removed++;
      x = next;
    }
    return removed;
  }

  /** Deletes the elements of 1-based ranks `start..end`; returns how many (`zslDeleteRangeByRank`). */
  deleteRangeByRank(start: number, end: number, onRemove?: RemovedNode): number {
    const { links: L, towers, update } = this;
    let traversed = 0;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const t = towers[x]! + 2 * i;
        const f = L[t]!;
        if (f === 0 || traversed + L[t + 1]! >= start) break;
        traversed += L[t + 1]!;
        x = f;
      }
      update[i] = x;
    }
    traversed++;
    x = this.next(x);
    let removed = 0;
    while (x !== 0 && traversed <= end) {
      const next = this.next(x);
      this.removeLinked(x, onRemove);
      removed++;
      traversed++;
      x = next;
    }
    return removed;
  }

  /** Frees every member and drops the arrays; the list is empty (and usable) afterwards. */
  free(): void {
    for (let x = this.links[0]!; x !== 0; x = this.next(x)) this.pool.freeAt(this.members, x);
    this.reset();
  }

  private removeLinked(x: number, onRemove: RemovedNode | undefined): void {
    this.unlink(x);
    if (onRemove !== undefined) onRemove(x);
    this.freeNodeSlot(x);
  }

  /** Fills `update` with the last node per level whose score is below the range's min; returns the level-0 one. */
  private seekScore(min: number, minex: boolean): number {
    const { links: L, towers, scores, update } = this;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = L[towers[x]! + 2 * i]!;
        if (f === 0 || gteMin(scores[f]!, min, minex)) break;
        x = f;
      }
      update[i] = x;
    }
    return x;
  }

  private seekLex(r: LexRange): number {
    const { links: L, towers, update } = this;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = L[towers[x]! + 2 * i]!;
        if (f === 0 || this.lexGteMin(f, r)) break;
        x = f;
      }
      update[i] = x;
    }
    return x;
  }

  private lexGteMin(node: number, r: LexRange): boolean {
    if (r.minKind !== LEX_BYTES) return r.minKind === LEX_MIN_STRING;
    const c = this.compareMember(node, r.minBuf, r.minOff, r.minLen);
    return r.minEx ? c > 0 : c >= 0;
  }

  private lexLteMax(node: number, r: LexRange): boolean {
    if (r.maxKind !== LEX_BYTES) return r.maxKind === LEX_MAX_STRING;
    const c = this.compareMember(node, r.maxBuf, r.maxOff, r.maxLen);
    return r.maxEx ? c < 0 : c <= 0;
  }
}

function gteMin(value: number, min: number, minex: boolean): boolean {
  return minex ? value > min : value >= min;
}

function lteMax(value: number, max: number, maxex: boolean): boolean {
  return maxex ? value < max : value <= max;
}

import { compareBytes } from "./LexRange.js";
import { readScore, scoreBytes } from "./zsetScores.js";

/** Receives one element: its member `buf[off, off + len)` and score. */
export type ElementVisitor = (buf: Uint8Array, off: number, len: number, score: number) => void;

/**
 * A large sorted set decoded where no pool is at hand (`rdbLoad` sees only a `ValueWriter`):
 * its elements packed in one heap buffer, `[len: u32][member][score: f64]…`, plus one array of
 * record offsets sorted by (score, member). The type API turns it into a `ZSetObject` at its
 * first access through a database; until then only the read-only paths (save, digest, copy) use it.
 */
export class StagedZSet {
  bytes = new Uint8Array(256);
  length = 0;
  count = 0;
  /** Record offsets, in (score, member) order once {@link seal}ed. */
  order: Int32Array = new Int32Array(0);
  maxMemberLen = 0;
  totalMemberLen = 0;

  push(buf: Uint8Array, off: number, len: number, score: number): void {
    const need = this.length + 12 + len;
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    const b = this.bytes;
    let at = this.length;
    b[at++] = len & 0xff;
    b[at++] = (len >>> 8) & 0xff;
    b[at++] = (len >>> 16) & 0xff;
    b[at++] = (len >>> 24) & 0xff;
    b.set(buf.subarray(off, off + len), at);
    b.set(scoreBytes(score), at + len);
    this.length = at + len + 8;
    this.count++;
    if (len > this.maxMemberLen) this.maxMemberLen = len;
    this.totalMemberLen += len;
  }

  private lenAt(at: number): number {
    const b = this.bytes;
    return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  }

  /** Sorts the records; false when a member repeats (a corrupt payload). */
  seal(): boolean {
    const order: number[] = [];
    for (let at = 0; at < this.length; at += 12 + this.lenAt(at)) order.push(at);
    const b = this.bytes;
    const byMember = (x: number, y: number): number => compareBytes(b, x + 4, this.lenAt(x), b, y + 4, this.lenAt(y));
    order.sort(byMember);
    for (let i = 1; i < order.length; i++) if (byMember(order[i - 1]!, order[i]!) === 0) return false;
    order.sort((x, y) => {
      const sx = readScore(b, x + 4 + this.lenAt(x));
      const sy = readScore(b, y + 4 + this.lenAt(y));
      return sx < sy ? -1 : sx > sy ? 1 : byMember(x, y);
    });
    this.order = Int32Array.from(order);
    return true;
  }

  /** Visits the elements in order (from the last when `reverse`). */
  forEach(visit: ElementVisitor, reverse = false): void {
    const n = this.order.length;
    for (let i = 0; i < n; i++) {
      const at = this.order[reverse ? n - 1 - i : i]!;
      const len = this.lenAt(at);
      visit(this.bytes, at + 4, len, readScore(this.bytes, at + 4 + len));
    }
  }

  memoryUsage(): number {
    return this.bytes.length + this.order.byteLength + 64;
  }
}

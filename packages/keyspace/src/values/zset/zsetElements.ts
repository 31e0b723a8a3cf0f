import { lpFirst, lpNext, lpSkip } from "@nedis/rdb/listpack";
import { Encoding } from "../../types.js";
import type { ValueReader } from "../ValueType.js";
import type { ZSetObject } from "./ZSetObject.js";
import { ZzlMember, zzlFirst, zzlLast, zzlMember, zzlNext, zzlPrev, zzlScore } from "./zsetListpack.js";

/** Receives one element: its member `buf[off, off + len)` and score. */
export type ElementVisitor = (buf: Uint8Array, off: number, len: number, score: number) => void;

/**
 * Visits every element of the zset at `ref` in (score, member) order, from the last when
 * `reverse`, whatever its encoding (listpack or skiplist): the read-only
 * paths of the type (save, digest, rewrite, copy) share it. The visitor must not change the value.
 */
export function forEachElement(db: ValueReader, ref: number, visit: ElementVisitor, reverse = false): void {
  if (db.rawEncodingAt(ref) === Encoding.ListPack) {
    db.loadValue(ref);
    const lp = db.valueBuf;
    const off = db.valueOff;
    for (let p = reverse ? zzlLast(lp, off) : zzlFirst(lp, off); p >= 0; ) {
      const score = zzlScore(lp, lpSkip(lp, p));
      zzlMember(lp, p);
      visit(ZzlMember.buf, ZzlMember.off, ZzlMember.len, score);
      p = reverse ? zzlPrev(lp, off, p) : zzlNext(lp, off, p);
    }
    return;
  }
  const list = (db.objectAt(ref) as ZSetObject).list;
  for (let node = reverse ? list.last() : list.first(); node !== 0; ) {
    const score = list.score(node);
    const page = list.member(node);
    visit(page, list.memberOff, list.memberLen, score);
    node = reverse ? list.prev(node) : list.next(node);
  }
}

/** Elements of the zset at `ref`, whatever its encoding. */
export function elementCount(db: ValueReader, ref: number): number {
  let n = 0;
  if (db.rawEncodingAt(ref) !== Encoding.ListPack) return (db.objectAt(ref) as ZSetObject).length;
  forEachElement(db, ref, () => {
    n++;
  });
  return n;
}

/**
 * Visits the entries of a listpack zset as stored — member, score, member, … — each rendered as
 * text (integers in decimal), as ZSCAN replies a small zset (`lpGet` of every entry).
 */
export function forEachListpackEntry(
  db: ValueReader,
  ref: number,
  visit: (buf: Uint8Array, off: number, len: number) => void,
): void {
  db.loadValue(ref);
  const lp = db.valueBuf;
  for (let p = lpFirst(lp, db.valueOff); p >= 0; p = lpNext(lp, db.valueOff, p)) {
    zzlMember(lp, p);
    visit(ZzlMember.buf, ZzlMember.off, ZzlMember.len);
  }
}

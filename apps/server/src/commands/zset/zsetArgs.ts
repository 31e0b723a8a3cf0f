import {
  type Database,
  Encoding,
  type Keyspace,
  type LexRange,
  ObjectType,
  type ScoreRange,
  ZSetObject,
  zset,
} from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import type { CommandArgs } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { string2d } from "../support/numbers.js";

/**
 * Argument parsing and result storing shared by the sorted set commands (t_zset.c's
 * `zslParseRange`, `zslParseLexRange`, `setKey` of a computed zset).
 */

/** The sorted set errors of the shared table, by their short names here. */
export const ZsetErrors = {
  nan: Errors.zsetNaN,
  minMaxNotFloat: Errors.zsetMinMaxNotFloat,
  minMaxNotString: Errors.zsetMinMaxNotString,
} as const;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * C's `strtod` over the whole of `buf[start, end)` as `zslParseRange` uses it: leading spaces
 * allowed, the empty string is 0, overflow gives ±inf; NaN when invalid (or `nan`).
 */
export function strtodWhole(buf: Uint8Array, start: number, end: number): number {
  if (start === end) return 0;
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
  const text = s.replace(/^[ \t\n\v\f\r]+/, "");
  if (text.length === 0 || text.length !== text.trimEnd().length) return Number.NaN;
  if (DECIMAL.test(text)) return Number(text);
  const lower = text.toLowerCase();
  const body = lower[0] === "+" || lower[0] === "-" ? lower.slice(1) : lower;
  if (body === "inf" || body === "infinity") return lower[0] === "-" ? -Infinity : Infinity;
  if (body.startsWith("0x")) {
    const bytes = Buffer.from(text, "latin1");
    return string2d(bytes, 0, bytes.length);
  }
  return Number.NaN;
}

/** `zslParseRange`: arguments `i` and `j` into `range` (`(` for exclusive); false when invalid. */
export function parseScoreRange(args: CommandArgs, i: number, j: number, range: ScoreRange): boolean {
  const buf = args.buffer;
  let off = args.offsets[i]!;
  let end = off + args.lengths[i]!;
  const minex = off < end && buf[off] === 0x28;
  const min = strtodWhole(buf, minex ? off + 1 : off, end);
  off = args.offsets[j]!;
  end = off + args.lengths[j]!;
  const maxex = off < end && buf[off] === 0x28;
  const max = strtodWhole(buf, maxex ? off + 1 : off, end);
  if (min !== min || max !== max) return false;
  range.set(min, minex, max, maxex);
  return true;
}

/** `zslParseLexRange`: arguments `i` and `j` into `range`; false when invalid. */
export function parseLexRange(args: CommandArgs, i: number, j: number, range: LexRange): boolean {
  return range.parse(args.buffer, args.offsets[i]!, args.lengths[i]!, args.buffer, args.offsets[j]!, args.lengths[j]!);
}

/** Writes one element of a WITHSCORES reply: `[member, score]` in RESP3, flat in RESP2. */
export function replyElement(
  client: Client,
  buf: Uint8Array,
  off: number,
  len: number,
  score: number,
  withScores: boolean,
): void {
  const w = client.writer;
  if (withScores && w.protocol === 3) w.arrayHeader(2);
  w.bulk(buf, off, off + len);
  if (withScores) w.double(score);
}

/** A new empty {@link ZSetObject} for a computed result (ZUNIONSTORE, ZRANGESTORE…). */
export function newResult(ks: Keyspace): ZSetObject {
  return new ZSetObject(ks.pool, ks.memory);
}

/**
 * Stores a computed zset under key argument `k` (Redis's `zsetConvertToListpackIfNeeded` +
 * `setKey`, or `dbDelete` when it is empty) with event `event`, and frees or hands over
 * `result`. Returns its length.
 */
export function storeResult(
  ks: Keyspace,
  db: Database,
  args: CommandArgs,
  k: number,
  result: ZSetObject,
  event: string,
): number {
  const key = args.buffer;
  const off = args.offsets[k]!;
  const len = args.lengths[k]!;
  const count = result.length;
  if (count === 0) {
    result.free();
    if (db.delete(key, off, len)) {
      ks.signalModifiedKey(db.id, key, off, len);
      ks.notify("g", "del", db.id, key, off, len);
    }
    return 0;
  }
  const { max, total } = zset.memberLengths(result);
  const small = zset.fitsListpack(ks.limits, count, max, total);
  const lp = small ? zset.listpackOf(result) : EMPTY_LISTPACK;
  let ref = db.lookupWrite(key, off, len);
  if (ref >= 0) {
    ref = db.overwriteValue(ref, lp, 0, lp.length, ObjectType.ZSet, Encoding.ListPack, false);
  } else {
    ref = db.insertValue(key, off, len, lp, 0, lp.length, ObjectType.ZSet, Encoding.ListPack);
  }
  if (small) result.free();
  else db.setOutOfLine(ref, result, Encoding.SkipList);
  ks.signalModifiedKey(db.id, key, off, len);
  ks.notify("z", event, db.id, key, off, len);
  return count;
}

const EMPTY_LISTPACK = Uint8Array.of(7, 0, 0, 0, 0, 0, 0xff);

/**
 * Deletes the key at `ref` that a command just emptied (Redis's `dbDelete` there): Redis counts
 * the removed elements in `dirty`, not the key, so the gateway's count is taken back.
 */
export function deleteEmptied(ks: Keyspace, db: Database, ref: number): void {
  db.deleteRef(ref);
  ks.dirty--;
}

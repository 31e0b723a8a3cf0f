import { type Database, LexRange, ObjectType, ScoreRange, ZSetCursor, type ZSetObject, zset } from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { lookupReadOrReply, NO_REPLY, reserveOrReply } from "../support/keyArgs.js";
import { getLongFromObjectOrReply } from "../support/numbers.js";
import { newResult, parseLexRange, parseScoreRange, replyElement, storeResult, ZsetErrors } from "./zsetArgs.js";

const RANK = 0;
const SCORE = 1;
const LEX = 2;
const AUTO = -1;

const cursor = new ZSetCursor();
const scoreRange = new ScoreRange();
const lexRange = new LexRange();

/**
 * Where a range goes (Redis's `zrange_result_handler`): the client's reply, or a result zset
 * that ZRANGESTORE stores.
 */
let store: ZSetObject | null = null;
let withScores = false;
let emitted = 0;

function emit(client: Client): void {
  if (store !== null) store.insert(cursor.score, cursor.memberBuf, cursor.memberOff, cursor.memberLen);
  else replyElement(client, cursor.memberBuf, cursor.memberOff, cursor.memberLen, cursor.score, withScores);
  emitted++;
}

/**
 * Redis's `zrangeGenericCommand`: `<src> <min> <max> [BYSCORE | BYLEX] [REV] [WITHSCORES]
 * [LIMIT offset count]` from argument `first` (the source key); `dst` is ZRANGESTORE's key
 * argument (0: reply to the client).
 */
function zrangeGeneric(
  server: ServerContext,
  client: Client,
  args: CommandArgs,
  first: number,
  dst: number,
  type: number,
  reverse: boolean | null,
): void {
  const w = client.writer;
  let minIdx = first + 1;
  let maxIdx = first + 2;
  let scores = false;
  let offset: number | bigint = 0;
  let limit: number | bigint = -1;
  for (let j = first + 3; j < args.argc; j++) {
    const left = args.argc - j - 1;
    if (dst === 0 && args.argEquals(j, "withscores")) scores = true;
    else if (args.argEquals(j, "limit") && left >= 2) {
      const o = getLongFromObjectOrReply(client, args, j + 1);
      if (o === null) return;
      const l = getLongFromObjectOrReply(client, args, j + 2);
      if (l === null) return;
      offset = o;
      limit = l;
      j += 2;
    } else if (reverse === null && args.argEquals(j, "rev")) reverse = true;
    else if (type === AUTO && args.argEquals(j, "bylex")) type = LEX;
    else if (type === AUTO && args.argEquals(j, "byscore")) type = SCORE;
    else {
      w.error(Errors.syntax);
      return;
    }
  }
  const rev = reverse === true;
  if (type === AUTO) type = RANK;
  if (limit !== -1 && type === RANK) {
    w.error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    return;
  }
  if (scores && type === LEX) {
    w.error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    return;
  }
  if (rev && type !== RANK) {
    minIdx = first + 2;
    maxIdx = first + 1;
  }
  let start: number | bigint = 0;
  let end: number | bigint = 0;
  if (type === RANK) {
    const s = getLongFromObjectOrReply(client, args, minIdx);
    if (s === null) return;
    const e = getLongFromObjectOrReply(client, args, maxIdx);
    if (e === null) return;
    start = s;
    end = e;
  } else if (type === SCORE) {
    if (!parseScoreRange(args, minIdx, maxIdx, scoreRange)) {
      w.error(ZsetErrors.minMaxNotFloat);
      return;
    }
  } else if (!parseLexRange(args, minIdx, maxIdx, lexRange)) {
    w.error(ZsetErrors.minMaxNotString);
    return;
  }
  const ks = server.keyspace;
  if (dst !== 0 && !reserveOrReply(client, ks, 256)) return;
  const db = ks.db(client.db);
  const ref = lookupReadOrReply(client, db, args, first, ObjectType.ZSet, NO_REPLY);
  if (ref === -2) return;
  withScores = scores;
  emitted = 0;
  store = dst === 0 ? null : newResult(ks);
  const token = dst === 0 ? w.deferLength() : 0;
  try {
    if (ref >= 0) {
      if (type === RANK) rankRange(client, db, ref, Number(start), Number(end), rev);
      else if (type === SCORE) scoreRangeOf(db, ref, client, offset, limit, rev, true);
      else scoreRangeOf(db, ref, client, offset, limit, rev, false);
    }
  } finally {
    if (store !== null) {
      const result = store;
      store = null;
      w.integer(storeResult(ks, db, args, dst, result, "zrangestore"));
    } else {
      w.setDeferredArrayLength(token, withScores && w.protocol === 2 ? emitted * 2 : emitted);
    }
  }
}

/** `genericZrangebyrankCommand` (after the parse): 0-based ranks `s..e`, from the top when `back`. */
function rankRange(client: Client, db: Database, ref: number, s: number, e: number, back: boolean): void {
  const length = zset.zsetLength(db, ref);
  if (s < 0) s = length + s;
  if (e < 0) e = length + e;
  if (s < 0) s = 0;
  if (s > e || s >= length) return;
  if (e >= length) e = length - 1;
  let n = e - s + 1;
  cursor.open(db, ref);
  if (!cursor.seekRank(back ? length - 1 - s : s)) return;
  while (n-- > 0) {
    emit(client);
    if (!cursor.step(back)) break;
  }
}

/** `genericZrangebyscoreCommand` / `genericZrangebylexCommand` (after the parse). */
function scoreRangeOf(
  db: Database,
  ref: number,
  client: Client,
  offsetArg: number | bigint,
  limitArg: number | bigint,
  back: boolean,
  byScore: boolean,
): void {
  const length = zset.zsetLength(db, ref);
  if (offsetArg > 0 && offsetArg >= length) return;
  if (offsetArg < 0) return; // Redis's `while (ln && offset--)` walks off the end
  let offset = Number(offsetArg);
  let limit = limitArg < 0 ? -1 : Number(limitArg);
  cursor.open(db, ref);
  let ok = byScore ? cursor.seekScore(scoreRange, back) : cursor.seekLex(lexRange, back);
  while (ok && offset-- > 0) ok = cursor.step(back);
  while (ok && limit-- !== 0) {
    if (byScore) {
      if (back ? !scoreRange.gteMin(cursor.score) : !scoreRange.lteMax(cursor.score)) break;
    } else if (!inLex(back)) {
      break;
    }
    emit(client);
    ok = cursor.step(back);
  }
}

/** Whether the cursor's member is still within the lex range on the side the walk goes to. */
function inLex(back: boolean): boolean {
  const r = lexRange;
  const buf = cursor.memberBuf;
  const off = cursor.memberOff;
  const len = cursor.memberLen;
  if (back) {
    if (r.minKind !== 0) return r.minKind < 0;
    const c = compare(buf, off, len, r.minBuf, r.minOff, r.minLen);
    return r.minEx ? c > 0 : c >= 0;
  }
  if (r.maxKind !== 0) return r.maxKind > 0;
  const c = compare(buf, off, len, r.maxBuf, r.maxOff, r.maxLen);
  return r.maxEx ? c < 0 : c <= 0;
}

function compare(a: Uint8Array, aOff: number, aLen: number, b: Uint8Array, bOff: number, bLen: number): number {
  const n = aLen < bLen ? aLen : bLen;
  for (let i = 0; i < n; i++) {
    const d = a[aOff + i]! - b[bOff + i]!;
    if (d !== 0) return d;
  }
  return aLen - bLen;
}

/** ZCOUNT / ZLEXCOUNT: elements in the range (ranks on a skiplist, a walk on a listpack). */
function countRange(server: ServerContext, client: Client, args: CommandArgs, byScore: boolean): void {
  if (byScore ? !parseScoreRange(args, 2, 3, scoreRange) : !parseLexRange(args, 2, 3, lexRange)) {
    client.writer.error(byScore ? ZsetErrors.minMaxNotFloat : ZsetErrors.minMaxNotString);
    return;
  }
  const db = server.keyspace.db(client.db);
  const ref = lookupReadOrReply(client, db, args, 1, ObjectType.ZSet, ZERO);
  if (ref < 0) return;
  let count = 0;
  if (zset.isListpack(db, ref)) {
    cursor.open(db, ref);
    let ok = byScore ? cursor.seekScore(scoreRange, false) : cursor.seekLex(lexRange, false);
    while (ok && (byScore ? scoreRange.lteMax(cursor.score) : inLex(false))) {
      count++;
      ok = cursor.step(false);
    }
  } else {
    const list = zset.zsetObject(db, ref).list;
    const r = scoreRange;
    const firstNode = byScore ? list.firstInRange(r.min, r.minex, r.max, r.maxex) : list.firstInLexRange(lexRange);
    if (firstNode !== 0) {
      const lastNode = byScore ? list.lastInRange(r.min, r.minex, r.max, r.maxex) : list.lastInLexRange(lexRange);
      count = list.rankOf(lastNode) - list.rankOf(firstNode) + 1;
    }
  }
  client.writer.integer(count);
}

const ZERO = Buffer.from(":0\r\n");

/** ZRANGE and its older forms, ZRANGESTORE, ZCOUNT, ZLEXCOUNT. */
export const zrangeCommands = [
  /** ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES] */
  defineCommand({
    name: "zrange",
    handler(server, client, args) {
      zrangeGeneric(server, client, args, 1, 0, AUTO, null);
    },
  }),
  /** ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count] */
  defineCommand({
    name: "zrangestore",
    handler(server, client, args) {
      zrangeGeneric(server, client, args, 2, 1, AUTO, null);
    },
  }),
  /** ZREVRANGE key start stop [WITHSCORES] */
  defineCommand({
    name: "zrevrange",
    handler(server, client, args) {
      zrangeGeneric(server, client, args, 1, 0, RANK, true);
    },
  }),
  /** ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count] */
  defineCommand({
    name: "zrangebyscore",
    handler(server, client, args) {
      zrangeGeneric(server, client, args, 1, 0, SCORE, false);
    },
  }),
  /** ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count] */
  defineCommand({
    name: "zrevrangebyscore",
    handler(server, client, args) {
      zrangeGeneric(server, client, args, 1, 0, SCORE, true);
    },
  }),
  /** ZRANGEBYLEX key min max [LIMIT offset count] */
  defineCommand({
    name: "zrangebylex",
    handler(server, client, args) {
      zrangeGeneric(server, client, args, 1, 0, LEX, false);
    },
  }),
  /** ZREVRANGEBYLEX key max min [LIMIT offset count] */
  defineCommand({
    name: "zrevrangebylex",
    handler(server, client, args) {
      zrangeGeneric(server, client, args, 1, 0, LEX, true);
    },
  }),
  /** ZCOUNT key min max */
  defineCommand({
    name: "zcount",
    handler(server, client, args) {
      countRange(server, client, args, true);
    },
  }),
  /** ZLEXCOUNT key min max */
  defineCommand({
    name: "zlexcount",
    handler(server, client, args) {
      countRange(server, client, args, false);
    },
  }),
];

import { type Database, ObjectType, zset } from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { keyChanged, lookupReadOrReply, lookupWriteOrReply, NO_REPLY, reserveOrReply } from "../support/keyArgs.js";
import { string2dFast } from "./decimalScore.js";
import { deleteEmptied, ZsetErrors } from "./zsetArgs.js";

const { ZADD_IN_GT, ZADD_IN_INCR, ZADD_IN_LT, ZADD_IN_NX, ZADD_IN_XX, ZADD_OUT_ADDED, ZADD_OUT_NAN, ZADD_OUT_NOP } =
  zset;
const ZADD_OUT_UPDATED = zset.ZADD_OUT_UPDATED;

/** Scores of one ZADD, parsed before anything changes (the command runs fully or not at all). */
let scores = new Float64Array(16);

/** Bytes a write of these member arguments may allocate: members, scores and the structures around them. */
function chargeOf(args: CommandArgs, first: number, step: number): number {
  let bytes = 64 + args.lengths[1]!;
  for (let j = first; j < args.argc; j += step) bytes += args.lengths[j]! + 48;
  return bytes;
}

/** Redis's `zaddGenericCommand` (ZADD, and ZINCRBY with `flags` = INCR). */
function zaddGeneric(server: ServerContext, client: Client, args: CommandArgs, flags: number): void {
  const w = client.writer;
  let scoreIdx = 2;
  let ch = false;
  for (; scoreIdx < args.argc; scoreIdx++) {
    // Every option starts with a letter; a score mostly with a digit or sign (`inf` is a letter).
    const first = args.buffer[args.offsets[scoreIdx]!]!;
    if (first < 0x41 && args.lengths[scoreIdx]! > 0) break;
    if (args.argEquals(scoreIdx, "nx")) flags |= ZADD_IN_NX;
    else if (args.argEquals(scoreIdx, "xx")) flags |= ZADD_IN_XX;
    else if (args.argEquals(scoreIdx, "ch")) ch = true;
    else if (args.argEquals(scoreIdx, "incr")) flags |= ZADD_IN_INCR;
    else if (args.argEquals(scoreIdx, "gt")) flags |= ZADD_IN_GT;
    else if (args.argEquals(scoreIdx, "lt")) flags |= ZADD_IN_LT;
    else break;
  }
  const incr = (flags & ZADD_IN_INCR) !== 0;
  const nx = (flags & ZADD_IN_NX) !== 0;
  const xx = (flags & ZADD_IN_XX) !== 0;
  const gt = (flags & ZADD_IN_GT) !== 0;
  const lt = (flags & ZADD_IN_LT) !== 0;
  let elements = args.argc - scoreIdx;
  if (elements % 2 !== 0 || elements === 0) {
    w.error(Errors.syntax);
    return;
  }
  elements /= 2;
  if (nx && xx) {
    w.error("ERR XX and NX options at the same time are not compatible");
    return;
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    w.error("ERR GT, LT, and/or NX options at the same time are not compatible");
    return;
  }
  if (incr && elements > 1) {
    w.error("ERR INCR option supports a single increment-element pair");
    return;
  }
  if (scores.length < elements) scores = new Float64Array(elements * 2);
  for (let j = 0; j < elements; j++) {
    const i = scoreIdx + 2 * j;
    const off = args.offsets[i]!;
    const score = string2dFast(args.buffer, off, off + args.lengths[i]!);
    if (score !== score) {
      w.error(Errors.notFloat);
      return;
    }
    scores[j] = score;
  }
  const ks = server.keyspace;
  if (ks.maxmemory !== 0 && !reserveOrReply(client, ks, chargeOf(args, scoreIdx + 1, 2))) return;
  const db = ks.db(client.db);
  let ref = lookupWriteOrReply(client, db, args, 1, ObjectType.ZSet, NO_REPLY);
  if (ref === -2) return;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (ref < 0 && !xx) {
    ref = zset.zsetCreate(db, args.buffer, args.offsets[1]!, args.lengths[1]!, args.lengths[scoreIdx + 1]!);
    ks.dirty--; // Redis counts the added elements, not the new key (dbAdd)
  }
  if (ref >= 0) {
    const buf = args.buffer;
    for (let j = 0; j < elements; j++) {
      const m = scoreIdx + 1 + 2 * j;
      const out = zset.zsetAdd(db, ref, scores[j]!, buf, args.offsets[m]!, args.lengths[m]!, flags);
      if (out === ZADD_OUT_NAN) {
        w.error(ZsetErrors.nan);
        done(server, db, args, added + updated > 0, incr, ref);
        return;
      }
      if ((out & ZADD_OUT_ADDED) !== 0) added++;
      if ((out & ZADD_OUT_UPDATED) !== 0) updated++;
      if ((out & ZADD_OUT_NOP) === 0) processed++;
      score = zset.zsetNewScore;
    }
  }
  if (incr) {
    if (processed > 0) w.double(score);
    else w.nullBulk();
  } else {
    w.integer(ch ? added + updated : added);
  }
  done(server, db, args, added + updated > 0, incr, ref);
}

function done(
  server: ServerContext,
  db: Database,
  args: CommandArgs,
  changed: boolean,
  incr: boolean,
  _ref: number,
): void {
  if (changed) keyChanged(server.keyspace, db.id, args, 1, "z", incr ? "zincr" : "zadd");
}

/** The zset at key argument 1 for reading, replying `missing` when absent; -1 after a reply. */
function readZset(client: Client, db: Database, args: CommandArgs, missing: Uint8Array | null): number {
  return lookupReadOrReply(client, db, args, 1, ObjectType.ZSet, missing);
}

/** ZRANK / ZREVRANK key member */
function zrankGeneric(server: ServerContext, client: Client, args: CommandArgs, reverse: boolean): void {
  const db = server.keyspace.db(client.db);
  const ref = readZset(client, db, args, null);
  if (ref < 0) return;
  const rank = zset.zsetRank(db, ref, args.buffer, args.offsets[2]!, args.lengths[2]!, reverse);
  if (rank < 0) client.writer.nullBulk();
  else client.writer.integer(rank);
}

/** ZADD, ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK. */
export const zsetBasicCommands = [
  /** ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...] */
  defineCommand({
    name: "zadd",
    handler(server, client, args) {
      zaddGeneric(server, client, args, 0);
    },
  }),
  /** ZINCRBY key increment member */
  defineCommand({
    name: "zincrby",
    handler(server, client, args) {
      zaddGeneric(server, client, args, ZADD_IN_INCR);
    },
  }),
  /** ZREM key member [member ...] */
  defineCommand({
    name: "zrem",
    handler(server, client, args) {
      const ks = server.keyspace;
      const db = ks.db(client.db);
      const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.ZSet, SharedReplies.zero);
      if (ref < 0) return;
      let deleted = 0;
      let keyRemoved = false;
      for (let j = 2; j < args.argc; j++) {
        if (zset.zsetDel(db, ref, args.buffer, args.offsets[j]!, args.lengths[j]!)) deleted++;
        if (zset.zsetLength(db, ref) === 0) {
          deleteEmptied(ks, db, ref);
          keyRemoved = true;
          break;
        }
      }
      if (deleted > 0) {
        keyChanged(ks, db.id, args, 1, "z", "zrem");
        if (keyRemoved) ks.notify("g", "del", db.id, args.buffer, args.offsets[1]!, args.lengths[1]!);
      }
      client.writer.integer(deleted);
    },
  }),
  /** ZCARD key */
  defineCommand({
    name: "zcard",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = readZset(client, db, args, SharedReplies.zero);
      if (ref >= 0) client.writer.integer(zset.zsetLength(db, ref));
    },
  }),
  /** ZSCORE key member */
  defineCommand({
    name: "zscore",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = readZset(client, db, args, null);
      if (ref < 0) return;
      const score = zset.zsetScore(db, ref, args.buffer, args.offsets[2]!, args.lengths[2]!);
      if (score !== score) client.writer.nullBulk();
      else client.writer.double(score);
    },
  }),
  /** ZMSCORE key member [member ...] */
  defineCommand({
    name: "zmscore",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = readZset(client, db, args, NO_REPLY);
      if (ref === -2) return;
      const w = client.writer;
      w.arrayHeader(args.argc - 2);
      for (let j = 2; j < args.argc; j++) {
        const score = ref < 0 ? Number.NaN : zset.zsetScore(db, ref, args.buffer, args.offsets[j]!, args.lengths[j]!);
        if (score !== score) w.nullBulk();
        else w.double(score);
      }
    },
  }),
  /** ZRANK key member */
  defineCommand({
    name: "zrank",
    handler(server, client, args) {
      zrankGeneric(server, client, args, false);
    },
  }),
  /** ZREVRANK key member */
  defineCommand({
    name: "zrevrank",
    handler(server, client, args) {
      zrankGeneric(server, client, args, true);
    },
  }),
];

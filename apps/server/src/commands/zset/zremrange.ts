import { LexRange, ObjectType, ScoreRange, zset } from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { keyChanged, lookupWriteOrReply } from "../support/keyArgs.js";
import { getLongFromObjectOrReply } from "../support/numbers.js";
import { deleteEmptied, parseLexRange, parseScoreRange, ZsetErrors } from "./zsetArgs.js";

const RANK = 0;
const SCORE = 1;
const LEX = 2;
const EVENTS = ["zremrangebyrank", "zremrangebyscore", "zremrangebylex"] as const;
const scoreRange = new ScoreRange();
const lexRange = new LexRange();

/** Redis's `zremrangeGenericCommand`. */
function zremrangeGeneric(server: ServerContext, client: Client, args: CommandArgs, type: number): void {
  const w = client.writer;
  let start = 0;
  let end = 0;
  if (type === RANK) {
    const s = getLongFromObjectOrReply(client, args, 2);
    if (s === null) return;
    const e = getLongFromObjectOrReply(client, args, 3);
    if (e === null) return;
    start = Number(s);
    end = Number(e);
  } else if (type === SCORE) {
    if (!parseScoreRange(args, 2, 3, scoreRange)) {
      w.error(ZsetErrors.minMaxNotFloat);
      return;
    }
  } else if (!parseLexRange(args, 2, 3, lexRange)) {
    w.error(ZsetErrors.minMaxNotString);
    return;
  }
  const ks = server.keyspace;
  const db = ks.db(client.db);
  const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.ZSet, SharedReplies.zero);
  if (ref < 0) return;
  const length = zset.zsetLength(db, ref);
  let deleted: number;
  if (type === RANK) {
    if (start < 0) start = length + start;
    if (end < 0) end = length + end;
    if (start < 0) start = 0;
    if (start > end || start >= length) {
      w.integer(0);
      return;
    }
    if (end >= length) end = length - 1;
    deleted = zset.zsetRemoveRangeByRank(db, ref, start, end);
  } else if (type === SCORE) {
    deleted = zset.zsetRemoveRangeByScore(db, ref, scoreRange);
  } else {
    deleted = zset.zsetRemoveRangeByLex(db, ref, lexRange);
  }
  if (deleted > 0) {
    const removed = deleted === length;
    if (removed) deleteEmptied(ks, db, ref);
    keyChanged(ks, db.id, args, 1, "z", EVENTS[type]!);
    if (removed) ks.notify("g", "del", db.id, args.buffer, args.offsets[1]!, args.lengths[1]!);
  }
  w.integer(deleted);
}

/** ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX. */
export const zremrangeCommands = [
  /** ZREMRANGEBYRANK key start stop */
  defineCommand({
    name: "zremrangebyrank",
    handler(server, client, args) {
      zremrangeGeneric(server, client, args, RANK);
    },
  }),
  /** ZREMRANGEBYSCORE key min max */
  defineCommand({
    name: "zremrangebyscore",
    handler(server, client, args) {
      zremrangeGeneric(server, client, args, SCORE);
    },
  }),
  /** ZREMRANGEBYLEX key min max */
  defineCommand({
    name: "zremrangebylex",
    handler(server, client, args) {
      zremrangeGeneric(server, client, args, LEX);
    },
  }),
];

import { ObjectType, StringEncodingMode, stringAppend, stringInsertRange, stringSetRange } from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import { type CommandArgs, defineCommand } from "./CommandSpec.js";
import { Errors } from "./support/errors.js";
import {
  keyChanged,
  lookupReadOrReply,
  lookupWriteOrReply,
  NO_REPLY,
  reserveStringOrReply,
  WRONG_TYPE,
} from "./support/keyArgs.js";
import { getLongLongFromObjectOrReply } from "./support/numbers.js";

/** Redis's `checkStringLength`: false after replying when `size` exceeds `proto-max-bulk-len`. */
function checkStringLength(server: ServerContext, client: Client, size: number): boolean {
  if (size > server.config.number("proto-max-bulk-len")) {
    client.writer.error(Errors.stringTooLong);
    return false;
  }
  return true;
}

/** GETRANGE / SUBSTR (`getrangeCommand`). */
function getRange(server: ServerContext, client: Client, args: CommandArgs): void {
  const startArg = getLongLongFromObjectOrReply(client, args, 2);
  if (startArg === null) return;
  const endArg = getLongLongFromObjectOrReply(client, args, 3);
  if (endArg === null) return;
  const db = server.keyspace.db(client.db);
  const ref = lookupReadOrReply(client, db, args, 1, ObjectType.String, SharedReplies.emptyBulk);
  if (ref < 0) return;
  // int64 arguments beyond ±2^53 are far outside any string: their approximation is exact enough.
  let start = Number(startArg);
  let end = Number(endArg);
  db.loadValue(ref);
  const strlen = db.valueLen;
  if (start < 0 && end < 0 && start > end) {
    client.writer.raw(SharedReplies.emptyBulk);
    return;
  }
  if (start < 0) start = strlen + start;
  if (end < 0) end = strlen + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= strlen) end = strlen - 1;
  if (start > end || strlen === 0) {
    client.writer.raw(SharedReplies.emptyBulk);
    return;
  }
  client.writer.bulk(db.valueBuf, db.valueOff + start, db.valueOff + end + 1);
}

/** APPEND, STRLEN, GETRANGE, SUBSTR, SETRANGE. */
export const stringRangeCommands = [
  /** APPEND key value */
  defineCommand({
    name: "append",
    handler(server, client, args) {
      const ks = server.keyspace;
      const db = ks.db(client.db);
      const buf = args.buffer;
      const add = args.lengths[2]!;
      if (ks.maxmemory !== 0) {
        // The charge depends on the current length: look up, reserve (which may evict), look up again.
        const found = db.lookupWrite(buf, args.offsets[1]!, args.lengths[1]!);
        const current = found >= 0 && db.typeAt(found) === ObjectType.String ? db.valueLength(found) : 0;
        if (!reserveStringOrReply(client, ks, db, args.lengths[1]!, current + add, true, false)) return;
      }
      const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.String, NO_REPLY);
      if (ref === WRONG_TYPE) return;
      let total: number;
      if (ref < 0) {
        db.insertString(buf, args.offsets[1]!, args.lengths[1]!, buf, args.offsets[2]!, add, StringEncodingMode.Auto);
        total = add;
      } else {
        if (!checkStringLength(server, client, db.valueLength(ref) + add)) return;
        total = stringAppend(db, ref, buf, args.offsets[2]!, add);
      }
      keyChanged(ks, db.id, args, 1, "$", "append");
      client.writer.integer(total);
    },
  }),
  /** STRLEN key */
  defineCommand({
    name: "strlen",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.String, SharedReplies.zero);
      if (ref >= 0) client.writer.integer(db.valueLength(ref));
    },
  }),
  /** GETRANGE key start end */
  defineCommand({
    name: "getrange",
    handler: getRange,
  }),
  /** SUBSTR key start end */
  defineCommand({
    name: "substr",
    handler: getRange,
  }),
  /** SETRANGE key offset value */
  defineCommand({
    name: "setrange",
    handler(server, client, args) {
      const offsetArg = getLongLongFromObjectOrReply(client, args, 2);
      if (offsetArg === null) return;
      if (offsetArg < 0) {
        client.writer.error("ERR offset is out of range");
        return;
      }
      const offset = Number(offsetArg);
      const ks = server.keyspace;
      const db = ks.db(client.db);
      const buf = args.buffer;
      const off = args.offsets[1]!;
      const len = args.lengths[1]!;
      const vlen = args.lengths[3]!;
      let ref = lookupWriteOrReply(client, db, args, 1, ObjectType.String, NO_REPLY);
      if (ref === WRONG_TYPE) return;
      let current = 0;
      if (ref < 0) {
        if (vlen === 0) {
          client.writer.raw(SharedReplies.zero);
          return;
        }
        if (!checkStringLength(server, client, offset + vlen)) return;
      } else {
        current = db.valueLength(ref);
        if (vlen === 0) {
          client.writer.integer(current);
          return;
        }
        if (!checkStringLength(server, client, offset + vlen)) return;
      }
      let total = Math.max(current, offset + vlen);
      if (ks.maxmemory !== 0) {
        if (!reserveStringOrReply(client, ks, db, len, total, true, false)) return;
        ref = db.lookupWrite(buf, off, len);
        if (ref < 0) total = offset + vlen; // evicted to make room
      }
      if (ref < 0) stringInsertRange(db, buf, off, len, offset, buf, args.offsets[3]!, vlen);
      else stringSetRange(db, ref, offset, buf, args.offsets[3]!, vlen);
      keyChanged(ks, db.id, args, 1, "$", "setrange");
      client.writer.integer(total);
    },
  }),
];

import {
  ListEnd,
  listTypeInsert,
  listTypeLength,
  listTypeNext,
  listTypeRemove,
  listTypeReplace,
  listTypeSeek,
  listTypeTrim,
  listValue,
  ObjectType,
} from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import { defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import {
  keyChanged,
  lookupReadOrReply,
  lookupWriteOrReply,
  MISSING,
  NO_REPLY,
  reserveOrReply,
} from "../support/keyArgs.js";
import { getPositiveLongFromObjectOrReply } from "../support/numbers.js";
import { longArg } from "./listCommands.js";
import { pushCharge, removeEmptyList } from "./listSupport.js";

/** Commands that edit a list in the middle or search it (t_list.c). */
export const listEditCommands = [
  /** LSET key index element */
  defineCommand({
    name: "lset",
    handler(server, client, args) {
      const ks = server.keyspace;
      const db = ks.db(client.db);
      if (ks.maxmemory !== 0 && !reserveOrReply(client, ks, pushCharge(ks, db, 0, args.lengths[3]!, 1))) return;
      const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.List, NO_REPLY);
      if (ref === MISSING) {
        client.writer.error(Errors.noSuchKey);
        return;
      }
      if (ref < 0) return;
      const index = longArg(client, args, 2);
      if (index === null) return;
      const llen = listTypeLength(db, ref);
      if (index >= llen || index < -llen) {
        client.writer.error(Errors.indexOutOfRange);
        return;
      }
      db.modify(ref);
      const off = args.offsets[3]!;
      listTypeReplace(db, ref, index, args.buffer, off, off + args.lengths[3]!);
      client.writer.raw(SharedReplies.ok);
      keyChanged(ks, db.id, args, 1, "l", "lset");
    },
  }),
  /** LINSERT key <BEFORE | AFTER> pivot element */
  defineCommand({
    name: "linsert",
    handler(server, client, args) {
      const ks = server.keyspace;
      let after: boolean;
      if (args.argEquals(2, "after")) after = true;
      else if (args.argEquals(2, "before")) after = false;
      else {
        client.writer.error(Errors.syntax);
        return;
      }
      const db = ks.db(client.db);
      if (ks.maxmemory !== 0 && !reserveOrReply(client, ks, pushCharge(ks, db, 0, args.lengths[4]!, 1))) return;
      const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.List, SharedReplies.zero);
      if (ref < 0) return;
      const buf = args.buffer;
      const p = args.offsets[3]!;
      const e = args.offsets[4]!;
      db.modify(ref);
      if (!listTypeInsert(db, ref, after, buf, p, p + args.lengths[3]!, buf, e, e + args.lengths[4]!)) {
        ks.dirty--; // nothing changed: Redis counts no change
        client.writer.integer(-1);
        return;
      }
      keyChanged(ks, db.id, args, 1, "l", "linsert");
      client.writer.integer(listTypeLength(db, ref));
    },
  }),
  /** LREM key count element */
  defineCommand({
    name: "lrem",
    handler(server, client, args) {
      const ks = server.keyspace;
      const count = longArg(client, args, 2);
      if (count === null) return;
      const db = ks.db(client.db);
      const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.List, SharedReplies.zero);
      if (ref < 0) return;
      db.modify(ref);
      const buf = args.buffer;
      const e = args.offsets[3]!;
      const removed = listTypeRemove(db, ref, count, buf, e, e + args.lengths[3]!);
      ks.dirty += removed - 1;
      if (removed > 0) keyChanged(ks, db.id, args, 1, "l", "lrem");
      if (listTypeLength(db, ref) === 0) removeEmptyList(ks, db, buf, args.offsets[1]!, args.lengths[1]!, ref);
      client.writer.integer(removed);
    },
  }),
  /** LTRIM key start stop */
  defineCommand({
    name: "ltrim",
    handler(server, client, args) {
      const ks = server.keyspace;
      let start = longArg(client, args, 2);
      if (start === null) return;
      let end = longArg(client, args, 3);
      if (end === null) return;
      const db = ks.db(client.db);
      const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.List, SharedReplies.ok);
      if (ref < 0) return;
      const llen = listTypeLength(db, ref);
      if (start < 0) start = llen + start;
      if (end < 0) end = llen + end;
      if (start < 0) start = 0;
      let ltrim: number;
      let rtrim: number;
      if (start > end || start >= llen) {
        ltrim = llen;
        rtrim = 0;
      } else {
        if (end >= llen) end = llen - 1;
        ltrim = start;
        rtrim = llen - end - 1;
      }
      db.modify(ref);
      listTypeTrim(db, ref, ltrim, rtrim);
      const buf = args.buffer;
      const off = args.offsets[1]!;
      const len = args.lengths[1]!;
      ks.notify("l", "ltrim", db.id, buf, off, len);
      if (listTypeLength(db, ref) === 0) removeEmptyList(ks, db, buf, off, len, ref);
      ks.signalModifiedKey(db.id, buf, off, len);
      ks.dirty += ltrim + rtrim - 1;
      client.writer.raw(SharedReplies.ok);
    },
  }),
  /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
  defineCommand({
    name: "lpos",
    handler(server, client, args) {
      let rank = 1;
      let count = -1;
      let maxlen = 0;
      for (let j = 3; j < args.argc; j++) {
        const more = args.argc - 1 - j > 0;
        if (more && args.argEquals(j, "rank")) {
          const r = longArg(client, args, ++j);
          if (r === null) return;
          if (r === 0) {
            client.writer.error(Errors.lposRankZero);
            return;
          }
          rank = r;
        } else if (more && args.argEquals(j, "count")) {
          const c = getPositiveLongFromObjectOrReply(client, args, ++j, Errors.lposCountNegative);
          if (c === null) return;
          count = c;
        } else if (more && args.argEquals(j, "maxlen")) {
          const m = getPositiveLongFromObjectOrReply(client, args, ++j, Errors.lposMaxlenNegative);
          if (m === null) return;
          maxlen = m;
        } else {
          client.writer.error(Errors.syntax);
          return;
        }
      }
      let where: ListEnd = ListEnd.Tail;
      if (rank < 0) {
        rank = -rank;
        where = ListEnd.Head;
      }
      const db = server.keyspace.db(client.db);
      const ref = lookupReadOrReply(
        client,
        db,
        args,
        1,
        ObjectType.List,
        count !== -1 ? SharedReplies.emptyArray : null,
      );
      if (ref < 0) return;
      const w = client.writer;
      const token = count !== -1 ? w.deferLength() : -1;
      const llen = listTypeLength(db, ref);
      const buf = args.buffer;
      const es = args.offsets[2]!;
      const ee = es + args.lengths[2]!;
      let index = 0;
      let matches = 0;
      let matchIndex = -1;
      let arrayLen = 0;
      listTypeSeek(db, ref, where === ListEnd.Head ? -1 : 0, where === ListEnd.Tail);
      while ((maxlen === 0 || index < maxlen) && listTypeNext()) {
        if (listValue.equals(buf, es, ee)) {
          matches++;
          matchIndex = where === ListEnd.Tail ? index : llen - index - 1;
          if (matches >= rank) {
            if (token === -1) break;
            arrayLen++;
            w.integer(matchIndex);
            if (count !== 0 && matches - rank + 1 >= count) break;
          }
        }
        index++;
        matchIndex = -1;
      }
      if (token !== -1) w.setDeferredArrayLength(token, arrayLen);
      else if (matchIndex !== -1) w.integer(matchIndex);
      else w.nullBulk();
    },
  }),
];

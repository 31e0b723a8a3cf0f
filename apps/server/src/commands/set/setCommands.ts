import {
  ObjectType,
  setTypeAdd,
  setTypeCreate,
  setTypeForEach,
  setTypeIsMember,
  setTypeRemove,
  setTypeSize,
} from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import { defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { keyChanged, keyEvent, lookupReadOrReply, lookupWriteOrReply, NO_REPLY } from "../support/keyArgs.js";
import { setAlgebraCommands } from "./setAlgebra.js";
import { setRandomCommands } from "./setRandom.js";
import { setScanCommands } from "./setScan.js";
import { bulkTo, removeIfEmpty, reserveMembersOrReply } from "./setSupport.js";

/**
 * Set commands (Redis's t_set.c). Each is a short wrapper over the keyspace's set type API
 * (`setTypeAdd`, `setTypeRemove`, …), which picks the encoding (intset / hashtable) and passes
 * the change gateway; the handlers look keys up, reply, signal and notify as Redis does.
 */
export const setCommands = [
  /** SADD key member [member ...] */
  defineCommand({
    name: "sadd",
    handler(server, client, args) {
      const ks = server.keyspace;
      const db = ks.db(client.db);
      if (!reserveMembersOrReply(client, ks, db, args, 1, 2, args.argc)) return;
      let ref = lookupWriteOrReply(client, db, args, 1, ObjectType.Set, NO_REPLY);
      if (ref === -2) return;
      const buf = args.buffer;
      let added = 0;
      let i = 2;
      if (ref < 0) {
        ref = setTypeCreate(db, buf, args.offsets[1]!, args.lengths[1]!, buf, args.offsets[2]!, args.lengths[2]!);
        added = 1;
        i = 3;
      }
      for (; i < args.argc; i++) if (setTypeAdd(db, ref, buf, args.offsets[i]!, args.lengths[i]!)) added++;
      if (added > 0) keyChanged(ks, client.db, args, 1, "s", "sadd");
      client.writer.integer(added);
    },
  }),
  /** SREM key member [member ...] */
  defineCommand({
    name: "srem",
    handler(server, client, args) {
      const ks = server.keyspace;
      const db = ks.db(client.db);
      const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.Set, SharedReplies.zero);
      if (ref < 0) return;
      const buf = args.buffer;
      let removed = 0;
      let keyRemoved = false;
      for (let i = 2; i < args.argc; i++) {
        if (!setTypeRemove(db, ref, buf, args.offsets[i]!, args.lengths[i]!)) continue;
        removed++;
        if (removeIfEmpty(ks, db, ref)) {
          keyRemoved = true;
          break;
        }
      }
      if (removed > 0) {
        keyChanged(ks, client.db, args, 1, "s", "srem");
        if (keyRemoved) keyEvent(ks, client.db, args, 1, "g", "del");
      }
      client.writer.integer(removed);
    },
  }),
  /** SMOVE source destination member */
  defineCommand({
    name: "smove",
    handler(server, client, args) {
      const ks = server.keyspace;
      const db = ks.db(client.db);
      const buf = args.buffer;
      const mOff = args.offsets[3]!;
      const mLen = args.lengths[3]!;
      // No reserve: Redis's SMOVE is not `denyoom` (it moves a member; memory stays about even).
      // The destination first: its lookup may expire it, which would kill the source's ref.
      db.lookupWrite(buf, args.offsets[2]!, args.lengths[2]!);
      const src = db.lookupWrite(buf, args.offsets[1]!, args.lengths[1]!);
      const dst = db.lookupWrite(buf, args.offsets[2]!, args.lengths[2]!);
      if (src < 0) return client.writer.raw(SharedReplies.zero);
      if (db.typeAt(src) !== ObjectType.Set || (dst >= 0 && db.typeAt(dst) !== ObjectType.Set))
        return client.writer.error(Errors.wrongType);
      if (src === dst)
        return client.writer.raw(setTypeIsMember(db, src, buf, mOff, mLen) ? SharedReplies.one : SharedReplies.zero);
      if (!setTypeRemove(db, src, buf, mOff, mLen)) return client.writer.raw(SharedReplies.zero);
      keyEvent(ks, client.db, args, 1, "s", "srem");
      // Redis counts the move as one change of the source whether or not it empties it.
      if (removeIfEmpty(ks, db, src)) keyEvent(ks, client.db, args, 1, "g", "del");
      // A ref dies at an insert or removal: look the destination up again.
      let to = db.lookupWrite(buf, args.offsets[2]!, args.lengths[2]!);
      let added: boolean;
      if (to < 0) {
        to = setTypeCreate(db, buf, args.offsets[2]!, args.lengths[2]!, buf, mOff, mLen);
        added = true;
      } else {
        added = setTypeAdd(db, to, buf, mOff, mLen);
      }
      ks.signalModifiedKey(client.db, buf, args.offsets[1]!, args.lengths[1]!);
      if (added) keyChanged(ks, client.db, args, 2, "s", "sadd");
      client.writer.raw(SharedReplies.one);
    },
  }),
  /** SISMEMBER key member */
  defineCommand({
    name: "sismember",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.Set, SharedReplies.zero);
      if (ref < 0) return;
      const member = setTypeIsMember(db, ref, args.buffer, args.offsets[2]!, args.lengths[2]!);
      client.writer.raw(member ? SharedReplies.one : SharedReplies.zero);
    },
  }),
  /** SMISMEMBER key member [member ...] */
  defineCommand({
    name: "smismember",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      // A missing key is an empty set: zeros, no early reply.
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.Set, NO_REPLY);
      if (ref === -2) return;
      const w = client.writer;
      w.arrayHeader(args.argc - 2);
      for (let i = 2; i < args.argc; i++) {
        const member = ref >= 0 && setTypeIsMember(db, ref, args.buffer, args.offsets[i]!, args.lengths[i]!);
        w.raw(member ? SharedReplies.one : SharedReplies.zero);
      }
    },
  }),
  /** SCARD key */
  defineCommand({
    name: "scard",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.Set, SharedReplies.zero);
      if (ref < 0) return;
      client.writer.integer(setTypeSize(db, ref));
    },
  }),
  /** SMEMBERS key */
  defineCommand({
    name: "smembers",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.Set, NO_REPLY);
      if (ref === -2) return;
      const w = client.writer;
      if (ref < 0) return w.setHeader(0);
      w.setHeader(setTypeSize(db, ref));
      setTypeForEach(db, ref, bulkTo(client));
    },
  }),
  ...setRandomCommands,
  ...setAlgebraCommands,
  ...setScanCommands,
];

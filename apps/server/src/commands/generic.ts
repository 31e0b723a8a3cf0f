import { type Keyspace, Lookup, RemovalReason, typeName } from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import { type CommandArgs, defineCommand } from "./CommandSpec.js";
import { expireCommands } from "./expire.js";
import { keysCommands } from "./keys.js";
import { objectCommands } from "./object.js";
import { Errors } from "./support/errors.js";
import {
  ANY_TYPE,
  keyChanged,
  keyEvent,
  lookupReadOrReply,
  lookupWriteOrReply,
  reserveOrReply,
  sameArg,
} from "./support/keyArgs.js";
import { getIntFromObjectOrReply } from "./support/numbers.js";

/** DEL and UNLINK (`delGenericCommand`): a key past its deadline is expired, not counted. */
function deleteKeys(server: ServerContext, client: Client, args: CommandArgs): void {
  const ks = server.keyspace;
  const db = ks.db(client.db);
  let removed = 0;
  for (let i = 1; i < args.argc; i++) {
    if (!db.delete(args.buffer, args.offsets[i]!, args.lengths[i]!)) continue;
    keyChanged(ks, db.id, args, i, "g", "del");
    removed++;
  }
  client.writer.integer(removed);
}

/** RENAME / RENAMENX (`renameGenericCommand`). */
function rename(server: ServerContext, client: Client, args: CommandArgs, nx: boolean): void {
  const ks = server.keyspace;
  const db = ks.db(client.db);
  const buf = args.buffer;
  let src = db.lookupWrite(buf, args.offsets[1]!, args.lengths[1]!);
  if (src < 0) {
    client.writer.error(Errors.noSuchKey);
    return;
  }
  if (sameArg(args, 1, 2)) {
    client.writer.raw(nx ? SharedReplies.zero : SharedReplies.ok);
    return;
  }
  const srcHash = db.lastHash;
  const srcHandle = db.handleAt(src);
  const dst = db.lookupWrite(buf, args.offsets[2]!, args.lengths[2]!);
  if (dst >= 0) {
    if (nx) {
      client.writer.raw(SharedReplies.zero);
      return;
    }
    db.removeRef(dst, RemovalReason.Overwritten);
  }
  // Deleting dst (or expiring it in the lookup) may have shifted src's slot.
  src = db.index.findHandle(srcHash, srcHandle, buf, args.offsets[1]!, args.lengths[1]!);
  db.rekey(src, buf, args.offsets[2]!, args.lengths[2]!);
  keyChanged(ks, db.id, args, 1, "g", "rename_from");
  ks.signalModifiedKey(db.id, buf, args.offsets[2]!, args.lengths[2]!);
  keyEvent(ks, db.id, args, 2, "g", "rename_to");
  client.writer.raw(nx ? SharedReplies.one : SharedReplies.ok);
}

/** The database number of argument `i` (SELECT-style), or -1 after replying. */
function dbIndexArg(ks: Keyspace, client: Client, args: CommandArgs, i: number, message?: string): number {
  const id = getIntFromObjectOrReply(client, args, i, message);
  if (id === null) return -1;
  if (id < 0 || id >= ks.databases.length) {
    client.writer.error(Errors.dbIndexOutOfRange);
    return -1;
  }
  return id;
}

/** Commands on keys of any type (Redis's `db.c`, `expire.c`, `object.c`: the `generic` group). */
export const genericCommands = [
  /** DEL key [key ...] */
  defineCommand({
    name: "del",
    handler: deleteKeys,
  }),
  /** UNLINK key [key ...]: DEL; memory is returned at once, the pool makes that O(1) per key. */
  defineCommand({
    name: "unlink",
    handler: deleteKeys,
  }),
  /** EXISTS key [key ...]: a key named twice counts twice. */
  defineCommand({
    name: "exists",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      let found = 0;
      for (let i = 1; i < args.argc; i++)
        if (db.lookupRead(args.buffer, args.offsets[i]!, args.lengths[i]!, Lookup.NoTouch) >= 0) found++;
      client.writer.integer(found);
    },
  }),
  /** TYPE key */
  defineCommand({
    name: "type",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = db.lookupRead(args.buffer, args.offsets[1]!, args.lengths[1]!, Lookup.NoTouch);
      client.writer.simple(ref < 0 ? "none" : typeName(db.typeAt(ref)));
    },
  }),
  /** TOUCH key [key ...] */
  defineCommand({
    name: "touch",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      let touched = 0;
      for (let i = 1; i < args.argc; i++)
        if (db.lookupRead(args.buffer, args.offsets[i]!, args.lengths[i]!) >= 0) touched++;
      client.writer.integer(touched);
    },
  }),
  /** RENAME key newkey */
  defineCommand({
    name: "rename",
    handler: (server, client, args) => rename(server, client, args, false),
  }),
  /** RENAMENX key newkey */
  defineCommand({
    name: "renamenx",
    handler: (server, client, args) => rename(server, client, args, true),
  }),
  /** COPY source destination [DB destination-db] [REPLACE] */
  defineCommand({
    name: "copy",
    handler(server, client, args) {
      const ks = server.keyspace;
      const srcDb = ks.db(client.db);
      let dstDb = srcDb;
      let replace = false;
      for (let j = 3; j < args.argc; j++) {
        const additional = args.argc - j - 1;
        if (args.argEquals(j, "replace")) {
          replace = true;
        } else if (args.argEquals(j, "db") && additional >= 1) {
          const id = dbIndexArg(ks, client, args, j + 1);
          if (id < 0) return;
          dstDb = ks.db(id);
          j++;
        } else {
          client.writer.error(Errors.syntax);
          return;
        }
      }
      if (srcDb === dstDb && sameArg(args, 1, 2)) {
        client.writer.error(Errors.sameObject);
        return;
      }
      const buf = args.buffer;
      let src = lookupReadOrReply(client, srcDb, args, 1, ANY_TYPE, SharedReplies.zero);
      if (src < 0) return;
      if (ks.maxmemory !== 0) {
        const charge = ks.chargeFor(args.lengths[2]! + 4 + srcDb.valueLength(src) + 12) + dstDb.growthCharge(1, 1);
        if (!reserveOrReply(client, ks, charge)) return;
        // Eviction may have taken the source.
        src = lookupReadOrReply(client, srcDb, args, 1, ANY_TYPE, SharedReplies.zero, Lookup.NoTouch | Lookup.NoStats);
        if (src < 0) return;
      }
      const srcHash = srcDb.lastHash;
      const srcHandle = srcDb.handleAt(src);
      const dst = dstDb.lookupWrite(buf, args.offsets[2]!, args.lengths[2]!);
      if (dst >= 0) {
        if (!replace) {
          client.writer.raw(SharedReplies.zero);
          return;
        }
        dstDb.removeRef(dst, RemovalReason.Overwritten);
      }
      src = srcDb.index.findHandle(srcHash, srcHandle, buf, args.offsets[1]!, args.lengths[1]!);
      dstDb.copyFrom(srcDb, src, buf, args.offsets[2]!, args.lengths[2]!);
      keyChanged(ks, dstDb.id, args, 2, "g", "copy_to");
      client.writer.raw(SharedReplies.one);
    },
  }),
  /** MOVE key db */
  defineCommand({
    name: "move",
    handler(server, client, args) {
      const ks = server.keyspace;
      const id = dbIndexArg(ks, client, args, 2);
      if (id < 0) return;
      const srcDb = ks.db(client.db);
      const dstDb = ks.db(id);
      if (srcDb === dstDb) {
        client.writer.error(Errors.sameObject);
        return;
      }
      const buf = args.buffer;
      const off = args.offsets[1]!;
      const len = args.lengths[1]!;
      let ref = lookupWriteOrReply(client, srcDb, args, 1, ANY_TYPE, SharedReplies.zero);
      if (ref < 0) return;
      const hash = srcDb.lastHash;
      const handle = srcDb.handleAt(ref);
      if (dstDb.lookupWrite(buf, off, len) >= 0) {
        client.writer.raw(SharedReplies.zero);
        return;
      }
      ref = srcDb.index.findHandle(hash, handle, buf, off, len);
      const meta = srcDb.metaAt(ref);
      srcDb.removeRef(ref, RemovalReason.Moved);
      dstDb.attachEntry(hash, meta, handle);
      keyChanged(ks, srcDb.id, args, 1, "g", "move_from");
      keyChanged(ks, dstDb.id, args, 1, "g", "move_to");
      client.writer.raw(SharedReplies.one);
    },
  }),
  /** SWAPDB index1 index2 */
  defineCommand({
    name: "swapdb",
    handler(server, client, args) {
      const ks = server.keyspace;
      const a = getIntFromObjectOrReply(client, args, 1, "ERR invalid first DB index");
      if (a === null) return;
      const b = getIntFromObjectOrReply(client, args, 2, "ERR invalid second DB index");
      if (b === null) return;
      if (!ks.swapDatabases(a, b)) {
        client.writer.error(Errors.dbIndexOutOfRange);
        return;
      }
      client.writer.raw(SharedReplies.ok);
    },
  }),
  /** RANDOMKEY */
  defineCommand({
    name: "randomkey",
    handler(server, client) {
      const key = server.keyspace.db(client.db).randomKey();
      if (key === null) client.writer.nullBulk();
      else client.writer.bulk(key);
    },
  }),
  // The rest of Redis's `generic` group, one file per concern.
  ...keysCommands,
  ...expireCommands,
  ...objectCommands,
];

import {
  type Database,
  HashDeleted,
  HashReader,
  hashCreate,
  hashDelete,
  hashLength,
  hashSet,
  hashWriteCharge,
  ObjectType,
} from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import {
  keyChanged,
  keyEvent,
  lookupReadOrReply,
  lookupWriteOrReply,
  MISSING,
  NO_REPLY,
  reserveOrReply,
  WRONG_TYPE,
} from "../support/keyArgs.js";
import { hashCounterCommands } from "./hashCounters.js";
import { hashRandomCommands } from "./hashRandom.js";

/**
 * Hash commands (Redis's t_hash.c). Each is a short wrapper over the keyspace's hash type API
 * (`hashSet`, `hashDelete`, `HashReader`…), which picks the encoding and converts at the
 * `hash-max-listpack-*` thresholds; here are the replies, events and argument rules.
 */

const reader = new HashReader();

/**
 * Writes field/value argument pairs from `first` into the hash at key argument 1, creating it
 * (Redis's `hashTypeLookupWriteOrCreate` + `hashTypeTryConversion` + `hashTypeSet` per pair).
 * Returns the number of new fields, or -1 after replying an error.
 */
export function hashSetPairs(server: ServerContext, client: Client, args: CommandArgs, first: number): number {
  const ks = server.keyspace;
  const db = ks.db(client.db);
  const limit = ks.limits.hashMaxListpackValue;
  let bytes = 0;
  let toTable = false;
  for (let j = first; j < args.argc; j++) {
    const len = args.lengths[j]!;
    bytes += len;
    if (len > limit) toTable = true;
  }
  if (ks.maxmemory !== 0) {
    const probe = db.lookupWrite(args.buffer, args.offsets[1]!, args.lengths[1]!);
    const charge = hashWriteCharge(db, probe, (args.argc - first) >>> 1, bytes + args.lengths[1]!);
    if (!reserveOrReply(client, ks, charge + (probe < 0 ? db.growthCharge(1, 0) : 0))) return -1;
  }
  let ref = lookupWriteOrReply(client, db, args, 1, ObjectType.Hash, NO_REPLY);
  if (ref === WRONG_TYPE) return -1;
  let created = 0;
  let j = first;
  if (ref === MISSING) {
    ref = createWith(db, args, j, j + 1, toTable);
    toTable = false;
    created = 1;
    j += 2;
  }
  for (; j < args.argc; j += 2) {
    const f = args.offsets[j]!;
    const v = args.offsets[j + 1]!;
    if (hashSet(db, ref, args.buffer, f, args.lengths[j]!, args.buffer, v, args.lengths[j + 1]!, toTable)) created++;
    toTable = false;
  }
  return created;
}

/** Adds key argument 1 as a hash of argument pair (`f`, `v`); returns its ref. */
function createWith(db: Database, args: CommandArgs, f: number, v: number, toTable: boolean): number {
  const buf = args.buffer;
  return hashCreate(
    db,
    buf,
    args.offsets[1]!,
    args.lengths[1]!,
    buf,
    args.offsets[f]!,
    args.lengths[f]!,
    buf,
    args.offsets[v]!,
    args.lengths[v]!,
    toTable,
  );
}

function arityError(client: Client, name: string): void {
  client.writer.error(`ERR wrong number of arguments for '${name}' command`);
}

/** The hash at key argument 1 for reading, after replying `missing` (or WRONGTYPE); -1 then. */
function readHash(server: ServerContext, client: Client, args: CommandArgs, missing: Uint8Array | null): number {
  return lookupReadOrReply(client, server.keyspace.db(client.db), args, 1, ObjectType.Hash, missing);
}

/** HKEYS, HVALS, HGETALL (Redis's `genericHgetallCommand`). */
function getAll(server: ServerContext, client: Client, args: CommandArgs, keys: boolean, values: boolean): void {
  const db = server.keyspace.db(client.db);
  const ref = lookupReadOrReply(client, db, args, 1, ObjectType.Hash, NO_REPLY);
  const w = client.writer;
  const both = keys && values;
  if (ref === WRONG_TYPE) return;
  if (ref === MISSING) {
    if (both) w.mapHeader(0);
    else w.raw(SharedReplies.emptyArray);
    return;
  }
  const length = hashLength(db, ref);
  if (both) w.mapHeader(length);
  else w.arrayHeader(length);
  const r = reader.open(db, ref);
  while (r.next()) {
    if (keys) w.bulk(r.fieldBuf, r.fieldOff, r.fieldOff + r.fieldLen);
    if (values) w.bulk(r.valueBuf, r.valueOff, r.valueOff + r.valueLen);
  }
}

export const hashCommands = [
  /** HSET key field value [field value ...] */
  defineCommand({
    name: "hset",
    handler(server, client, args) {
      if (args.argc % 2 === 1) return arityError(client, "hset");
      const created = hashSetPairs(server, client, args, 2);
      if (created < 0) return;
      keyChanged(server.keyspace, client.db, args, 1, "h", "hset");
      client.writer.integer(created);
    },
  }),
  /** HMSET key field value [field value ...] (deprecated: HSET with an OK reply) */
  defineCommand({
    name: "hmset",
    handler(server, client, args) {
      if (args.argc % 2 === 1) return arityError(client, "hmset");
      if (hashSetPairs(server, client, args, 2) < 0) return;
      keyChanged(server.keyspace, client.db, args, 1, "h", "hset");
      client.writer.raw(SharedReplies.ok);
    },
  }),
  /** HSETNX key field value */
  defineCommand({
    name: "hsetnx",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.Hash, NO_REPLY);
      if (ref === WRONG_TYPE) return;
      if (ref >= 0 && reader.get(db, ref, args.buffer, args.offsets[2]!, args.lengths[2]!)) {
        client.writer.raw(SharedReplies.zero);
        return;
      }
      if (hashSetPairs(server, client, args, 2) < 0) return;
      keyChanged(server.keyspace, client.db, args, 1, "h", "hset");
      client.writer.raw(SharedReplies.one);
    },
  }),
  /** HGET key field */
  defineCommand({
    name: "hget",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = readHash(server, client, args, null);
      if (ref < 0) return;
      if (reader.get(db, ref, args.buffer, args.offsets[2]!, args.lengths[2]!))
        client.writer.bulk(reader.valueBuf, reader.valueOff, reader.valueOff + reader.valueLen);
      else client.writer.nullBulk();
    },
  }),
  /** HMGET key field [field ...] */
  defineCommand({
    name: "hmget",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = readHash(server, client, args, NO_REPLY);
      if (ref === WRONG_TYPE) return;
      const w = client.writer;
      w.arrayHeader(args.argc - 2);
      for (let j = 2; j < args.argc; j++) {
        if (ref >= 0 && reader.get(db, ref, args.buffer, args.offsets[j]!, args.lengths[j]!))
          w.bulk(reader.valueBuf, reader.valueOff, reader.valueOff + reader.valueLen);
        else w.nullBulk();
      }
    },
  }),
  /** HDEL key field [field ...] */
  defineCommand({
    name: "hdel",
    handler(server, client, args) {
      const ks = server.keyspace;
      const db = ks.db(client.db);
      const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.Hash, SharedReplies.zero);
      if (ref < 0) return;
      let deleted = 0;
      let keyRemoved = false;
      for (let j = 2; j < args.argc; j++) {
        const r = hashDelete(db, ref, args.buffer, args.offsets[j]!, args.lengths[j]!);
        if (r === HashDeleted.None) continue;
        deleted++;
        if (r === HashDeleted.Key) {
          keyRemoved = true;
          break;
        }
      }
      if (deleted > 0) {
        keyChanged(ks, client.db, args, 1, "h", "hdel");
        if (keyRemoved) keyEvent(ks, client.db, args, 1, "g", "del");
      }
      client.writer.integer(deleted);
    },
  }),
  /** HLEN key */
  defineCommand({
    name: "hlen",
    handler(server, client, args) {
      const ref = readHash(server, client, args, SharedReplies.zero);
      if (ref >= 0) client.writer.integer(hashLength(server.keyspace.db(client.db), ref));
    },
  }),
  /** HSTRLEN key field */
  defineCommand({
    name: "hstrlen",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = readHash(server, client, args, SharedReplies.zero);
      if (ref < 0) return;
      const found = reader.get(db, ref, args.buffer, args.offsets[2]!, args.lengths[2]!);
      client.writer.integer(found ? reader.valueLen : 0);
    },
  }),
  /** HEXISTS key field */
  defineCommand({
    name: "hexists",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = readHash(server, client, args, SharedReplies.zero);
      if (ref < 0) return;
      const found = reader.get(db, ref, args.buffer, args.offsets[2]!, args.lengths[2]!);
      client.writer.raw(found ? SharedReplies.one : SharedReplies.zero);
    },
  }),
  /** HKEYS key */
  defineCommand({ name: "hkeys", handler: (server, client, args) => getAll(server, client, args, true, false) }),
  /** HVALS key */
  defineCommand({ name: "hvals", handler: (server, client, args) => getAll(server, client, args, false, true) }),
  /** HGETALL key (a map in RESP3) */
  defineCommand({ name: "hgetall", handler: (server, client, args) => getAll(server, client, args, true, true) }),
  ...hashCounterCommands,
  ...hashRandomCommands,
];

import { type Database, ObjectType, zset } from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { keyChanged, lookupReadOrReply, lookupWriteOrReply, NO_REPLY, reserveOrReply } from "../support/keyArgs.js";
import { argLatitude, argLongitude, extractLongLatOrReply, extractUnitOrReply } from "./geoArgs.js";
import { formatCoordinate, formatDistance, nearRoundingEdge } from "./geoFormat.js";
import { decodedPoint, decodeScore, geohashString, geoScore } from "./geohash.js";
import { geoDistance, preciseGeoDistance } from "./geohashHelper.js";

/**
 * GEOADD, GEOPOS, GEODIST and GEOHASH (geo.c): a geo set is a sorted set whose scores are
 * 52-bit geohashes, so these read and write it through the zset type API.
 */

/** Scores of one GEOADD, computed before anything changes (all coordinates valid or none added). */
let scores = new Float64Array(16);

/** GEOADD key [NX | XX] [CH] longitude latitude member [longitude latitude member ...] */
function geoadd(server: ServerContext, client: Client, args: CommandArgs): void {
  const w = client.writer;
  let nx = false;
  let xx = false;
  let ch = false;
  let longIdx = 2;
  for (; longIdx < args.argc; longIdx++) {
    if (args.argEquals(longIdx, "nx")) nx = true;
    else if (args.argEquals(longIdx, "xx")) xx = true;
    else if (args.argEquals(longIdx, "ch")) ch = true;
    else break;
  }
  // Redis hands the rest to ZADD, whose own parse finds no element here: a syntax error too.
  if ((args.argc - longIdx) % 3 !== 0 || (xx && nx) || args.argc === longIdx) {
    w.error(Errors.syntax);
    return;
  }
  const elements = (args.argc - longIdx) / 3;
  if (scores.length < elements) scores = new Float64Array(elements * 2);
  for (let j = 0; j < elements; j++) {
    if (!extractLongLatOrReply(client, args, longIdx + 3 * j)) return;
    scores[j] = geoScore(argLongitude, argLatitude);
  }
  const ks = server.keyspace;
  let charge = 64 + args.lengths[1]!;
  for (let j = 0; j < elements; j++) charge += args.lengths[longIdx + 3 * j + 2]! + 48;
  if (!reserveOrReply(client, ks, charge)) return;
  const db = ks.db(client.db);
  let ref = lookupWriteOrReply(client, db, args, 1, ObjectType.ZSet, NO_REPLY);
  if (ref === -2) return;
  if (ref < 0 && !xx) {
    ref = zset.zsetCreate(db, args.buffer, args.offsets[1]!, args.lengths[1]!, args.lengths[longIdx + 2]!);
    ks.dirty--; // Redis counts the added elements, not the new key
  }
  let changed = 0;
  let added = 0;
  if (ref >= 0) {
    const flags = (nx ? zset.ZADD_IN_NX : 0) | (xx ? zset.ZADD_IN_XX : 0);
    for (let j = 0; j < elements; j++) {
      const m = longIdx + 3 * j + 2;
      const out = zset.zsetAdd(db, ref, scores[j]!, args.buffer, args.offsets[m]!, args.lengths[m]!, flags);
      if ((out & zset.ZADD_OUT_ADDED) !== 0) added++;
      if ((out & (zset.ZADD_OUT_ADDED | zset.ZADD_OUT_UPDATED)) !== 0) changed++;
    }
  }
  w.integer(ch ? changed : added);
  // GEOADD runs as ZADD in Redis: its event is ZADD's.
  if (changed > 0) {
    keyChanged(ks, db.id, args, 1, "z", "zadd");
    if (server.propagation.active) propagateAsZadd(server, client, args, longIdx, elements);
  }
}

/**
 * Redis replaces GEOADD's argv with `zadd key [options] score member …` before running ZADD
 * (geo.c `replaceClientCommandVector`), so that is what the AOF and replicas receive.
 */
function propagateAsZadd(
  server: ServerContext,
  client: Client,
  args: CommandArgs,
  longIdx: number,
  elements: number,
): void {
  const argv: (Uint8Array | string)[] = new Array(longIdx + elements * 2);
  argv[0] = "zadd";
  for (let i = 1; i < longIdx; i++) argv[i] = args.argView(i);
  for (let j = 0; j < elements; j++) {
    argv[longIdx + 2 * j] = String(scores[j]);
    argv[longIdx + 2 * j + 1] = args.argView(longIdx + 3 * j + 2);
  }
  server.propagation.replaceWith(client.db, ...argv);
}

/** The zset at key argument 1 for reading (no reply when absent); -1 absent, -2 after WRONGTYPE. */
function readGeoSet(client: Client, db: Database, args: CommandArgs): number {
  return lookupReadOrReply(client, db, args, 1, ObjectType.ZSet, NO_REPLY);
}

/** The score of member argument `i`, NaN when the key (`ref` < 0) or the member is absent. */
function memberScore(db: Database, ref: number, args: CommandArgs, i: number): number {
  return ref < 0 ? Number.NaN : zset.zsetScore(db, ref, args.buffer, args.offsets[i]!, args.lengths[i]!);
}

/** GEOADD, GEOPOS, GEODIST, GEOHASH. */
export const geoBasicCommands = [
  /** GEOADD key [NX | XX] [CH] longitude latitude member [longitude latitude member ...] */
  defineCommand({ name: "geoadd", handler: geoadd }),
  /** GEOPOS key [member [member ...]] */
  defineCommand({
    name: "geopos",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = readGeoSet(client, db, args);
      if (ref === -2) return;
      const w = client.writer;
      w.arrayHeader(args.argc - 2);
      for (let j = 2; j < args.argc; j++) {
        const score = memberScore(db, ref, args, j);
        if (score !== score) {
          w.nullArray();
          continue;
        }
        decodeScore(score);
        w.arrayHeader(2);
        w.doubleText(formatCoordinate(decodedPoint[0]!));
        w.doubleText(formatCoordinate(decodedPoint[1]!));
      }
    },
  }),
  /** GEODIST key member1 member2 [M | KM | FT | MI] */
  defineCommand({
    name: "geodist",
    handler(server, client, args) {
      let toMeter = 1;
      if (args.argc === 5) {
        toMeter = extractUnitOrReply(client, args, 4);
        if (toMeter < 0) return;
      } else if (args.argc > 5) {
        client.writer.error(Errors.syntax);
        return;
      }
      const db = server.keyspace.db(client.db);
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.ZSet, null);
      if (ref < 0) return;
      const score1 = memberScore(db, ref, args, 2);
      const score2 = memberScore(db, ref, args, 3);
      if (score1 !== score1 || score2 !== score2) {
        client.writer.nullBulk();
        return;
      }
      decodeScore(score1);
      const lon1 = decodedPoint[0]!;
      const lat1 = decodedPoint[1]!;
      decodeScore(score2);
      const lon2 = decodedPoint[0]!;
      const lat2 = decodedPoint[1]!;
      let distance = geoDistance(lon1, lat1, lon2, lat2) / toMeter;
      if (nearRoundingEdge(distance)) distance = preciseGeoDistance(lon1, lat1, lon2, lat2) / toMeter;
      client.writer.bulkString(formatDistance(distance));
    },
  }),
  /** GEOHASH key [member [member ...]] */
  defineCommand({
    name: "geohash",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = readGeoSet(client, db, args);
      if (ref === -2) return;
      const w = client.writer;
      w.arrayHeader(args.argc - 2);
      for (let j = 2; j < args.argc; j++) {
        const score = memberScore(db, ref, args, j);
        if (score !== score) w.nullBulk();
        else w.bulkString(geohashString(score));
      }
    },
  }),
];

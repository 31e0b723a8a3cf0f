import { type Database, ObjectType, ScoreRange, ZSetScoreWalker, zset } from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import type { CommandArgs } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { lookupReadOrReply, NO_REPLY, reserveOrReply } from "../support/keyArgs.js";
import { getLongLongFromObjectOrReply } from "../support/numbers.js";
import { newResult, storeResult } from "../zset/zsetArgs.js";
import { GeoResults } from "./GeoResults.js";
import {
  argLatitude,
  argLongitude,
  extractBoxOrReply,
  extractDistanceOrReply,
  extractLongLatOrReply,
} from "./geoArgs.js";
import { formatCoordinate, formatDistance, nearRoundingEdge } from "./geoFormat.js";
import { decodedPoint, decodeScore } from "./geohash.js";
import {
  acceptedPoint,
  CELL_COUNT,
  CIRCULAR,
  calculateAreasByShape,
  cellLat,
  cellLon,
  cellMax,
  cellMin,
  cellScores,
  cellStep,
  GeoShape,
  preciseGeoDistance,
  RECTANGLE,
  withinShape,
} from "./geohashHelper.js";

/**
 * Redis's `georadiusGeneric`: GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER and the
 * `_RO` forms. The nine geohash cells around the centre give nine score ranges of the zset;
 * each point in them is decoded and kept if inside the shape, then sorted, replied or stored.
 */

/** Search around coordinates (GEORADIUS). */
export const RADIUS_COORDS = 1;
/** Search around a member (GEORADIUSBYMEMBER). */
export const RADIUS_MEMBER = 2;
/** No STORE / STOREDIST (the `_RO` forms). */
export const RADIUS_NOSTORE = 4;
/** GEOSEARCH's arguments. */
export const GEOSEARCH = 8;
/** GEOSEARCHSTORE: GEOSEARCH's arguments plus STOREDIST. */
export const GEOSEARCHSTORE = 16;

const TWO_63 = 2 ** 63;

const SORT_NONE = 0;
const SORT_ASC = 1;
const SORT_DESC = 2;

const shape = new GeoShape();
const results = new GeoResults();
const walker = new ZSetScoreWalker();
const range = new ScoreRange();

/** `geoGetPointsInRange`: the points of scores in [min, max) inside the shape. */
function pointsInRange(min: number, max: number, limit: number): void {
  range.set(min, false, max, true);
  let ok = walker.seek(range);
  while (ok) {
    const score = walker.score;
    if (!range.lteMax(score)) break;
    if (withinShape(shape, score)) {
      walker.readMember();
      results.append(
        acceptedPoint[0]!,
        acceptedPoint[1]!,
        acceptedPoint[2]!,
        score,
        walker.memberBuf,
        walker.memberOff,
        walker.memberLen,
      );
    }
    if (results.used !== 0 && limit !== 0 && results.used >= limit) break;
    ok = walker.next();
  }
}

/** `membersOfAllNeighbors`: the centre cell and its neighbours, each range once. */
function membersOfAllNeighbors(db: Database, ref: number, limit: number): void {
  walker.open(db, ref);
  let last = 0;
  for (let i = 0; i < CELL_COUNT; i++) {
    if (cellStep[i] === 0) continue; // excluded (GZERO)
    // With a huge radius adjacent neighbours can be the same cell: skip a repeat of the last one.
    if (last !== 0 && cellLat[i] === cellLat[last] && cellLon[i] === cellLon[last] && cellStep[i] === cellStep[last]) {
      continue;
    }
    if (results.used !== 0 && limit !== 0 && results.used >= limit) break;
    cellScores(i);
    pointsInRange(cellMin, cellMax, limit);
    last = i;
  }
}

/** Whether a STORE may follow (to reserve memory before the source is looked up). */
function mayStore(args: CommandArgs, base: number, flags: number): boolean {
  if ((flags & GEOSEARCHSTORE) !== 0) return true;
  if ((flags & (RADIUS_NOSTORE | GEOSEARCH)) !== 0) return false;
  for (let i = base; i < args.argc; i++) if (args.argEquals(i, "store") || args.argEquals(i, "storedist")) return true;
  return false;
}

/** `georadiusGeneric(c, srcKeyIndex, flags)` */
export function georadiusGeneric(
  server: ServerContext,
  client: Client,
  args: CommandArgs,
  src: number,
  flags: number,
): void {
  const w = client.writer;
  const ks = server.keyspace;
  if (mayStore(args, src + 1, flags) && !reserveOrReply(client, ks, 256)) return;
  const db = ks.db(client.db);
  const ref = lookupReadOrReply(client, db, args, src, ObjectType.ZSet, NO_REPLY);
  if (ref === -2) return;
  const exists = ref >= 0;
  let storeKey = 0;
  let storeDist = false;
  let base: number;
  shape.type = 0;
  shape.longitude = 0;
  shape.latitude = 0;
  shape.conversion = 0;
  shape.radius = 0;
  shape.width = 0;
  shape.height = 0;
  if ((flags & RADIUS_COORDS) !== 0) {
    base = 6;
    shape.type = CIRCULAR;
    if (!extractLongLatOrReply(client, args, 2)) return;
    shape.longitude = argLongitude;
    shape.latitude = argLatitude;
    if (!extractDistanceOrReply(client, args, base - 2, shape)) return;
  } else if ((flags & RADIUS_MEMBER) !== 0 && !exists) {
    // No source key: parse on, to know which empty reply to give.
    base = 5;
  } else if ((flags & RADIUS_MEMBER) !== 0) {
    base = 5;
    shape.type = CIRCULAR;
    if (!centreOfMember(client, db, ref, args, 2)) return;
    if (!extractDistanceOrReply(client, args, base - 2, shape)) return;
  } else {
    base = 2;
    if ((flags & GEOSEARCHSTORE) !== 0) {
      base = 3;
      storeKey = 1;
    }
  }

  let withDist = false;
  let withHash = false;
  let withCoords = false;
  let fromMember = false;
  let fromLoc = false;
  let byRadius = false;
  let byBox = false;
  let sort = SORT_NONE;
  let any = false;
  let count = 0;
  const search = (flags & GEOSEARCH) !== 0;
  const storable = (flags & (RADIUS_NOSTORE | GEOSEARCH)) === 0;
  const remaining = args.argc - base;
  for (let i = 0; i < remaining; i++) {
    const a = base + i;
    if (args.argEquals(a, "withdist")) withDist = true;
    else if (args.argEquals(a, "withhash")) withHash = true;
    else if (args.argEquals(a, "withcoord")) withCoords = true;
    else if (args.argEquals(a, "any")) any = true;
    else if (args.argEquals(a, "asc")) sort = SORT_ASC;
    else if (args.argEquals(a, "desc")) sort = SORT_DESC;
    else if (args.argEquals(a, "count") && i + 1 < remaining) {
      const n = getLongLongFromObjectOrReply(client, args, a + 1);
      if (n === null) return;
      if (n <= 0) {
        w.error(Errors.geoCountNotPositive);
        return;
      }
      count = Number(n);
      i++;
    } else if (args.argEquals(a, "store") && i + 1 < remaining && storable) {
      storeKey = a + 1;
      storeDist = false;
      i++;
    } else if (args.argEquals(a, "storedist") && i + 1 < remaining && storable) {
      storeKey = a + 1;
      storeDist = true;
      i++;
    } else if (args.argEquals(a, "storedist") && (flags & GEOSEARCHSTORE) !== 0) {
      storeDist = true;
    } else if (args.argEquals(a, "frommember") && i + 1 < remaining && search && !fromLoc) {
      // Without a source key the member is not looked up; the reply is empty anyway.
      if (exists && !centreOfMember(client, db, ref, args, a + 1)) return;
      fromMember = true;
      i++;
    } else if (args.argEquals(a, "fromlonlat") && i + 2 < remaining && search && !fromMember) {
      if (!extractLongLatOrReply(client, args, a + 1)) return;
      shape.longitude = argLongitude;
      shape.latitude = argLatitude;
      fromLoc = true;
      i += 2;
    } else if (args.argEquals(a, "byradius") && i + 2 < remaining && search && !byBox) {
      if (!extractDistanceOrReply(client, args, a + 1, shape)) return;
      shape.type = CIRCULAR;
      byRadius = true;
      i += 2;
    } else if (args.argEquals(a, "bybox") && i + 3 < remaining && search && !byRadius) {
      if (!extractBoxOrReply(client, args, a + 1, shape)) return;
      shape.type = RECTANGLE;
      byBox = true;
      i += 3;
    } else {
      w.error(Errors.syntax);
      return;
    }
  }

  if (storeKey !== 0 && (withDist || withHash || withCoords)) {
    const what = (flags & GEOSEARCHSTORE) !== 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS";
    w.error(`ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
    return;
  }
  if (search && !(fromMember || fromLoc)) {
    w.error(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${commandName(args)}`);
    return;
  }
  if (search && !(byRadius || byBox)) {
    w.error(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${commandName(args)}`);
    return;
  }
  if (any && count === 0) {
    w.error(Errors.geoAnyWithoutCount);
    return;
  }

  if (!exists) {
    if (storeKey !== 0) {
      deleteStoreKey(server, db, args, storeKey);
      w.integer(0);
    } else {
      w.raw(SharedReplies.emptyArray);
    }
    return;
  }
  // COUNT asks for the nearest N: sort them, unless ANY takes the first found.
  if (count !== 0 && sort === SORT_NONE && !any) sort = SORT_ASC;

  calculateAreasByShape(shape);
  results.reset();
  membersOfAllNeighbors(db, ref, any ? count : 0);

  if (results.used === 0 && storeKey === 0) {
    w.raw(SharedReplies.emptyArray);
    return;
  }
  const found = results.used;
  const returned = count === 0 || found < count ? found : count;
  if (sort !== SORT_NONE) results.sort(sort === SORT_DESC, returned);

  if (storeKey === 0) {
    replyPoints(client, returned, withDist, withHash, withCoords);
  } else {
    w.integer(storePoints(server, db, args, storeKey, returned, storeDist, (flags & GEOSEARCH) !== 0));
  }
}

/** Sets the shape's centre to member argument `i`'s position; false after replying the error. */
function centreOfMember(client: Client, db: Database, ref: number, args: CommandArgs, i: number): boolean {
  const score = zset.zsetScore(db, ref, args.buffer, args.offsets[i]!, args.lengths[i]!);
  if (score !== score) {
    client.writer.error(Errors.geoMemberNotDecoded);
    return false;
  }
  decodeScore(score);
  shape.longitude = decodedPoint[0]!;
  shape.latitude = decodedPoint[1]!;
  return true;
}

/** The command name as the client typed it (Redis's `c->argv[0]->ptr` in messages). */
function commandName(args: CommandArgs): string {
  return Buffer.from(args.argView(0)).toString("latin1");
}

function replyPoints(
  client: Client,
  returned: number,
  withDist: boolean,
  withHash: boolean,
  withCoords: boolean,
): void {
  const w = client.writer;
  const options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoords ? 1 : 0);
  const conversion = shape.conversion;
  w.arrayHeader(returned);
  for (let k = 0; k < returned; k++) {
    const i = results.order[k]!;
    if (options !== 0) w.arrayHeader(options + 1);
    const off = results.memberOff[i]!;
    w.bulk(results.bytes, off, off + results.memberLen[i]!);
    if (withDist) {
      let distance = results.distance[i]! / conversion;
      if (nearRoundingEdge(distance)) distance = pointPreciseDistance(i) / conversion;
      w.bulkString(formatDistance(distance));
    }
    if (withHash) replyScoreAsLongLong(client, results.score[i]!);
    if (withCoords) {
      w.arrayHeader(2);
      w.doubleText(formatCoordinate(results.longitude[i]!));
      w.doubleText(formatCoordinate(results.latitude[i]!));
    }
  }
}

/** The distance of result `i` from the centre with correctly rounded trigonometry. */
function pointPreciseDistance(i: number): number {
  return preciseGeoDistance(shape.longitude, shape.latitude, results.longitude[i]!, results.latitude[i]!);
}

/** `addReplyLongLong(c, score)`: the C cast truncates; out of range it gives LLONG_MIN. */
function replyScoreAsLongLong(client: Client, score: number): void {
  if (score > -TWO_63 && score < TWO_63) {
    const n = Math.trunc(score);
    if (Number.isSafeInteger(n)) client.writer.integer(n);
    else client.writer.bigInteger(BigInt(n));
  } else {
    client.writer.bigInteger(-(2n ** 63n));
  }
}

/** STORE / STOREDIST / GEOSEARCHSTORE: the points as a zset at key argument `k`; returns the count. */
function storePoints(
  server: ServerContext,
  db: Database,
  args: CommandArgs,
  k: number,
  returned: number,
  storeDist: boolean,
  search: boolean,
): number {
  const ks = server.keyspace;
  const result = newResult(ks);
  const conversion = shape.conversion;
  for (let n = 0; n < returned; n++) {
    const i = results.order[n]!;
    // Every bit of a stored distance shows: computed as glibc's trigonometry rounds.
    const score = storeDist ? pointPreciseDistance(i) / conversion : results.score[i]!;
    const off = results.memberOff[i]!;
    result.insert(score, results.bytes, off, results.memberLen[i]!);
  }
  const dirty = ks.dirty;
  const stored = storeResult(ks, db, args, k, result, search ? "geosearchstore" : "georadiusstore");
  // Redis counts each stored element (or the one deletion).
  if (stored > 0) ks.dirty = dirty + stored;
  return stored;
}

/** An empty result deletes the destination (`dbDelete` + `del` event). */
function deleteStoreKey(server: ServerContext, db: Database, args: CommandArgs, k: number): void {
  const ks = server.keyspace;
  const key = args.buffer;
  const off = args.offsets[k]!;
  const len = args.lengths[k]!;
  if (db.delete(key, off, len)) {
    ks.signalModifiedKey(db.id, key, off, len);
    ks.notify("g", "del", db.id, key, off, len);
  }
}

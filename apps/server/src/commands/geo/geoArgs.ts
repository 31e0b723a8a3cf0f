import type { Client } from "../../net/Client.js";
import type { CommandArgs } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { getDoubleFromObjectOrReply } from "../support/numbers.js";
import { string2dFast } from "../zset/decimalScore.js";
import { formatFixed } from "./geoFormat.js";
import { GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN } from "./geohash.js";
import type { GeoShape } from "./geohashHelper.js";

/** Argument helpers of geo.c: coordinates, units, radius and box sizes, with Redis's errors. */

/** The point of the last {@link extractLongLatOrReply}. */
export let argLongitude = 0;
export let argLatitude = 0;

/** `extractLongLatOrReply`: arguments `i` (longitude) and `i + 1` (latitude) within the limits. */
export function extractLongLatOrReply(client: Client, args: CommandArgs, i: number): boolean {
  const buf = args.buffer;
  const x = string2dFast(buf, args.offsets[i]!, args.offsets[i]! + args.lengths[i]!);
  if (x !== x) {
    client.writer.error(Errors.notFloat);
    return false;
  }
  const y = string2dFast(buf, args.offsets[i + 1]!, args.offsets[i + 1]! + args.lengths[i + 1]!);
  if (y !== y) {
    client.writer.error(Errors.notFloat);
    return false;
  }
  if (x < GEO_LONG_MIN || x > GEO_LONG_MAX || y < GEO_LAT_MIN || y > GEO_LAT_MAX) {
    client.writer.error(`${Errors.geoInvalidLonLat} ${formatFixed(x, 6)},${formatFixed(y, 6)}`);
    return false;
  }
  argLongitude = x;
  argLatitude = y;
  return true;
}

/** `extractUnitOrReply`: meters per unit of argument `i`, or -1 after replying the error. */
export function extractUnitOrReply(client: Client, args: CommandArgs, i: number): number {
  if (args.argEquals(i, "m")) return 1;
  if (args.argEquals(i, "km")) return 1000;
  if (args.argEquals(i, "ft")) return 0.3048;
  if (args.argEquals(i, "mi")) return 1609.34;
  client.writer.error(Errors.geoUnsupportedUnit);
  return -1;
}

/** `extractDistanceOrReply`: radius at `i`, unit at `i + 1`, into `shape`. */
export function extractDistanceOrReply(client: Client, args: CommandArgs, i: number, shape: GeoShape): boolean {
  const distance = getDoubleFromObjectOrReply(client, args, i, Errors.geoNeedNumericRadius);
  if (distance === null) return false;
  if (distance < 0) {
    client.writer.error(Errors.geoNegativeRadius);
    return false;
  }
  shape.radius = distance;
  const toMeters = extractUnitOrReply(client, args, i + 1);
  if (toMeters < 0) return false;
  shape.conversion = toMeters;
  return true;
}

/** `extractBoxOrReply`: width at `i`, height at `i + 1`, unit at `i + 2`, into `shape`. */
export function extractBoxOrReply(client: Client, args: CommandArgs, i: number, shape: GeoShape): boolean {
  const w = getDoubleFromObjectOrReply(client, args, i, Errors.geoNeedNumericWidth);
  if (w === null) return false;
  const h = getDoubleFromObjectOrReply(client, args, i + 1, Errors.geoNeedNumericHeight);
  if (h === null) return false;
  if (h < 0 || w < 0) {
    client.writer.error(Errors.geoNegativeBox);
    return false;
  }
  shape.height = h;
  shape.width = w;
  const toMeters = extractUnitOrReply(client, args, i + 2);
  if (toMeters < 0) return false;
  shape.conversion = toMeters;
  return true;
}

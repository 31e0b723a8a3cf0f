import {
  decodeArea,
  decodedPoint,
  decodeScore,
  encodeCell,
  encodedLat,
  encodedLon,
  GeoArea,
  interleave,
  interleavedHi,
  interleavedLo,
} from "./geohash.js";
import { asinCR, cosCR, sinCR } from "./preciseTrig.js";

/**
 * Redis's geohash_helper.c: the haversine distance, the search shape's bounding box, and the
 * nine cells (centre + eight neighbours) whose score ranges cover a radius or box search,
 * with its step estimate and edge adjustments — the same double operations in the same order.
 */

const D_R = Math.PI / 180.0;
/** Earth's quadratic mean radius for WGS-84. */
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;

function degRad(ang: number): number {
  return ang * D_R;
}

function radDeg(ang: number): number {
  return ang / D_R;
}

/** `geohashGetLatDistance`: distance along a meridian. */
export function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** `geohashGetDistance`: haversine great circle distance in meters. */
export function geoDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = Math.sin((lon2r - lon1r) / 2);
  // Equal longitudes: the haversine reduces to the latitude difference.
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/**
 * {@link geoDistance} with correctly rounded trigonometry ({@link sinCR}…): the bits glibc gives
 * Redis (but for its rare misrounding), where the last bit shows — STOREDIST scores, a point on
 * the shape's edge, a distance on a rounding edge. Slower: the searches use it only there.
 */
export function preciseGeoDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = sinCR((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = sinCR((lat2r - lat1r) / 2);
  const a = u * u + cosCR(lat1r) * cosCR(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * asinCR(Math.sqrt(a));
}

/** True when a distance computed with Math.* may lie on the other side of `limit` than Redis's. */
function nearLimit(distance: number, limit: number): boolean {
  return Math.abs(distance - limit) <= limit * 1e-12 + 1e-9;
}

/** `CIRCULAR_TYPE` / `RECTANGLE_TYPE` */
export const CIRCULAR = 1;
export const RECTANGLE = 2;

/** A search shape (`GeoShape`): centre, unit conversion, radius or box, and its bounding box. */
export class GeoShape {
  type = CIRCULAR;
  longitude = 0;
  latitude = 0;
  /** Meters per unit (km: 1000). */
  conversion = 1;
  radius = 0;
  width = 0;
  height = 0;
  minLon = 0;
  minLat = 0;
  maxLon = 0;
  maxLat = 0;
}

/** `geohashEstimateStepsByRadius`: the cell size (bits per coordinate) for a search radius. */
export function estimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2; // make sure the range is included in most of the base cases
  // Wider range towards the poles.
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** `geohashBoundingBox`: the shape's min/max longitude and latitude. */
export function boundingBox(shape: GeoShape): void {
  const longitude = shape.longitude;
  const latitude = shape.latitude;
  const circular = shape.type === CIRCULAR;
  const height = shape.conversion * (circular ? shape.radius : shape.height / 2);
  const width = shape.conversion * (circular ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude + latDelta)));
  const longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude - latDelta)));
  // The hemispheres bend the box's edges in opposite directions.
  const southern = latitude < 0;
  shape.minLon = southern ? longitude - longDeltaBottom : longitude - longDeltaTop;
  shape.maxLon = southern ? longitude + longDeltaBottom : longitude + longDeltaTop;
  shape.minLat = latitude - latDelta;
  shape.maxLat = latitude + latDelta;
}

/**
 * The nine cells of a search (`GeoHashRadius`), in `membersOfAllNeighbors`' order: centre,
 * north, south, east, west, north-east, north-west, south-east, south-west. A cell with
 * step 0 is excluded (`GZERO`).
 */
export const CELL_COUNT = 9;
export const cellLat = new Int32Array(CELL_COUNT);
export const cellLon = new Int32Array(CELL_COUNT);
export const cellStep = new Int32Array(CELL_COUNT);

const NORTH = 1;
const SOUTH = 2;
const EAST = 3;
const WEST = 4;
const NORTH_EAST = 5;
const NORTH_WEST = 6;
const SOUTH_EAST = 7;
const SOUTH_WEST = 8;
/** Each cell's move from the centre: longitude (`geohash_move_x`) and latitude (`_move_y`). */
const MOVE_LON = Int8Array.of(0, 0, 0, 1, -1, 1, -1, 1, -1);
const MOVE_LAT = Int8Array.of(0, 1, -1, 0, 0, 1, 1, -1, -1);

/** `geohashNeighbors` of (`lat`, `lon`): a moved index wraps around modulo 2^step. */
function setCells(lat: number, lon: number, step: number): void {
  const cells = 2 ** step;
  for (let i = 0; i < CELL_COUNT; i++) {
    const dLon = MOVE_LON[i]!;
    const dLat = MOVE_LAT[i]!;
    cellLon[i] = dLon === 0 ? lon : (lon + dLon + cells) % cells;
    cellLat[i] = dLat === 0 ? lat : (lat + dLat + cells) % cells;
    cellStep[i] = step;
  }
}

function zeroCell(i: number): void {
  cellLat[i] = 0;
  cellLon[i] = 0;
  cellStep[i] = 0;
}

const area = new GeoArea();
const north = new GeoArea();
const south = new GeoArea();
const east = new GeoArea();
const west = new GeoArea();

/** `geohashCalculateAreasByShapeWGS84`: fills the shape's bounding box and the nine cells. */
export function calculateAreasByShape(shape: GeoShape): void {
  boundingBox(shape);
  const { minLon, minLat, maxLon, maxLat, longitude, latitude } = shape;
  // A box's radius is the distance from its centre to a corner.
  let radiusMeters =
    shape.type === CIRCULAR
      ? shape.radius
      : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;
  let steps = estimateStepsByRadius(radiusMeters, latitude);
  encodeCell(longitude, latitude, steps);
  setCells(encodedLat, encodedLon, steps);
  decodeArea(encodedLat, encodedLon, steps, area);
  // Near a cell's edge the estimated step may be too fine for the neighbours to cover it all.
  decodeArea(cellLat[NORTH]!, cellLon[NORTH]!, steps, north);
  decodeArea(cellLat[SOUTH]!, cellLon[SOUTH]!, steps, south);
  decodeArea(cellLat[EAST]!, cellLon[EAST]!, steps, east);
  decodeArea(cellLat[WEST]!, cellLon[WEST]!, steps, west);
  const decreaseStep = north.latMax < maxLat || south.latMin > minLat || east.lonMax < maxLon || west.lonMin > minLon;
  if (steps > 1 && decreaseStep) {
    steps--;
    encodeCell(longitude, latitude, steps);
    setCells(encodedLat, encodedLon, steps);
    decodeArea(encodedLat, encodedLon, steps, area);
  }
  // Exclude the cells that cannot hold a match.
  if (steps >= 2) {
    if (area.latMin < minLat) {
      zeroCell(SOUTH);
      zeroCell(SOUTH_WEST);
      zeroCell(SOUTH_EAST);
    }
    if (area.latMax > maxLat) {
      zeroCell(NORTH);
      zeroCell(NORTH_EAST);
      zeroCell(NORTH_WEST);
    }
    if (area.lonMin < minLon) {
      zeroCell(WEST);
      zeroCell(SOUTH_WEST);
      zeroCell(NORTH_WEST);
    }
    if (area.lonMax > maxLon) {
      zeroCell(EAST);
      zeroCell(SOUTH_EAST);
      zeroCell(NORTH_EAST);
    }
  }
}

/** Score range of cell `i` (`scoresOfGeoHashBox`): [cellMin, cellMax). */
export let cellMin = 0;
export let cellMax = 0;

export function cellScores(i: number): void {
  const step = cellStep[i]!;
  const shift = 2 ** (52 - step * 2);
  // bits and bits + 1 as exact integers rounded once, like the C's uint64 made a double.
  interleave(cellLat[i]!, cellLon[i]!);
  cellMin = (interleavedHi * 4294967296 + interleavedLo) * shift;
  cellMax = (interleavedHi * 4294967296 + (interleavedLo + 1)) * shift;
}

const BAND_MARGIN = 1 + 1e-9;

/**
 * Coordinates and distance of the last point {@link withinShape} accepted: `[longitude,
 * latitude, distance]` (a typed array: no heap number per point).
 */
export const acceptedPoint = new Float64Array(3);

/** `geoWithinShape`: decodes a score and tells whether the point is inside the shape. */
export function withinShape(shape: GeoShape, score: number): boolean {
  decodeScore(score);
  const x = decodedPoint[0]!;
  const y = decodedPoint[1]!;
  acceptedPoint[0] = x;
  acceptedPoint[1] = y;
  if (shape.type === CIRCULAR) {
    const radiusM = shape.radius * shape.conversion;
    // The great-circle distance is never below the meridian one: a point outside the latitude
    // band is outside the circle (with a margin far above rounding), and the trigonometry of
    // the full haversine is skipped. Points inside get exactly Redis's computation.
    if (latDistance(y, shape.latitude) > radiusM * BAND_MARGIN) return false;
    let d = geoDistance(shape.longitude, shape.latitude, x, y);
    if (nearLimit(d, radiusM)) d = preciseGeoDistance(shape.longitude, shape.latitude, x, y);
    acceptedPoint[2] = d;
    return d <= radiusM;
  }
  // geohashGetDistanceIfInRectangle: the cheaper latitude test first.
  const widthM = shape.width * shape.conversion;
  const heightM = shape.height * shape.conversion;
  if (latDistance(y, shape.latitude) > heightM / 2) return false;
  let lonDistance = geoDistance(x, y, shape.longitude, y);
  if (nearLimit(lonDistance, widthM / 2)) lonDistance = preciseGeoDistance(x, y, shape.longitude, y);
  if (lonDistance > widthM / 2) return false;
  acceptedPoint[2] = geoDistance(shape.longitude, shape.latitude, x, y);
  return true;
}

/**
 * Redis's geohash.c: the 52-bit interleaved geohash that is a geo member's sorted set score.
 * Latitude bits sit at the even positions, longitude bits at the odd ones. JavaScript's bit
 * operators are 32-bit, so a hash is kept as its two cell indices (latitude, longitude) and
 * turned into the 52-bit number (a double holds it exactly) only where a score is needed; the
 * double arithmetic is C's, step by step, so every coordinate and score equals Redis's.
 */

/** `GEO_STEP_MAX`: 26 steps of 2 bits = 52 bits. */
export const GEO_STEP_MAX = 26;
/** Limits from EPSG:900913 / EPSG:3785 / OSGEO:41001: the poles cannot be geocoded. */
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

const TWO_32 = 4294967296;
/** 2^step for the steps 0..32 (`1ULL << step` as a double). */
const POW2 = Float64Array.from({ length: 33 }, (_, i) => 2 ** i);
const TWO_52 = 2 ** 52;
const TWO_53 = 2 ** 53;
/** A double and its two 32-bit words, the low one at {@link LOW_WORD} (platform byte order). */
const scoreBits = new Float64Array(1);
const scoreWords = new Uint32Array(scoreBits.buffer);
const LOW_WORD = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 0 : 1;
const TWO_63 = 2 ** 63;

/** Spreads the low 16 bits of `v` to the even bit positions of a 32-bit result. */
function spread16(v: number): number {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}

/** Gathers the even bits of the 32-bit `v` into 16 bits (the inverse of {@link spread16}). */
function compact16(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/**
 * `interleave64(lat, lon)` as a number: exact below 2^53, and rounded like the C integer
 * `sdsfromlonglong` → `strtod` makes it above (a coordinate on the maximum edge sets bit 52/53).
 * Indices are below 2^32 (in practice at most 2^26).
 */
export function interleave(lat: number, lon: number): number {
  const lo = (spread16(lat) | (spread16(lon) << 1)) >>> 0;
  const hi = (spread16(lat >>> 16) | (spread16(lon >>> 16) << 1)) >>> 0;
  interleavedHi = hi;
  interleavedLo = lo;
  return hi * TWO_32 + lo;
}

/** The two 32-bit halves of the last {@link interleave}, exact whatever its size. */
export let interleavedHi = 0;
export let interleavedLo = 0;

/** The cell indices of a decoded score: `deinterleave64((uint64_t)score)`. */
export let decodedLat = 0;
export let decodedLon = 0;

/**
 * Splits a score into cell indices the way x86-64 converts a double to `uint64_t` (truncation;
 * at or past 2^63 the high bit is flipped in; an unrepresentable value gives 2^63 or 0), then
 * deinterleaves it into {@link decodedLat} / {@link decodedLon}.
 */
export function deinterleaveScore(score: number): void {
  let hi: number;
  let lo: number;
  if (score >= 0 && score < TWO_52) {
    // Every GEOADD score (52 bits): the integer's bits are the mantissa of itself plus 2^52, read
    // as two words — no division (GEOSEARCH decodes every point it scans).
    scoreBits[0] = Math.trunc(score) + TWO_52;
    lo = scoreWords[LOW_WORD]!;
    hi = scoreWords[1 - LOW_WORD]! & 0xfffff;
  } else if (score >= 0 && score < TWO_53) {
    // Every GEOADD score: an exact integer below 2^53.
    const t = Math.trunc(score);
    hi = Math.floor(t / TWO_32);
    lo = t - hi * TWO_32;
  } else if (score >= TWO_63) {
    const rest = score - TWO_63;
    if (rest >= TWO_63) {
      hi = 0;
      lo = 0;
    } else {
      const t = Math.trunc(rest);
      hi = (Math.floor(t / TWO_32) + 0x80000000) >>> 0;
      lo = t - Math.floor(t / TWO_32) * TWO_32;
    }
  } else if (score > -TWO_63) {
    const t = Math.trunc(score);
    const h = Math.floor(t / TWO_32);
    lo = t - h * TWO_32;
    hi = h >>> 0;
  } else {
    hi = 0x80000000;
    lo = 0;
  }
  decodedLat = (compact16(lo) | (compact16(hi) << 16)) >>> 0;
  decodedLon = (compact16(lo >>> 1) | (compact16(hi >>> 1) << 16)) >>> 0;
}

/** A cell's bounds (`GeoHashArea`), written by {@link decodeArea}. */
export class GeoArea {
  lonMin = 0;
  lonMax = 0;
  latMin = 0;
  latMax = 0;
}

/**
 * `geohashDecode` of cell (`lat`, `lon`) at `step` over the ranges [lonMin, lonMax] ×
 * [latMin, latMax] into `area`.
 */
export function decodeArea(
  lat: number,
  lon: number,
  step: number,
  area: GeoArea,
  latMin = GEO_LAT_MIN,
  latMax = GEO_LAT_MAX,
  lonMin = GEO_LONG_MIN,
  lonMax = GEO_LONG_MAX,
): void {
  const latScale = latMax - latMin;
  const lonScale = lonMax - lonMin;
  const cells = POW2[step]!;
  area.latMin = latMin + (lat / cells) * latScale;
  area.latMax = latMin + ((lat + 1) / cells) * latScale;
  area.lonMin = lonMin + (lon / cells) * lonScale;
  area.lonMax = lonMin + ((lon + 1) / cells) * lonScale;
}

/**
 * Coordinates of the last {@link decodeScore}: the centre of the cell, clamped to the limits —
 * `[longitude, latitude]`. A typed array, as a double stored in a module variable is a new heap
 * number each time (GEOSEARCH decodes every point it scans).
 */
export const decodedPoint = new Float64Array(2);

const LAT_SCALE = GEO_LAT_MAX - GEO_LAT_MIN;
const LONG_SCALE = GEO_LONG_MAX - GEO_LONG_MIN;
const CELLS_AT_STEP_MAX = 2 ** GEO_STEP_MAX;

/**
 * `decodeGeohash` + `geohashDecodeAreaToLongLat`: a member's score to its coordinates. The hot
 * path of every search (each candidate point), so {@link decodeArea}'s expressions are inlined.
 */
export function decodeScore(score: number): void {
  deinterleaveScore(score);
  const lat = decodedLat;
  const lon = decodedLon;
  const latMin = GEO_LAT_MIN + (lat / CELLS_AT_STEP_MAX) * LAT_SCALE;
  const latMax = GEO_LAT_MIN + ((lat + 1) / CELLS_AT_STEP_MAX) * LAT_SCALE;
  const lonMin = GEO_LONG_MIN + (lon / CELLS_AT_STEP_MAX) * LONG_SCALE;
  const lonMax = GEO_LONG_MIN + ((lon + 1) / CELLS_AT_STEP_MAX) * LONG_SCALE;
  let x = (lonMin + lonMax) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (latMin + latMax) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  decodedPoint[0] = x;
  decodedPoint[1] = y;
}

/** Cell indices of the last {@link encodeCell}. */
export let encodedLat = 0;
export let encodedLon = 0;

/**
 * `geohashEncode` of a point already within the geo limits (the callers check them first) at
 * `step`, over the given ranges: the cell indices go to {@link encodedLat} / {@link encodedLon}.
 * False where Redis's encode fails (the point outside the ranges).
 */
export function encodeCell(
  longitude: number,
  latitude: number,
  step: number,
  latMin = GEO_LAT_MIN,
  latMax = GEO_LAT_MAX,
  lonMin = GEO_LONG_MIN,
  lonMax = GEO_LONG_MAX,
): boolean {
  if (
    longitude > GEO_LONG_MAX ||
    longitude < GEO_LONG_MIN ||
    latitude > GEO_LAT_MAX ||
    latitude < GEO_LAT_MIN ||
    latitude < latMin ||
    latitude > latMax ||
    longitude < lonMin ||
    longitude > lonMax
  ) {
    return false;
  }
  const cells = POW2[step]!;
  const latOffset = ((latitude - latMin) / (latMax - latMin)) * cells;
  const lonOffset = ((longitude - lonMin) / (lonMax - lonMin)) * cells;
  // The C passes the doubles as uint32_t arguments: truncation.
  encodedLat = Math.trunc(latOffset) >>> 0;
  encodedLon = Math.trunc(lonOffset) >>> 0;
  return true;
}

/** The score GEOADD stores for a point within the limits (`geohashAlign52Bits` at step 26). */
export function geoScore(longitude: number, latitude: number): number {
  encodeCell(longitude, latitude, GEO_STEP_MAX);
  return interleave(encodedLat, encodedLon);
}

const GEOALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";

/**
 * GEOHASH's 11-character string for a member's score: the point decoded, re-encoded over the
 * standard [-90, 90] latitude range (not Mercator's), 10 base32 characters of its 52 bits and a
 * final `0`.
 */
export function geohashString(score: number): string {
  decodeScore(score);
  encodeCell(decodedPoint[0]!, decodedPoint[1]!, GEO_STEP_MAX, -90, 90, -180, 180);
  interleave(encodedLat, encodedLon);
  const bits = (interleavedHi & 0xfffff) * TWO_32 + interleavedLo; // the low 52 bits, exact
  let text = "";
  for (let i = 0; i < 10; i++) {
    const idx = Math.floor(bits / 2 ** (52 - (i + 1) * 5)) % 32;
    text += GEOALPHABET[idx];
  }
  return `${text}0`;
}

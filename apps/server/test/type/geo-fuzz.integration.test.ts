import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";

/**
 * geo.tcl's randomized tests: random points and random searches, the results compared with a
 * brute-force haversine computed here (differences only allowed at the rounding edge, as
 * geo.tcl allows), and the box-edge test. `GEO_FUZZ_SEED` replays a run.
 */

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});

const SEED = Number(process.env.GEO_FUZZ_SEED ?? Date.now() % 1_000_000_007);

/** mulberry32: a small seeded PRNG (uniform in [0, 1)). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const degRad = (deg: number) => deg * ((Math.atan(1) * 8) / 360);
const radDeg = (rad: number) => rad / ((Math.atan(1) * 8) / 360);

function geoDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lat1r = degRad(lat1d);
  const lon2r = degRad(lon2d);
  const lat2r = degRad(lat2d);
  const v = Math.sin((lon2r - lon1r) / 2);
  const u = Math.sin((lat2r - lat1r) / 2);
  return 2.0 * 6372797.560856 * Math.asin(Math.sqrt(u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v));
}

/** A point within -70..70 latitude, where the algorithm is most precise (as geo.tcl picks them). */
function randomPoint(rand: () => number): [number, number] {
  return [-180 + rand() * 360, -70 + rand() * 140];
}

function inCircle(radiusKm: number, lon: number, lat: number, sLon: number, sLat: number): boolean {
  return geoDistance(lon, lat, sLon, sLat) < radiusKm * 1000;
}

function inRectangle(wKm: number, hKm: number, lon: number, lat: number, sLon: number, sLat: number, error: number) {
  const w = (wKm * 1000 * error) / 2;
  const h = (hKm * 1000 * error) / 2;
  return !(geoDistance(lon, lat, sLon, lat) > w || geoDistance(lon, lat, lon, sLat) > h);
}

/** geo.tcl's regression vectors: km, longitude, latitude. */
const REGRESSION = [
  [7083, 81.634948934258375, 30.561509253718668],
  [5416, -70.863281847379767, -46.347003465679947],
  [6064, -89.818768962202014, -40.463868561416803],
  [156, 149.29737817929004, 15.95807862745508],
  [143, 59.235461856813856, 66.269555127373678],
  [187, -101.88575239939883, 49.061997951502917],
  [154, -90.187939661642517, 66.615930412251487],
  [145, 163.03472387745728, 64.012747720821181],
  [143, 137.86663517256579, 63.986745399416776],
  [151, 59.149620271823181, 65.204186651485145],
  [149, 84.062063109158544, -65.685403922426232],
  [16751, -1.8175081637769495, 20.665668878082954],
] as const;

const ATTEMPTS = 24;
const POINTS = 3000;

describe(`geo fuzz (GEO_FUZZ_SEED=${SEED})`, () => {
  for (const type of ["byradius", "bybox"] as const) {
    it(`GEOSEARCH fuzzy test - ${type}`, async () => {
      const rand = prng(SEED + (type === "bybox" ? 1 : 0));
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const rv = REGRESSION[attempt];
        let radiusKm = 0;
        let widthKm = 0;
        let heightKm = 0;
        const big = rand() < 0.1;
        const span = () => Math.floor(rand() * (big ? 5000 : 200)) + 10;
        if (type === "byradius") radiusKm = span();
        else {
          widthKm = span();
          heightKm = span();
        }
        let [sLon, sLat] = randomPoint(rand);
        if (rv !== undefined) {
          radiusKm = widthKm = heightKm = rv[0];
          sLon = rv[1];
          sLat = rv[2];
        }
        const expected: string[] = [];
        const argv: string[] = [];
        const points = new Map<string, [number, number]>();
        for (let j = 0; j < POINTS; j++) {
          const [lon, lat] = randomPoint(rand);
          const name = `place:${j}`;
          argv.push(String(lon), String(lat), name);
          points.set(name, [lon, lat]);
          const inside =
            type === "byradius"
              ? inCircle(radiusKm, lon, lat, sLon, sLat)
              : inRectangle(widthKm, heightKm, lon, lat, sLon, sLat, 1);
          if (inside) expected.push(name);
        }
        await r.del("mypoints");
        await r.call("GEOADD", "mypoints", ...argv);
        const search =
          type === "byradius"
            ? ["byradius", String(radiusKm), "km"]
            : ["bybox", String(widthKm), String(heightKm), "km"];
        const found = (await r.call(
          "GEOSEARCH",
          "mypoints",
          "fromlonlat",
          String(sLon),
          String(sLat),
          ...search,
        )) as string[];
        const got = new Set(found);
        const want = new Set(expected);
        const diff = [...got].filter((m) => !want.has(m)).concat([...want].filter((m) => !got.has(m)));
        for (const place of diff) {
          // As geo.tcl: a difference must be a rounding issue at the shape's edge.
          const pos = (await r.call("GEOPOS", "mypoints", place)) as [string, string][];
          const lon = Number(pos[0]![0]);
          const lat = Number(pos[0]![1]);
          const ok =
            type === "byradius"
              ? geoDistance(lon, lat, sLon, sLat) / 1000 / radiusKm > 0.999 ||
                geoDistance(lon, lat, sLon, sLat) < radiusKm * 1000
              : inRectangle(widthKm, heightKm, lon, lat, sLon, sLat, 1.001);
          expect(ok, `${place} at ${lon},${lat}; search ${sLon},${sLat} ${search.join(" ")}`).toBe(true);
        }
        expect(points.size).toBe(POINTS);
      }
    });
  }

  it("GEOSEARCH box edges fuzzy test", async () => {
    const rand = prng(SEED + 2);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const [sLon, sLat] = randomPoint(rand);
      const widthM = Math.floor(rand() * 10000) + 10;
      const heightM = Math.floor(rand() * 10000) + 10;
      const latDelta = radDeg(heightM / 2 / 6372797.560856);
      const longDelta = (lat: number) => radDeg(widthM / 2 / 6372797.560856 / Math.cos(degRad(lat)));
      const top = longDelta(sLat + latDelta);
      const middle = longDelta(sLat);
      const bottom = longDelta(sLat - latDelta);
      const points: Record<string, [number, number]> = {
        north: [sLon, sLat + latDelta],
        south: [sLon, sLat - latDelta],
        east: [sLon + middle, sLat],
        west: [sLon - middle, sLat],
        north_east: [sLon + top, sLat + latDelta],
        north_west: [sLon - top, sLat + latDelta],
        south_east: [sLon + bottom, sLat - latDelta],
        south_west: [sLon - bottom, sLat - latDelta],
      };
      await r.del("mypoints");
      for (const [name, [x0, y]] of Object.entries(points)) {
        const x = x0 > 180 ? x0 - 360 : x0 < -180 ? x0 + 360 : x0;
        await r.call("GEOADD", "mypoints", String(x), String(y), `place:${name}`);
      }
      const search = async (w: number, h: number) =>
        (
          (await r.call(
            "GEOSEARCH",
            "mypoints",
            "fromlonlat",
            String(sLon),
            String(sLat),
            "bybox",
            w,
            h,
            "m",
          )) as string[]
        )
          .slice()
          .sort();
      const all = Object.keys(points)
        .map((n) => `place:${n}`)
        .sort();
      const where = `search ${sLon},${sLat} box ${widthM}x${heightM}`;
      expect(await search(widthM + 4, heightM + 4), where).toEqual(all);
      expect(await search(widthM - 4, heightM + 4), where).toEqual(["place:north", "place:south"]);
      expect(await search(widthM + 4, heightM - 4), where).toEqual(["place:east", "place:west"]);
      expect(await search(widthM - 4, heightM - 4), where).toEqual([]);
    }
  });
});

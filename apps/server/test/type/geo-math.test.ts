import { describe, expect, it } from "vitest";
import { GeoResults } from "../../src/commands/geo/GeoResults.js";
import { formatCoordinate, formatDistance, formatFixed } from "../../src/commands/geo/geoFormat.js";
import {
  decodedLat,
  decodedLon,
  deinterleaveScore,
  geohashString,
  geoScore,
  interleave,
} from "../../src/commands/geo/geohash.js";
import { estimateStepsByRadius } from "../../src/commands/geo/geohashHelper.js";
import { asinCR, cosCR, sinCR } from "../../src/commands/geo/preciseTrig.js";

/** The geo arithmetic alone: geohash bits, number formatting, trigonometry, result sorting. */

describe("geohash", () => {
  it("interleaves and deinterleaves cell indices", () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % 2 ** 26;
    };
    for (let i = 0; i < 1000; i++) {
      const lat = next();
      const lon = next();
      const bits = interleave(lat, lon);
      expect(bits).toBeLessThan(2 ** 52);
      deinterleaveScore(bits);
      expect([decodedLat, decodedLon]).toEqual([lat, lon]);
    }
    expect(interleave(1, 0)).toBe(1);
    expect(interleave(0, 1)).toBe(2);
    expect(interleave(2 ** 26 - 1, 2 ** 26 - 1)).toBe(2 ** 52 - 1);
  });

  it("scores equal Redis's (geo.tcl's set)", () => {
    expect(geoScore(-73.9454966, 40.747533)).toBe(1791875804419201);
    expect(geoScore(-74.0131604, 40.7126674)).toBe(1791873972053020);
    expect(geoScore(-73.7858139, 40.6428986)).toBe(1791895905559723);
    expect(geoScore(180, 85.05112878)).toBe(13510798882111488);
    expect(geoScore(-180, -85.05112878)).toBe(0);
  });

  it("GEOHASH strings", () => {
    expect(geohashString(geoScore(-5.6, 42.6))).toBe("ezs42e44yx0");
    expect(geohashString(geoScore(13.361389, 38.115556))).toBe("sqc8b49rny0");
    expect(geohashString(13510798882111488)).toBe("bp05b5048p0");
  });

  it("steps by radius", () => {
    expect(estimateStepsByRadius(0, 0)).toBe(26);
    expect(estimateStepsByRadius(1000, 0)).toBe(14);
    expect(estimateStepsByRadius(1000, 70)).toBe(13);
    expect(estimateStepsByRadius(1000, -85)).toBe(12);
    expect(estimateStepsByRadius(1e9, 0)).toBe(1);
  });
});

describe("formatting", () => {
  it("%f with glibc's ties to even", () => {
    expect(formatFixed(200, 6)).toBe("200.000000");
    expect(formatFixed(200.0078125, 6)).toBe("200.007812");
    expect(formatFixed(200.0078135, 6)).toBe("200.007813");
    expect(formatFixed(-100.0000005, 6)).toBe("-100.000000");
    expect(formatFixed(-0, 6)).toBe("-0.000000");
    expect(formatFixed(Infinity, 6)).toBe("inf");
    expect(formatFixed(1e21, 2)).toBe("1000000000000000000000.00");
    expect(formatFixed(0.5, 0)).toBe("0");
    expect(formatFixed(1.5, 0)).toBe("2");
  });

  it("coordinates as %.17Lf without trailing zeros", () => {
    expect(formatCoordinate(180)).toBe("180");
    expect(formatCoordinate(13.361389338970184)).toBe("13.36138933897018433");
    expect(formatCoordinate(85.05112878)).toBe("85.0511287799999991");
    expect(formatCoordinate(-0)).toBe("0");
    expect(formatCoordinate(0.5)).toBe("0.5");
  });

  it("distances as fixedpoint_d2string(d, 4)", () => {
    expect(formatDistance(0)).toBe("0.0000");
    expect(formatDistance(0.775)).toBe("0.7750");
    // llrint: 0.5 and 2.5 round to even.
    expect(formatDistance(0.00005)).toBe("0.0000");
    expect(formatDistance(0.00025)).toBe("0.0002");
    expect(formatDistance(0.00015)).toBe("0.0001"); // 1.4999999999999998 after the scaling
    expect(formatDistance(166274.15156960033)).toBe("166274.1516");
    expect(formatDistance(12.3456789)).toBe("12.3457");
  });
});

describe("correctly rounded trigonometry", () => {
  // Inputs where V8's Math.* is an ulp off the correctly rounded value (which glibc gives).
  const cases: [(x: number) => number, number, number][] = [
    [sinCR, -2.7546254070911305, -0.3773816498254015],
    [sinCR, -0.80431885217134, -0.7203583646037123],
    [sinCR, -2.404641244268899, -0.6720334933688844],
    [sinCR, 2.3339647398478993, 0.7226495884400442],
    [cosCR, 2.3307145637755724, -0.6888621780270784],
    [cosCR, 2.4200907681978974, -0.7508145613979303],
    [cosCR, -0.5371245264258588, 0.8591835178694338],
    [cosCR, -2.406577509928744, -0.7418205981726774],
    [asinCR, 0.3353957275143577, 0.3420252571265474],
    [asinCR, 0.6829330141613676, 0.7517703193362705],
    [asinCR, 0.5189454948832029, 0.5456168707916734],
    [asinCR, 0.7600799021246458, 0.8634360647500164],
  ];
  it.each(cases)("%o(%f)", (f, x, expected) => {
    expect(f(x)).toBe(expected);
  });

  it("agree with Math.* within an ulp", () => {
    for (let i = 0; i < 2000; i++) {
      const x = -3 + (6 * i) / 2000;
      expect(Math.abs(sinCR(x) - Math.sin(x))).toBeLessThanOrEqual(2 ** -52);
      expect(Math.abs(cosCR(x) - Math.cos(x))).toBeLessThanOrEqual(2 ** -52);
      const a = i / 2000;
      expect(Math.abs(asinCR(a) - Math.asin(a))).toBeLessThanOrEqual(2 ** -51);
    }
    expect(sinCR(0)).toBe(0);
    expect(cosCR(0)).toBe(1);
    expect(asinCR(1)).toBe(Math.PI / 2);
  });
});

describe("GeoResults ordering", () => {
  const filled = (distances: number[]): GeoResults => {
    const results = new GeoResults();
    const member = new Uint8Array(1);
    for (const d of distances) results.append(0, 0, d, 0, member, 0, 1);
    return results;
  };

  it("a full sort is stable", () => {
    const results = filled([3, 1, 2, 1, 3, 1]);
    results.sort(false, 6);
    expect(Array.from(results.order.subarray(0, 6))).toEqual([1, 3, 5, 2, 0, 4]);
    results.sort(true, 6);
    expect(Array.from(results.order.subarray(0, 6))).toEqual([0, 4, 2, 1, 3, 5]);
  });

  it("a partial sort (pqsort) puts the nearest first, in order", () => {
    let seed = 3;
    for (let round = 0; round < 200; round++) {
      const n = 1 + (round % 120);
      const distances: number[] = [];
      for (let i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        distances.push(seed % 50);
      }
      const wanted = 1 + (round % n);
      for (const descending of [false, true]) {
        const results = filled(distances);
        results.sort(descending, wanted);
        const got = Array.from(results.order.subarray(0, wanted), (i) => distances[i]!);
        const all = [...distances].sort((a, b) => (descending ? b - a : a - b));
        expect(got).toEqual(all.slice(0, wanted));
        expect([...results.order.subarray(0, n)].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
      }
    }
  });
});

describe("score deinterleaving fast path", () => {
  it("splits 52-bit scores exactly as the divide-and-floor path does", () => {
    let seed = 7;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    for (let k = 0; k < 5000; k++) {
      // Below 2^52 (fast path), with a fraction now and then (truncated as C's cast does).
      const score = (next() & 0xfffff) * 4294967296 + next() + (k % 7 === 0 ? 0.75 : 0);
      const t = Math.trunc(score);
      const hi = Math.floor(t / 4294967296);
      const lo = t - hi * 4294967296;
      deinterleaveScore(score);
      const lat = decodedLat;
      const lon = decodedLon;
      let eLat = 0;
      let eLon = 0;
      for (let bit = 0; bit < 26; bit++) {
        const word = bit < 16 ? lo : hi;
        const shift = (bit % 16) * 2;
        eLat += ((word >>> shift) & 1) * 2 ** bit;
        eLon += ((word >>> (shift + 1)) & 1) * 2 ** bit;
      }
      expect([lat, lon]).toEqual([eLat, eLon]);
    }
  });
});

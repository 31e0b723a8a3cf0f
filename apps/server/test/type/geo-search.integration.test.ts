import type { Redis } from "ioredis";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";

/**
 * GEOSEARCH, GEORADIUS, GEORADIUSBYMEMBER and the _RO forms on both zset encodings (Redis's
 * tests/unit/geo.tcl), green on nedis and on a real Redis 7.0. Errors and STORE forms are in
 * geo-store.integration.test.ts.
 */

const target = useTarget();
let r: Redis;

beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});
afterEach(async () => {
  await r.config("SET", "zset-max-listpack-entries", "128");
});

const call = (...args: (string | number)[]) => r.call(String(args[0]), ...args.slice(1).map(String));

const NYC = [
  ["-73.9733487", "40.7648057", "central park n/q/r"],
  ["-73.9903085", "40.7362513", "union square"],
  ["-74.0131604", "40.7126674", "wtc one"],
  ["-73.7858139", "40.6428986", "jfk"],
  ["-73.9375699", "40.7498929", "q4"],
  ["-73.9564142", "40.7480973", "4545"],
].flat();

async function addNyc(): Promise<void> {
  await call("GEOADD", "nyc", "-73.9454966", "40.747533", "lic market");
  expect(await call("GEOADD", "nyc", ...NYC)).toBe(6);
}

for (const enc of ["listpack", "skiplist"] as const) {
  describe(`GEOSEARCH and GEORADIUS (${enc})`, () => {
    beforeEach(async () => {
      await r.config("SET", "zset-max-listpack-entries", enc === "listpack" ? "128" : "0");
    });

    it("simple searches, sorted", async () => {
      await addNyc();
      expect(await call("OBJECT", "ENCODING", "nyc")).toBe(enc);
      expect(await call("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "3", "km", "asc")).toEqual([
        "central park n/q/r",
        "4545",
        "union square",
      ]);
      expect(await call("GEORADIUS_RO", "nyc", "-73.9798091", "40.7598464", "3", "km", "asc")).toEqual([
        "central park n/q/r",
        "4545",
        "union square",
      ]);
      expect(
        await call("GEOSEARCH", "nyc", "fromlonlat", "-73.9798091", "40.7598464", "bybox", 6, 6, "km", "asc"),
      ).toEqual(["central park n/q/r", "4545", "union square", "lic market"]);
      expect(await call("GEORADIUSBYMEMBER", "nyc", "wtc one", "7", "km")).toEqual([
        "wtc one",
        "union square",
        "central park n/q/r",
        "4545",
        "lic market",
      ]);
      expect(await call("GEORADIUSBYMEMBER_RO", "nyc", "wtc one", "7", "km")).toHaveLength(5);
      expect(await call("GEOSEARCH", "nyc", "frommember", "wtc one", "bybox", 14, 14, "km")).toEqual([
        "wtc one",
        "union square",
        "central park n/q/r",
        "4545",
        "lic market",
        "q4",
      ]);
    });

    it("WITHDIST, WITHHASH, WITHCOORD", async () => {
      await addNyc();
      expect(await call("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "3", "km", "withdist", "asc")).toEqual([
        ["central park n/q/r", "0.7750"],
        ["4545", "2.3651"],
        ["union square", "2.7697"],
      ]);
      expect(
        await call(
          "GEOSEARCH",
          "nyc",
          "fromlonlat",
          "-73.9798091",
          "40.7598464",
          "bybox",
          6,
          6,
          "km",
          "withdist",
          "asc",
        ),
      ).toEqual([
        ["central park n/q/r", "0.7750"],
        ["4545", "2.3651"],
        ["union square", "2.7697"],
        ["lic market", "3.1991"],
      ]);
      expect(await call("GEORADIUSBYMEMBER", "nyc", "wtc one", "7", "km", "withdist")).toEqual([
        ["wtc one", "0.0000"],
        ["union square", "3.2544"],
        ["central park n/q/r", "6.7000"],
        ["4545", "6.1975"],
        ["lic market", "6.8969"],
      ]);
      expect(
        await call("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "1", "km", "WITHCOORD", "WITHHASH", "WITHDIST"),
      ).toEqual([
        ["central park n/q/r", "0.7750", 1791875761332224, ["-73.97334784269332886", "40.76480639569881959"]],
      ]);
      expect(await call("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "1", "mi", "WITHHASH")).toEqual([
        ["central park n/q/r", 1791875761332224],
      ]);
    });

    it("COUNT, ANY, ASC, DESC", async () => {
      await addNyc();
      const at = ["nyc", "-73.9798091", "40.7598464", "10", "km"];
      expect(await call("GEORADIUS", ...at, "COUNT", 3)).toEqual(["central park n/q/r", "4545", "union square"]);
      expect(await call("GEORADIUS", ...at, "COUNT", 3, "ANY")).toEqual([
        "wtc one",
        "union square",
        "central park n/q/r",
      ]);
      expect(await call("GEORADIUS", ...at, "COUNT", 3, "ANY", "ASC")).toEqual([
        "central park n/q/r",
        "union square",
        "wtc one",
      ]);
      expect(await call("GEORADIUS", ...at, "COUNT", 2, "DESC")).toEqual(["wtc one", "q4"]);
      expect(await call("GEORADIUS", ...at, "DESC")).toEqual([
        "wtc one",
        "q4",
        "lic market",
        "union square",
        "4545",
        "central park n/q/r",
      ]);
      expect(await call("GEORADIUS", ...at)).toEqual([
        "wtc one",
        "union square",
        "central park n/q/r",
        "4545",
        "lic market",
        "q4",
      ]);
      expect(await call("GEORADIUS", ...at, "COUNT", "9223372036854775807")).toHaveLength(6);
    });

    it("equal distances keep Redis's order (stable sort, pqsort for COUNT)", async () => {
      const args: string[] = [];
      for (const m of "abcdefghjklmnopq") args.push("1", "1", m);
      await call("GEOADD", "dup", ...args, "2", "2", "i");
      expect(await call("GEORADIUS", "dup", 1, 1, 500, "km", "ASC")).toEqual([..."abcdefghjklmnopqi"]);
      expect(await call("GEORADIUS", "dup", 1, 1, 500, "km", "DESC")).toEqual([..."iabcdefghjklmnopq"]);
      expect(await call("GEORADIUS", "dup", 1, 1, 500, "km", "COUNT", 3)).toEqual(["a", "b", "c"]);
      expect(await call("GEORADIUS", "dup", 1, 1, 500, "km", "COUNT", 9, "DESC")).toEqual([
        "i",
        "b",
        "c",
        "d",
        "e",
        "f",
        "g",
        "h",
        "a",
      ]);
    });

    it("HUGE radius (issue #2767), poles and the antimeridian", async () => {
      await call("GEOADD", "users", "-47.271613776683807", "-54.534504198047678", "user_000000");
      expect(await call("GEORADIUS", "users", 0, 0, 50000, "km", "WITHCOORD")).toHaveLength(1);
      await call("GEOADD", "k1", "-0.15307903289794921875", "85", "n1", "0.3515625", "85.00019260486917005437", "n2");
      expect(await call("GEORADIUSBYMEMBER", "k1", "n1", "4891.94", "m")).toEqual(["n1", "n2"]);
      await call("ZREM", "k1", "n1", "n2");
      await call("GEOADD", "k1", "-4.95211958885192871094", "85", "n3", "11.25", "85.0511", "n4");
      expect(await call("GEORADIUSBYMEMBER", "k1", "n3", "156544", "m")).toEqual(["n3", "n4"]);
      await call("ZREM", "k1", "n3", "n4");
      await call("GEOADD", "k1", "-45", "65.50900022111811438208", "n5", "90", "85.0511", "n6");
      expect(await call("GEORADIUSBYMEMBER", "k1", "n5", "5009431", "m")).toEqual(["n5", "n6"]);
      await call("DEL", "k1");
      await call("GEOADD", "k1", "45", "65", "n1", "-135", "85.05", "n2");
      expect(await call("GEORADIUSBYMEMBER", "k1", "n1", "5009431", "m")).toEqual(["n1", "n2"]);
      await call("GEOADD", "points", "179.5", "36", "point1", "-179.5", "36", "point2");
      expect(await call("GEOSEARCH", "points", "fromlonlat", 179, 37, "bybox", 400, 400, "km", "asc")).toEqual([
        "point1",
        "point2",
      ]);
      expect(await call("GEOSEARCH", "points", "fromlonlat", -179, 37, "bybox", 400, 400, "km", "asc")).toEqual([
        "point2",
        "point1",
      ]);
      await call("GEOADD", "edge", "180", "85.05112878", "ne", "-180", "-85.05112878", "sw");
      expect(await call("GEOSEARCH", "edge", "fromlonlat", 180, "85.05112878", "byradius", 1, "km")).toEqual(["ne"]);
      expect(await call("GEOSEARCH", "edge", "fromlonlat", -180, "-85.05112878", "byradius", 1, "km")).toEqual(["sw"]);
    });

    it("GEOSEARCH vs GEORADIUS, long and narrow boxes, corners", async () => {
      await call("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
      await call("GEOADD", "Sicily", "12.758489", "38.788135", "edge1", "17.241510", "38.788135", "eage2");
      expect(await call("GEORADIUS", "Sicily", 15, 37, 200, "km", "asc")).toEqual(["Catania", "Palermo"]);
      expect(await call("GEOSEARCH", "Sicily", "fromlonlat", 15, 37, "bybox", 400, 400, "km", "asc")).toEqual([
        "Catania",
        "Palermo",
        "eage2",
        "edge1",
      ]);
      await call("DEL", "Sicily");
      await call("GEOADD", "Sicily", "12.75", "36.995", "test1", "12.75", "36.50", "test2", "13.00", "36.50", "test3");
      expect(await call("GEOSEARCH", "Sicily", "fromlonlat", 15, 37, "bybox", 400, 2, "km")).toEqual(["test1"]);
      await call("GEOADD", "Sicily", "-1", "37.00", "test3");
      expect(await call("GEOSEARCH", "Sicily", "fromlonlat", 15, 37, "bybox", 3000, 2, "km", "asc")).toEqual([
        "test1",
        "test3",
      ]);
      await call("DEL", "Sicily");
      await call(
        ..."GEOADD Sicily 12.758489 38.788135 edge1 17.241510 38.788135 edge2 17.250000 35.202000 edge3 12.750000 35.202000 edge4 12.748489955781654 37 edge5 15 38.798135872540925 edge6 17.251510044218346 37 edge7 15 35.201864127459075 edge8 12.692799634687903 38.798135872540925 corner1 12.692799634687903 38.798135872540925 corner2 17.200560937451133 35.201864127459075 corner3 12.799439062548865 35.201864127459075 corner4".split(
          " ",
        ),
      );
      const found = (await call(
        "GEOSEARCH",
        "Sicily",
        "fromlonlat",
        15,
        37,
        "bybox",
        400,
        400,
        "km",
        "asc",
      )) as string[];
      expect([...found].sort()).toEqual(["edge1", "edge2", "edge5", "edge7"]);
      await call("GEOADD", "near", "-122.407107", "37.794300", "1", "-122.227336", "37.794300", "2");
      expect(await call("GEORADIUS", "near", "-122.407107", "37.794300", 30, "mi", "ASC", "WITHDIST")).toEqual([
        ["1", "0.0001"],
        ["2", "9.8182"],
      ]);
    });

    it("zero radius and zero box find the exact point only", async () => {
      await addNyc();
      expect(await call("GEORADIUS", "nyc", "-73.9798091", "40.7598464", 0, "km")).toEqual([]);
      expect(await call("GEOSEARCH", "nyc", "frommember", "q4", "byradius", 0, "km", "withdist")).toEqual([
        ["q4", "0.0000"],
      ]);
      expect(await call("GEOSEARCH", "nyc", "frommember", "q4", "bybox", 0, 0, "km")).toEqual(["q4"]);
    });
  });
}

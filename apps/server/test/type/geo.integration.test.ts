import type { Redis } from "ioredis";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rawExchange } from "../utils/raw.js";
import { useTarget } from "../utils/target.js";

/** Geo commands (Redis's tests/unit/geo.tcl), green on nedis and on a real Redis 7.0. */

const target = useTarget([["notify-keyspace-events", ["KEA"]]]);
let r: Redis;
let sub: Redis | null = null;
const events: string[] = [];

beforeAll(async () => {
  r = target.client();
  const server = target.server;
  if (server !== undefined) {
    server.keyspace.onNotify = (type, event, _db, key, off, len) => {
      if (type !== "m" && type !== "n")
        events.push(`${event}:${Buffer.from(key.subarray(off, off + len)).toString("latin1")}`);
    };
    return;
  }
  sub = target.client();
  await sub.psubscribe("__keyevent@*__:*");
  sub.on("pmessage", (_pattern: string, channel: string, key: string) => {
    events.push(`${channel.slice(channel.indexOf(":") + 1)}:${key}`);
  });
});
beforeEach(async () => {
  await r.flushall();
});
afterEach(async () => {
  await r.config("SET", "zset-max-listpack-entries", "128");
});

/** The events of `commands` as `event:key` (pub/sub messages given time to arrive on Redis). */
async function eventsOf(...commands: (string | number)[][]): Promise<string[]> {
  await r.ping();
  await new Promise((resolve) => setTimeout(resolve, 20));
  events.length = 0;
  for (const cmd of commands) await call(...cmd).catch(() => undefined);
  await r.ping();
  if (sub !== null) await sub.ping().catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 30));
  const out = [...events];
  events.length = 0;
  return out;
}

const call = (...args: (string | number)[]) => r.call(String(args[0]), ...args.slice(1).map(String));
async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
}
const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

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

async function addSicily(key = "points"): Promise<void> {
  await call("GEOADD", key, "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
}

describe("GEOADD", () => {
  it("creates, updates, and honours CH, NX, XX", async () => {
    expect(await call("GEOADD", "nyc", "-73.9454966", "40.747533", "lic market")).toBe(1);
    expect(await call("GEOADD", "nyc", "-73.9454966", "40.747533", "lic market")).toBe(0);
    expect(await call("GEOADD", "nyc", "CH", "40.747533", "-73.9454966", "lic market")).toBe(1);
    expect(await call("GEOPOS", "nyc", "lic market")).toEqual([["40.7475319504737854", "-73.94549769039056741"]]);
    expect(await call("GEOADD", "nyc", "NX", "-73.9454966", "40.747533", "lic market")).toBe(0);
    expect(await call("GEOADD", "nyc", "XX", "-83.9454966", "40.747533", "lic market")).toBe(0);
    expect(await call("GEOPOS", "nyc", "lic market")).toEqual([["-83.94549518823623657", "40.74753227099792952"]]);
    expect(await call("GEOADD", "nyc", "CH", "NX", "-73.9454966", "40.747533", "lic market")).toBe(0);
    expect(await call("GEOADD", "nyc", "CH", "XX", "-73.9454966", "40.747533", "lic market")).toBe(1);
    expect(await call("GEOADD", "nyc", "XX", "1", "1", "new")).toBe(0);
    expect(await call("GEOADD", "nyc", "NX", "1", "1", "new", "2", "2", "lic market")).toBe(1);
    expect(await call("GEOADD", "absent", "XX", "1", "1", "new")).toBe(0);
    expect(await call("EXISTS", "absent")).toBe(0);
  });

  it("stores Redis's 52-bit scores (the geo.tcl set)", async () => {
    await addNyc();
    expect(await call("ZRANGE", "nyc", 0, -1, "WITHSCORES")).toEqual([
      "wtc one",
      "1791873972053020",
      "union square",
      "1791875485187452",
      "central park n/q/r",
      "1791875761332224",
      "4545",
      "1791875796750882",
      "lic market",
      "1791875804419201",
      "q4",
      "1791875830079666",
      "jfk",
      "1791895905559723",
    ]);
  });

  it("refuses bad options and coordinates with Redis's errors, adding nothing", async () => {
    const syntax = "ERR syntax error";
    expect(await errorOf(call("GEOADD", "nyc", "xx", "nx", "-73.9454966", "40.747533", "lic market"))).toBe(syntax);
    expect(await errorOf(call("GEOADD", "nyc", "ch", "xx", "foo", "-73.9454966", "40.747533", "x"))).toBe(syntax);
    expect(await errorOf(call("GEOADD", "nyc", "ch", "ch", "ch"))).toBe(syntax);
    expect(await errorOf(call("GEOADD", "nyc", "1", "1"))).toBe("ERR wrong number of arguments for 'geoadd' command");
    expect(await errorOf(call("GEOADD", "nyc", "-73.9454966", "40.747533", "lic market", "foo", "bar", "luck"))).toBe(
      "ERR value is not a valid float",
    );
    expect(await errorOf(call("GEOADD", "nyc", "1", "1", "a", "200", "100", "b"))).toBe(
      "ERR invalid longitude,latitude pair 200.000000,100.000000",
    );
    expect(await errorOf(call("GEOADD", "nyc", "200.0078125", "-100.0000005", "x"))).toBe(
      "ERR invalid longitude,latitude pair 200.007812,-100.000000",
    );
    expect(await errorOf(call("GEOADD", "nyc", "inf", "0", "x"))).toBe(
      "ERR invalid longitude,latitude pair inf,0.000000",
    );
    expect(await errorOf(call("GEOADD", "nyc", "1", "85.06", "x"))).toBe(
      "ERR invalid longitude,latitude pair 1.000000,85.060000",
    );
    expect(await call("EXISTS", "nyc")).toBe(0);
    await call("SET", "str", "x");
    expect(await errorOf(call("GEOADD", "str", "1", "1", "a"))).toBe(WRONGTYPE);
    // The coordinates are checked before the key's type.
    expect(await errorOf(call("GEOADD", "str", "1", "100", "a"))).toBe(
      "ERR invalid longitude,latitude pair 1.000000,100.000000",
    );
  });

  it("accepts the limits themselves", async () => {
    await call("GEOADD", "k", "180", "85.05112878", "ne", "-180", "-85.05112878", "sw");
    expect(await call("ZSCORE", "k", "ne")).toBe("13510798882111488");
    expect(await call("ZSCORE", "k", "sw")).toBe("0");
    expect(await call("GEOPOS", "k", "ne", "sw")).toEqual([
      ["180", "85.0511287799999991"],
      ["-179.99999731779098511", "-85.05112751263942528"],
    ]);
    expect(await call("GEOHASH", "k", "ne", "sw")).toEqual(["bp05b5048p0", "00bh0hbj200"]);
  });

  it("emits ZADD's event", async () => {
    expect(await eventsOf(["GEOADD", "g", "1", "1", "a"], ["GEOADD", "g", "1", "1", "a"])).toEqual(["zadd:g"]);
  });
});

describe("GEOPOS, GEOHASH, GEODIST", () => {
  it("GEOHASH returns the standard 11-character geohash", async () => {
    await call("GEOADD", "points", "-5.6", "42.6", "test");
    expect(await call("GEOHASH", "points", "test", "missing")).toEqual(["ezs42e44yx0", null]);
    expect(await call("GEOHASH", "nokey", "a", "b")).toEqual([null, null]);
    await addSicily();
    expect(await call("GEOHASH", "points", "Palermo", "Catania")).toEqual(["sqc8b49rny0", "sqdtr74hyu0"]);
  });

  it("GEOPOS replies coordinates as Redis prints them, nil for a missing member", async () => {
    await call("GEOADD", "points", "10", "20", "a", "30", "40", "b");
    expect(await call("GEOPOS", "points", "a", "x", "b")).toEqual([
      ["10.00000208616256714", "20.00000058910486445"],
      null,
      ["30.00000089406967163", "39.99999991084916218"],
    ]);
    expect(await call("GEOPOS", "nokey", "a")).toEqual([null]);
    expect(await call("GEOPOS", "points")).toEqual([]);
  });

  it("GEOPOS and GEOHASH decode any score as Redis's uint64 cast does", async () => {
    await call(
      ..."ZADD z -1e300 a 9223372036854775808 b 18446744073709551616 c 1.8e19 d inf e -inf f -0.5 g -5 h 3.7 i".split(
        " ",
      ),
    );
    const lowest = ["-179.99999731779098511", "-85.05112751263942528"];
    expect(await call("GEOPOS", "z", "a", "b", "c", "d", "e", "f", "g", "h", "i")).toEqual([
      ["180", "-85.05112751263942528"],
      ["180", "-85.05112751263942528"],
      lowest,
      ["180", "85.0511287799999991"],
      lowest,
      ["180", "-85.05112751263942528"],
      lowest,
      ["180", "85.0511287799999991"],
      ["-179.99999195337295532", "-85.05112497791824921"],
    ]);
    expect(await call("GEOHASH", "z", "a", "c", "d", "i")).toEqual([
      "00bh0hbj200",
      "00bh0hbj200",
      "bp05b5048p0",
      "00bh0hbj210",
    ]);
  });

  it("GEOPOS sends RESP3 doubles and null arrays", async () => {
    await call("GEOADD", "points", "13.361389", "38.115556", "Palermo");
    const { text } = await rawExchange(target.port, "HELLO 3\r\nGEOPOS points Palermo nope\r\n", {
      until: (t) => t.endsWith("_\r\n"),
    });
    expect(text.slice(text.lastIndexOf("*2\r\n*2"))).toBe(
      "*2\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n_\r\n",
    );
  });

  it("GEODIST in each unit, nil when a member or the key is missing", async () => {
    await addSicily();
    expect(await call("GEODIST", "points", "Palermo", "Catania")).toBe("166274.1516");
    expect(await call("GEODIST", "points", "Palermo", "Catania", "km")).toBe("166.2742");
    expect(await call("GEODIST", "points", "Palermo", "Catania", "MI")).toBe("103.3182");
    expect(await call("GEODIST", "points", "Palermo", "Catania", "ft")).toBe("545518.8700");
    expect(await call("GEODIST", "points", "Palermo", "Palermo")).toBe("0.0000");
    expect(await call("GEODIST", "points", "Palermo", "Agrigento")).toBeNull();
    expect(await call("GEODIST", "points", "Ragusa", "Agrigento")).toBeNull();
    expect(await call("GEODIST", "empty_key", "Palermo", "Catania")).toBeNull();
    expect(await errorOf(call("GEODIST", "points", "Palermo", "Catania", "xx"))).toBe(
      "ERR unsupported unit provided. please use M, KM, FT, MI",
    );
    expect(await errorOf(call("GEODIST", "points", "Palermo", "Catania", "m", "x"))).toBe("ERR syntax error");
  });

  it("WRONGTYPE for another type", async () => {
    await call("SET", "str", "x");
    expect(await errorOf(call("GEOPOS", "str", "a"))).toBe(WRONGTYPE);
    expect(await errorOf(call("GEOHASH", "str", "a"))).toBe(WRONGTYPE);
    expect(await errorOf(call("GEODIST", "str", "a", "b"))).toBe(WRONGTYPE);
  });
});

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

describe("search errors", () => {
  const lonlat = ["fromlonlat", "-73.9798091", "40.7598464"];
  it("option conflicts and missing options", async () => {
    await addNyc();
    expect(await errorOf(call("GEOSEARCH", "nyc", ...lonlat, "frommember", "xxx", "bybox", 6, 6, "km"))).toBe(
      "ERR syntax error",
    );
    expect(await errorOf(call("GEOSEARCH", "nyc", "bybox", 3, 3, "km", "asc", "desc", "withhash"))).toBe(
      "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH",
    );
    expect(await errorOf(call("geosearch", "nyc", "bybox", 3, 3, "km", "asc"))).toBe(
      "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch",
    );
    expect(await errorOf(call("GEOSEARCH", "nyc", ...lonlat, "byradius", 3, "km", "bybox", 3, 3, "km"))).toBe(
      "ERR syntax error",
    );
    expect(await errorOf(call("GEOSEARCH", "nyc", ...lonlat, "asc", "withdist"))).toBe(
      "ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH",
    );
    expect(await errorOf(call("GEOSEARCH", "nyc", ...lonlat, "bybox", 6, 6, "km", "storedist"))).toBe(
      "ERR syntax error",
    );
    expect(await errorOf(call("GEOSEARCH", "nyc", ...lonlat, "bybox", 6, 6, "km", "store", "x"))).toBe(
      "ERR syntax error",
    );
    expect(await errorOf(call("GEORADIUS", "nyc", "-73.9798091", "40.7598464", 10, "km", "ANY", "ASC"))).toBe(
      "ERR the ANY argument requires COUNT argument",
    );
    expect(await errorOf(call("GEORADIUS", "nyc", "-73.9798091", "40.7598464", 10, "km", "COUNT"))).toBe(
      "ERR syntax error",
    );
    expect(await errorOf(call("GEORADIUS", "nyc", "-73.9798091", "40.7598464", 10, "km", "COUNT", 0))).toBe(
      "ERR COUNT must be > 0",
    );
    expect(await errorOf(call("GEORADIUS", "nyc", "-73.9798091", "40.7598464", 10, "km", "COUNT", "x"))).toBe(
      "ERR value is not an integer or out of range",
    );
    expect(await errorOf(call("GEORADIUS", "nyc", "-73.9798091", "40.7598464", 10, "furlong"))).toBe(
      "ERR unsupported unit provided. please use M, KM, FT, MI",
    );
    expect(await errorOf(call("GEORADIUS", "nyc", "-73.9798091", "40.7598464", -1, "km"))).toBe(
      "ERR radius cannot be negative",
    );
    expect(await errorOf(call("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "abc", "km"))).toBe(
      "ERR need numeric radius",
    );
    expect(await errorOf(call("GEOSEARCH", "nyc", ...lonlat, "bybox", -1, 0, "km"))).toBe(
      "ERR height or width cannot be negative",
    );
    expect(await errorOf(call("GEOSEARCH", "nyc", ...lonlat, "bybox", "a", 0, "km"))).toBe("ERR need numeric width");
    expect(await errorOf(call("GEOSEARCH", "nyc", ...lonlat, "bybox", 1, "a", "km"))).toBe("ERR need numeric height");
    expect(await errorOf(call("GEORADIUS", "nyc", "-73.9798091", "140.7598464", 10, "km"))).toBe(
      "ERR invalid longitude,latitude pair -73.979809,140.759846",
    );
    expect(await errorOf(call("GEORADIUSBYMEMBER", "nyc", "nosuch", 7, "km"))).toBe(
      "ERR could not decode requested zset member",
    );
    expect(await errorOf(call("GEOSEARCH", "nyc", "frommember", "nosuch", "bybox", 14, 14, "km"))).toBe(
      "ERR could not decode requested zset member",
    );
    expect(await errorOf(call("GEORADIUSBYMEMBER_RO", "nyc", "wtc one", 7, "km", "store", "d"))).toBe(
      "ERR syntax error",
    );
    expect(await errorOf(call("GEORADIUS", "nyc", "-73.9798091", "40.7598464", 50, "km", "store"))).toBe(
      "ERR syntax error",
    );
    for (const w of ["withdist", "withhash", "withcoord"]) {
      expect(await errorOf(call("GEORADIUS", "nyc", "-73.9798091", "40.7598464", 50, "km", "store", "d", w))).toBe(
        "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
      );
      expect(await errorOf(call("GEOSEARCHSTORE", "d", "nyc", ...lonlat, "byradius", 50, "km", w))).toBe(
        "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
      );
    }
    expect(await errorOf(call("GEOSEARCHSTORE", "d", "nyc", ...lonlat, "byradius", 50, "km", "store", "d"))).toBe(
      "ERR syntax error",
    );
  });

  it("wrong type source, missing source, empty results (geo.tcl's edge responses)", async () => {
    await call("SET", "src", "wrong_type");
    const forms: [string[], string[]][] = [
      [
        ["GEORADIUS", "src", "1", "1", "1", "km"],
        ["GEORADIUS", "src", "1", "1", "1", "km", "store", "dest"],
      ],
      [
        ["GEOSEARCH", "src", "fromlonlat", "0", "0", "byradius", "1", "km"],
        ["GEOSEARCHSTORE", "dest", "src", "fromlonlat", "0", "0", "byradius", "1", "km"],
      ],
      [
        ["GEORADIUSBYMEMBER", "src", "member", "1", "km"],
        ["GEORADIUSBYMEMBER", "src", "member", "1", "km", "store", "dest"],
      ],
      [
        ["GEOSEARCH", "src", "frommember", "member", "bybox", "1", "1", "km"],
        ["GEOSEARCHSTORE", "dest", "src", "frommember", "member", "bybox", "1", "1", "m"],
      ],
    ];
    for (const [read, store] of forms) {
      expect(await errorOf(call(...read))).toBe(WRONGTYPE);
      expect(await errorOf(call(...store))).toBe(WRONGTYPE);
    }
    await call("DEL", "src");
    for (const [read, store] of forms) {
      await call("SET", "dest", "x");
      expect(await call(...read)).toEqual([]);
      expect(await call(...store)).toBe(0);
      expect(await call("EXISTS", "dest")).toBe(0);
    }
    // Without a source key a BYMEMBER's radius is not even parsed.
    expect(await call("GEORADIUSBYMEMBER", "src", "member", "x", "y")).toEqual([]);
    await call("GEOADD", "src", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
    for (const [read, store] of forms.slice(0, 2)) {
      await call("SET", "dest", "x");
      expect(await call(...read)).toEqual([]);
      expect(await call(...store)).toBe(0);
      expect(await call("EXISTS", "dest")).toBe(0);
    }
    for (const [read, store] of forms.slice(2)) {
      expect(await errorOf(call(...read))).toBe("ERR could not decode requested zset member");
      expect(await errorOf(call(...store))).toBe("ERR could not decode requested zset member");
    }
  });
});

describe("STORE, STOREDIST, GEOSEARCHSTORE", () => {
  it("store the members with their scores, or their distances", async () => {
    await addSicily();
    expect(await call("GEORADIUS", "points", "13.361389", "38.115556", 500, "km", "store", "points2")).toBe(2);
    expect(await call("ZRANGE", "points2", 0, -1, "WITHSCORES")).toEqual(
      await call("ZRANGE", "points", 0, -1, "WITHSCORES"),
    );
    expect(await call("GEORADIUSBYMEMBER", "points", "Palermo", 500, "km", "store", "points2")).toBe(2);
    expect(await call("ZRANGE", "points2", 0, -1)).toEqual(["Palermo", "Catania"]);
    expect(await call("GEORADIUSBYMEMBER", "points", "Catania", 500, "km", "storedist", "points2")).toBe(2);
    expect(await call("ZRANGE", "points2", 0, -1, "WITHSCORES")).toEqual([
      "Catania",
      "0",
      "Palermo",
      "166.27415156960032",
    ]);
    expect(
      await call("GEOSEARCHSTORE", "points2", "points", "fromlonlat", "13.361389", "38.115556", "byradius", 500, "km"),
    ).toBe(2);
    expect(await call("ZRANGE", "points2", 0, -1)).toEqual(await call("ZRANGE", "points", 0, -1));
    expect(
      await call(
        "GEOSEARCHSTORE",
        "points2",
        "points",
        "fromlonlat",
        "13.361389",
        "38.115556",
        "byradius",
        500,
        "km",
        "storedist",
      ),
    ).toBe(2);
    expect(await call("ZRANGE", "points2", 0, -1, "WITHSCORES")).toEqual([
      "Palermo",
      "5.3056374386009927e-05",
      "Catania",
      "166.27416107465282",
    ]);
    expect(await call("OBJECT", "ENCODING", "points2")).toBe("listpack");
  });

  it("COUNT with ASC or DESC picks what is stored", async () => {
    await addSicily();
    const at = ["points", "13.361389", "38.115556", "500", "km", "storedist", "points2"];
    expect(await call("GEORADIUS", ...at, "asc", "count", 1)).toBe(1);
    expect(await call("ZRANGE", "points2", 0, -1)).toEqual(["Palermo"]);
    expect(await call("GEORADIUS", ...at, "desc", "count", 1)).toBe(1);
    expect(await call("ZRANGE", "points2", 0, -1)).toEqual(["Catania"]);
  });

  it("a large result is a skiplist; the source may be the destination", async () => {
    const args: string[] = [];
    for (let i = 0; i < 200; i++) args.push(String(10 + i / 1000), String(20 + i / 1000), `m${i}`);
    await call("GEOADD", "big", ...args);
    expect(await call("GEOSEARCHSTORE", "big", "big", "fromlonlat", 10, 20, "byradius", 1000, "km", "storedist")).toBe(
      200,
    );
    expect(await call("OBJECT", "ENCODING", "big")).toBe("skiplist");
    expect(await call("ZSCORE", "big", "m0")).toBe("0.0002276751775283159");
  });

  it("events: geosearchstore, georadiusstore, del for an empty result", async () => {
    await addSicily();
    expect(
      await eventsOf(
        ["GEOSEARCHSTORE", "d1", "points", "frommember", "Palermo", "byradius", 500, "km"],
        ["GEORADIUS", "points", 15, 37, 500, "km", "STORE", "d2"],
        ["GEORADIUSBYMEMBER", "points", "Palermo", 500, "km", "STOREDIST", "d2"],
        ["GEORADIUS", "points", 0, 0, 1, "km", "STORE", "d2"],
        ["GEOSEARCHSTORE", "d1", "none", "frommember", "Palermo", "byradius", 500, "km"],
        ["GEOSEARCHSTORE", "d1", "none", "frommember", "Palermo", "byradius", 500, "km"],
      ),
    ).toEqual(["geosearchstore:d1", "georadiusstore:d2", "georadiusstore:d2", "del:d2", "del:d1"]);
  });
});

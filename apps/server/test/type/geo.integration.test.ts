import type { Redis } from "ioredis";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rawExchange } from "../utils/raw.js";
import { useTarget } from "../utils/target.js";

/**
 * GEOADD, GEOPOS, GEODIST, GEOHASH (Redis's tests/unit/geo.tcl), green on nedis and on a real
 * Redis 7.0. The searches are in geo-search.integration.test.ts.
 */

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

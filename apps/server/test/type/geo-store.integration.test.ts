import type { Redis } from "ioredis";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";

/**
 * The geo searches' errors and their STORE forms (Redis's tests/unit/geo.tcl), green on nedis and
 * on a real Redis 7.0.
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

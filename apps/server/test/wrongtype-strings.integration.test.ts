import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

/**
 * The string and generic commands on a key of another type, reply for reply as Redis 7.0 gives
 * them: WRONGTYPE where Redis checks the type, its argument errors where it checks them first,
 * and the commands that do not care about the old type (MGET, SET without GET, SETNX …).
 */

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});

/** What `makeForeignKey` made: the TYPE and OBJECT ENCODING replies that key has. */
interface ForeignKey {
  type: string;
  encoding: string;
}

async function makeForeignKey(key: string, large = false): Promise<ForeignKey> {
  await r.del(key);
  await r.lpush(key, ...Array.from({ length: large ? 1000 : 1 }, (_, i) => `element-${i}`));
  return { type: "list", encoding: "quicklist" };
}

/** Out-of-line objects alive in the in-process nedis (null against another server). */
const liveObjects = (): number | null => target.server?.keyspace.values.count ?? null;

const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

/** The reply of a command, or its error text. */
async function reply(cmd: readonly string[]): Promise<unknown> {
  try {
    return await r.call(cmd[0]!, ...cmd.slice(1));
  } catch (err) {
    return err instanceof Error ? `error: ${err.message}` : String(err);
  }
}

describe.skipIf(!!process.env.NEDIS_TEST_URL)("string commands on a key of another type", () => {
  let foreign: ForeignKey;
  beforeEach(async () => {
    await r.flushall();
    foreign = await makeForeignKey("k");
  });

  /** Each command against the foreign key `k`; the key must still be there, untouched. */
  const refused: string[][] = [
    ["GET", "k"],
    ["GETEX", "k"],
    ["GETEX", "k", "PERSIST"],
    ["GETEX", "k", "EX", "10"],
    // The expire time is read after the type check.
    ["GETEX", "k", "EX", "0"],
    ["GETEX", "k", "PX", "notanumber"],
    ["GETEX", "k", "EXAT", "0"],
    ["GETDEL", "k"],
    ["GETSET", "k", "v"],
    ["SET", "k", "v", "GET"],
    ["SET", "k", "v", "XX", "GET"],
    ["SET", "k", "v", "NX", "GET"],
    ["SET", "k", "v", "GET", "KEEPTTL"],
    ["SET", "k", "v", "GET", "EX", "100"],
    ["APPEND", "k", "v"],
    ["APPEND", "k", ""],
    ["STRLEN", "k"],
    ["INCR", "k"],
    ["DECR", "k"],
    ["INCRBY", "k", "2"],
    ["DECRBY", "k", "2"],
    ["INCRBYFLOAT", "k", "1.5"],
    // INCRBYFLOAT checks the type before it parses the increment.
    ["INCRBYFLOAT", "k", "notanumber"],
    ["INCRBYFLOAT", "k", ""],
    ["INCRBY", "k", "9223372036854775807"],
    ["GETRANGE", "k", "0", "1"],
    ["GETRANGE", "k", "0", "-1"],
    ["SUBSTR", "k", "0", "1"],
    ["SETRANGE", "k", "0", "x"],
    ["SETRANGE", "k", "0", ""],
    ["SETRANGE", "k", "3", ""],
    // The size limit is checked after the type.
    ["SETRANGE", "k", "536870912", "x"],
  ];

  it.each(refused.map((cmd) => [cmd.join(" "), cmd] as const))("%s → WRONGTYPE", async (_, cmd) => {
    expect(await reply(cmd)).toBe(`error: ${WRONGTYPE}`);
    expect(await r.type("k")).toBe(foreign.type);
    expect(await r.call("OBJECT", "ENCODING", "k")).toBe(foreign.encoding);
    expect(await r.ttl("k")).toBe(-1);
  });

  /** Argument errors Redis reports before it looks at the key. */
  const argumentFirst: [string[], string][] = [
    [["INCRBY", "k", "notanumber"], "ERR value is not an integer or out of range"],
    [["DECRBY", "k", "1.5"], "ERR value is not an integer or out of range"],
    [["GETRANGE", "k", "a", "1"], "ERR value is not an integer or out of range"],
    [["GETRANGE", "k", "0", "b"], "ERR value is not an integer or out of range"],
    [["SETRANGE", "k", "x", "v"], "ERR value is not an integer or out of range"],
    [["SETRANGE", "k", "-1", "v"], "ERR offset is out of range"],
    [["SUBSTR", "k", "a", "1"], "ERR value is not an integer or out of range"],
    [["DECRBY", "k", "-9223372036854775808"], "ERR decrement would overflow"],
    [["SETEX", "k", "0", "v"], "ERR invalid expire time in 'setex' command"],
    [["PSETEX", "k", "-5", "v"], "ERR invalid expire time in 'psetex' command"],
    [["SETEX", "k", "x", "v"], "ERR value is not an integer or out of range"],
    [["GETEX", "k", "EX"], "ERR syntax error"],
    [["GETEX", "k", "EX", "10", "PERSIST"], "ERR syntax error"],
    [["GETEX", "k", "KEEPTTL"], "ERR syntax error"],
    [["SET", "k", "v", "GET", "EX", "0"], "ERR invalid expire time in 'set' command"],
    [["SET", "k", "v", "GET", "PX", "x"], "ERR value is not an integer or out of range"],
    [["SET", "k", "v", "NX", "XX", "GET"], "ERR syntax error"],
    [["SET", "k", "v", "GET", "GET", "BOGUS"], "ERR syntax error"],
  ];

  it.each(argumentFirst.map(([cmd, error]) => [cmd.join(" "), cmd, error] as const))(
    "%s → its argument error first",
    async (_, cmd, error) => {
      expect(await reply(cmd)).toBe(`error: ${error}`);
      expect(await r.type("k")).toBe(foreign.type);
    },
  );

  it("LCS refuses it with its own error, whichever side it is on and whatever the options", async () => {
    await r.set("s", "abc");
    const error = "error: ERR The specified keys must contain string values";
    expect(await reply(["LCS", "k", "s"])).toBe(error);
    expect(await reply(["LCS", "s", "k"])).toBe(error);
    expect(await reply(["LCS", "k", "k", "LEN"])).toBe(error);
    expect(await reply(["LCS", "k", "missing", "BOGUS"])).toBe(error);
    expect(await r.type("k")).toBe(foreign.type);
  });

  it("MGET answers nil for it", async () => {
    await r.set("s", "v");
    expect(await r.mget("k", "s", "missing", "k")).toEqual([null, "v", null, null]);
  });

  it("SETNX, SET NX and MSETNX see an existing key and set nothing", async () => {
    expect(await reply(["SETNX", "k", "v"])).toBe(0);
    expect(await reply(["SET", "k", "v", "NX"])).toBe(null);
    expect(await reply(["SET", "k", "v", "NX", "EX", "10"])).toBe(null);
    expect(await reply(["MSETNX", "fresh", "1", "k", "v"])).toBe(0);
    expect(await r.exists("fresh")).toBe(0);
    expect(await r.type("k")).toBe(foreign.type);
    expect(await r.ttl("k")).toBe(-1);
  });

  it("GETEX and GETDEL on a missing key answer nil, before any expire check", async () => {
    expect(await reply(["GETEX", "missing", "EX", "0"])).toBe(null);
    expect(await reply(["GETDEL", "missing"])).toBe(null);
  });

  const overwriting: [string[], unknown][] = [
    [["SET", "k", "v"], "OK"],
    [["SET", "k", "v", "XX"], "OK"],
    [["SET", "k", "v", "EX", "100"], "OK"],
    [["SETEX", "k", "100", "v"], "OK"],
    [["PSETEX", "k", "100000", "v"], "OK"],
    [["MSET", "other", "1", "k", "v"], "OK"],
  ];

  it.each(overwriting.map(([cmd, expected]) => [cmd.join(" "), cmd, expected] as const))(
    "%s overwrites it with a string",
    async (_, cmd, expected) => {
      expect(await reply(cmd)).toBe(expected);
      expect(await r.type("k")).toBe("string");
      expect(await r.get("k")).toBe("v");
      expect(await r.call("OBJECT", "ENCODING", "k")).toBe("embstr");
    },
  );

  it("a string of the old value's size replaces it too (no in-place overwrite across types)", async () => {
    // A one-element list is an 18-byte listpack inline ("element-0"); an out-of-line value's entry
    // holds a 4-byte id.
    for (const [large, value] of [
      [false, "abcdefghijklmnopqr"],
      [true, "abcd"],
    ] as const) {
      for (const cmd of [
        ["SET", "k", value],
        ["SET", "k", value, "XX"],
        ["SETEX", "k", "100", value],
        ["MSET", "k", value],
        ["SET", "k", value, "KEEPTTL"],
      ]) {
        await makeForeignKey("k", large);
        expect(await reply(cmd)).toBe("OK");
        expect(await r.type("k"), cmd.join(" ")).toBe("string");
        expect(await r.get("k")).toBe(value);
      }
    }
    if (liveObjects() !== null) expect(liveObjects()).toBe(0);
  });

  it("SET without KEEPTTL drops the old key's TTL, with KEEPTTL keeps it", async () => {
    expect(await r.expire("k", 1000)).toBe(1);
    expect(await r.set("k", "v")).toBe("OK");
    expect(await r.ttl("k")).toBe(-1);
    await makeForeignKey("k");
    expect(await r.expire("k", 1000)).toBe(1);
    expect(await reply(["SET", "k", "v", "KEEPTTL"])).toBe("OK");
    expect(await r.type("k")).toBe("string");
    expect(await r.ttl("k")).toBeGreaterThan(990);
  });

  it("a refused command inside MULTI fails alone; the rest of the transaction runs", async () => {
    const results = await r.multi().set("s", "1").incr("k").incr("s").exec();
    expect(results?.map(([err, value]) => (err ? err.message : value))).toEqual(["OK", WRONGTYPE, 2]);
    expect(await r.type("k")).toBe(foreign.type);
  });
});

describe.skipIf(!!process.env.NEDIS_TEST_URL)("generic commands on a key of another type", () => {
  let foreign: ForeignKey;
  beforeEach(async () => {
    await r.flushall();
    foreign = await makeForeignKey("k");
  });

  it("TYPE, EXISTS, TOUCH, OBJECT, KEYS, RANDOMKEY and SCAN see it", async () => {
    expect(await r.type("k")).toBe(foreign.type);
    expect(await r.exists("k", "k", "missing")).toBe(2);
    expect(await r.touch("k")).toBe(1);
    expect(await r.call("OBJECT", "ENCODING", "k")).toBe(foreign.encoding);
    expect(await r.call("OBJECT", "REFCOUNT", "k")).toBe(1);
    expect(await r.call("OBJECT", "IDLETIME", "k")).toBe(0);
    expect(await r.keys("*")).toEqual(["k"]);
    expect(await r.randomkey()).toBe("k");
    await r.set("s", "v");
    const scan = async (type: string) =>
      ((await r.call("SCAN", "0", "TYPE", type, "COUNT", "100")) as [string, string[]])[1];
    expect(await scan(foreign.type)).toEqual(["k"]);
    expect(await scan("string")).toEqual(["s"]);
  });

  it("EXPIRE, TTL, PERSIST and EXPIRETIME work on it", async () => {
    expect(await r.ttl("k")).toBe(-1);
    expect(await r.pexpire("k", 100_000)).toBe(1);
    expect(await r.ttl("k")).toBe(100);
    expect(await r.call("EXPIRETIME", "k")).toBeGreaterThan(Date.now() / 1000);
    expect(await r.persist("k")).toBe(1);
    expect(await r.pttl("k")).toBe(-1);
    expect(await r.call("EXPIRE", "k", "100", "XX")).toBe(0);
  });

  it("RENAME, RENAMENX, COPY and MOVE carry it with its type and TTL", async () => {
    await r.expire("k", 100);
    expect(await r.rename("k", "m")).toBe("OK");
    expect(await r.type("m")).toBe(foreign.type);
    expect(await r.ttl("m")).toBe(100);
    await r.set("s", "v");
    expect(await r.renamenx("m", "s")).toBe(0);
    expect(await r.call("COPY", "m", "s")).toBe(0);
    expect(await r.call("COPY", "m", "s", "REPLACE")).toBe(1);
    expect(await r.type("s")).toBe(foreign.type);
    expect(await r.ttl("s")).toBe(100);
    expect(await r.move("s", 2)).toBe(1);
    expect(await r.exists("s")).toBe(0);
    // A string renamed onto it replaces it.
    await r.set("t", "v");
    expect(await r.rename("t", "m")).toBe("OK");
    expect(await r.type("m")).toBe("string");
  });

  it("SCAN TYPE and COPY/RENAMENX onto itself behave as in Redis", async () => {
    const scan = async (type: string) => (await r.call("SCAN", "0", "TYPE", type)) as [string, string[]];
    expect(await scan("zset")).toEqual(["0", []]);
    expect(await scan("nosuchtype")).toEqual(["0", []]);
    expect(await reply(["COPY", "k", "k"])).toBe("error: ERR source and destination objects are the same");
    expect(await r.renamenx("k", "k")).toBe(0);
    expect(await r.rename("k", "k")).toBe("OK");
    expect(await r.type("k")).toBe(foreign.type);
    expect(typeof (await r.call("MEMORY", "USAGE", "k"))).toBe("number");
  });

  it("EXPIRE in the past deletes it", async () => {
    expect(await r.expire("k", -1)).toBe(1);
    expect(await r.exists("k")).toBe(0);
  });

  it("DEL and UNLINK remove it", async () => {
    expect(await r.del("k")).toBe(1);
    await makeForeignKey("k");
    expect(await r.unlink("k", "missing")).toBe(1);
    expect(await r.dbsize()).toBe(0);
  });
});

describe.skipIf(!!process.env.NEDIS_TEST_URL)("a large (out-of-line) value of another type", () => {
  beforeEach(async () => {
    await r.flushall();
  });

  const replacing: [string, (string | number)[][]][] = [
    ["SET", [["SET", "k", "v"]]],
    ["SET XX", [["SET", "k", "v", "XX"]]],
    ["SET KEEPTTL", [["SET", "k", "v", "KEEPTTL"]]],
    ["SETEX", [["SETEX", "k", "100", "v"]]],
    ["PSETEX", [["PSETEX", "k", "100000", "v"]]],
    ["MSET", [["MSET", "a", "1", "k", "v"]]],
    [
      "RENAME onto it",
      [
        ["SET", "s", "v"],
        ["RENAME", "s", "k"],
      ],
    ],
    [
      "COPY REPLACE onto it",
      [
        ["SET", "s", "v"],
        ["COPY", "s", "k", "REPLACE"],
      ],
    ],
  ];

  it.each(replacing)("%s replaces it and frees its object", async (_, commands) => {
    const foreign = await makeForeignKey("k", true);
    expect(await r.type("k")).toBe(foreign.type);
    expect(await r.call("OBJECT", "ENCODING", "k")).toBe(foreign.encoding);
    for (const cmd of commands) await r.call(String(cmd[0]), ...cmd.slice(1));
    expect(await r.get("k")).toBe("v");
    if (liveObjects() !== null) expect(liveObjects()).toBe(0);
  });

  it("refusing commands leave it whole", async () => {
    const foreign = await makeForeignKey("k", true);
    for (const cmd of [
      ["GET", "k"],
      ["SET", "k", "v", "GET"],
      ["APPEND", "k", "x"],
      ["INCR", "k"],
      ["INCRBYFLOAT", "k", "1"],
      ["GETDEL", "k"],
      ["GETSET", "k", "v"],
      ["GETEX", "k", "PERSIST"],
      ["STRLEN", "k"],
      ["GETRANGE", "k", "0", "3"],
      ["SETRANGE", "k", "0", "abcd"],
    ]) {
      expect(await reply(cmd)).toBe(`error: ${WRONGTYPE}`);
    }
    expect(await reply(["LCS", "k", "k"])).toBe("error: ERR The specified keys must contain string values");
    expect(await r.mget("k")).toEqual([null]);
    expect(await r.setnx("k", "v")).toBe(0);
    expect(await r.call("OBJECT", "ENCODING", "k")).toBe(foreign.encoding);
    if (liveObjects() !== null) expect(liveObjects()).toBe(1);
  });

  it("COPY, RENAME, MOVE, DEL, UNLINK and FLUSHALL keep exactly the live objects", async () => {
    const foreign = await makeForeignKey("k", true);
    expect(await r.call("COPY", "k", "c")).toBe(1);
    expect(await r.call("OBJECT", "ENCODING", "c")).toBe(foreign.encoding);
    if (liveObjects() !== null) expect(liveObjects()).toBe(2);
    expect(await r.rename("c", "d")).toBe("OK");
    expect(await r.move("d", 1)).toBe(1);
    expect(await r.del("k")).toBe(1);
    if (liveObjects() !== null) expect(liveObjects()).toBe(1);
    await makeForeignKey("k", true);
    expect(await r.unlink("k")).toBe(1);
    if (liveObjects() !== null) expect(liveObjects()).toBe(1);
    // FLUSHALL clears the pool as a whole and drops the objects without freeing them one by one.
    expect(await r.flushall()).toBe("OK");
    if (liveObjects() !== null) expect(liveObjects()).toBe(0);
  });
});

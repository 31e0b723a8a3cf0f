import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { propagatedBy, removeDir, type ServerProcess, startInDir, tempDir } from "./aofProcess.js";

/**
 * What stream and geo commands propagate (t_stream.c, geo.c): XADD / XTRIM with the generated
 * ID and the exact trim threshold, XREADGROUP / XCLAIM / XAUTOCLAIM as idempotent XCLAIM and
 * XGROUP commands, GEOADD as ZADD. Read from the incremental AOF after each script; every
 * expectation holds on real Redis 7.0.
 */
const dir = tempDir("nedis-aof-stream-");
let server: ServerProcess;

beforeAll(async () => {
  server = (await startInDir(dir, ["--appendfsync", "always", "--enable-debug-command", "yes"]))!;
  expect(server).not.toBeNull();
});
afterAll(async () => {
  await server?.stop();
  removeDir(dir);
});

/** Runs `script`, then returns what it appended to the incr file. */
const propagated = (script: (c: ServerProcess["client"]) => Promise<unknown>) => propagatedBy(server, dir, script);

/** Adds entries `from`-1 … `to`-1 (explicit IDs: propagated as sent). */
async function fillStream(c: ServerProcess["client"], key: string, from: number, to: number): Promise<void> {
  for (let i = from; i <= to; i++) await c.call("XADD", key, `${i}-1`, "f", String(i));
}

describe("AOF propagation of stream and geo commands", () => {
  it("XADD: a generated ID (* or ms-*) replaces the ID argument; an explicit one stays", async () => {
    let auto = "";
    let partial = "";
    const out = await propagated(async (c) => {
      auto = (await c.call("XADD", "xs", "*", "f", "v")) as string;
      partial = (await c.call("XADD", "xs", "99999999999999-*", "f", "v")) as string;
      await c.call("XADD", "xs", "99999999999999-7", "f", "v");
      await c.call("XADD", "xs", "NOMKSTREAM", "*", "a", "b");
      await c.call("XADD", "missing", "NOMKSTREAM", "*", "a", "b");
    });
    expect(partial).toBe("99999999999999-0");
    expect(out).toEqual([
      ["XADD", "xs", auto, "f", "v"],
      ["XADD", "xs", partial, "f", "v"],
      ["XADD", "xs", "99999999999999-7", "f", "v"],
      ["XADD", "xs", "NOMKSTREAM", "99999999999999-8", "a", "b"],
    ]);
  });

  it("XADD / XTRIM with ~: `=` and the resulting length or first ID; exact trims as sent", async () => {
    const out = await propagated(async (c) => {
      await c.call("CONFIG", "SET", "stream-node-max-entries", "3");
      await fillStream(c, "tr", 1, 10);
      await c.call("XADD", "tr", "MAXLEN", "~", "4", "11-1", "f", "11");
      await c.call("XTRIM", "tr", "MINID", "~", "11-1");
      await c.call("XTRIM", "tr", "MINID", "~", "11-1");
      await c.call("XADD", "tr", "MAXLEN", "=", "1", "12-1", "f", "12");
      await fillStream(c, "tr", 13, 20);
      await c.call("XTRIM", "tr", "MAXLEN", "~", "0", "LIMIT", "3");
      await c.call("XADD", "tr", "MINID", "~", "0", "*", "f", "x");
      await c.call("CONFIG", "SET", "stream-node-max-entries", "100");
    });
    const ops = out.filter((a) => a[0] !== "XADD" || a.length !== 5 || !/^\d+-1$/.test(a[2]!));
    const last = ops[ops.length - 1]!;
    expect(ops.slice(0, -1)).toEqual([
      ["XADD", "tr", "MAXLEN", "=", "5", "11-1", "f", "11"],
      ["XTRIM", "tr", "MINID", "=", "10-1"],
      ["XADD", "tr", "MAXLEN", "=", "1", "12-1", "f", "12"],
      ["XTRIM", "tr", "MAXLEN", "=", "8", "LIMIT", "3"],
    ]);
    expect(last.slice(0, 5)).toEqual(["XADD", "tr", "MINID", "=", "13-1"]);
    expect(last[5]).toMatch(/^\d{13}-0$/);
  });

  it("XREADGROUP: one XCLAIM … FORCE JUSTID LASTID per delivery; NOACK as CREATECONSUMER + SETID", async () => {
    const out = await propagated(async (c) => {
      await fillStream(c, "rg", 1, 4);
      await c.call("XGROUP", "CREATE", "rg", "g", "0");
      await c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "rg", ">");
      await c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "rg", "0");
      await c.call("XREADGROUP", "GROUP", "g", "bob", "NOACK", "COUNT", "1", "STREAMS", "rg", ">");
      await c.call("XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "rg", ">");
      await c.call("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "rg", ">");
    });
    const claim = (consumer: string, id: string, count: string, last: string) => [
      "XCLAIM",
      "rg",
      "g",
      consumer,
      "0",
      id,
      "TIME",
      "<ms>",
      "RETRYCOUNT",
      count,
      "FORCE",
      "JUSTID",
      "LASTID",
      last,
    ];
    expect(out.slice(4)).toEqual([
      ["XGROUP", "CREATE", "rg", "g", "0"],
      ["MULTI"],
      claim("alice", "1-1", "1", "1-1"),
      claim("alice", "2-1", "1", "2-1"),
      ["EXEC"],
      ["MULTI"],
      ["XGROUP", "CREATECONSUMER", "rg", "g", "bob"],
      ["XGROUP", "SETID", "rg", "g", "3-1", "ENTRIESREAD", "3"],
      ["EXEC"],
      ["XGROUP", "SETID", "rg", "g", "4-1", "ENTRIESREAD", "4"],
    ]);
  });

  it("a blocked XREADGROUP served by XADD propagates its XCLAIM after the XADD", async () => {
    const blocked = server.client.duplicate();
    let added = "";
    const out = await propagated(async (c) => {
      await c.call("XGROUP", "CREATE", "bl", "g", "$", "MKSTREAM");
      const read = blocked.call("XREADGROUP", "GROUP", "g", "eve", "BLOCK", "5000", "STREAMS", "bl", ">");
      while (
        ((await c.call("CLIENT", "LIST")) as string).split("\n").filter((l) => l.includes("cmd=xreadgroup")).length ===
        0
      )
        await new Promise((r) => setTimeout(r, 10));
      added = (await c.call("XADD", "bl", "*", "f", "v")) as string;
      await read;
    });
    blocked.disconnect();
    expect(out).toEqual([
      ["XGROUP", "CREATE", "bl", "g", "$", "MKSTREAM"],
      ["XADD", "bl", added, "f", "v"],
      ["XCLAIM", "bl", "g", "eve", "0", added, "TIME", "<ms>", "RETRYCOUNT", "1", "FORCE", "JUSTID", "LASTID", added],
    ]);
  });

  it("XCLAIM / XAUTOCLAIM: XCLAIM per changed entry (deleted ones too), LASTID alone as SETID", async () => {
    const out = await propagated(async (c) => {
      await fillStream(c, "cl", 1, 4);
      await c.call("XGROUP", "CREATE", "cl", "g", "0");
      await c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "cl", ">");
      await c.call("XCLAIM", "cl", "g", "carol", "0", "1-1", "2", "RETRYCOUNT", "5");
      await c.call("XDEL", "cl", "3-1");
      await c.call("XCLAIM", "cl", "g", "carol", "0", "3-1", "JUSTID");
      await c.call("XCLAIM", "cl", "g", "carol", "0", "9-9", "LASTID", "7-0");
      await c.call("XDEL", "cl", "4-1");
      await c.call("XAUTOCLAIM", "cl", "g", "dave", "0", "0-0", "COUNT", "10");
      await c.call("XACK", "cl", "g", "1-1");
    });
    const claim = (consumer: string, id: string, count: string, last: string) => [
      "XCLAIM",
      "cl",
      "g",
      consumer,
      "0",
      id,
      "TIME",
      "<ms>",
      "RETRYCOUNT",
      count,
      "FORCE",
      "JUSTID",
      "LASTID",
      last,
    ];
    // "2" is the ID 2-0: not pending, so not claimed.
    expect(out.slice(4)).toEqual([
      ["XGROUP", "CREATE", "cl", "g", "0"],
      ["MULTI"],
      claim("alice", "1-1", "1", "1-1"),
      claim("alice", "2-1", "1", "2-1"),
      claim("alice", "3-1", "1", "3-1"),
      claim("alice", "4-1", "1", "4-1"),
      ["EXEC"],
      claim("carol", "1-1", "5", "4-1"),
      ["XDEL", "cl", "3-1"],
      claim("alice", "3-1", "1", "4-1"),
      ["XGROUP", "SETID", "cl", "g", "7-0", "ENTRIESREAD", "4"],
      ["XDEL", "cl", "4-1"],
      ["MULTI"],
      claim("dave", "1-1", "6", "7-0"),
      claim("dave", "2-1", "2", "7-0"),
      claim("alice", "4-1", "1", "7-0"),
      ["EXEC"],
      ["XACK", "cl", "g", "1-1"],
    ]);
  });

  it("GEOADD propagates as ZADD with the 52-bit scores; GEOSEARCHSTORE as sent", async () => {
    const out = await propagated(async (c) => {
      await c.call("GEOADD", "geo", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
      await c.call("GEOADD", "geo", "NX", "CH", "13.361389", "38.115556", "Palermo", "1", "2", "x");
      await c.call("GEOADD", "geo", "XX", "13.361389", "38.115556", "Palermo");
      await c.call("GEOSEARCHSTORE", "near", "geo", "FROMMEMBER", "Palermo", "BYRADIUS", "300", "km", "ASC");
    });
    expect(out).toEqual([
      ["zadd", "geo", "3479099956230698", "Palermo", "3479447370796909", "Catania"],
      ["zadd", "geo", "NX", "CH", "3479099956230698", "Palermo", "3378080408407459", "x"],
      ["GEOSEARCHSTORE", "near", "geo", "FROMMEMBER", "Palermo", "BYRADIUS", "300", "km", "ASC"],
    ]);
  });
});

describe("AOF reload of stream traffic", () => {
  const restartDir = tempDir("nedis-aof-stream-restart-");
  afterAll(() => removeDir(restartDir));

  /** XINFO STREAM FULL without the consumers' seen-times (a replayed XCLAIM sees the consumer now). */
  async function fullInfo(c: ServerProcess["client"], key: string): Promise<string> {
    const info = await c.call("XINFO", "STREAM", key, "FULL");
    return JSON.stringify(info).replace(/"seen-time",\d+/g, '"seen-time",0');
  }

  it("after XADD * / ~ trims / XREADGROUP / XCLAIM / XAUTOCLAIM a restart gives the same digest and XINFO", async () => {
    const options = ["--appendfsync", "always", "--enable-debug-command", "yes", "--stream-node-max-entries", "4"];
    const first = (await startInDir(restartDir, options))!;
    expect(first).not.toBeNull();
    let digest: unknown;
    let info = "";
    try {
      const c = first.client;
      for (let i = 0; i < 30; i++) await c.call("XADD", "s", "MAXLEN", "~", "20", "*", "n", String(i));
      await c.call("XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "4");
      await c.call("XGROUP", "CREATE", "s", "g", "0");
      await c.call("XREADGROUP", "GROUP", "g", "a", "COUNT", "5", "STREAMS", "s", ">");
      await c.call("XREADGROUP", "GROUP", "g", "b", "NOACK", "COUNT", "3", "STREAMS", "s", ">");
      const pending = (await c.call("XPENDING", "s", "g", "-", "+", "10")) as [string][];
      await c.call("XCLAIM", "s", "g", "c", "0", pending[0]![0], pending[1]![0]);
      await c.call("XDEL", "s", pending[2]![0]);
      await c.call("XAUTOCLAIM", "s", "g", "d", "0", "0-0", "COUNT", "2");
      await c.call("GEOADD", "geo", "13.361389", "38.115556", "Palermo");
      digest = await c.call("DEBUG", "DIGEST");
      info = await fullInfo(c, "s");
    } finally {
      await first.stop();
    }
    const second = (await startInDir(restartDir, options))!;
    expect(second).not.toBeNull();
    try {
      expect(await second.client.call("DEBUG", "DIGEST")).toBe(digest);
      expect(await fullInfo(second.client, "s")).toBe(info);
    } finally {
      await second.stop();
    }
  });
});

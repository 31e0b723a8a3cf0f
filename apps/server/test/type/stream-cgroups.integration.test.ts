import type { Redis } from "ioredis";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { errorOf } from "../utils/replyError.js";
import { useTarget } from "../utils/target.js";

const target = useTarget([["enable-debug-command", ["yes"]]]);
let r: Redis;
const extra: Redis[] = [];
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});
afterEach(() => {
  for (const c of extra.splice(0)) c.disconnect();
});
const client = (): Redis => {
  const c = target.client();
  extra.push(c);
  return c;
};
const err = errorOf;
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
/** Waits until `n` clients are blocked (INFO's blocked_clients), as the Tcl tests' wait_for_blocked_clients_count. */
async function blocked(n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const info = (await r.info("clients")) as string;
    if (Number(/blocked_clients:(\d+)/.exec(info)?.[1]) >= n) return;
    await sleep(10);
  }
  throw new Error(`never saw ${n} blocked clients`);
}
const xgroup = (...a: (string | number)[]) => r.call("XGROUP", ...a);
const xreadgroup = (...a: (string | number)[]) => r.call("XREADGROUP", ...a) as Promise<unknown>;
/** A flat RESP2 map reply as an object. */
const obj = (a: unknown): Record<string, unknown> => {
  const list = a as unknown[];
  const out: Record<string, unknown> = {};
  for (let i = 0; i < list.length; i += 2) out[list[i] as string] = list[i + 1];
  return out;
};

describe("XGROUP", () => {
  it("CREATE with MKSTREAM, $ and errors", async () => {
    expect(await err(xgroup("CREATE", "s", "g", "$"))).toBe(
      "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
    );
    expect(await xgroup("CREATE", "s", "g", "$", "MKSTREAM")).toBe("OK");
    expect(await r.type("s")).toBe("stream");
    expect(await r.xlen("s")).toBe(0);
    expect(await err(xgroup("CREATE", "s", "g", "$"))).toBe("BUSYGROUP Consumer Group name already exists");
    expect(await err(xgroup("CREATE", "s", "g2", "bad"))).toBe(
      "ERR Invalid stream ID specified as stream command argument",
    );
    expect(await err(xgroup("CREATE", "s", "g2", "$", "ENTRIESREAD", "-5"))).toBe(
      "ERR value for ENTRIESREAD must be positive or -1",
    );
    expect(await err(xgroup("CREATE", "s", "g2", "$", "FOO"))).toBe(
      "ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.",
    );
    expect(await err(xgroup("SETID", "s", "nope", "$"))).toBe("NOGROUP No such consumer group 'nope' for key name 's'");
    await r.set("str", "x");
    expect(await err(xgroup("CREATE", "str", "g", "$"))).toMatch(/^WRONGTYPE/);
  });

  it("CREATECONSUMER, DELCONSUMER, DESTROY and SETID", async () => {
    await r.xadd("s", "1-0", "f", "v");
    await xgroup("CREATE", "s", "g", "0");
    expect(await xgroup("CREATECONSUMER", "s", "g", "alice")).toBe(1);
    expect(await xgroup("CREATECONSUMER", "s", "g", "alice")).toBe(0);
    await xreadgroup("GROUP", "g", "bob", "STREAMS", "s", ">");
    expect(await xgroup("DELCONSUMER", "s", "g", "bob")).toBe(1);
    expect(await xgroup("DELCONSUMER", "s", "g", "nobody")).toBe(0);
    expect(await r.xpending("s", "g")).toEqual([0, null, null, null]);
    expect(await xgroup("SETID", "s", "g", "0")).toBe("OK");
    expect(await xreadgroup("GROUP", "g", "alice", "STREAMS", "s", ">")).toEqual([["s", [["1-0", ["f", "v"]]]]]);
    expect(await xgroup("DESTROY", "s", "g")).toBe(1);
    expect(await xgroup("DESTROY", "s", "g")).toBe(0);
    expect(await r.call("XINFO", "GROUPS", "s")).toEqual([]);
  });
});

describe("XREADGROUP / XACK / XPENDING", () => {
  beforeEach(async () => {
    await xgroup("CREATE", "s", "g", "$", "MKSTREAM");
    await r.xadd("s", "1-0", "a", "1");
    await r.xadd("s", "2-0", "b", "2");
    await r.xadd("s", "3-0", "c", "3");
  });

  it("delivers new entries once per group, history by ID", async () => {
    expect(await xreadgroup("GROUP", "g", "alice", "COUNT", 2, "STREAMS", "s", ">")).toEqual([
      [
        "s",
        [
          ["1-0", ["a", "1"]],
          ["2-0", ["b", "2"]],
        ],
      ],
    ]);
    expect(await xreadgroup("GROUP", "g", "bob", "STREAMS", "s", ">")).toEqual([["s", [["3-0", ["c", "3"]]]]]);
    expect(await xreadgroup("GROUP", "g", "bob", "STREAMS", "s", ">")).toBeNull();
    expect(await xreadgroup("GROUP", "g", "alice", "STREAMS", "s", "0")).toEqual([
      [
        "s",
        [
          ["1-0", ["a", "1"]],
          ["2-0", ["b", "2"]],
        ],
      ],
    ]);
    expect(await r.xpending("s", "g")).toEqual([
      3,
      "1-0",
      "3-0",
      [
        ["alice", "2"],
        ["bob", "1"],
      ],
    ]);
    const ext = (await r.xpending("s", "g", "-", "+", 10)) as [string, string, number, number][];
    expect(ext.map((e) => [e[0], e[1], e[3]])).toEqual([
      ["1-0", "alice", 2],
      ["2-0", "alice", 2],
      ["3-0", "bob", 1],
    ]);
    expect(((await r.xpending("s", "g", "-", "+", 10, "bob")) as unknown[]).length).toBe(1);
    expect(await r.xpending("s", "g", "-", "+", 10, "nobody")).toEqual([]);
    expect(await r.xpending("s", "g", "IDLE", 100000, "-", "+", 10)).toEqual([]);
    expect(await r.xack("s", "g", "1-0", "9-9")).toBe(1);
    expect(await r.xack("s", "missing-group", "2-0")).toBe(0);
    expect(await err(r.xack("s", "g", "bad"))).toBe("ERR Invalid stream ID specified as stream command argument");
    expect((await r.xpending("s", "g"))[0]).toBe(2);
  });

  it("NOACK skips the PEL; deleted entries come back as nil in history", async () => {
    await xreadgroup("GROUP", "g", "alice", "NOACK", "STREAMS", "s", ">");
    expect((await r.xpending("s", "g"))[0]).toBe(0);
    await xgroup("SETID", "s", "g", "0");
    await xreadgroup("GROUP", "g", "alice", "STREAMS", "s", ">");
    await r.xdel("s", "2-0");
    expect(await xreadgroup("GROUP", "g", "alice", "STREAMS", "s", "0")).toEqual([
      [
        "s",
        [
          ["1-0", ["a", "1"]],
          ["2-0", null],
          ["3-0", ["c", "3"]],
        ],
      ],
    ]);
  });

  it("reports errors as Redis does", async () => {
    expect(await err(xreadgroup("GROUP", "nope", "c", "STREAMS", "s", ">"))).toBe(
      "NOGROUP No such key 's' or consumer group 'nope' in XREADGROUP with GROUP option",
    );
    expect(await err(xreadgroup("GROUP", "g", "c", "STREAMS", "missing", ">"))).toBe(
      "NOGROUP No such key 'missing' or consumer group 'g' in XREADGROUP with GROUP option",
    );
    expect(await err(xreadgroup("GROUP", "g", "c", "STREAMS", "s", "$"))).toMatch(/The \$ ID is meaningless/);
    expect(await err(xreadgroup("COUNT", 1, "NOACK", "STREAMS", "s", ">"))).toBe(
      "ERR Missing GROUP option for XREADGROUP",
    );
    expect(await err(r.call("XPENDING", "s", "g", "-", "+"))).toBe("ERR syntax error");
    expect(await err(r.call("XPENDING", "s", "nope"))).toBe("NOGROUP No such key 's' or consumer group 'nope'");
  });

  it("BLOCK > is served by XADD; DESTROY wakes waiters with NOGROUP", async () => {
    await xreadgroup("GROUP", "g", "alice", "STREAMS", "s", ">");
    const a = client();
    const pa = a.call("XREADGROUP", "GROUP", "g", "bob", "BLOCK", 0, "STREAMS", "s", ">");
    await blocked(1);
    await r.xadd("s", "4-0", "d", "4");
    expect(await pa).toEqual([["s", [["4-0", ["d", "4"]]]]]);
    const b = client();
    const pb = b
      .call("XREADGROUP", "GROUP", "g", "bob", "BLOCK", 0, "STREAMS", "s", ">")
      .catch((e: Error) => e.message);
    await blocked(1);
    await xgroup("DESTROY", "s", "g");
    expect(await pb).toBe("NOGROUP the consumer group this client was blocked on no longer exists");
  });
});

describe("XCLAIM / XAUTOCLAIM", () => {
  beforeEach(async () => {
    await xgroup("CREATE", "s", "g", "$", "MKSTREAM");
    for (let i = 1; i <= 3; i++) await r.xadd("s", `${i}-0`, "f", String(i));
    await xreadgroup("GROUP", "g", "alice", "STREAMS", "s", ">");
  });

  it("XCLAIM moves entries by idle time; JUSTID, RETRYCOUNT, FORCE", async () => {
    expect(await r.xclaim("s", "g", "bob", 1000000, "1-0")).toEqual([]);
    expect(await r.xclaim("s", "g", "bob", 0, "1-0")).toEqual([["1-0", ["f", "1"]]]);
    expect(await r.call("XCLAIM", "s", "g", "bob", 0, "2-0", "JUSTID", "RETRYCOUNT", 7)).toEqual(["2-0"]);
    const pend = (await r.xpending("s", "g", "-", "+", 10)) as [string, string, number, number][];
    expect(pend.map((e) => [e[0], e[1], e[3]])).toEqual([
      ["1-0", "bob", 2],
      ["2-0", "bob", 7],
      ["3-0", "alice", 1],
    ]);
    await r.xadd("s", "4-0", "f", "4");
    expect(await r.call("XCLAIM", "s", "g", "carol", 0, "4-0", "JUSTID")).toEqual([]);
    expect(await r.call("XCLAIM", "s", "g", "carol", 0, "4-0", "FORCE", "JUSTID")).toEqual(["4-0"]);
    await r.xdel("s", "3-0");
    expect(await r.xclaim("s", "g", "bob", 0, "3-0")).toEqual([]);
    expect((await r.xpending("s", "g"))[0]).toBe(3);
    expect(await err(r.call("XCLAIM", "s", "g", "bob", "x", "1-0"))).toBe(
      "ERR Invalid min-idle-time argument for XCLAIM",
    );
    expect(await err(r.call("XCLAIM", "s", "g", "bob", 0, "1-0", "BOGUS"))).toBe(
      "ERR Unrecognized XCLAIM option 'BOGUS'",
    );
    expect(await err(r.call("XCLAIM", "s", "nope", "bob", 0, "1-0"))).toBe(
      "NOGROUP No such key 's' or consumer group 'nope'",
    );
  });

  it("XAUTOCLAIM scans the PEL with COUNT and reports deleted entries", async () => {
    expect(await r.call("XAUTOCLAIM", "s", "g", "bob", 0, "0", "COUNT", 2)).toEqual([
      "3-0",
      [
        ["1-0", ["f", "1"]],
        ["2-0", ["f", "2"]],
      ],
      [],
    ]);
    await r.xdel("s", "3-0");
    expect(await r.call("XAUTOCLAIM", "s", "g", "carol", 0, "0", "JUSTID")).toEqual(["0-0", ["1-0", "2-0"], ["3-0"]]);
    expect(await err(r.call("XAUTOCLAIM", "s", "g", "bob", 0, "0", "COUNT", 0))).toBe("ERR COUNT must be > 0");
  });
});

describe("XINFO and XSETID", () => {
  it("XINFO STREAM, GROUPS, CONSUMERS and FULL", async () => {
    for (let i = 1; i <= 5; i++) await r.xadd("s", `${i}-0`, "f", String(i));
    await xgroup("CREATE", "s", "g", "0");
    await xreadgroup("GROUP", "g", "alice", "COUNT", 2, "STREAMS", "s", ">");
    const info = obj(await r.call("XINFO", "STREAM", "s"));
    expect(info).toEqual({
      length: 5,
      "radix-tree-keys": 1,
      "radix-tree-nodes": 2,
      "last-generated-id": "5-0",
      "max-deleted-entry-id": "0-0",
      "entries-added": 5,
      "recorded-first-entry-id": "1-0",
      groups: 1,
      "first-entry": ["1-0", ["f", "1"]],
      "last-entry": ["5-0", ["f", "5"]],
    });
    const groups = (await r.call("XINFO", "GROUPS", "s")) as unknown[];
    expect(groups.map(obj)).toEqual([
      { name: "g", consumers: 1, pending: 2, "last-delivered-id": "2-0", "entries-read": 2, lag: 3 },
    ]);
    const consumers = ((await r.call("XINFO", "CONSUMERS", "s", "g")) as unknown[]).map(obj);
    expect(consumers.map((c) => [c.name, c.pending])).toEqual([["alice", 2]]);
    const full = obj(await r.call("XINFO", "STREAM", "s", "FULL", "COUNT", 1));
    expect(full.entries).toEqual([["1-0", ["f", "1"]]]);
    const g = obj((full.groups as unknown[])[0]);
    expect([g.name, g["pel-count"], g.lag, (g.pending as unknown[]).length]).toEqual(["g", 2, 3, 1]);
    expect(await err(r.call("XINFO", "STREAM", "missing"))).toBe("ERR no such key");
    expect(await err(r.call("XINFO", "CONSUMERS", "s", "nope"))).toBe(
      "NOGROUP No such consumer group 'nope' for key name 's'",
    );
    expect(await err(r.call("XINFO", "STREAM", "s", "FULL", "BAD", "1"))).toBe(
      "ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.",
    );
  });

  it("radix-tree-nodes follows Redis's tree", async () => {
    const p = r.pipeline();
    for (let i = 1; i <= 2000; i++) p.xadd("q", `${i * 1000}-${i}`, "f", "v");
    await p.exec();
    const info = obj(await r.call("XINFO", "STREAM", "q"));
    expect([info["radix-tree-keys"], info["radix-tree-nodes"]]).toEqual([20, 42]);
  });

  it("XSETID sets the last ID, entries added and max deleted ID", async () => {
    await r.xadd("s", "5-0", "f", "v");
    expect(await err(r.call("XSETID", "s", "4-0"))).toBe(
      "ERR The ID specified in XSETID is smaller than the target stream top item",
    );
    expect(await r.call("XSETID", "s", "10-0", "ENTRIESADDED", 7, "MAXDELETEDID", "3-0")).toBe("OK");
    const info = obj(await r.call("XINFO", "STREAM", "s"));
    expect([info["last-generated-id"], info["entries-added"], info["max-deleted-entry-id"]]).toEqual([
      "10-0",
      7,
      "3-0",
    ]);
    expect(await err(r.xadd("s", "9-0", "f", "v"))).toMatch(/equal or smaller/);
    expect(await err(r.call("XSETID", "missing", "1-0"))).toBe("ERR no such key");
    expect(await err(r.call("XSETID", "s", "10-0", "ENTRIESADDED", 0))).toBe(
      "ERR The entries_added specified in XSETID is smaller than the target stream length",
    );
    expect(await err(r.call("XSETID", "s", "10-0", "MAXDELETEDID", "11-0"))).toBe(
      "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
    );
    expect(await err(r.call("XSETID", "s", "10-0", "ENTRIESADDED", -1))).toBe("ERR entries_added must be positive");
  });

  it("DUMP with groups round-trips and digests ignore groups", async () => {
    await r.xadd("s", "1-1", "a", "1");
    await xgroup("CREATE", "s", "g1", "0");
    await xgroup("CREATE", "s", "g0", "$", "ENTRIESREAD", 1);
    await xreadgroup("GROUP", "g1", "alice", "STREAMS", "s", ">");
    await xgroup("CREATECONSUMER", "s", "g1", "bob");
    const dump = await r.dumpBuffer("s");
    await r.restore("t", 0, dump);
    expect((await r.dumpBuffer("t")).equals(dump)).toBe(true);
    const groups = ((await r.call("XINFO", "GROUPS", "t")) as unknown[]).map(obj);
    expect(groups.map((g) => [g.name, g.consumers, g.pending, g["entries-read"]])).toEqual([
      ["g0", 0, 0, 1],
      ["g1", 2, 1, 1],
    ]);
    expect(await r.call("DEBUG", "DIGEST-VALUE", "s")).toEqual(await r.call("DEBUG", "DIGEST-VALUE", "t"));
  });

  it("RESTORE of Redis's payload with groups, PEL and consumers dumps the same bytes", async () => {
    const hex =
      "130110000000000000000100000000000000014047470000001900020101010201816102816202000102010001000101018568656c6c6f060501030100010101020185776f726c6406050100010101dfff02010181630203010601ff0202000101010203020267300200010000026731010181ffffffffffffffff0100000000000000010000000000000001f724b351a2010000010205616c696365f724b351a2010000010000000000000001000000000000000103626f623125b351a2010000000a0089dd85514444fb53";
    await r.restore("s", 0, Buffer.from(hex, "hex"));
    expect((await r.dumpBuffer("s")).toString("hex")).toBe(hex);
    const groups = ((await r.call("XINFO", "GROUPS", "s")) as unknown[]).map(obj);
    expect(
      groups.map((g) => [g.name, g.consumers, g.pending, g["last-delivered-id"], g["entries-read"], g.lag]),
    ).toEqual([
      ["g0", 0, 0, "2-0", 1, 2],
      ["g1", 2, 1, "1-1", null, null],
    ]);
    expect(await r.xpending("s", "g1")).toEqual([1, "1-1", "1-1", [["alice", "1"]]]);
  });

  it("COPY keeps groups, PEL and consumers; SCAN TYPE and RENAME see streams", async () => {
    await r.xadd("s", "1-0", "a", "1");
    await r.xadd("s", "2-0", "a", "2");
    await xgroup("CREATE", "s", "g", "0");
    await xreadgroup("GROUP", "g", "alice", "COUNT", 1, "STREAMS", "s", ">");
    expect(await r.copy("s", "c")).toBe(1);
    await r.xack("s", "g", "1-0");
    expect(await r.xpending("c", "g")).toEqual([1, "1-0", "1-0", [["alice", "1"]]]);
    expect((await r.xpending("s", "g"))[0]).toBe(0);
    expect((await r.dumpBuffer("c")).length).toBeGreaterThan(0);
    await r.set("str", "x");
    expect((await r.scan(0, "COUNT", 100, "TYPE", "stream"))[1].sort()).toEqual(["c", "s"]);
    await r.rename("c", "d");
    expect(await r.call("OBJECT", "ENCODING", "d")).toBe("stream");
    expect(await r.xlen("d")).toBe(2);
  });
});

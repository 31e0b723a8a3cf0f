import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { errorOf } from "../utils/replyError.js";
import { useTarget } from "../utils/target.js";

const target = useTarget([["enable-debug-command", ["yes"]]]);
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
  await r.config("SET", "stream-node-max-entries", "100");
  await r.config("SET", "stream-node-max-bytes", "4096");
});

const err = errorOf;

describe("XADD", () => {
  it("adds with explicit IDs and replies them", async () => {
    expect(await r.xadd("s", "1-1", "a", "1")).toBe("1-1");
    expect(await r.xadd("s", "1-2", "b", "2", "c", "3")).toBe("1-2");
    expect(await r.xadd("s", "2", "a", "x")).toBe("2-0");
    expect(await r.xlen("s")).toBe(3);
    expect(await r.type("s")).toBe("stream");
    expect(await r.call("OBJECT", "ENCODING", "s")).toBe("stream");
    expect(await r.xrange("s", "-", "+")).toEqual([
      ["1-1", ["a", "1"]],
      ["1-2", ["b", "2", "c", "3"]],
      ["2-0", ["a", "x"]],
    ]);
  });

  it("generates IDs with * and ms-*", async () => {
    const id = (await r.xadd("s", "*", "f", "v")) as string;
    expect(id).toMatch(/^\d+-0$/);
    const ms = BigInt(id.split("-")[0]!);
    expect(ms).toBeGreaterThan(BigInt(Date.now() - 60_000));
    expect(await r.xadd("t", "5-*", "f", "v")).toBe("5-0");
    expect(await r.xadd("t", "5-*", "f", "v")).toBe("5-1");
    expect(await r.xadd("t", "6-*", "f", "v")).toBe("6-0");
    expect(await r.xadd("u", "0-*", "f", "v")).toBe("0-1");
  });

  it("refuses IDs not greater than the top item", async () => {
    await r.xadd("s", "5-5", "f", "v");
    expect(await err(r.xadd("s", "5-5", "f", "v"))).toBe(
      "ERR The ID specified in XADD is equal or smaller than the target stream top item",
    );
    expect(await err(r.xadd("s", "4-9", "f", "v"))).toBe(
      "ERR The ID specified in XADD is equal or smaller than the target stream top item",
    );
    expect(await err(r.xadd("s", "4-*", "f", "v"))).toBe(
      "ERR The ID specified in XADD is equal or smaller than the target stream top item",
    );
    expect(await err(r.xadd("x", "0-0", "f", "v"))).toBe("ERR The ID specified in XADD must be greater than 0-0");
    expect(await r.exists("x")).toBe(0);
  });

  it("validates IDs and arguments", async () => {
    const invalid = "ERR Invalid stream ID specified as stream command argument";
    expect(await err(r.xadd("s", "abc", "f", "v"))).toBe(invalid);
    expect(await err(r.xadd("s", "1-abc", "f", "v"))).toBe(invalid);
    expect(await err(r.xadd("s", "-", "f", "v"))).toBe(invalid);
    expect(await err(r.xadd("s", "18446744073709551616-0", "f", "v"))).toBe(invalid);
    expect(await err(r.call("XADD", "s", "*", "f"))).toBe("ERR wrong number of arguments for 'xadd' command");
    expect(await err(r.call("XADD", "s", "*", "f", "v", "g"))).toBe("ERR wrong number of arguments for 'xadd' command");
    expect(await err(r.call("XADD", "s", "MAXLEN", "-1", "*", "f", "v"))).toBe("ERR The MAXLEN argument must be >= 0.");
    expect(await err(r.call("XADD", "s", "MAXLEN", "1", "MINID", "1", "*", "f", "v"))).toBe(
      "ERR syntax error, MAXLEN and MINID options at the same time are not compatible",
    );
    expect(await err(r.call("XADD", "s", "MAXLEN", "1", "LIMIT", "10", "*", "f", "v"))).toBe(
      "ERR syntax error, LIMIT cannot be used without the special ~ option",
    );
    expect(await err(r.call("XADD", "s", "LIMIT", "10", "*", "f", "v"))).toBe(
      "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
    );
    expect(await r.exists("s")).toBe(0);
    await r.set("str", "x");
    expect(await err(r.xadd("str", "*", "f", "v"))).toMatch(/^WRONGTYPE/);
  });

  it("NOMKSTREAM does not create the key", async () => {
    expect(await r.call("XADD", "s", "NOMKSTREAM", "*", "f", "v")).toBeNull();
    expect(await r.exists("s")).toBe(0);
    await r.xadd("s", "1-0", "f", "v");
    expect(await r.call("XADD", "s", "NOMKSTREAM", "2-0", "f", "v")).toBe("2-0");
  });

  it("the last possible ID exhausts the stream", async () => {
    await r.xadd("s", "18446744073709551615-18446744073709551615", "f", "v");
    expect(await err(r.xadd("s", "*", "f", "v"))).toBe(
      "ERR The stream has exhausted the last possible ID, unable to add more items",
    );
  });

  it("MAXLEN trims exactly and ~ trims whole nodes", async () => {
    for (let i = 1; i <= 10; i++) await r.xadd("s", "MAXLEN", "5", `${i}-0`, "f", String(i));
    expect(await r.xlen("s")).toBe(5);
    expect((await r.xrange("s", "-", "+")).map((e) => e[0])).toEqual(["6-0", "7-0", "8-0", "9-0", "10-0"]);
    await r.config("SET", "stream-node-max-entries", "10");
    for (let i = 1; i <= 100; i++) await r.xadd("a", `${i}-0`, "f", "v");
    await r.call("XADD", "a", "MAXLEN", "~", "55", "101-0", "f", "v");
    expect(await r.xlen("a")).toBe(61);
    await r.call("XADD", "a", "MAXLEN", "=", "55", "102-0", "f", "v");
    expect(await r.xlen("a")).toBe(55);
  });

  it("MINID trims older entries; LIMIT bounds approximate trimming", async () => {
    await r.config("SET", "stream-node-max-entries", "10");
    for (let i = 1; i <= 100; i++) await r.xadd("s", `${i}-0`, "f", "v");
    await r.call("XADD", "s", "MINID", "~", "35", "101-0", "f", "v");
    expect(await r.xlen("s")).toBe(71);
    await r.call("XADD", "s", "MINID", "=", "35", "102-0", "f", "v");
    expect(await r.xlen("s")).toBe(68);
    expect((await r.xrange("s", "-", "+", "COUNT", 1))[0]![0]).toBe("35-0");
    for (let i = 1; i <= 100; i++) await r.xadd("t", `${i}-0`, "f", "v");
    await r.call("XADD", "t", "MAXLEN", "~", "0", "LIMIT", "30", "101-0", "f", "v");
    expect(await r.xlen("t")).toBe(71);
  });
});

describe("XRANGE / XREVRANGE", () => {
  beforeEach(async () => {
    for (let i = 1; i <= 5; i++) await r.xadd("s", `${i}-${i}`, "f", String(i));
  });

  it("reads ranges, exclusive bounds and COUNT", async () => {
    const ids = async (p: Promise<[string, string[]][]>) => (await p).map((e) => e[0]);
    expect(await ids(r.xrange("s", "2", "4"))).toEqual(["2-2", "3-3", "4-4"]);
    expect(await ids(r.xrange("s", "(2-2", "(4-4"))).toEqual(["3-3"]);
    expect(await ids(r.xrange("s", "-", "+", "COUNT", 2))).toEqual(["1-1", "2-2"]);
    expect(await ids(r.xrevrange("s", "+", "-", "COUNT", 2))).toEqual(["5-5", "4-4"]);
    expect(await ids(r.xrevrange("s", "(5-5", "(1-1"))).toEqual(["4-4", "3-3", "2-2"]);
    expect(await ids(r.xrange("s", "3-3", "3-3"))).toEqual(["3-3"]);
    expect(await ids(r.xrange("s", "6", "+"))).toEqual([]);
    expect(await r.call("XRANGE", "s", "-", "+", "COUNT", "0")).toBeNull();
    expect(await r.call("XRANGE", "s", "-", "+", "COUNT", "-1")).toBeNull();
    expect(await r.xrange("missing", "-", "+")).toEqual([]);
  });

  it("reports bad bounds", async () => {
    expect(await err(r.xrange("s", "(-", "+"))).toBe("ERR Invalid stream ID specified as stream command argument");
    expect(await err(r.xrange("s", "(18446744073709551615-18446744073709551615", "+"))).toBe(
      "ERR invalid start ID for the interval",
    );
    expect(await err(r.xrange("s", "-", "(0-0"))).toBe("ERR invalid end ID for the interval");
    expect(await err(r.call("XRANGE", "s", "-", "+", "COUNT"))).toBe("ERR syntax error");
    expect(await err(r.call("XRANGE", "s", "-", "+", "COUNT", "x"))).toBe(
      "ERR value is not an integer or out of range",
    );
  });
});

describe("XDEL / XTRIM / XLEN", () => {
  it("XDEL deletes entries and leaves an empty stream", async () => {
    await r.xadd("s", "1-0", "a", "1");
    await r.xadd("s", "2-0", "a", "2");
    expect(await r.xdel("s", "1-0", "3-0", "1-0")).toBe(1);
    expect(await r.xlen("s")).toBe(1);
    expect(await r.xdel("s", "2-0")).toBe(1);
    expect(await r.xlen("s")).toBe(0);
    expect(await r.exists("s")).toBe(1);
    expect(await r.xdel("missing", "1-0")).toBe(0);
    expect(await err(r.xdel("s", "bad"))).toBe("ERR Invalid stream ID specified as stream command argument");
    expect(await err(r.xadd("s", "2-0", "a", "2"))).toMatch(/equal or smaller/);
  });

  it("XTRIM trims by MAXLEN and MINID", async () => {
    for (let i = 1; i <= 10; i++) await r.xadd("s", `${i}-0`, "f", "v");
    expect(await r.xtrim("s", "MAXLEN", 8)).toBe(2);
    expect(await r.call("XTRIM", "s", "MINID", "=", "5")).toBe(2);
    expect(await r.xlen("s")).toBe(6);
    expect(await r.xtrim("missing", "MAXLEN", 0)).toBe(0);
    expect(await err(r.call("XTRIM", "s"))).toMatch(/wrong number of arguments/);
    expect(await err(r.call("XTRIM", "s", "FOO", "1"))).toBe("ERR syntax error");
    expect(await err(r.call("XTRIM", "s", "LIMIT", "1"))).toBe(
      "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
    );
    expect(await r.xtrim("s", "MAXLEN", 0)).toBe(6);
    expect(await r.exists("s")).toBe(1);
  });

  it("entries with other fields, integers and big deltas read back", async () => {
    await r.xadd("s", "1-0", "a", "1", "b", "2");
    await r.xadd("s", "1-1", "a", "3", "b", "4");
    await r.xadd("s", "1-2", "b", "5", "a", "6");
    await r.xadd("s", "9007199254740993-18446744073709551615", "12345678901234567890", "-9223372036854775808");
    expect(await r.xrange("s", "-", "+")).toEqual([
      ["1-0", ["a", "1", "b", "2"]],
      ["1-1", ["a", "3", "b", "4"]],
      ["1-2", ["b", "5", "a", "6"]],
      ["9007199254740993-18446744073709551615", ["12345678901234567890", "-9223372036854775808"]],
    ]);
    expect((await r.xrevrange("s", "+", "-")).map((e) => e[0])).toEqual([
      "9007199254740993-18446744073709551615",
      "1-2",
      "1-1",
      "1-0",
    ]);
  });
});

describe("DUMP / RESTORE / COPY / DEBUG DIGEST-VALUE", () => {
  const smallDump =
    "130110000000000000000100000000000000014047470000001900020101010201816102816202000102010001000101018568656c6c6f060501030100010101020185776f726c6406050100010101dfff02010181630203010601ff0202000101010203000a00beba726a5810a364";
  const buildSmall = async () => {
    await r.xadd("s", "1-1", "a", "1", "b", "hello");
    await r.xadd("s", "1-2", "a", "2", "b", "world");
    await r.xadd("s", "2-0", "c", "3");
    await r.xdel("s", "1-2");
  };
  const buildBig = async () => {
    const p = r.pipeline();
    for (let i = 1; i <= 250; i++) p.xadd("big", `${i}-0`, `field${i % 3}`, `value${i}`);
    p.xtrim("big", "MAXLEN", 240);
    await p.exec();
  };

  it("DUMP of a stream is Redis's bytes", async () => {
    await buildSmall();
    expect((await r.dumpBuffer("s")).toString("hex")).toBe(smallDump);
    await buildBig();
    const { createHash } = await import("node:crypto");
    const sha = createHash("sha1")
      .update(await r.dumpBuffer("big"))
      .digest("hex");
    expect(sha).toBe("d5988ca584662fc85df1641cbf5db9f6b56a2cbb");
  });

  it("RESTORE reads Redis's payload back", async () => {
    await r.restore("s", 0, Buffer.from(smallDump, "hex"));
    expect(await r.xrange("s", "-", "+")).toEqual([
      ["1-1", ["a", "1", "b", "hello"]],
      ["2-0", ["c", "3"]],
    ]);
    expect(await r.xlen("s")).toBe(1 + 1);
    expect(await err(r.xadd("s", "2-0", "x", "y"))).toMatch(/equal or smaller/);
    expect((await r.dumpBuffer("s")).toString("hex")).toBe(smallDump);
    const bad = Buffer.from(smallDump, "hex");
    bad[30] = (bad[30] ?? 0) ^ 0xff;
    expect(await err(r.restore("t", 0, bad))).toBe("ERR DUMP payload version or checksum are wrong");
  });

  it("COPY duplicates a stream, and digests match Redis", async () => {
    await buildSmall();
    await buildBig();
    expect(await r.copy("big", "big2")).toBe(1);
    await r.xadd("big2", "1000-0", "x", "y");
    expect(await r.xlen("big")).toBe(240);
    expect(await r.xlen("big2")).toBe(241);
    expect(await r.call("DEBUG", "DIGEST-VALUE", "big")).toEqual(["f284b92ac3263703e0b458d1848d34058523ab0b"]);
    expect(await r.call("DEBUG", "DIGEST-VALUE", "s")).toEqual(["74c8919b07474cb3ca6f3234c3c8ec1774a18e41"]);
    expect(await r.memory("USAGE", "big")).toBeGreaterThan(2000);
  });
});

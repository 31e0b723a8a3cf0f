import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rawExchange } from "../utils/raw.js";
import { useTarget } from "../utils/target.js";

const target = useTarget([["enable-debug-command", ["yes"]]]);
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
  await r.config("SET", "list-max-listpack-size", "-2");
});

const err = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "no error",
    (e: Error) => e.message,
  );

const range = (n: number, prefix = ""): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("LPUSH / RPUSH / LPUSHX / RPUSHX", () => {
  it("push at either end and reply the new length", async () => {
    expect(await r.rpush("l", "a", "b")).toBe(2);
    expect(await r.lpush("l", "x", "y")).toBe(4);
    expect(await r.lrange("l", 0, -1)).toEqual(["y", "x", "a", "b"]);
    expect(await r.call("OBJECT", "ENCODING", "l")).toBe("quicklist");
    expect(await r.type("l")).toBe("list");
  });

  it("X variants push only onto an existing list", async () => {
    expect(await r.lpushx("l", "a")).toBe(0);
    expect(await r.rpushx("l", "a", "b")).toBe(0);
    expect(await r.exists("l")).toBe(0);
    await r.rpush("l", "a");
    expect(await r.rpushx("l", "b", "c")).toBe(3);
    expect(await r.lpushx("l", "z")).toBe(4);
    expect(await r.lrange("l", 0, -1)).toEqual(["z", "a", "b", "c"]);
  });

  it("refuses a key of another type and bad arity", async () => {
    await r.set("s", "v");
    expect(await err(r.lpush("s", "a"))).toMatch(/^WRONGTYPE/);
    expect(await err(r.call("LPUSH", "l"))).toBe("ERR wrong number of arguments for 'lpush' command");
    expect(await err(r.call("LLEN"))).toBe("ERR wrong number of arguments for 'llen' command");
  });

  it("keeps integers, big integers and binary elements exact", async () => {
    const els = ["0", "-1", "012", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1.5", ""];
    await r.rpush("l", ...els);
    expect(await r.lrange("l", 0, -1)).toEqual(els);
    const bin = Buffer.from([0, 255, 13, 10]);
    await r.rpush("b", bin);
    expect(await r.lrangeBuffer("b", 0, -1)).toEqual([bin]);
  });
});

describe("LPOP / RPOP", () => {
  it("pop one element, or count elements as an array", async () => {
    await r.rpush("l", ...range(6));
    expect(await r.lpop("l")).toBe("0");
    expect(await r.rpop("l")).toBe("5");
    expect(await r.call("LPOP", "l", "2")).toEqual(["1", "2"]);
    expect(await r.call("RPOP", "l", "5")).toEqual(["4", "3"]);
    expect(await r.exists("l")).toBe(0);
  });

  it("missing keys: nil, or a null array with a count; count 0 is an empty array", async () => {
    expect(await r.lpop("nope")).toBeNull();
    expect(await r.call("LPOP", "nope", "1")).toBeNull();
    await r.rpush("l", "a");
    expect(await r.call("LPOP", "l", "0")).toEqual([]);
    expect(await r.llen("l")).toBe(1);
  });

  it("errors", async () => {
    expect(await err(r.call("LPOP", "l", "-1"))).toBe("ERR value is out of range, must be positive");
    expect(await err(r.call("LPOP", "l", "x"))).toBe("ERR value is out of range, must be positive");
    expect(await err(r.call("LPOP", "l", "1", "2"))).toBe("ERR wrong number of arguments for 'lpop' command");
    await r.set("s", "v");
    expect(await err(r.call("RPOP", "s"))).toMatch(/^WRONGTYPE/);
  });
});

describe("replies by protocol", () => {
  it("nil and null arrays in RESP2, _ in RESP3", async () => {
    const cmds = [
      "*2\r\n$4\r\nLPOP\r\n$4\r\nnope\r\n",
      "*3\r\n$4\r\nLPOP\r\n$4\r\nnope\r\n$1\r\n2\r\n",
      "*3\r\n$6\r\nLINDEX\r\n$4\r\nnope\r\n$1\r\n0\r\n",
      "*3\r\n$4\r\nLPOS\r\n$4\r\nnope\r\n$1\r\nx\r\n",
      "*4\r\n$5\r\nLMPOP\r\n$1\r\n1\r\n$4\r\nnope\r\n$4\r\nLEFT\r\n",
    ].join("");
    const resp2 = await rawExchange(target.port, cmds, { until: (t) => t.split("\r\n").length > 5 });
    expect(resp2.text).toBe("$-1\r\n*-1\r\n$-1\r\n$-1\r\n*-1\r\n");
    const hello = "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n";
    const resp3 = await rawExchange(target.port, hello + cmds, {
      until: (t) => t.endsWith("_\r\n_\r\n_\r\n_\r\n_\r\n"),
    });
    expect(resp3.text.endsWith("_\r\n_\r\n_\r\n_\r\n_\r\n")).toBe(true);
  });

  it("huge counts and indexes are clamped, not refused", async () => {
    await r.rpush("l", "a", "b", "c");
    expect(await r.call("LPOS", "l", "c", "COUNT", "9223372036854775807", "MAXLEN", "9223372036854775807")).toEqual([
      2,
    ]);
    expect(await r.call("LPOP", "l", "9223372036854775807")).toEqual(["a", "b", "c"]);
    await r.rpush("l", "a", "b", "c");
    expect(await r.call("LMPOP", "1", "l", "RIGHT", "COUNT", "9223372036854775807")).toEqual(["l", ["c", "b", "a"]]);
    expect(await err(r.call("LPOP", "l", "9223372036854775808"))).toBe("ERR value is out of range, must be positive");
    expect(await err(r.call("LRANGE", "l", "0", "9223372036854775808"))).toBe(
      "ERR value is not an integer or out of range",
    );
  });
});

describe("LLEN / LINDEX / LRANGE", () => {
  it("read by index and range with negative indexes", async () => {
    await r.rpush("l", ...range(10));
    expect(await r.llen("l")).toBe(10);
    expect(await r.llen("nope")).toBe(0);
    expect(await r.lindex("l", 0)).toBe("0");
    expect(await r.lindex("l", -1)).toBe("9");
    expect(await r.lindex("l", 10)).toBeNull();
    expect(await r.lindex("l", -11)).toBeNull();
    expect(await r.lrange("l", -3, -1)).toEqual(["7", "8", "9"]);
    expect(await r.lrange("l", 5, 100)).toEqual(["5", "6", "7", "8", "9"]);
    expect(await r.lrange("l", -100, 1)).toEqual(["0", "1"]);
    expect(await r.lrange("l", 3, 2)).toEqual([]);
    expect(await r.lrange("nope", 0, -1)).toEqual([]);
    expect(await r.lrange("l", "-9223372036854775808", "9223372036854775807")).toEqual(range(10));
    expect(await err(r.lindex("l", "x" as unknown as number))).toBe("ERR value is not an integer or out of range");
    expect(await err(r.lrange("l", "a" as unknown as number, 1))).toBe("ERR value is not an integer or out of range");
  });
});

describe("large lists (quicklist of several nodes)", () => {
  it("agree with the model across node boundaries", async () => {
    const big = range(2000, "element-");
    for (let i = 0; i < big.length; i += 500) await r.rpush("l", ...big.slice(i, i + 500));
    expect(await r.llen("l")).toBe(2000);
    expect(await r.lindex("l", 1234)).toBe("element-1234");
    expect(await r.lrange("l", 995, 1004)).toEqual(big.slice(995, 1005));
    expect(await r.call("LPOP", "l", "1500")).toEqual(big.slice(0, 1500));
    expect(await r.lrange("l", 0, -1)).toEqual(big.slice(1500));
  });

  it("DUMP bytes of small and large lists", async () => {
    await r.rpush("small", "a", "1", "bb");
    await r.rpush("large", ...range(1000, "value-"));
    await r.lpush("large", "x".repeat(10000));
    // Golden payloads: what redis-server 7.0.15 DUMPs for these lists.
    const small = await r.dumpBuffer("small");
    expect(small.toString("hex")).toBe(SMALL_DUMP_HEX);
    const large = await r.dumpBuffer("large");
    expect(createHashHex(large)).toBe(LARGE_DUMP_SHA1);
    await r.del("large");
    await r.restore("large", 0, large);
    expect(await r.llen("large")).toBe(1001);
    expect(await r.lindex("large", 1000)).toBe("value-999");
    await r.rpush("large", "more");
    expect(await r.lindex("large", -1)).toBe("more");
  });

  it("DEBUG DIGEST-VALUE equals Redis's", async () => {
    await r.rpush("l", "a", "12", "-3", "x".repeat(100));
    expect(await r.call("DEBUG", "DIGEST-VALUE", "l")).toEqual([DIGEST_L]);
  });
});

describe("LSET / LINSERT / LREM / LTRIM / LPOS", () => {
  it("LSET replaces, with its errors", async () => {
    await r.rpush("l", "a", "b", "c");
    expect(await r.lset("l", 1, "B")).toBe("OK");
    expect(await r.lset("l", -1, "C")).toBe("OK");
    expect(await r.lrange("l", 0, -1)).toEqual(["a", "B", "C"]);
    expect(await err(r.lset("l", 3, "x"))).toBe("ERR index out of range");
    expect(await err(r.lset("nope", 0, "x"))).toBe("ERR no such key");
    expect(await err(r.lset("l", "x" as unknown as number, "x"))).toBe("ERR value is not an integer or out of range");
  });

  it("LINSERT before and after a pivot", async () => {
    await r.rpush("l", "a", "b", "c");
    expect(await r.linsert("l", "BEFORE", "b", "x")).toBe(4);
    expect(await r.linsert("l", "AFTER", "c", "y")).toBe(5);
    expect(await r.linsert("l", "AFTER", "zz", "y")).toBe(-1);
    expect(await r.linsert("nope", "AFTER", "a", "y")).toBe(0);
    expect(await r.lrange("l", 0, -1)).toEqual(["a", "x", "b", "c", "y"]);
    expect(await err(r.call("LINSERT", "l", "MIDDLE", "a", "b"))).toBe("ERR syntax error");
  });

  it("LREM from the head, the tail, or all", async () => {
    await r.rpush("l", "a", "b", "a", "c", "a", "b");
    expect(await r.lrem("l", 1, "a")).toBe(1);
    expect(await r.lrange("l", 0, -1)).toEqual(["b", "a", "c", "a", "b"]);
    expect(await r.lrem("l", -1, "b")).toBe(1);
    expect(await r.lrange("l", 0, -1)).toEqual(["b", "a", "c", "a"]);
    expect(await r.lrem("l", 0, "a")).toBe(2);
    expect(await r.lrem("l", 0, "zz")).toBe(0);
    expect(await r.lrem("nope", 0, "a")).toBe(0);
    expect(await r.lrem("l", 0, "b")).toBe(1);
    expect(await r.lrem("l", 0, "c")).toBe(1);
    expect(await r.exists("l")).toBe(0);
  });

  it("LTRIM keeps a range and deletes an emptied key", async () => {
    await r.rpush("l", ...range(10));
    expect(await r.ltrim("l", 2, -3)).toBe("OK");
    expect(await r.lrange("l", 0, -1)).toEqual(["2", "3", "4", "5", "6", "7"]);
    expect(await r.ltrim("l", 5, 1)).toBe("OK");
    expect(await r.exists("l")).toBe(0);
    expect(await r.ltrim("nope", 0, 1)).toBe("OK");
  });

  it("LPOS with RANK, COUNT and MAXLEN", async () => {
    await r.rpush("l", "a", "b", "c", "1", "2", "3", "c", "c");
    expect(await r.call("LPOS", "l", "c")).toBe(2);
    expect(await r.call("LPOS", "l", "c", "RANK", "2")).toBe(6);
    expect(await r.call("LPOS", "l", "c", "RANK", "-1")).toBe(7);
    expect(await r.call("LPOS", "l", "c", "COUNT", "0")).toEqual([2, 6, 7]);
    expect(await r.call("LPOS", "l", "c", "COUNT", "2", "RANK", "-1")).toEqual([7, 6]);
    expect(await r.call("LPOS", "l", "c", "COUNT", "0", "MAXLEN", "7")).toEqual([2, 6]);
    expect(await r.call("LPOS", "l", "x")).toBeNull();
    expect(await r.call("LPOS", "nope", "x", "COUNT", "1")).toEqual([]);
    expect(await err(r.call("LPOS", "l", "c", "RANK", "0"))).toMatch(/^ERR RANK can't be zero/);
    expect(await err(r.call("LPOS", "l", "c", "COUNT", "-1"))).toBe("ERR COUNT can't be negative");
    expect(await err(r.call("LPOS", "l", "c", "MAXLEN", "-1"))).toBe("ERR MAXLEN can't be negative");
    expect(await err(r.call("LPOS", "l", "c", "RANK"))).toBe("ERR syntax error");
  });
});

describe("LMOVE / RPOPLPUSH / LMPOP", () => {
  it("moves between lists and rotates one list", async () => {
    await r.rpush("a", "1", "2", "3");
    expect(await r.lmove("a", "b", "LEFT", "RIGHT")).toBe("1");
    expect(await r.rpoplpush("a", "b")).toBe("3");
    expect(await r.lrange("b", 0, -1)).toEqual(["3", "1"]);
    expect(await r.lmove("b", "b", "LEFT", "RIGHT")).toBe("3");
    expect(await r.lrange("b", 0, -1)).toEqual(["1", "3"]);
    expect(await r.lmove("a", "a", "RIGHT", "LEFT")).toBe("2");
    expect(await r.lmove("a", "c", "RIGHT", "LEFT")).toBe("2");
    expect(await r.exists("a")).toBe(0);
    expect(await r.lmove("a", "c", "RIGHT", "LEFT")).toBeNull();
    expect(await err(r.call("LMOVE", "b", "c", "UP", "LEFT"))).toBe("ERR syntax error");
    await r.set("s", "v");
    expect(await err(r.lmove("b", "s", "LEFT", "LEFT"))).toMatch(/^WRONGTYPE/);
    expect(await r.lrange("b", 0, -1)).toEqual(["1", "3"]);
  });

  it("LMPOP pops from the first non-empty list", async () => {
    await r.rpush("b", "1", "2", "3");
    expect(await r.call("LMPOP", "2", "a", "b", "LEFT")).toEqual(["b", ["1"]]);
    expect(await r.call("LMPOP", "2", "a", "b", "RIGHT", "COUNT", "10")).toEqual(["b", ["3", "2"]]);
    expect(await r.call("LMPOP", "2", "a", "b", "RIGHT")).toBeNull();
    expect(await err(r.call("LMPOP", "0", "a", "LEFT"))).toBe("ERR numkeys should be greater than 0");
    expect(await err(r.call("LMPOP", "2", "a", "LEFT"))).toBe("ERR syntax error");
    expect(await err(r.call("LMPOP", "1", "a", "LEFT", "COUNT", "0"))).toBe("ERR count should be greater than 0");
    expect(await err(r.call("LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"))).toBe("ERR syntax error");
  });
});

describe("generic commands on lists", () => {
  it("COPY, RENAME, MOVE, OBJECT ENCODING and MEMORY USAGE of small and large lists", async () => {
    await r.rpush("big", ...range(3000, "item-"));
    await r.rpush("small", "a", "b");
    expect(await r.call("COPY", "big", "big2")).toBe(1);
    expect(await r.call("COPY", "small", "small2")).toBe(1);
    await r.rpush("big", "only-in-big");
    expect(await r.llen("big2")).toBe(3000);
    expect(await r.lindex("big2", -1)).toBe("item-2999");
    expect(await r.call("OBJECT", "ENCODING", "big2")).toBe("quicklist");
    expect(Number(await r.call("MEMORY", "USAGE", "big2"))).toBeGreaterThan(30000);
    expect(await r.rename("big2", "big3")).toBe("OK");
    expect(await r.move("big3", 1)).toBe(1);
    await r.select(1);
    expect(await r.lrange("big3", 0, 1)).toEqual(["item-0", "item-1"]);
    await r.select(0);
    await r.del("big");
    expect(await r.lrange("small2", 0, -1)).toEqual(["a", "b"]);
  });
});

describe("keyspace events and dirty", () => {
  it("counts changes as Redis does", async () => {
    const before = async () => Number(/rdb_changes_since_last_save:(\d+)/.exec(await r.info("persistence"))![1]);
    const start = await before();
    await r.rpush("l", "a", "b", "c");
    await r.lpop("l");
    await r.lmove("l", "m", "LEFT", "LEFT");
    await r.ltrim("l", 0, -1);
    await r.lrem("l", 0, "c");
    await r.linsert("m", "BEFORE", "nope", "x");
    expect((await before()) - start).toBe(6);
  });
});

function createHashHex(b: Buffer): string {
  return createHash("sha1").update(b).digest("hex");
}
const SMALL_DUMP_HEX = "12010210100000000300816102010182626203ff0a00df0af310be9d9e9d";
const LARGE_DUMP_SHA1 = "e36aade300f74331ef75c57b7b0c90444fe760e6";
const DIGEST_L = "173d42e35d7fce95cb414434b2aaabe981ec7470";

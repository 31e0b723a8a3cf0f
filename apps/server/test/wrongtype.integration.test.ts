import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

/**
 * Every string command refuses a key of another type with WRONGTYPE (and generic commands work
 * on it). The other type is a list made with LPUSH, on nedis and on Redis alike.
 */
const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});

async function makeList(key: string): Promise<void> {
  await r.del(key);
  await r.lpush(key, "element");
}

const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

describe("WRONGTYPE", () => {
  it("string commands refuse a list key and leave it alone", async () => {
    const commands: string[][] = [
      ["GET", "l"],
      ["GETEX", "l", "EX", "10"],
      ["GETDEL", "l"],
      ["GETSET", "l", "v"],
      ["SET", "l", "v", "GET"],
      ["APPEND", "l", "v"],
      ["STRLEN", "l"],
      ["INCR", "l"],
      ["DECR", "l"],
      ["INCRBY", "l", "2"],
      ["DECRBY", "l", "2"],
      ["INCRBYFLOAT", "l", "1.5"],
      ["GETRANGE", "l", "0", "1"],
      ["SUBSTR", "l", "0", "1"],
      ["SETRANGE", "l", "0", "x"],
    ];
    for (const cmd of commands) {
      await makeList("l");
      await expect(r.call(cmd[0]!, ...cmd.slice(1)), cmd.join(" ")).rejects.toThrow(WRONGTYPE);
      expect(await r.type("l")).toBe("list");
    }
    await makeList("l");
    await expect(r.call("LCS", "l", "x")).rejects.toThrow("ERR The specified keys must contain string values");
  });

  it("MGET answers nil for it; SET and MSET overwrite it", async () => {
    await makeList("l");
    await r.set("s", "v");
    expect(await r.mget("l", "s")).toEqual([null, "v"]);
    expect(await r.set("l", "now a string")).toBe("OK");
    expect(await r.get("l")).toBe("now a string");
    await makeList("l");
    await r.mset("l", "again");
    expect(await r.type("l")).toBe("string");
  });

  it("generic commands handle it: TYPE, EXISTS, RENAME, COPY, MOVE, EXPIRE, OBJECT, SCAN TYPE, DEL", async () => {
    await r.flushall();
    await makeList("l");
    expect(await r.type("l")).toBe("list");
    expect(await r.exists("l")).toBe(1);
    expect(await r.call("OBJECT", "ENCODING", "l")).toBe("quicklist");
    expect(await r.expire("l", 100)).toBe(1);
    expect(await r.rename("l", "m")).toBe("OK");
    expect(await r.type("m")).toBe("list");
    expect(await r.ttl("m")).toBe(100);
    expect(await r.call("COPY", "m", "n")).toBe(1);
    expect(await r.type("n")).toBe("list");
    expect(await r.move("n", 2)).toBe(1);
    const [, keys] = (await r.call("SCAN", "0", "TYPE", "list", "COUNT", "100")) as [string, string[]];
    expect(keys).toEqual(["m"]);
    expect(await r.del("m")).toBe(1);
    expect(await r.dbsize()).toBe(0);
  });
});

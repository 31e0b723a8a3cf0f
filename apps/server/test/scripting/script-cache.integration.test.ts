import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";
import { errorOf, rawReplies, sha1hex } from "./scripting.js";

/** EVALSHA/EVALSHA_RO, SCRIPT LOAD|EXISTS|FLUSH|KILL, and the `#!lua` shebang of EVAL scripts. */

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
  await r.call("SCRIPT", "FLUSH");
});

const GET_KEY = "return redis.call('get',KEYS[1])";
const GET_KEY_SHA = "fd758d1589d044dd850a6f05d52f2eefd27f033f";
const NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

describe("EVALSHA", () => {
  it("runs a script EVAL ran before, by its SHA1 in either case", async () => {
    expect(sha1hex(GET_KEY)).toBe(GET_KEY_SHA);
    await r.set("mykey", "myval");
    expect(await r.call("EVAL", GET_KEY, 1, "mykey")).toBe("myval");
    expect(await r.call("EVALSHA", GET_KEY_SHA, 1, "mykey")).toBe("myval");
    expect(await r.call("EVALSHA", GET_KEY_SHA.toUpperCase(), 1, "mykey")).toBe("myval");
  });

  it("replies NOSCRIPT for unknown or malformed SHA1s", async () => {
    expect(await errorOf(r.call("EVALSHA", "NotValidShaSUM", 0))).toBe(NOSCRIPT);
    expect(await errorOf(r.call("EVALSHA", "ffd632c7d33e571e9f24556ebed26c3479a87130", 0))).toBe(NOSCRIPT);
    expect(await errorOf(r.call("EVALSHA_RO", GET_KEY_SHA, 0))).toBe(NOSCRIPT);
  });

  it("checks arity and numkeys before looking the script up", async () => {
    expect(await errorOf(r.call("EVALSHA", "abc"))).toBe("ERR wrong number of arguments for 'evalsha' command");
    expect(await errorOf(r.call("EVALSHA", GET_KEY_SHA, 1))).toBe(
      "ERR Number of keys can't be greater than number of args",
    );
    expect(await errorOf(r.call("EVALSHA", GET_KEY_SHA, -1))).toBe("ERR Number of keys can't be negative");
  });

  it("EVALSHA_RO refuses writes", async () => {
    const body = "return redis.call('set','x',1)";
    const sha = await r.call("SCRIPT", "LOAD", body);
    expect(await errorOf(r.call("EVALSHA_RO", sha as string, 1, "x"))).toBe(
      `ERR Write commands are not allowed from read-only scripts. script: ${sha1hex(body)}, on @user_script:1.`,
    );
    expect(await r.get("x")).toBeNull();
  });
});

describe("SCRIPT", () => {
  it("LOAD caches a script without running it and replies its SHA1", async () => {
    expect(await r.call("SCRIPT", "LOAD", "return 'loaded'")).toBe("b534286061d4b9e4026607613b95c06c06015ae8");
    expect(await r.call("EVALSHA", "b534286061d4b9e4026607613b95c06c06015ae8", 0)).toBe("loaded");
    expect(await r.call("SCRIPT", "LOAD", "redis.call('set','loaded','1')")).toBe(
      sha1hex("redis.call('set','loaded','1')"),
    );
    expect(await r.exists("loaded")).toBe(0);
  });

  it("LOAD refuses scripts that do not compile", async () => {
    expect(await errorOf(r.call("SCRIPT", "LOAD", "return x("))).toBe(
      "ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'",
    );
    expect(await r.call("SCRIPT", "EXISTS", sha1hex("return x("))).toEqual([0]);
  });

  it("EXISTS answers 1 or 0 for each SHA1", async () => {
    await r.call("EVAL", "return 1+1", 0);
    expect(
      await r.call(
        "SCRIPT",
        "EXISTS",
        "a27e7e8a43702b7046d4f6a7ccf5b60cef6b9bd9",
        "a27e7e8a43702b7046d4f6a7ccf5b60cef6b9bda",
        "A27E7E8A43702B7046D4F6A7CCF5B60CEF6B9BD9",
        "short",
      ),
    ).toEqual([1, 0, 1, 0]);
  });

  it("FLUSH empties the cache, then EVALSHA replies NOSCRIPT", async () => {
    await r.set("mykey", "myval");
    await r.call("EVAL", GET_KEY, 1, "mykey");
    expect(await r.call("SCRIPT", "FLUSH")).toBe("OK");
    expect(await errorOf(r.call("EVALSHA", GET_KEY_SHA, 1, "mykey"))).toBe(NOSCRIPT);
    expect(await r.call("SCRIPT", "EXISTS", GET_KEY_SHA)).toEqual([0]);
  });

  it("FLUSH ASYNC and SYNC empty the cache counted by INFO", async () => {
    for (let j = 0; j < 100; j++) await r.call("SCRIPT", "LOAD", `return ${j}`);
    expect(await r.info("memory")).toContain("number_of_cached_scripts:100\r\n");
    expect(await r.call("SCRIPT", "FLUSH", "ASYNC")).toBe("OK");
    expect(await r.info("memory")).toContain("number_of_cached_scripts:0\r\n");
    await r.call("SCRIPT", "LOAD", "return 1");
    expect(await r.call("SCRIPT", "FLUSH", "sync")).toBe("OK");
    expect(await r.info("memory")).toContain("number_of_cached_scripts:0\r\n");
  });

  it("rejects bad arguments with Redis's errors", async () => {
    const replies =
      "-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n" +
      "-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n" +
      "-ERR wrong number of arguments for 'script|kill' command\r\n" +
      "-NOTBUSY No scripts in execution right now.\r\n" +
      "-ERR wrong number of arguments for 'script|exists' command\r\n" +
      "-ERR wrong number of arguments for 'script|load' command\r\n" +
      "-ERR unknown subcommand 'foo'. Try SCRIPT HELP.\r\n" +
      "-ERR wrong number of arguments for 'script' command\r\n";
    const text = await rawReplies(
      target.port,
      [
        ["SCRIPT", "FLUSH", "bad"],
        ["SCRIPT", "FLUSH", "SYNC", "x"],
        ["SCRIPT", "KILL", "x"],
        ["SCRIPT", "KILL"],
        ["SCRIPT", "EXISTS"],
        ["SCRIPT", "LOAD"],
        ["SCRIPT", "foo"],
        ["SCRIPT"],
      ],
      replies,
    );
    expect(text).toBe(replies);
  });
});

describe("shebang", () => {
  it("accepts #!lua and refuses other engines", async () => {
    expect(await r.call("EVAL", "#!lua\nreturn 1", 0)).toBe(1);
    expect(await errorOf(r.call("EVAL", "#!not-lua\nreturn 1", 0))).toBe(
      "ERR Unexpected engine in script shebang: #!not-lua",
    );
    expect(await errorOf(r.call("EVAL", "#!luax\nreturn 1", 0))).toBe(
      "ERR Unexpected engine in script shebang: #!luax",
    );
    expect(await errorOf(r.call("EVAL", "#!\nreturn 1", 0))).toBe("ERR Unexpected engine in script shebang: #!");
    expect(await errorOf(r.call("EVAL", "#!lua", 0))).toBe("ERR Invalid script shebang");
  });

  it("refuses unknown options and flags", async () => {
    expect(await errorOf(r.call("EVAL", "#!lua badger=data\nreturn 1", 0))).toBe(
      "ERR Unknown lua shebang option: badger=data",
    );
    expect(await errorOf(r.call("EVAL", "#!lua name=foo\nreturn 1", 0))).toBe(
      "ERR Unknown lua shebang option: name=foo",
    );
    expect(await errorOf(r.call("EVAL", "#!lua flags=allow-oom,what?\nreturn 1", 0))).toBe(
      "ERR Unexpected flag in script shebang: what?",
    );
    expect(await errorOf(r.call("SCRIPT", "LOAD", "#!lua badger\nreturn 1"))).toBe(
      "ERR Unknown lua shebang option: badger",
    );
  });

  it("accepts the known flags, an empty list, and spaces around them", async () => {
    for (const shebang of [
      "#!lua flags=",
      "#!lua flags=no-writes",
      "#!lua flags=allow-oom,allow-stale,no-cluster,allow-cross-slot-keys",
      "#!lua   flags=no-writes,allow-stale  ",
      "#!lua flags=no-writes flags=allow-oom",
    ]) {
      expect(await r.call("EVAL", `${shebang}\nreturn 1`, 0), shebang).toBe(1);
    }
  });

  it("no-writes refuses writes; a shebang without it refuses *_RO", async () => {
    const body = "#!lua flags=no-writes\nredis.call('set','x',1)\nreturn 1";
    expect(await errorOf(r.call("EVAL", body, 1, "x"))).toBe(
      `ERR Write commands are not allowed from read-only scripts. script: ${sha1hex(body)}, on @user_script:2.`,
    );
    expect(await errorOf(r.call("EVAL_RO", "#!lua\nreturn 1", 0))).toBe(
      "ERR Can not execute a script with write flag using *_ro command.",
    );
    expect(await r.call("EVAL_RO", "#!lua flags=no-writes\nreturn 1", 0)).toBe(1);
    expect(await r.call("EVAL_RO", "return 1", 0)).toBe(1);
  });

  it("a shebang script may access undeclared keys (no cluster here)", async () => {
    await r.set("x", "v");
    expect(await r.call("EVAL", "#!lua\nreturn redis.call('get','x')", 0)).toBe("v");
    expect(await r.call("EVAL", "#!lua flags=no-writes\nreturn redis.call('get','x')", 0)).toBe("v");
  });

  it("EVALSHA of a loaded shebang script keeps its flags", async () => {
    const sha = (await r.call("SCRIPT", "LOAD", "#!lua flags=no-writes\nreturn redis.call('echo','foobar')")) as string;
    expect(await r.call("EVALSHA_RO", sha, 0)).toBe("foobar");
    const writer = (await r.call("SCRIPT", "LOAD", "#!lua\nreturn 1")) as string;
    expect(await errorOf(r.call("EVALSHA_RO", writer, 0))).toBe(
      "ERR Can not execute a script with write flag using *_ro command.",
    );
  });
});

import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";
import { errorOf, libraryCode } from "./scripting.js";

/** FUNCTION DUMP and FUNCTION RESTORE [FLUSH|APPEND|REPLACE] (functions.tcl). */

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.call("FUNCTION", "FLUSH");
});

const load = (code: string) => r.call("FUNCTION", "LOAD", code);
const listedTest = [
  ["library_name", "test", "engine", "LUA", "functions", [["name", "test", "description", null, "flags", []]]],
];

describe("FUNCTION DUMP and RESTORE", () => {
  const dump = async () => (await r.callBuffer("FUNCTION", "DUMP")) as Buffer;
  const restore = (payload: Buffer, ...policy: string[]) => r.call("FUNCTION", "RESTORE", payload, ...policy);

  it("restores what was dumped, with FLUSH, APPEND or REPLACE", async () => {
    await load(libraryCode("test", "test", "return 'hello'"));
    const payload = await dump();
    await r.call("FUNCTION", "DELETE", "test");
    expect(await restore(payload)).toBe("OK");
    expect(await r.call("FUNCTION", "LIST")).toEqual(listedTest);
    expect(await restore(payload, "FLUSH")).toBe("OK");
    expect(await r.call("FCALL", "test", 0)).toBe("hello");

    await r.call("FUNCTION", "FLUSH");
    await load(libraryCode("test", "test", "return 'hello1'"));
    expect(await errorOf(restore(payload, "APPEND"))).toBe("ERR Library test already exists");
    expect(await restore(payload, "REPLACE")).toBe("OK");
    expect(await r.call("FCALL", "test", 0)).toBe("hello");

    await r.call("FUNCTION", "FLUSH");
    await load(libraryCode("test1", "test1", "return 'hello1'"));
    expect(await restore(payload, "APPEND")).toBe("OK");
    expect([await r.call("FCALL", "test", 0), await r.call("FCALL", "test1", 0)]).toEqual(["hello", "hello1"]);
  });

  it("a bad payload or policy keeps the existing functions", async () => {
    await load(libraryCode("test", "test", "return 'hello'"));
    expect(await errorOf(r.call("FUNCTION", "RESTORE", "bad_payload"))).toBe(
      "ERR DUMP payload version or checksum are wrong",
    );
    expect(await errorOf(restore(await dump(), "BAD"))).toBe(
      "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.",
    );
    expect(await errorOf(r.call("FUNCTION", "RESTORE", "arg1", "args2", "arg3"))).toBe(
      "ERR unknown subcommand or wrong number of arguments for 'RESTORE'. Try FUNCTION HELP.",
    );
    expect(await r.call("FUNCTION", "LIST")).toEqual(listedTest);
  });

  it("refuses a library or function name collision", async () => {
    await load(
      "#!lua name=lib1\nredis.register_function('f1', function() return 2 end)\nredis.register_function('f3', function() return 4 end)",
    );
    const payload = await dump();
    await r.call("FUNCTION", "FLUSH");
    await load("#!lua name=lib1\nredis.register_function('f6', function() return 7 end)");
    await load("#!lua name=lib2\nredis.register_function('f3', function() return 5 end)");
    expect(await errorOf(restore(payload))).toBe("ERR Library lib1 already exists");
    expect(await errorOf(restore(payload, "REPLACE"))).toBe("ERR Function f3 already exists");
    expect([await r.call("FCALL", "f3", 0), await r.call("FCALL", "f6", 0)]).toEqual([5, 7]);
  });
});

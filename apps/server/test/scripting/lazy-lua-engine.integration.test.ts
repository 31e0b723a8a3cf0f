import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { existingFunctions } from "../../src/scripting/functions/serverFunctions.js";
import { existingLuaScripting } from "../../src/scripting/LuaScripting.js";
import { startTarget, useTarget } from "../utils/target.js";

/**
 * The Lua runtime (its WebAssembly module and each engine's memory) costs nothing until a script
 * or a function is first used: an idle server does not hold it. Scripts and functions work the
 * first time all the same, including functions that come back from an RDB at startup.
 */

const LIBRARY = "#!lua name=lazylib\nredis.register_function('lazy_echo', function(keys, args) return args[1] end)";

describe("Lua scripting on first use", () => {
  const target = useTarget();

  it("nedis-only: no Lua engine exists until the first EVAL or FUNCTION command", async () => {
    if (target.kind !== "nedis") return;
    const r = target.client();
    await r.set("k", "v");
    await r.info();
    await r.call("FUNCTION", "LIST");
    expect(existingLuaScripting(target.server!)).toBeUndefined();
    expect(existingFunctions(target.server!)).toBeUndefined();
    expect(await r.call("MEMORY", "MALLOC-STATS")).toContain("lua eval engine: not created");
  });

  it("EVAL works the first time", async () => {
    const r = target.client();
    await r.set("k", "v");
    expect(await r.eval("return redis.call('GET', KEYS[1]) .. ARGV[1]", 1, "k", "!")).toBe("v!");
    if (target.kind === "nedis") expect(existingLuaScripting(target.server!)).toBeDefined();
  });

  it("FUNCTION LOAD and FCALL work the first time", async () => {
    const r = target.client();
    expect(await r.call("FUNCTION", "LOAD", LIBRARY)).toBe("lazylib");
    expect(await r.call("FCALL", "lazy_echo", "0", "hi")).toBe("hi");
    await r.call("FUNCTION", "DELETE", "lazylib");
  });
});

describe("functions saved in an RDB", () => {
  const dir = mkdtempSync(join(tmpdir(), "nedis-lazy-lua-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("are callable at once after a restart that loads them", async () => {
    const config: [string, string[]][] = [
      ["dir", [dir]],
      ["dbfilename", ["lazy.rdb"]],
    ];
    const first = await startTarget(config);
    try {
      const r = first.client();
      await r.call("FUNCTION", "LOAD", LIBRARY);
      await r.save();
    } finally {
      await first.stop();
    }
    const second = await startTarget(config);
    try {
      const r = second.client();
      expect(await r.call("FCALL", "lazy_echo", "0", "again")).toBe("again");
    } finally {
      await second.stop();
    }
  });
});

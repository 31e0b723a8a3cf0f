import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTarget, type Target } from "./utils/target.js";

/**
 * MODULE as Redis 7.0.15 answers it with no module loaded: LIST is empty, LOAD/LOADEX/UNLOAD
 * are protected by `enable-module-command` and, when allowed, fail as a missing module fails.
 * Both targets (NEDIS_TEST_TARGET=redis).
 */
const REFUSED =
  'ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

describe("MODULE with enable-module-command no (the default)", () => {
  let target: Target;
  let r: Redis;
  beforeAll(async () => {
    target = await startTarget();
    r = target.client();
  });
  afterAll(async () => {
    r.disconnect();
    await target.stop();
  });

  it("lists no module and refuses the protected subcommands", async () => {
    expect(await r.call("MODULE", "LIST")).toEqual([]);
    await expect(r.call("MODULE", "LOAD", "/nonexistent/mod.so")).rejects.toThrow(REFUSED);
    await expect(r.call("MODULE", "LOADEX", "/nonexistent/mod.so", "ARGS", "a")).rejects.toThrow(REFUSED);
    await expect(r.call("MODULE", "UNLOAD", "mod")).rejects.toThrow(REFUSED);
  });

  it("checks arity before protection, and names unknown subcommands", async () => {
    await expect(r.call("MODULE", "LOAD")).rejects.toThrow("ERR wrong number of arguments for 'module|load' command");
    await expect(r.call("MODULE", "UNLOAD", "a", "b")).rejects.toThrow(
      "ERR wrong number of arguments for 'module|unload' command",
    );
    await expect(r.call("module", "nosuch")).rejects.toThrow("ERR unknown subcommand 'nosuch'. Try MODULE HELP.");
    await expect(r.call("MODULE")).rejects.toThrow("ERR wrong number of arguments for 'module' command");
  });

  it("MODULE HELP lists the subcommands", async () => {
    const help = (await r.call("MODULE", "HELP")) as string[];
    expect(help[0]).toBe("MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    expect(help).toContain("LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]");
    expect(help.at(-2)).toBe("HELP");
  });
});

describe("MODULE with enable-module-command yes", () => {
  let target: Target;
  let r: Redis;
  beforeAll(async () => {
    target = await startTarget([["enable-module-command", ["yes"]]]);
    r = target.client();
  });
  afterAll(async () => {
    r.disconnect();
    await target.stop();
  });

  it("fails to load a module and to unload one never loaded", async () => {
    const failed = "ERR Error loading the extension. Please check the server logs.";
    await expect(r.call("MODULE", "LOAD", "/nonexistent/mod.so")).rejects.toThrow(failed);
    await expect(r.call("MODULE", "LOADEX", "/nonexistent/mod.so", "CONFIG", "a", "b")).rejects.toThrow(failed);
    await expect(r.call("MODULE", "UNLOAD", "mod")).rejects.toThrow(
      "ERR Error unloading module: no such module with that name",
    );
    expect(await r.call("MODULE", "LIST")).toEqual([]);
  });
});

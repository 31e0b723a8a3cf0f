import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWithConfigFile } from "./utils/configFileTarget.js";
import type { Target } from "./utils/target.js";

/**
 * `rename-command` in the config file, as Redis 7.0.15 applies it: only the name → command map
 * changes. A renamed command keeps its own name everywhere it is reported (COMMAND INFO/LIST/
 * DOCS, arity errors, ACL rules); a command renamed to "" is gone, from COMMAND too.
 * Runs against real Redis too (NEDIS_TEST_TARGET=redis), from the same file.
 */
const dir = realpathSync(mkdtempSync(join(tmpdir(), "nedis-rename-")));
const path = join(dir, "rename.conf");
let target: Target;

beforeAll(async () => {
  writeFileSync(
    path,
    [
      "# renamed commands",
      "rename-command set myset",
      'rename-command FLUSHALL ""',
      "rename-command config Cfg",
      "",
    ].join("\n"),
  );
  target = await startWithConfigFile(path);
});
afterAll(async () => {
  await target?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(process.env.NEDIS_TEST_URL)("rename-command", () => {
  it("calls a renamed command by its new name only", async () => {
    const c = target.client();
    await expect(c.call("SET", "k", "1")).rejects.toThrow(
      "ERR unknown command 'SET', with args beginning with: 'k' '1' ",
    );
    expect(await c.call("MYSET", "k", "1")).toBe("OK");
    expect(await c.call("GET", "k")).toBe("1");
    await expect(c.call("myset", "k")).rejects.toThrow("ERR wrong number of arguments for 'set' command");
    await expect(c.call("FLUSHALL")).rejects.toThrow("ERR unknown command 'FLUSHALL', with args beginning with: ");
    await expect(c.call("CONFIG", "GET", "port")).rejects.toThrow("ERR unknown command 'CONFIG'");
    expect(await c.call("cfg", "GET", "maxmemory")).toEqual(["maxmemory", "0"]);
    // The help hint names the command as typed, so by its new name.
    await expect(c.call("cfg", "nosuch")).rejects.toThrow("ERR unknown subcommand 'nosuch'. Try CFG HELP.");
    await expect(c.call("cOnFiG", "nosuch")).rejects.toThrow("ERR unknown command 'cOnFiG'");
  });

  it("COMMAND shows the command under its own name, and a removed one not at all", async () => {
    const c = target.client();
    const [info] = (await c.call("COMMAND", "INFO", "myset")) as [unknown[]];
    expect(info[0]).toBe("set");
    expect(await c.call("COMMAND", "INFO", "set", "flushall")).toEqual([null, null]);
    const docs = (await c.call("COMMAND", "DOCS", "MYSET")) as unknown[];
    expect(docs[0]).toBe("set");
    expect(await c.call("COMMAND", "DOCS", "set")).toEqual([]);
    const list = (await c.call("COMMAND", "LIST")) as string[];
    expect(list).toContain("set");
    expect(list).toContain("config|get");
    expect(list).not.toContain("myset");
    expect(list).not.toContain("flushall");
    expect(list).not.toContain("cfg");
    const all = (await c.call("COMMAND")) as unknown[][];
    expect(await c.call("COMMAND", "COUNT")).toBe(all.length);
    expect(all.some((entry) => entry[0] === "flushall")).toBe(false);
    expect(await c.call("COMMAND", "GETKEYS", "myset", "a", "b")).toEqual(["a"]);
    await expect(c.call("COMMAND", "GETKEYS", "set", "a", "b")).rejects.toThrow("ERR Invalid command specified");
  });

  it("scripts call the new name; ACL rules keep the command's own name", async () => {
    const c = target.client();
    expect(await c.call("EVAL", "return redis.call('myset', KEYS[1], 'v')", "1", "s")).toBe("OK");
    await expect(c.call("EVAL", "return redis.call('set', KEYS[1], 'v')", "1", "s")).rejects.toThrow(
      "Unknown Redis command called from script",
    );
    expect(await c.call("ACL", "SETUSER", "renamer", "+set")).toBe("OK");
    await expect(c.call("ACL", "SETUSER", "renamer", "+myset")).rejects.toThrow(
      "ERR Error in ACL SETUSER modifier '+myset': Unknown command or category name in ACL",
    );
  });

  it("CONFIG REWRITE keeps the rename-command lines", async () => {
    const c = target.client();
    expect(await c.call("CFG", "REWRITE")).toBe("OK");
    const lines = readFileSync(path, "latin1").split("\n");
    expect(lines).toEqual(
      expect.arrayContaining(["rename-command set myset", 'rename-command FLUSHALL ""', "rename-command config Cfg"]),
    );
  });
});

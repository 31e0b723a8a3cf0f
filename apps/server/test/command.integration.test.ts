import { describe, expect, it } from "vitest";
import { rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget();

const GET_INFO =
  "*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";

describe("COMMAND", () => {
  it("COMMAND INFO replies Redis's exact metadata, nil for unknown commands", async () => {
    const { text } = await rawExchange(target.port, "COMMAND INFO nosuch get\r\n", {
      until: (t) => t.length >= GET_INFO.length + 9,
    });
    expect(text).toBe(`*2\r\n$-1\r\n${GET_INFO}`);
  });

  it("COMMAND INFO in RESP3 uses sets and maps", async () => {
    const { text } = await rawExchange(target.port, "HELLO 3\r\nCOMMAND INFO ping\r\n", {
      until: (t) => t.endsWith("~0\r\n~0\r\n~0\r\n") || t.endsWith("*0\r\n"),
    });
    expect(text).toContain(
      "*1\r\n*10\r\n$4\r\nping\r\n:-1\r\n~1\r\n+fast\r\n:0\r\n:0\r\n:0\r\n~2\r\n+@fast\r\n+@connection\r\n",
    );
  });

  it("COMMAND INFO of a subcommand by its full name", async () => {
    const r = target.client();
    const [info] = (await r.call("COMMAND", "INFO", "client|id")) as unknown[][];
    expect(info!.slice(0, 7)).toEqual([
      "client|id",
      2,
      ["noscript", "loading", "stale"],
      0,
      0,
      0,
      ["@slow", "@connection"],
    ]);
  });

  it("COMMAND DOCS maps names to their documentation", async () => {
    const r = target.client();
    const docs = (await r.call("COMMAND", "DOCS", "get", "nosuch")) as unknown[];
    expect(docs[0]).toBe("get");
    expect(docs[1]).toEqual([
      "summary",
      "Get the value of a key",
      "since",
      "1.0.0",
      "group",
      "string",
      "complexity",
      "O(1)",
      "arguments",
      [["name", "key", "type", "key", "key_spec_index", 0]],
    ]);
    expect(docs).toHaveLength(2);
  });

  it("COMMAND LIST filters by ACL category and pattern", async () => {
    const r = target.client();
    const all = (await r.call("COMMAND", "LIST")) as string[];
    expect(all).toContain("get");
    expect(all).toContain("client|id");
    expect(await r.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "ech*")).toEqual(["echo"]);
    expect(await r.call("COMMAND", "LIST", "FILTERBY", "MODULE", "x")).toEqual([]);
    expect((await r.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "string")) as string[]).toContain("get");
    await expect(r.call("COMMAND", "LIST", "FILTERBY", "foo", "x")).rejects.toThrow("ERR syntax error");
  });

  it("COMMAND GETKEYS and GETKEYSANDFLAGS", async () => {
    const r = target.client();
    expect(await r.call("COMMAND", "GETKEYS", "get", "a")).toEqual(["a"]);
    expect(await r.call("COMMAND", "GETKEYS", "del", "a", "b", "c")).toEqual(["a", "b", "c"]);
    expect(await r.call("COMMAND", "GETKEYSANDFLAGS", "del", "a", "b")).toEqual([
      ["a", ["RM", "delete"]],
      ["b", ["RM", "delete"]],
    ]);
    await expect(r.call("COMMAND", "GETKEYS", "get")).rejects.toThrow(
      "ERR wrong number of arguments for 'command|getkeys' command",
    );
    await expect(r.call("COMMAND", "GETKEYS", "get", "a", "b")).rejects.toThrow(
      "ERR Invalid number of arguments specified for command",
    );
    await expect(r.call("COMMAND", "GETKEYS", "nosuch", "a")).rejects.toThrow("ERR Invalid command specified");
    await expect(r.call("COMMAND", "GETKEYS", "ping", "x")).rejects.toThrow("ERR The command has no key arguments");
  });

  it("COMMAND HELP", async () => {
    const help = (await target.client().call("COMMAND", "HELP")) as string[];
    expect(help[0]).toBe("COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    expect(help).toContain("GETKEYSANDFLAGS <full-command>");
    expect(help.at(-1)).toBe("    Prints this help.");
  });
});

describe("COMMAND GETKEYSANDFLAGS for commands with variable key flags", () => {
  it("SET overwrites its key, SET … GET also reads it", async () => {
    const r = target.client();
    expect(await r.call("COMMAND", "GETKEYSANDFLAGS", "set", "a", "b")).toEqual([["a", ["OW", "update"]]]);
    expect(await r.call("COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "get")).toEqual([
      ["a", ["RW", "access", "update"]],
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { CMD, type CommandSpec, defineCommand, flagBitsOf } from "../src/commands/CommandSpec.js";
import { ALL_COMMANDS } from "../src/commands/index.js";
import { withRedisMetadata } from "../src/commands/metadata/fillMetadata.js";
import { redisCommandInfo } from "../src/commands/metadata/RedisMetadata.js";

function byName(fullName: string): CommandSpec {
  const [name, subName] = fullName.split("|");
  const cmd = ALL_COMMANDS.find((c) => c.name === name);
  const spec = subName === undefined ? cmd : cmd?.subcommands?.find((s) => s.name === subName);
  if (spec === undefined) throw new Error(`no ${fullName} in the table`);
  return spec;
}

/** What the fill left in a spec, in COMMAND INFO's terms. */
function filled(fullName: string) {
  const s = byName(fullName);
  return {
    arity: s.arity,
    flags: [...s.flags].sort(),
    acl: s.aclCategories.map((c) => `@${c}`).sort(),
    keys: [s.firstKey, s.lastKey, s.keyStep],
  };
}

describe("the command table", () => {
  it("holds only commands and subcommands Redis 7.0's metadata knows", () => {
    for (const cmd of ALL_COMMANDS) {
      expect(redisCommandInfo(cmd.name), `${cmd.name} is not a Redis 7.0 command`).toBeDefined();
      for (const sub of cmd.subcommands ?? [])
        expect(redisCommandInfo(`${cmd.name}|${sub.name}`), `${cmd.name}|${sub.name}`).toBeDefined();
    }
  });

  it("is filled with Redis 7.0's arity, flags, ACL categories and key positions", () => {
    // Values as real Redis 7.0.15's COMMAND INFO prints them, typed here rather than read back.
    expect(filled("get")).toEqual({
      arity: 2,
      flags: ["fast", "readonly"],
      acl: ["@fast", "@read", "@string"],
      keys: [1, 1, 1],
    });
    expect(filled("set")).toEqual({
      arity: -3,
      flags: ["denyoom", "write"],
      acl: ["@slow", "@string", "@write"],
      keys: [1, 1, 1],
    });
    expect(filled("mset")).toEqual({
      arity: -3,
      flags: ["denyoom", "write"],
      acl: ["@slow", "@string", "@write"],
      keys: [1, -1, 2],
    });
    expect(filled("incr")).toEqual({
      arity: 2,
      flags: ["denyoom", "fast", "write"],
      acl: ["@fast", "@string", "@write"],
      keys: [1, 1, 1],
    });
    expect(filled("client|kill")).toEqual({
      arity: -3,
      flags: ["admin", "loading", "noscript", "stale"],
      acl: ["@admin", "@connection", "@dangerous", "@slow"],
      keys: [0, 0, 0],
    });
    expect(filled("object|encoding")).toEqual({
      arity: 3,
      flags: ["readonly"],
      acl: ["@keyspace", "@read", "@slow"],
      keys: [2, 2, 1],
    });
    expect(filled("client|setinfo").arity).toBe(4);
  });

  it("computes flagBits from the filled flags", () => {
    expect(byName("get").flagBits).toBe(CMD.READONLY | CMD.FAST);
    expect(byName("set").flagBits).toBe(CMD.WRITE | CMD.DENYOOM);
    expect(byName("exec").flagBits & CMD.TRANSACTION_CONTROL).not.toBe(0);
    for (const cmd of ALL_COMMANDS) {
      expect(cmd.aclCategories.length, `${cmd.name} has no ACL categories`).toBeGreaterThan(0);
      expect(cmd.arity, `${cmd.name} has no arity`).not.toBe(0);
      const byNameBits = CMD.PUBSUB_CONTEXT | CMD.TRANSACTION_CONTROL | CMD.PROTECTED;
      expect(cmd.flagBits & ~byNameBits, cmd.name).toBe(flagBitsOf(cmd.flags, null));
      for (const sub of cmd.subcommands ?? []) {
        expect(sub.arity, `${cmd.name}|${sub.name} has no arity`).not.toBe(0);
        expect(sub.flagBits & ~CMD.PROTECTED, `${cmd.name}|${sub.name}`).toBe(flagBitsOf(sub.flags, null));
      }
    }
  });

  it("refuses a spec Redis 7.0 does not know, or one without a handler", () => {
    const handler = () => {};
    expect(() => withRedisMetadata([defineCommand({ name: "nosuchcommand", handler })])).toThrow(
      /nosuchcommand is not in Redis 7\.0's command metadata/,
    );
    expect(() =>
      withRedisMetadata([
        defineCommand({ name: "client", handler, subcommands: [defineCommand({ name: "nosuch", handler })] }),
      ]),
    ).toThrow(/client\|nosuch is not in Redis 7\.0's command metadata/);
    const noHandler = defineCommand({ name: "get", handler: undefined as unknown as typeof handler });
    expect(() => withRedisMetadata([noHandler])).toThrow(/get has no handler/);
  });

  it("gives every spec one shape, whatever it declares", () => {
    const keys = (s: CommandSpec) => Object.keys(s).join();
    const shape = keys(ALL_COMMANDS[0]!);
    for (const cmd of ALL_COMMANDS) {
      expect(keys(cmd), cmd.name).toBe(shape);
      for (const sub of cmd.subcommands ?? []) expect(keys(sub), `${cmd.name}|${sub.name}`).toBe(shape);
    }
  });

  it("has no duplicate names", () => {
    const names = ALL_COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

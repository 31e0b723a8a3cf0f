import { describe, expect, it } from "vitest";
import type { CommandSpec } from "../src/commands/CommandSpec.js";
import { ALL_COMMANDS } from "../src/commands/index.js";
import { redisCommandInfo, type TypedValue } from "../src/commands/metadata/RedisMetadata.js";

// Sentinel-only flags are not reported by COMMAND INFO; everything else must equal Redis 7.0's.
const HIDDEN_FLAGS = new Set(["sentinel", "only_sentinel"]);

function strings(v: TypedValue | undefined): string[] {
  return v !== undefined && Array.isArray(v[1]) ? v[1].map((x) => String(x[1])) : [];
}

function expectLikeRedis(cmd: CommandSpec, fullName: string): void {
  const info = redisCommandInfo(fullName);
  expect(info, `${fullName} is not a Redis 7.0 command`).toBeDefined();
  const f = info![1] as TypedValue[];
  expect(
    {
      arity: cmd.arity,
      flags: cmd.flags.filter((x) => !HIDDEN_FLAGS.has(x)).sort(),
      acl: cmd.aclCategories.map((c) => `@${c}`).sort(),
      keys: [cmd.firstKey, cmd.lastKey, cmd.keyStep],
    },
    fullName,
  ).toEqual({
    arity: f[1]![1],
    flags: strings(f[2]).sort(),
    acl: strings(f[6]).sort(),
    keys: [f[3]![1], f[4]![1], f[5]![1]],
  });
}

describe("the command table", () => {
  it("declares every command with Redis 7.0's arity, flags, ACL categories and key positions", () => {
    for (const cmd of ALL_COMMANDS) {
      expectLikeRedis(cmd, cmd.name);
      for (const sub of cmd.subcommands ?? []) expectLikeRedis(sub, `${cmd.name}|${sub.name}`);
    }
  });

  it("has no duplicate names", () => {
    const names = ALL_COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

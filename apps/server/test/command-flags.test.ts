import { describe, expect, it } from "vitest";
import { CMD, type CommandFlag, flagBitsOf } from "../src/commands/CommandSpec.js";
import { ALL_COMMANDS } from "../src/commands/index.js";

const ALL_FLAGS: readonly CommandFlag[] = [
  "write",
  "readonly",
  "denyoom",
  "module",
  "admin",
  "pubsub",
  "noscript",
  "blocking",
  "loading",
  "stale",
  "skip_monitor",
  "skip_slowlog",
  "asking",
  "fast",
  "no_auth",
  "may_replicate",
  "sentinel",
  "only_sentinel",
  "no_mandatory_keys",
  "protected",
  "no_async_loading",
  "no_multi",
  "movablekeys",
  "allow_busy",
];
// By-name bits (PROTECTED: Redis's CMD_PROTECTED, which COMMAND INFO does not list).
const PRIVATE = CMD.PUBSUB_CONTEXT | CMD.TRANSACTION_CONTROL | CMD.PROTECTED;

describe("command flag bits", () => {
  it("give every flag its own bit, at Redis's CMD_* positions", () => {
    const bits = ALL_FLAGS.map((f) => flagBitsOf([f], null));
    for (const b of bits) expect(b & (b - 1), "one bit per flag").toBe(0);
    expect(new Set(bits).size).toBe(ALL_FLAGS.length);
    expect(bits.reduce((a, b) => a | b, 0) & (CMD.PUBSUB_CONTEXT | CMD.TRANSACTION_CONTROL)).toBe(0);
    // server.h: CMD_WRITE (1<<0), CMD_DENYOOM (1<<2), CMD_BLOCKING (1<<8), CMD_NO_MULTI (1<<24), CMD_ALLOW_BUSY (1<<26).
    expect([CMD.WRITE, CMD.DENYOOM, CMD.BLOCKING, CMD.NO_MULTI, CMD.ALLOW_BUSY]).toEqual([1, 4, 256, 1 << 24, 1 << 26]);
  });

  it("are computed once per spec and agree with the flag names", () => {
    for (const cmd of ALL_COMMANDS) {
      expect(cmd.flagBits & ~PRIVATE, cmd.name).toBe(flagBitsOf(cmd.flags, null));
      for (const sub of cmd.subcommands ?? [])
        expect(sub.flagBits & ~PRIVATE, `${cmd.name}|${sub.name}`).toBe(flagBitsOf(sub.flags, null));
    }
  });

  it("mark DEBUG and MODULE LOAD, LOADEX and UNLOAD protected, nothing else", () => {
    const protectedNames: string[] = [];
    for (const cmd of ALL_COMMANDS) {
      if ((cmd.flagBits & CMD.PROTECTED) !== 0) protectedNames.push(cmd.name);
      for (const sub of cmd.subcommands ?? [])
        if ((sub.flagBits & CMD.PROTECTED) !== 0) protectedNames.push(`${cmd.name}|${sub.name}`);
    }
    expect(protectedNames.sort()).toEqual(["debug", "module|load", "module|loadex", "module|unload"]);
  });

  it("mark what MULTI does not queue and what RESP2 pub/sub mode allows, on top-level commands only", () => {
    const named = (bit: number) =>
      ALL_COMMANDS.filter((c) => (c.flagBits & bit) !== 0)
        .map((c) => c.name)
        .sort();
    expect(named(CMD.TRANSACTION_CONTROL)).toEqual(["discard", "exec", "multi", "quit", "reset", "watch"]);
    expect(named(CMD.PUBSUB_CONTEXT)).toEqual([
      "ping",
      "psubscribe",
      "punsubscribe",
      "quit",
      "reset",
      "ssubscribe",
      "subscribe",
      "sunsubscribe",
      "unsubscribe",
    ]);
    // SLOWLOG RESET is no RESET.
    const slowlogReset = ALL_COMMANDS.find((c) => c.name === "slowlog")?.subcommands?.find((s) => s.name === "reset");
    expect(slowlogReset).toBeDefined();
    expect(slowlogReset!.flagBits & PRIVATE).toBe(0);
  });
});

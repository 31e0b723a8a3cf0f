import { describe, expect, it } from "vitest";
import type { ConfigKind, ParseResult } from "../src/config/ConfigOption.js";
import {
  boolKind,
  enumKind,
  flagsEnumKind,
  numericKind,
  stringKind,
  UINT_MAX,
  ULLONG_MAX,
} from "../src/config/kinds.js";
import {
  bindKind,
  clientOutputBufferLimitKind,
  latencyPercentilesKind,
  notifyKeyspaceEventsKind,
  type OutputBufferLimits,
  oomScoreAdjValuesKind,
  replicaOfKind,
  type SaveParam,
  saveKind,
} from "../src/config/specialKinds.js";

function parse<T>(
  kind: ConfigKind<T>,
  words: string[],
  current?: T,
  appending = false,
  command = true,
): ParseResult<T> {
  return kind.parse(words, { current: current as T, appending, command });
}

const error = (reason: string) => ({ ok: false, error: reason });

describe("bool options", () => {
  it("take yes or no in any case", () => {
    expect(parse(boolKind(), ["YES"])).toEqual({ ok: true, value: true });
    expect(parse(boolKind(), ["no"])).toEqual({ ok: true, value: false });
    expect(parse(boolKind(), ["1"])).toEqual(error("argument must be 'yes' or 'no'"));
  });

  it("rewrite only when changed from the default", () => {
    expect(boolKind().rewrite!("x", true, true)).toEqual([{ line: "x yes", force: false }]);
    expect(boolKind().rewrite!("x", false, true)).toEqual([{ line: "x no", force: true }]);
  });
});

describe("numeric options", () => {
  it("report signed bounds in decimal", () => {
    const hz = numericKind({ min: 0n, max: 2147483647n });
    expect(parse(hz, ["-1"])).toEqual(error("argument must be between 0 and 2147483647 inclusive"));
    expect(parse(hz, ["1kb"])).toEqual(error("argument couldn't be parsed into an integer"));
  });

  it("compare unsigned types as unsigned, so -1 fails the upper bound", () => {
    const maxclients = numericKind({ min: 1n, max: UINT_MAX, unsigned: true });
    expect(parse(maxclients, ["-1"])).toEqual(error("argument must be between 1 and 4294967295 inclusive"));
  });

  it("print octal bounds for octal options", () => {
    const perm = numericKind({ min: 0n, max: 0o777n, unsigned: true, octal: true });
    expect(parse(perm, ["700"])).toEqual({ ok: true, value: 0o700 });
    expect(parse(perm, ["1000"])).toEqual(error("argument must be between 0 and 777 inclusive"));
    expect(parse(perm, ["9"])).toEqual(error("argument couldn't be parsed as an octal number"));
    expect(perm.format(0o700)).toBe("700");
  });

  it("take memory units and print bytes, rewriting in units", () => {
    const mem = numericKind({ min: 0n, max: ULLONG_MAX, memory: true, unsigned: true });
    expect(parse(mem, ["1gb"])).toEqual({ ok: true, value: 1073741824 });
    expect(parse(mem, ["-1"])).toEqual(error("argument must be a memory value"));
    expect(mem.rewrite!("maxmemory", 1073741824, 0)).toEqual([{ line: "maxmemory 1gb", force: true }]);
  });

  it("keep the exact digits of values beyond 2^53", () => {
    const mem = numericKind({ min: 0n, max: ULLONG_MAX, memory: true, unsigned: true });
    const r = parse(mem, ["9223372036854775807"]);
    expect(r.ok && mem.format(r.value)).toBe("9223372036854775807");
    const max = parse(mem, ["18446744073709551615"]);
    expect(max.ok && mem.format(max.value)).toBe("18446744073709551615");
  });

  it("take N% as -N when percent is allowed", () => {
    const clients = numericKind({ min: -100n, max: (1n << 63n) - 1n, memory: true, percent: true });
    expect(parse(clients, ["10%"])).toEqual({ ok: true, value: -10 });
    expect(clients.format(-10)).toBe("10%");
    expect(parse(clients, ["101%"])).toEqual(error("percentage argument must be less or equal to 100"));
    expect(parse(clients, ["-5"])).toEqual(error("argument must be a memory or percent value"));
    expect(clients.rewrite!("maxmemory-clients", -10, 0)).toEqual([{ line: "maxmemory-clients 10%", force: true }]);
  });

  it("clamp where Redis clamps: always, or only on CONFIG SET", () => {
    const hz = numericKind({ min: 0n, max: 2147483647n, clamp: [1, 500] });
    expect(parse(hz, ["0"])).toEqual({ ok: true, value: 1 });
    expect(parse(hz, ["1000"])).toEqual({ ok: true, value: 500 });
    const backlog = numericKind({ min: 1n, max: (1n << 63n) - 1n, memory: true, commandClamp: [16384, Infinity] });
    expect(parse(backlog, ["1kb"], undefined, false, true)).toEqual({ ok: true, value: 16384 });
    expect(parse(backlog, ["1kb"], undefined, false, false)).toEqual({ ok: true, value: 1024 });
  });
});

describe("enum options", () => {
  it("list every name in the error and print a synonym by its first name", () => {
    const oom = enumKind(["no", "yes", "relative", "absolute"] as const, { sameAs: { relative: "yes" } });
    expect(parse(oom, ["RELATIVE"])).toEqual({ ok: true, value: "yes" });
    expect(parse(oom, ["x"])).toEqual(error("argument(s) must be one of the following: no, yes, relative, absolute"));
  });

  it("combine flag names and print them in table order", () => {
    const kind = flagsEnumKind(
      [
        ["default", 0],
        ["save", 1],
        ["nosave", 2],
        ["now", 4],
        ["force", 8],
      ],
      (b) => ((b & 3) === 3 ? "both" : null),
    );
    expect(parse(kind, ["now", "force", "save"])).toEqual({ ok: true, value: "save now force" });
    expect(parse(kind, ["default", "now"])).toEqual({ ok: true, value: "now" });
    expect(parse(kind, ["default"])).toEqual({ ok: true, value: "default" });
    expect(parse(kind, ["save", "nosave"])).toEqual(error("both"));
    expect(parse(kind, [])).toEqual(
      error("argument(s) must be one of the following: default, save, nosave, now, force"),
    );
  });
});

describe("string options", () => {
  it("drop an empty value from the file when empty means unset", () => {
    expect(stringKind({ emptyIsNull: true }).rewrite!("pidfile", "", "")).toEqual([]);
    expect(stringKind({ emptyIsNull: true }).rewrite!("pidfile", "/a b", "")).toEqual([
      { line: 'pidfile "/a b"', force: true },
    ]);
    expect(stringKind().rewrite!("logfile", "", "")).toEqual([{ line: 'logfile ""', force: false }]);
  });
});

describe("special options", () => {
  const defaults: OutputBufferLimits = {
    normal: { hard: 0, soft: 0, seconds: 0 },
    replica: { hard: 268435456, soft: 67108864, seconds: 60 },
    pubsub: { hard: 33554432, soft: 8388608, seconds: 60 },
  };

  it("save: pairs of seconds ≥ 1 and changes ≥ 0; file lines add up", () => {
    const first: SaveParam[] = [{ seconds: 100, changes: 1 }];
    expect(parse(saveKind, ["200", "2"], first, true)).toEqual({
      ok: true,
      value: [...first, { seconds: 200, changes: 2 }],
    });
    expect(parse(saveKind, ["200", "2"], first, false)).toEqual({ ok: true, value: [{ seconds: 200, changes: 2 }] });
    expect(parse(saveKind, [""], first, true)).toEqual({ ok: true, value: [] });
    for (const bad of [["100"], ["0", "10"], ["100", "-1"], ["x", "1"]])
      expect(parse(saveKind, bad, []), bad.join(" ")).toEqual(error("Invalid save parameters"));
    expect(saveKind.rewrite!("save", [], [])).toEqual([{ line: 'save ""', force: true }]);
  });

  it("bind: up to 16 addresses, the default left out of the file", () => {
    expect(
      parse(
        bindKind,
        Array.from({ length: 17 }, () => "1.1.1.1"),
      ),
    ).toEqual(error("Too many bind addresses specified."));
    expect(parse(bindKind, [""])).toEqual({ ok: true, value: [] });
    expect(bindKind.rewrite!("bind", ["*", "-::*"], ["*", "-::*"])).toEqual([]);
    expect(bindKind.rewrite!("bind", [], ["*", "-::*"])).toEqual([{ line: 'bind ""', force: true }]);
  });

  it("client-output-buffer-limit: replaces only the classes named", () => {
    const r = parse(clientOutputBufferLimitKind, ["replica", "1gb", "2mb", "3"], defaults);
    expect(r.ok && clientOutputBufferLimitKind.format(r.value)).toBe(
      "normal 0 0 0 slave 1073741824 2097152 3 pubsub 33554432 8388608 60",
    );
    expect(r.ok && clientOutputBufferLimitKind.rewrite!("client-output-buffer-limit", r.value, defaults)).toEqual([
      { line: "client-output-buffer-limit normal 0 0 0", force: false },
      { line: "client-output-buffer-limit replica 1gb 2mb 3", force: true },
      { line: "client-output-buffer-limit pubsub 32mb 8mb 60", force: false },
    ]);
    expect(parse(clientOutputBufferLimitKind, ["master", "1", "1", "1"], defaults)).toEqual(
      error("Invalid client class specified in buffer limit configuration."),
    );
    expect(parse(clientOutputBufferLimitKind, ["normal", "1", "1"], defaults)).toEqual(
      error("Wrong number of arguments in buffer limit configuration."),
    );
    expect(parse(clientOutputBufferLimitKind, ["normal", "1", "1", "-1"], defaults)).toEqual(
      error("Error in hard, soft or soft_seconds setting in buffer limit configuration."),
    );
  });

  it("oom-score-adj-values, notify-keyspace-events, replicaof, latency percentiles", () => {
    expect(parse(oomScoreAdjValuesKind, ["1", "2"])).toEqual(error("wrong number of arguments"));
    expect(parse(oomScoreAdjValuesKind, ["1", "2", "2001"])).toEqual(
      error("Invalid oom-score-adj-values, elements must be between -2000 and 2000."),
    );
    const events = parse(notifyKeyspaceEventsKind, ["KEA"]);
    expect(events.ok && notifyKeyspaceEventsKind.format(events.value)).toBe("AKE");
    expect(parse(notifyKeyspaceEventsKind, ["Q"])).toEqual(
      error("Invalid event class character. Use 'Ag$lshzxeKEtmdn'."),
    );
    expect(parse(replicaOfKind, ["NO", "ONE"])).toEqual({ ok: true, value: null });
    expect(parse(replicaOfKind, ["h", "70000"])).toEqual(error("Invalid master port"));
    expect(parse(latencyPercentilesKind, ["101"])).toEqual(
      error("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"),
    );
    expect(parse(latencyPercentilesKind, ["x"])).toEqual(error("Invalid latency-tracking-info-percentiles parameters"));
    expect(latencyPercentilesKind.format([50, 99.9, 10])).toBe("50 99.9 10");
  });
});

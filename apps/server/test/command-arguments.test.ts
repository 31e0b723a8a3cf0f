import { describe, expect, it } from "vitest";
import type { CommandArgs } from "../src/commands/CommandSpec.js";
import { Errors } from "../src/commands/support/errors.js";
import {
  getDoubleFromObjectOrReply,
  getIntFromObjectOrReply,
  getLongDoubleFromObjectOrReply,
  getLongLongFromObjectOrReply,
  getPositiveLongFromObjectOrReply,
  getRangeLongFromObjectOrReply,
  LONG_MAX,
  string2d,
} from "../src/commands/support/numbers.js";
import type { Client } from "../src/net/Client.js";

/** One argument (index 0) over `text`'s latin1 bytes. */
function arg(text: string): CommandArgs {
  const buffer = Buffer.from(text, "latin1");
  return {
    argc: 1,
    buffer,
    offsets: Int32Array.of(0),
    lengths: Int32Array.of(buffer.length),
    argEquals: (_i, name) => text.toLowerCase() === name,
    argString: () => text,
    argView: () => buffer,
  };
}

/** A client whose writer keeps the error replies. */
function recorder(): { client: Client; errors: string[] } {
  const errors: string[] = [];
  return { client: { writer: { error: (m: string) => void errors.push(m) } } as unknown as Client, errors };
}

/** The parsed value, or the error line replied. */
function parse<T>(text: string, get: (client: Client, args: CommandArgs) => T | null): T | string {
  const { client, errors } = recorder();
  const value = get(client, arg(text));
  if (value === null) {
    expect(errors).toHaveLength(1);
    return errors[0]!;
  }
  expect(errors).toHaveLength(0);
  return value;
}

describe("integer arguments follow getLongLongFromObjectOrReply (string2ll)", () => {
  const longLong = (text: string, msg?: string) => parse(text, (c, a) => getLongLongFromObjectOrReply(c, a, 0, msg));

  it("reads int64 values: numbers within ±(2^53−1), bigints beyond", () => {
    expect(longLong("0")).toBe(0);
    expect(longLong("-42")).toBe(-42);
    expect(longLong("9007199254740991")).toBe(9007199254740991);
    expect(longLong("9007199254740993")).toBe(9007199254740993n);
    expect(longLong("9223372036854775807")).toBe(9223372036854775807n);
    expect(longLong("-9223372036854775808")).toBe(-9223372036854775808n);
  });

  it.each([
    "",
    " 1",
    "1 ",
    "+1",
    "01",
    "-0",
    "1.0",
    "1e3",
    "0x10",
    "abc",
    "9223372036854775808",
    "-9223372036854775809",
  ])("refuses %j as not an integer", (text) =>
    expect(longLong(text)).toBe("ERR value is not an integer or out of range"),
  );

  it("replies the caller's message instead when given", () => {
    expect(longLong("x", "ERR timeout is not an integer or out of range")).toBe(
      "ERR timeout is not an integer or out of range",
    );
  });

  it("getIntFromObjectOrReply: a C int, with the range in its error", () => {
    const int = (text: string, msg?: string) => parse(text, (c, a) => getIntFromObjectOrReply(c, a, 0, msg));
    expect(int("2147483647")).toBe(2147483647);
    expect(int("-2147483648")).toBe(-2147483648);
    expect(int("2147483648")).toBe("ERR value is out of range, value must between -2147483648 and 2147483647");
    expect(int("9223372036854775807")).toBe("ERR value is out of range, value must between -2147483648 and 2147483647");
    expect(int("x")).toBe(Errors.notInteger);
    expect(int("x", "ERR invalid first DB index")).toBe("ERR invalid first DB index");
    expect(int("2147483648", "ERR invalid first DB index")).toBe("ERR invalid first DB index");
  });

  it("getRangeLongFromObjectOrReply and getPositiveLongFromObjectOrReply", () => {
    const range = (text: string) => parse(text, (c, a) => getRangeLongFromObjectOrReply(c, a, 0, -1, LONG_MAX));
    expect(range("-2")).toBe("ERR value is out of range, value must between -1 and 9223372036854775807");
    expect(range("9223372036854775807")).toBe(9223372036854775807);
    const positive = (text: string) => parse(text, (c, a) => getPositiveLongFromObjectOrReply(c, a, 0));
    expect(positive("0")).toBe(0);
    // Redis 7.0 gives one text for a negative and for a non-integer value.
    expect(positive("-1")).toBe("ERR value is out of range, must be positive");
    expect(positive("x")).toBe("ERR value is out of range, must be positive");
  });
});

describe("float arguments follow getDoubleFromObjectOrReply (string2d: strtod over the whole argument)", () => {
  const double = (text: string) => parse(text, (c, a) => getDoubleFromObjectOrReply(c, a, 0));

  // Each pair is what redis-server 7.0.15 takes as a ZADD score (read by getDoubleFromObjectOrReply).
  it.each<[string, number]>([
    ["1e3", 1000],
    ["1e+3", 1000],
    [".5", 0.5],
    ["5.", 5],
    ["1.e5", 100000],
    ["+1.5", 1.5],
    ["00012", 12],
    ["-0", -0],
    ["0e400", 0],
    ["4e-320", 4e-320],
    ["inf", Infinity],
    ["-inf", -Infinity],
    ["+INF", Infinity],
    ["Infinity", Infinity],
    ["0x10", 16],
    ["0x1.8p1", 3],
    ["0x.8", 0.5],
    ["0X1P3", 8],
    ["0x1p-1074", 5e-324],
    ["0x1.8p-1075", 5e-324],
    ["0.1", 0.1],
    ["1.7976931348623157e308", 1.7976931348623157e308],
  ])("takes %j as %d", (text, value) => expect(double(text)).toBe(value));

  it.each([
    "",
    " 1",
    "1 ",
    "nan",
    "-nan",
    "nan(1)",
    "infinit",
    "0x",
    "1e",
    "--1",
    "1_0",
    "1e400",
    "-1e400",
    "1e-400",
    "0x1p-1075",
    "0x1p1024",
    "0xfffffffffffffffffp1000",
    "1\0",
  ])("refuses %j as not a valid float", (text) => expect(double(text)).toBe("ERR value is not a valid float"));

  it("string2d returns NaN where Redis refuses, with no reply to write", () => {
    const bytes = Buffer.from("x1.5y", "latin1");
    expect(string2d(bytes, 1, 4)).toBe(1.5);
    expect(string2d(bytes, 0, 4)).toBeNaN();
  });

  it("getLongDoubleFromObjectOrReply reads string2ld's forms and refuses the same way", () => {
    const longDouble = (text: string) => parse(text, (c, a) => getLongDoubleFromObjectOrReply(c, a, 0));
    for (const text of ["1e3", "0x10", "inf", "-0.5"]) expect(typeof longDouble(text)).toBe("object");
    for (const text of ["", " 1", "nan", "1e5000", "0x"])
      expect(longDouble(text)).toBe("ERR value is not a valid float");
  });
});

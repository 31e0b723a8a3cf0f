import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

// The numeric-argument rules of commands/support/numbers.ts, seen through commands (both targets).
const target = useTarget();

const NOT_INTEGER = "ERR value is not an integer or out of range";
const NOT_FLOAT = "ERR value is not a valid float";
const INT_RANGE = "ERR value is out of range, value must between -2147483648 and 2147483647";

describe("integer arguments", () => {
  it.each(["abc", " 1", "1 ", "+1", "01", "1.5", "", "9223372036854775808"])(
    "INCRBY refuses %j as not an integer",
    async (text) => {
      await expect(target.client().call("INCRBY", "args:n", text)).rejects.toThrow(NOT_INTEGER);
    },
  );

  it("a C int argument names its range; a message of the command's own replaces both texts", async () => {
    const r = target.client();
    await expect(r.call("SELECT", "2147483648")).rejects.toThrow(INT_RANGE);
    await expect(r.call("SELECT", "x")).rejects.toThrow(NOT_INTEGER);
    await expect(r.call("SWAPDB", "x", "0")).rejects.toThrow("ERR invalid first DB index");
    await expect(r.call("SWAPDB", "0", "2147483648")).rejects.toThrow("ERR invalid second DB index");
  });

  it("ranges with a message: SLOWLOG GET and CLIENT KILL ID", async () => {
    const r = target.client();
    await expect(r.call("SLOWLOG", "GET", "-2")).rejects.toThrow("ERR count should be greater than or equal to -1");
    await expect(r.call("SLOWLOG", "GET", "x")).rejects.toThrow("ERR count should be greater than or equal to -1");
    expect(await r.call("SLOWLOG", "GET", "9223372036854775807")).toBeInstanceOf(Array);
    await expect(r.call("CLIENT", "KILL", "ID", "0")).rejects.toThrow("ERR client-id should be greater than 0");
  });

  it("int64 values beyond 2^53 are values, not parse errors", async () => {
    const r = target.client();
    await expect(r.call("HELLO", "9007199254740993")).rejects.toThrow("NOPROTO");
    await expect(r.call("ACL", "GENPASS", "9007199254740993")).rejects.toThrow(
      "ERR ACL GENPASS argument must be the number of bits",
    );
    // now + timeout wraps in Redis's int64 arithmetic: a deadline in the past, so no lasting pause.
    expect(await r.call("CLIENT", "PAUSE", "9223372036854775807")).toBe("OK");
    expect(await target.client().call("PING")).toBe("PONG");
    await expect(r.call("SCAN", "0", "COUNT", "9223372036854775808")).rejects.toThrow(NOT_INTEGER);
    expect(await r.call("SCAN", "0", "COUNT", "9223372036854775807")).toEqual(["0", []]);
  });
});

describe("float arguments (INCRBYFLOAT reads string2ld's forms)", () => {
  it.each<[string, string]>([
    ["1e3", "1000"],
    ["0x10", "16"],
    [".5", "0.5"],
    ["-0x1p-1", "-0.5"],
  ])("takes %j as %s", async (text, value) => {
    const r = target.client();
    await r.del("args:f");
    expect(await r.call("INCRBYFLOAT", "args:f", text)).toBe(value);
  });

  it.each(["", " 1", "1 ", "nan", "1e", "0x", "abc"])("refuses %j as not a valid float", async (text) => {
    await expect(target.client().call("INCRBYFLOAT", "args:f", text)).rejects.toThrow(NOT_FLOAT);
  });

  it("inf is a float, refused only as a result", async () => {
    await expect(target.client().call("INCRBYFLOAT", "args:f", "inf")).rejects.toThrow(
      "ERR increment would produce NaN or Infinity",
    );
  });
});

import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});

describe("INCR / DECR / INCRBY / DECRBY", () => {
  it("INCR against a missing key starts from 0", async () => {
    expect(await r.incr("n")).toBe(1);
    expect(await r.incr("n")).toBe(2);
    expect(await r.decr("missing")).toBe(-1);
  });

  it("INCRBY and DECRBY take any int64 amount", async () => {
    expect(await r.incrby("n", 100)).toBe(100);
    expect(await r.decrby("n", 250)).toBe(-150);
    await r.call("INCRBY", "n", "-9223372036854775000");
    expect(await r.get("n")).toBe("-9223372036854775150");
  });

  it("works across the whole int64 range with exact replies", async () => {
    await r.set("n", "9223372036854775806");
    await r.call("INCR", "n");
    expect(await r.get("n")).toBe("9223372036854775807");
    await expect(r.incr("n")).rejects.toThrow("ERR increment or decrement would overflow");
    await r.set("m", "-9223372036854775807");
    await r.decr("m");
    expect(await r.get("m")).toBe("-9223372036854775808");
    await expect(r.decr("m")).rejects.toThrow("ERR increment or decrement would overflow");
    await r.set("big", "9007199254740993");
    await r.incrby("big", 2);
    expect(await r.get("big")).toBe("9007199254740995");
  });

  it("the stored value must be a canonical integer", async () => {
    for (const v of ["1.5", " 1", "1 ", "+1", "01", "abc", "", "9223372036854775808"]) {
      await r.set("n", v);
      await expect(r.incr("n"), JSON.stringify(v)).rejects.toThrow("ERR value is not an integer or out of range");
    }
  });

  it("the increment must be an int64", async () => {
    await expect(r.call("INCRBY", "n", "1.0")).rejects.toThrow("ERR value is not an integer or out of range");
    await expect(r.call("INCRBY", "n", "9223372036854775808")).rejects.toThrow(
      "ERR value is not an integer or out of range",
    );
    await expect(r.call("DECRBY", "n", "-9223372036854775808")).rejects.toThrow("ERR decrement would overflow");
    expect(await r.exists("n")).toBe(0);
  });

  it("keeps the TTL and the int encoding", async () => {
    await r.set("n", "10", "EX", 100);
    await r.incrby("n", 5);
    expect(await r.ttl("n")).toBe(100);
    expect(await r.call("OBJECT", "ENCODING", "n")).toBe("int");
    await r.set("raw", "5");
    await r.append("raw", "5");
    await r.incr("raw");
    expect(await r.get("raw")).toBe("56");
    expect(await r.call("OBJECT", "ENCODING", "raw")).toBe("int");
  });

  it("digit count changes are handled (9 -> 10 -> 9, negative)", async () => {
    await r.set("n", "9");
    expect(await r.incr("n")).toBe(10);
    expect(await r.decr("n")).toBe(9);
    expect(await r.decrby("n", 19)).toBe(-10);
    expect(await r.get("n")).toBe("-10");
  });
});

describe("INCRBYFLOAT", () => {
  it("adds in long double precision and prints Redis's human form", async () => {
    await r.set("f", "10.50");
    expect(await r.incrbyfloat("f", "0.1")).toBe("10.6");
    // 17 decimals of an 80-bit long double, exactly as Redis prints them.
    expect(await r.incrbyfloat("f", "-5.0e3")).toBe("-4989.39999999999999991");
    await r.set("g", "5.0e3");
    expect(await r.incrbyfloat("g", "2.0e2")).toBe("5200");
    expect(await r.incrbyfloat("missing", "3")).toBe("3");
    expect(await r.incrbyfloat("tiny", "1e-20")).toBe("0");
    expect(await r.get("tiny")).toBe("0");
    expect(await r.incrbyfloat("h", "0x10")).toBe("16");
  });

  it("refuses invalid numbers and NaN/infinite results, changing nothing", async () => {
    await r.set("f", "1");
    await expect(r.incrbyfloat("f", "abc")).rejects.toThrow("ERR value is not a valid float");
    await expect(r.incrbyfloat("f", " 1")).rejects.toThrow("ERR value is not a valid float");
    await expect(r.incrbyfloat("f", "inf")).rejects.toThrow("ERR increment would produce NaN or Infinity");
    await r.set("s", "text");
    await expect(r.incrbyfloat("s", "1")).rejects.toThrow("ERR value is not a valid float");
    expect(await r.get("f")).toBe("1");
  });

  it("keeps the TTL", async () => {
    await r.set("f", "1.5", "EX", 100);
    await r.incrbyfloat("f", "1");
    expect(await r.ttl("f")).toBe(100);
    expect(await r.get("f")).toBe("2.5");
  });
});

describe("int64 replies on the wire", () => {
  it("INCR replies the exact 64-bit integer", async () => {
    const { rawExchange } = await import("./utils/raw.js");
    await r.set("n", "9223372036854775806");
    const { text } = await rawExchange(target.port, "INCR n\r\nDECRBY n 9223372036854775807\r\n", {
      until: (t) => t.split("\r\n").length > 2,
    });
    expect(text).toBe(":9223372036854775807\r\n:0\r\n");
  });
});

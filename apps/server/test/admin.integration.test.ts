import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});

/** Sends raw commands and returns the reply bytes once `done` holds. */
const raw = async (input: string, done: (t: string) => boolean) =>
  (await rawExchange(target.port, input, { until: done })).text;

describe("TIME and LASTSAVE", () => {
  it("TIME replies seconds and microseconds as bulk strings", async () => {
    const [sec, usec] = (await r.call("TIME")) as [string, string];
    expect(sec).toMatch(/^\d+$/);
    expect(usec).toMatch(/^\d{1,6}$/);
    expect(Math.abs(Number(sec) + Number(usec) / 1e6 - Date.now() / 1000)).toBeLessThan(2);
    await expect(r.call("TIME", "x")).rejects.toThrow("ERR wrong number of arguments for 'time' command");
  });

  it("LASTSAVE is the start time until something is saved", async () => {
    const last = (await r.call("LASTSAVE")) as number;
    const uptime = Number(/uptime_in_seconds:(\d+)/.exec(await r.info("server"))![1]);
    expect(Math.abs(Date.now() / 1000 - uptime - last)).toBeLessThanOrEqual(2);
  });
});

describe("LOLWUT", () => {
  it("prints the version line for Redis 7.0", async () => {
    expect(await r.call("LOLWUT")).toBe("Redis ver. 7.0.15\n");
    expect(await r.call("LOLWUT", "VERSION", "7")).toBe("Redis ver. 7.0.15\n");
    expect(await r.call("LOLWUT", "VERSION", "-1")).toBe("Redis ver. 7.0.15\n");
    await expect(r.call("LOLWUT", "VERSION", "x")).rejects.toThrow("ERR value is not an integer or out of range");
    await expect(r.call("LOLWUT", "VERSION", "5", "x")).rejects.toThrow("ERR value is not an integer or out of range");
  });

  it("version 5 draws Schotter; its first two rows of squares are never disturbed", async () => {
    const art = (await r.call("LOLWUT", "VERSION", "5", "20", "4", "2")) as string;
    expect(art).toBe(
      "⠀⡤⠤⠤⠤⣤⠤⠤⠤⢤⡤⠤⠤⠤⣤⠤⠤⠤⢤⠀\n⠀⡇⠀⠀⠀⣿⠀⠀⠀⢸⡇⠀⠀⠀⣿⠀⠀⠀⢸⠀\n⠀⣧⣤⣤⣤⣿⣤⣤⣤⣼⣧⣤⣤⣤⣿⣤⣤⣤⣼⠀\n⠀⡇⠀⠀⠀⣿⠀⠀⠀⢸⡇⠀⠀⠀⣿⠀⠀⠀⢸⠀\n" +
        "⠀⣇⣀⣀⣀⣿⣀⣀⣀⣸⣇⣀⣀⣀⣿⣀⣀⣀⣸⠀\n⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀\n\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n",
    );
    const tiny = (await r.call("LOLWUT", "VERSION", "5", "1", "1", "1")) as string;
    expect(tiny).toBe("⠋\n\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n");
  });

  it("version 6 draws a skyline of cols x rows colored cells", async () => {
    const art = (await r.call("LOLWUT", "VERSION", "6", "12", "5")) as string;
    const lines = art.split("\n");
    expect(lines.slice(-3)).toEqual([
      "Dedicated to the 8 bit game developers of past and present.",
      "Original 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15",
      "",
    ]);
    const rows = lines.slice(0, -3);
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row).toMatch(/^(\x1b\[0;(30;40|90;100|37;47|97;107)m \x1b\[0m){12}$/);
  });
});

describe("MEMORY", () => {
  it("STATS is a map with Redis's keys in Redis's order", async () => {
    const stats = (await r.call("MEMORY", "STATS")) as unknown[];
    const keys = stats.filter((_, i) => i % 2 === 0).filter((k) => !String(k).startsWith("db."));
    expect(keys).toEqual([
      "peak.allocated",
      "total.allocated",
      "startup.allocated",
      "replication.backlog",
      "clients.slaves",
      "clients.normal",
      "cluster.links",
      "aof.buffer",
      "lua.caches",
      "functions.caches",
      "overhead.total",
      "keys.count",
      "keys.bytes-per-key",
      "dataset.bytes",
      "dataset.percentage",
      "peak.percentage",
      "allocator.allocated",
      "allocator.active",
      "allocator.resident",
      "allocator-fragmentation.ratio",
      "allocator-fragmentation.bytes",
      "allocator-rss.ratio",
      "allocator-rss.bytes",
      "rss-overhead.ratio",
      "rss-overhead.bytes",
      "fragmentation",
      "fragmentation.bytes",
    ]);
    const value = (k: string) => stats[stats.indexOf(k) + 1];
    expect(Number(value("peak.allocated"))).toBeGreaterThanOrEqual(Number(value("total.allocated")));
    expect(value("replication.backlog")).toBe(0);
    expect(String(value("peak.percentage"))).toMatch(/^\d+(\.\d+)?$/);
  });

  it("DOCTOR, MALLOC-STATS and PURGE reply; HELP is Redis's", async () => {
    expect(typeof (await r.call("MEMORY", "DOCTOR"))).toBe("string");
    expect(typeof (await r.call("MEMORY", "MALLOC-STATS"))).toBe("string");
    expect(await r.call("MEMORY", "PURGE")).toBe("OK");
    expect(await r.call("MEMORY", "HELP")).toEqual([
      "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DOCTOR",
      "    Return memory problems reports.",
      "MALLOC-STATS",
      "    Return internal statistics report from the memory allocator.",
      "PURGE",
      "    Attempt to purge dirty pages for reclamation by the allocator.",
      "STATS",
      "    Return information about the memory usage of the server.",
      "USAGE <key> [SAMPLES <count>]",
      "    Return memory in bytes used by <key> and its value. Nested values are",
      "    sampled up to <count> times (default: 5, 0 means sample all).",
      "HELP",
      "    Prints this help.",
    ]);
    await expect(r.call("MEMORY", "DOCTOR", "x")).rejects.toThrow(
      "ERR wrong number of arguments for 'memory|doctor' command",
    );
    await expect(r.call("MEMORY", "FOO")).rejects.toThrow("ERR unknown subcommand 'FOO'. Try MEMORY HELP.");
  });
});

describe("FUNCTION with an empty library", () => {
  it("LIST is empty and checks its options", async () => {
    expect(await r.call("FUNCTION", "LIST")).toEqual([]);
    expect(await r.call("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "x*")).toEqual([]);
    await expect(r.call("FUNCTION", "LIST", "LIBRARYNAME")).rejects.toThrow("ERR library name argument was not given");
    await expect(r.call("FUNCTION", "LIST", "foo")).rejects.toThrow("ERR Unknown argument foo");
    await expect(r.call("FUNCTION", "LIST", "WITHCODE", "withcode")).rejects.toThrow("ERR Unknown argument withcode");
  });

  it("STATS, DELETE, KILL and FLUSH answer as Redis does with nothing loaded or running", async () => {
    expect(await r.call("FUNCTION", "STATS")).toEqual([
      "running_script",
      null,
      "engines",
      ["LUA", ["libraries_count", 0, "functions_count", 0]],
    ]);
    await expect(r.call("FUNCTION", "DELETE", "lib")).rejects.toThrow("ERR Library not found");
    await expect(r.call("FUNCTION", "KILL")).rejects.toThrow("NOTBUSY No scripts in execution right now.");
    for (const mode of [[], ["ASYNC"], ["sync"]]) expect(await r.call("FUNCTION", "FLUSH", ...mode)).toBe("OK");
    await expect(r.call("FUNCTION", "FLUSH", "x")).rejects.toThrow(
      "ERR FUNCTION FLUSH only supports SYNC|ASYNC option",
    );
    await expect(r.call("FUNCTION", "FLUSH", "a", "b")).rejects.toThrow(
      "ERR unknown subcommand or wrong number of arguments for 'FLUSH'. Try FUNCTION HELP.",
    );
  });

  it("DUMP is an empty payload that RESTORE takes back; bad payloads are refused", async () => {
    const payload = (await r.callBuffer("FUNCTION", "DUMP")) as Buffer;
    expect(payload.toString("hex")).toBe("0a005d9b5c400f7fa2da");
    expect(await r.call("FUNCTION", "RESTORE", payload)).toBe("OK");
    expect(await r.call("FUNCTION", "RESTORE", payload, "FLUSH")).toBe("OK");
    await expect(r.call("FUNCTION", "RESTORE", "abc")).rejects.toThrow(
      "ERR DUMP payload version or checksum are wrong",
    );
    await expect(r.call("FUNCTION", "RESTORE", payload, "x")).rejects.toThrow(
      "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.",
    );
    const corrupt = Buffer.from(payload);
    corrupt[9]! ^= 1;
    await expect(r.call("FUNCTION", "RESTORE", corrupt)).rejects.toThrow(
      "ERR DUMP payload version or checksum are wrong",
    );
  });

  it("HELP is Redis's text", async () => {
    const help = (await r.call("FUNCTION", "HELP")) as string[];
    expect(help).toHaveLength(40);
    expect(help[1]).toBe("LOAD [REPLACE] <FUNCTION CODE>");
  });
});

describe("SCRIPT with an empty cache", () => {
  it("EXISTS, FLUSH, KILL", async () => {
    expect(await r.call("SCRIPT", "EXISTS", "a", "b", "c")).toEqual([0, 0, 0]);
    expect(await r.call("SCRIPT", "FLUSH")).toBe("OK");
    expect(await r.call("SCRIPT", "FLUSH", "ASYNC")).toBe("OK");
    await expect(r.call("SCRIPT", "FLUSH", "x")).rejects.toThrow("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
    await expect(r.call("SCRIPT", "FLUSH", "a", "b")).rejects.toThrow(
      "ERR SCRIPT FLUSH only support SYNC|ASYNC option",
    );
    await expect(r.call("SCRIPT", "KILL")).rejects.toThrow("NOTBUSY No scripts in execution right now.");
    await expect(r.call("SCRIPT", "EXISTS")).rejects.toThrow(
      "ERR wrong number of arguments for 'script|exists' command",
    );
  });

  it("HELP is Redis's text", async () => {
    const text = await raw("SCRIPT HELP\r\n", (t) => t.endsWith("Prints this help.\r\n"));
    expect(
      text.startsWith(
        "*17\r\n+SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+DEBUG (YES|SYNC|NO)\r\n",
      ),
    ).toBe(true);
  });
});

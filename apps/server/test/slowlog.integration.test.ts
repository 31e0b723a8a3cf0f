import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget([["slowlog-log-slower-than", ["0"]]]);
let r: Redis;
beforeAll(async () => {
  r = target.client();
  await r.call("CLIENT", "SETNAME", "logger");
});
beforeEach(async () => {
  await r.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
  await r.call("CONFIG", "SET", "slowlog-max-len", "128");
  await r.call("SLOWLOG", "RESET");
});

type Entry = [number, number, number, string[], string, string];
const get = async (count?: number) =>
  (await (count === undefined ? r.call("SLOWLOG", "GET") : r.call("SLOWLOG", "GET", String(count)))) as Entry[];

describe("SLOWLOG", () => {
  it("logs every command at slowlog-log-slower-than 0, newest first, with Redis's six fields", async () => {
    await r.call("ECHO", "hello");
    const entries = await get(2);
    // The newest entry is the ECHO; SLOWLOG RESET itself was logged right after it ran.
    const [echo, reset] = entries;
    expect(echo![3]).toEqual(["ECHO", "hello"]);
    expect(reset![3]).toEqual(["SLOWLOG", "RESET"]);
    expect(echo![0]).toBe(reset![0] + 1);
    expect(Math.abs(echo![1] - Date.now() / 1000)).toBeLessThan(5);
    expect(Number.isInteger(echo![2]) && echo![2] >= 0).toBe(true);
    expect(echo![4]).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(echo![5]).toBe("logger");
  });

  it("LEN counts entries and RESET empties the log (then logs itself)", async () => {
    await r.call("PING");
    // SLOWLOG RESET (from beforeEach) and PING; LEN is logged only after it replied.
    expect(await r.call("SLOWLOG", "LEN")).toBe(2);
    expect(await r.call("SLOWLOG", "RESET")).toBe("OK");
    expect(await r.call("SLOWLOG", "LEN")).toBe(1);
  });

  it("GET defaults to 10 entries; -1 returns all; 0 none", async () => {
    for (let i = 0; i < 12; i++) await r.call("PING");
    expect(await get()).toHaveLength(10);
    expect((await get(-1)).length).toBeGreaterThanOrEqual(13);
    expect(await get(0)).toEqual([]);
  });

  it("rejects a bad count with Redis's message", async () => {
    await expect(r.call("SLOWLOG", "GET", "-2")).rejects.toThrow("ERR count should be greater than or equal to -1");
    await expect(r.call("SLOWLOG", "GET", "x")).rejects.toThrow("ERR count should be greater than or equal to -1");
    await expect(r.call("SLOWLOG", "GET", "1", "2")).rejects.toThrow(
      "ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.",
    );
    await expect(r.call("SLOWLOG", "LEN", "x")).rejects.toThrow(
      "ERR wrong number of arguments for 'slowlog|len' command",
    );
    await expect(r.call("SLOWLOG", "FOO")).rejects.toThrow("ERR unknown subcommand 'FOO'. Try SLOWLOG HELP.");
  });

  it("keeps only commands at least slowlog-log-slower-than µs; -1 disables it", async () => {
    await r.call("CONFIG", "SET", "slowlog-log-slower-than", "1000000");
    await r.call("SLOWLOG", "RESET");
    await r.call("PING");
    expect(await r.call("SLOWLOG", "LEN")).toBe(0);
    await r.call("CONFIG", "SET", "slowlog-log-slower-than", "-1");
    await r.call("PING");
    expect(await r.call("SLOWLOG", "LEN")).toBe(0);
  });

  it("trims to slowlog-max-len on the next entry", async () => {
    for (let i = 0; i < 5; i++) await r.call("PING");
    await r.call("CONFIG", "SET", "slowlog-max-len", "2");
    await r.call("PING");
    expect(await r.call("SLOWLOG", "LEN")).toBe(2);
  });

  it("trims long arguments to 128 bytes and long commands to 32 arguments", async () => {
    await r.call("ECHO", "x".repeat(300));
    await r.call("PING", ...Array.from({ length: 39 }, (_, i) => `a${i}`)).catch(() => {});
    const [ping, echo] = await get(2);
    expect(echo![3]).toEqual(["ECHO", `${"x".repeat(128)}... (172 more bytes)`]);
    expect(ping![3]).toHaveLength(32);
    expect(ping![3][31]).toBe("... (9 more arguments)");
  });

  it("hides credentials like Redis's redaction: AUTH, HELLO AUTH, CONFIG SET requirepass", async () => {
    await r.call("AUTH", "nouser", "pw").catch(() => {});
    await r.call("HELLO", "2", "AUTH", "default", "pw", "SETNAME", "logger");
    await r.call("CONFIG", "SET", "requirepass", "s3cret", "maxmemory", "0");
    await r.call("AUTH", "s3cret");
    await r.call("CONFIG", "SET", "requirepass", "");
    const args = (await get(5)).map((e) => e[3]).reverse();
    expect(args).toEqual([
      ["AUTH", "(redacted)", "(redacted)"],
      ["HELLO", "2", "AUTH", "(redacted)", "(redacted)", "SETNAME", "logger"],
      ["CONFIG", "SET", "requirepass", "(redacted)", "maxmemory", "0"],
      ["AUTH", "(redacted)"],
      ["CONFIG", "SET", "requirepass", "(redacted)"],
    ]);
  });

  it("logs a transaction's commands, not EXEC itself (skip_slowlog)", async () => {
    await r.multi().call("ECHO", "in").call("PING").exec();
    const names = (await get(4)).map((e) => e[3][0]!.toUpperCase());
    expect(names).toEqual(["PING", "ECHO", "MULTI", "SLOWLOG"]);
  });

  it("HELP lists the subcommands in Redis's words", async () => {
    const { text } = await rawExchange(target.port, "SLOWLOG HELP\r\n", {
      until: (t) => t.endsWith("Prints this help.\r\n"),
    });
    expect(text).toBe(
      "*12\r\n+SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+GET [<count>]\r\n" +
        "+    Return top <count> entries from the slowlog (default: 10, -1 mean all).\r\n+    Entries are made of:\r\n" +
        "+    id, timestamp, time in microseconds, arguments array, client IP and port,\r\n+    client name\r\n" +
        "+LEN\r\n+    Return the length of the slowlog.\r\n+RESET\r\n+    Reset the slowlog.\r\n+HELP\r\n+    Prints this help.\r\n",
    );
  });
});

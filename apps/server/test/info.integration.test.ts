import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const target = useTarget();

const headers = (info: string) => info.split("\r\n").filter((l) => l.startsWith("# "));

describe("INFO", () => {
  it("default sections, in Redis's order", async () => {
    expect(headers(await target.client().info())).toEqual([
      "# Server",
      "# Clients",
      "# Memory",
      "# Persistence",
      "# Stats",
      "# Replication",
      "# CPU",
      "# Modules",
      "# Errorstats",
      "# Cluster",
      "# Keyspace",
    ]);
  });

  it("all and everything add commandstats and latencystats", async () => {
    const expected = [
      "# Server",
      "# Clients",
      "# Memory",
      "# Persistence",
      "# Stats",
      "# Replication",
      "# CPU",
      "# Modules",
      "# Commandstats",
      "# Errorstats",
      "# Latencystats",
      "# Cluster",
      "# Keyspace",
    ];
    expect(headers(await target.client().info("all"))).toEqual(expected);
    expect(headers(await target.client().info("everything"))).toEqual(expected);
  });

  it("several sections at once, case-insensitively", async () => {
    expect(headers((await target.client().call("INFO", "SERVER", "commandstats")) as string)).toEqual([
      "# Server",
      "# Commandstats",
    ]);
  });

  it("commandstats count calls, rejected and failed calls", async () => {
    const r = target.client();
    await r.call("CONFIG", "RESETSTAT").catch(() => {});
    await r.call("ECHO", "x");
    await r.call("ECHO", "y");
    await expect(r.call("ECHO")).rejects.toThrow();
    await expect(r.call("SET", "k", "v", "BAD")).rejects.toThrow("ERR syntax error");
    const stats = (await r.call("INFO", "commandstats")) as string;
    expect(stats).toMatch(
      /\r\ncmdstat_echo:calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0\r\n/,
    );
    expect(stats).toMatch(
      /\r\ncmdstat_set:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=1\r\n/,
    );
  });

  // unit/info "errorstats: failed call within MULTI/EXEC": a queued command's error is its own.
  it("an error inside EXEC fails the queued command, not EXEC", async () => {
    const r = target.client();
    await r.call("CONFIG", "RESETSTAT");
    const res = await r.multi().set("a", "b").call("AUTH", "a").exec();
    expect(res?.[1]?.[0]).toBeInstanceOf(Error);
    const stats = (await r.call("INFO", "commandstats")) as string;
    const line = (name: string) =>
      new RegExp(
        `\\r\\ncmdstat_${name}:calls=1,usec=\\d+,usec_per_call=[\\d.]+,rejected_calls=0,failed_calls=(\\d)\\r\\n`,
      ).exec(stats)?.[1];
    expect([line("set"), line("auth"), line("exec")]).toEqual(["0", "1", "0"]);
  });

  it("errorstats count error replies by code", async () => {
    const r = target.client();
    await r.call("CONFIG", "RESETSTAT").catch(() => {});
    const before = (await r.call("INFO", "errorstats")) as string;
    const count = Number(/errorstat_NOPROTO:count=(\d+)/.exec(before)?.[1] ?? 0);
    await expect(r.call("HELLO", "9")).rejects.toThrow("NOPROTO");
    expect((await r.call("INFO", "errorstats")) as string).toContain(`errorstat_NOPROTO:count=${count + 1}\r\n`);
  });

  it("keyspace lists non-empty databases", async () => {
    const r = target.client();
    await r.flushall();
    await r.set("a", "1");
    expect((await r.call("INFO", "keyspace")) as string).toMatch(/^# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n$/);
  });
});

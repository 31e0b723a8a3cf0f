import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { lines, rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});

describe("MULTI / EXEC / DISCARD", () => {
  it("queues commands and replies their results as one array", async () => {
    const { text } = await rawExchange(target.port, "MULTI\r\nSET tx:a 1\r\nGET tx:a\r\nPING\r\nEXEC\r\n", {
      until: lines(9),
    });
    expect(text).toBe("+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*3\r\n+OK\r\n$1\r\n1\r\n+PONG\r\n");
  });

  it("an empty transaction replies an empty array", async () => {
    const { text } = await rawExchange(target.port, "MULTI\r\nEXEC\r\n", { until: lines(2) });
    expect(text).toBe("+OK\r\n*0\r\n");
  });

  it("errors while queueing abort EXEC with EXECABORT", async () => {
    const { text } = await rawExchange(target.port, "MULTI\r\nSET tx:b 1\r\nNOSUCH\r\nGET\r\nEXEC\r\nGET tx:b\r\n", {
      until: lines(7),
    });
    expect(text).toBe(
      "+OK\r\n+QUEUED\r\n-ERR unknown command 'NOSUCH', with args beginning with: \r\n" +
        "-ERR wrong number of arguments for 'get' command\r\n" +
        "-EXECABORT Transaction discarded because of previous errors.\r\n$-1\r\n",
    );
  });

  it("runtime errors inside EXEC do not abort the other commands", async () => {
    const { text } = await rawExchange(
      target.port,
      "MULTI\r\nSET tx:c 1\r\nSET tx:c 1 BADOPT\r\nGET tx:c\r\nEXEC\r\n",
      { until: lines(9) },
    );
    expect(text).toBe("+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*3\r\n+OK\r\n-ERR syntax error\r\n$1\r\n1\r\n");
  });

  it("MULTI cannot be nested, EXEC and DISCARD need MULTI", async () => {
    const { text } = await rawExchange(target.port, "EXEC\r\nDISCARD\r\nMULTI\r\nMULTI\r\nPING\r\nEXEC\r\n", {
      until: lines(7),
    });
    expect(text).toBe(
      "-ERR EXEC without MULTI\r\n-ERR DISCARD without MULTI\r\n+OK\r\n-ERR MULTI calls can not be nested\r\n+QUEUED\r\n*1\r\n+PONG\r\n",
    );
  });

  it("DISCARD drops the queue", async () => {
    const { text } = await rawExchange(target.port, "MULTI\r\nSET tx:d 1\r\nDISCARD\r\nGET tx:d\r\n", {
      until: lines(4),
    });
    expect(text).toBe("+OK\r\n+QUEUED\r\n+OK\r\n$-1\r\n");
  });

  it("ioredis multi().exec() returns per-command results", async () => {
    const results = await r.multi().set("tx:e", "v").get("tx:e").exec();
    expect(results).toEqual([
      [null, "OK"],
      [null, "v"],
    ]);
  });

  it("CLIENT LIST shows the queue length and the x flag", async () => {
    const { text } = await rawExchange(target.port, "MULTI\r\nPING\r\nCLIENT INFO\r\nEXEC\r\n", {
      until: (t) => t.includes("resp=2"),
    });
    expect(text).toMatch(/flags=x .* multi=2 /);
  });
});

describe("WATCH", () => {
  it("WATCH inside MULTI is an error that does not abort the transaction", async () => {
    const { text } = await rawExchange(target.port, "MULTI\r\nWATCH k\r\nPING\r\nEXEC\r\n", { until: lines(5) });
    expect(text).toBe("+OK\r\n-ERR WATCH inside MULTI is not allowed\r\n+QUEUED\r\n*1\r\n+PONG\r\n");
  });

  it("EXEC runs when no watched key was touched, UNWATCH forgets keys", async () => {
    const { text } = await rawExchange(
      target.port,
      "WATCH w:a w:b\r\nUNWATCH\r\nWATCH w:a\r\nMULTI\r\nPING\r\nEXEC\r\n",
      { until: lines(7) },
    );
    expect(text).toBe("+OK\r\n+OK\r\n+OK\r\n+OK\r\n+QUEUED\r\n*1\r\n+PONG\r\n");
  });

  it("a key modified by another client after WATCH makes EXEC reply nil", async () => {
    await r.set("w:k", "1");
    const other = target.client();
    const watcher = target.client();
    await watcher.watch("w:k");
    await other.set("w:k", "changed");
    expect(await watcher.multi().set("w:k", "mine").exec()).toBeNull();
    expect(await r.get("w:k")).toBe("changed");
  });

  it("the transaction's own writes do not invalidate its WATCH", async () => {
    const watcher = target.client();
    await watcher.watch("w:own");
    expect(await watcher.multi().set("w:own", "1").set("w:own", "2").exec()).toEqual([
      [null, "OK"],
      [null, "OK"],
    ]);
  });

  it("FLUSHDB touches watched keys that exist, not those that do not", async () => {
    await r.set("w:exists", "1");
    const a = target.client();
    await a.watch("w:exists");
    const b = target.client();
    await b.watch("w:missing");
    await r.flushdb();
    expect(await a.multi().ping().exec()).toBeNull();
    expect(await b.multi().ping().exec()).toEqual([[null, "PONG"]]);
  });

  it("FLUSHALL touches watched keys that exist in any database", async () => {
    const a = target.client();
    await a.select(3);
    await a.set("w:db3", "1");
    await a.watch("w:db3");
    await r.flushall();
    expect(await a.multi().ping().exec()).toBeNull();
  });

  it("a watched key that expires makes EXEC reply nil", async () => {
    // Long enough that WATCH sees the key alive even on a loaded machine.
    await r.set("w:exp", "1", "PX", 300);
    const watcher = target.client();
    await watcher.watch("w:exp");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await watcher.multi().ping().exec()).toBeNull();
  });
});

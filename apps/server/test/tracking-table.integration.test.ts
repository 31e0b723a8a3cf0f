import { connect } from "node:net";
import type { Redis } from "ioredis";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

// Regressions found by Redis 7.0's unit/tracking: invalidations that only a timer or a limit
// produces, the INFO counters, and what a flush or a QUIT do to tracking.
const target = useTarget([["enable-debug-command", ["yes"]]]);
let r: Redis;
beforeAll(() => {
  r = target.client();
});
afterEach(async () => {
  await r.config("SET", "tracking-table-max-keys", "1000000");
  await r.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
  await r.flushall();
});

/** A raw connection that collects everything it receives. */
async function rawClient() {
  const socket = connect({ host: target.host, port: target.port });
  let text = "";
  socket.on("data", (d) => (text += d.toString("latin1")));
  socket.on("error", () => {});
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return {
    send: (line: string) => socket.write(`${line}\r\n`),
    received: () => text,
    async waitFor(fragment: string, ms = 3000) {
      const end = Date.now() + ms;
      while (!text.includes(fragment)) {
        if (Date.now() > end)
          throw new Error(`timed out waiting for ${JSON.stringify(fragment)} in ${JSON.stringify(text)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () => socket.destroy(),
  };
}

/** A RESP2 client subscribed to __redis__:invalidate, and its id for REDIRECT. */
async function redirectTarget() {
  const c = await rawClient();
  c.send("CLIENT ID");
  await c.waitFor("\r\n");
  const id = /^:(\d+)/.exec(c.received())![1]!;
  c.send("SUBSCRIBE __redis__:invalidate");
  await c.waitFor("__redis__:invalidate\r\n:1\r\n");
  return { c, id };
}

const infoField = async (name: string) => Number(new RegExp(`${name}:(\\d+)`).exec(await r.info())![1]);

describe("tracking: invalidations without a following request", () => {
  it("BCAST: a key removed by active expiry is broadcast at once", async () => {
    const { c: redir, id } = await redirectTarget();
    const t = target.client();
    await t.call("CLIENT", "TRACKING", "ON", "BCAST", "REDIRECT", id, "NOLOOP");
    await t.set("tt:exp", "v", "PX", 1);
    await t.set("tt:other", "v"); // its own change: filtered by NOLOOP
    // Nothing else is sent: the expiry itself must produce the message.
    await redir.waitFor("$6\r\ntt:exp\r\n", 2000);
    expect(redir.received()).not.toContain("tt:other");
    redir.close();
  });

  it("tracking-table-max-keys: lowering it invalidates keys until the table fits", async () => {
    const { c: redir, id } = await redirectTarget();
    const t = target.client();
    await t.call("CLIENT", "TRACKING", "ON", "REDIRECT", id);
    await t.mget("tt:k1", "tt:k2");
    expect(await infoField("tracking_total_keys")).toBe(2);
    await r.config("SET", "tracking-table-max-keys", "1");
    await redir.waitFor("*1\r\n$5\r\ntt:k", 2000);
    expect(await infoField("tracking_total_keys")).toBe(1);
    redir.close();
  });
});

describe("tracking: counters and cleanup", () => {
  it("INFO reports tracking clients, keys, items and prefixes", async () => {
    // Earlier tests' clients still track (one in BCAST with the empty prefix).
    const before = await infoField("tracking_clients");
    const prefixesBefore = await infoField("tracking_total_prefixes");
    const a = target.client();
    const b = target.client();
    await a.call("CLIENT", "TRACKING", "ON");
    await b.call("CLIENT", "TRACKING", "ON");
    await a.get("tt:i1");
    await b.get("tt:i1");
    await b.get("tt:i2");
    const p = target.client();
    await p.call("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "tt:p:");
    expect(await infoField("tracking_clients")).toBe(before + 3);
    expect(await infoField("tracking_total_keys")).toBe(2);
    expect(await infoField("tracking_total_items")).toBe(3);
    expect(await infoField("tracking_total_prefixes")).toBe(prefixesBefore + 1);
    for (const c of [a, b, p]) await c.call("CLIENT", "TRACKING", "OFF");
  });

  it("a flush empties the table even after its clients turned tracking off", async () => {
    const t = target.client();
    await t.call("CLIENT", "TRACKING", "ON");
    await t.get("tt:f1");
    await t.call("CLIENT", "TRACKING", "OFF");
    expect(await infoField("tracking_total_keys")).toBe(1);
    await r.flushall();
    expect(await infoField("tracking_total_keys")).toBe(0);
  });

  it("a redirect target gone by QUIT is reported broken at the next invalidation", async () => {
    const { c: redir, id } = await redirectTarget();
    const t = await rawClient();
    t.send("HELLO 3");
    t.send(`CLIENT TRACKING ON REDIRECT ${id}`);
    t.send("GET tt:q");
    await t.waitFor("_\r\n");
    redir.send("QUIT");
    await redir.waitFor("+OK\r\n");
    // The QUIT client must be gone before this change looks for it (no close event awaited).
    await r.set("tt:q", "1");
    await t.waitFor(`>2\r\n$21\r\ntracking-redir-broken\r\n:${id}\r\n`, 2000);
    t.close();
    redir.close();
  });

  it("DEBUG PAUSE-CRON is accepted", async () => {
    expect(await r.call("DEBUG", "PAUSE-CRON", "1")).toBe("OK");
    expect(await r.call("DEBUG", "PAUSE-CRON", "0")).toBe("OK");
  });
});

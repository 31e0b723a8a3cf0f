import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const target = useTarget();

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
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => socket.destroy(),
  };
}

describe("CLIENT TRACKING", () => {
  it("RESP3: a key read by the client is invalidated with a push when another client changes it", async () => {
    const c = await rawClient();
    c.send("HELLO 3");
    c.send("CLIENT TRACKING ON");
    c.send("GET trk:a");
    await c.waitFor("+OK\r\n_\r\n");
    await target.client().set("trk:a", "1");
    await c.waitFor(">2\r\n$10\r\ninvalidate\r\n*1\r\n$5\r\ntrk:a\r\n");
    c.close();
  });

  it("RESP2: invalidations go to the REDIRECT client subscribed to __redis__:invalidate", async () => {
    const sink = await rawClient();
    sink.send("CLIENT ID");
    await sink.waitFor("\r\n");
    const id = /^:(\d+)\r\n/.exec(sink.received())![1]!;
    sink.send("SUBSCRIBE __redis__:invalidate");
    await sink.waitFor("__redis__:invalidate\r\n:1\r\n");
    const reader = await rawClient();
    reader.send(`CLIENT TRACKING ON REDIRECT ${id}`);
    reader.send("GET trk:b");
    await reader.waitFor("+OK\r\n$-1\r\n");
    await target.client().set("trk:b", "1");
    await sink.waitFor("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$5\r\ntrk:b\r\n");
    reader.send("CLIENT GETREDIR");
    await reader.waitFor(`:${id}\r\n`);
    sink.close();
    reader.close();
  });

  it("BCAST: every change under a prefix is broadcast", async () => {
    const c = await rawClient();
    c.send("HELLO 3");
    c.send("CLIENT TRACKING ON BCAST PREFIX bc:");
    await c.waitFor("+OK\r\n");
    await target.client().set("bc:1", "x");
    await target.client().set("other", "x");
    await c.waitFor(">2\r\n$10\r\ninvalidate\r\n*1\r\n$4\r\nbc:1\r\n");
    expect(c.received()).not.toContain("$5\r\nother\r\n");
    c.close();
  });

  it("FLUSHALL sends a null invalidation", async () => {
    const c = await rawClient();
    c.send("HELLO 3");
    c.send("CLIENT TRACKING ON");
    await c.waitFor("+OK\r\n");
    await target.client().flushall();
    await c.waitFor(">2\r\n$10\r\ninvalidate\r\n_\r\n");
    c.close();
  });

  it("validates options with Redis's errors", async () => {
    const r = target.client();
    await expect(r.call("CLIENT", "TRACKING", "on", "prefix", "a")).rejects.toThrow(
      "ERR PREFIX option requires BCAST mode to be enabled",
    );
    await expect(r.call("CLIENT", "TRACKING", "on", "optin", "optout")).rejects.toThrow(
      "ERR You can't specify both OPTIN mode and OPTOUT mode",
    );
    await expect(r.call("CLIENT", "TRACKING", "on", "bcast", "optin")).rejects.toThrow(
      "ERR OPTIN and OPTOUT are not compatible with BCAST",
    );
    await expect(r.call("CLIENT", "TRACKING", "on", "redirect", "99999")).rejects.toThrow(
      "ERR The client ID you want redirect to does not exist",
    );
    await expect(r.call("CLIENT", "TRACKING", "on", "redirect", "abc")).rejects.toThrow(
      "ERR value is not an integer or out of range",
    );
    await expect(r.call("CLIENT", "TRACKING", "on", "bcast", "prefix", "a", "prefix", "ab")).rejects.toThrow(
      "ERR Prefix 'a' overlaps with another provided prefix 'ab'. Prefixes for a single client must not overlap.",
    );
    await expect(r.call("CLIENT", "TRACKING", "foo")).rejects.toThrow("ERR syntax error");
    await expect(r.call("CLIENT", "CACHING", "yes")).rejects.toThrow(
      "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
    );
    expect(await r.call("CLIENT", "GETREDIR")).toBe(-1);
    expect(await r.call("CLIENT", "TRACKINGINFO")).toEqual(["flags", ["off"], "redirect", -1, "prefixes", []]);
    expect(await r.call("CLIENT", "TRACKING", "on", "optin")).toBe("OK");
    await expect(r.call("CLIENT", "CACHING", "no")).rejects.toThrow(
      "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.",
    );
    expect(await r.call("CLIENT", "CACHING", "yes")).toBe("OK");
    expect(await r.call("CLIENT", "TRACKINGINFO")).toEqual([
      "flags",
      ["on", "optin", "caching-yes"],
      "redirect",
      0,
      "prefixes",
      [],
    ]);
    expect(await r.call("CLIENT", "TRACKING", "off")).toBe("OK");
  });
});

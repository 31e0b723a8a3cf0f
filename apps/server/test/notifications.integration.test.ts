import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const target = useTarget([["notify-keyspace-events", ["KEA"]]]);

const waitFor = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("keyspace notifications", () => {
  it("SET publishes __keyspace@db__:key and __keyevent@db__:set", async () => {
    const sub = target.client();
    const got: string[] = [];
    sub.on("pmessage", (_p, channel, message) => got.push(`${channel} ${message}`));
    await sub.psubscribe("__key*__:*");
    await target.client().set("nk:a", "1");
    await waitFor(() => got.length >= 2);
    expect(got).toEqual(["__keyspace@0__:nk:a set", "__keyevent@0__:set nk:a"]);
  });

  it("expired events arrive when a volatile key expires", async () => {
    const sub = target.client();
    const got: string[] = [];
    sub.on("message", (_channel, message) => got.push(message));
    await sub.subscribe("__keyevent@0__:expired");
    await target.client().set("nk:exp", "1", "PX", 50);
    await waitFor(() => got.includes("nk:exp"), 2000);
  });

  it("CONFIG SET notify-keyspace-events '' turns them off", async () => {
    const r = target.client();
    expect(await r.config("SET", "notify-keyspace-events", "")).toBe("OK");
    const sub = target.client();
    const got: string[] = [];
    sub.on("pmessage", (_p, channel) => got.push(channel));
    await sub.psubscribe("__key*__:*");
    await r.set("nk:off", "1");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(got).toEqual([]);
    await r.config("SET", "notify-keyspace-events", "KEA");
  });
});

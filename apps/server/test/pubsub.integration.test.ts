import { createClient } from "redis";
import { describe, expect, it } from "vitest";
import { lines, rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget();

const waitFor = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("SUBSCRIBE / PUBLISH", () => {
  it("subscribe replies carry the client's total subscription count", async () => {
    const { text } = await rawExchange(target.port, "SUBSCRIBE a b\r\nPSUBSCRIBE p*\r\nUNSUBSCRIBE a\r\n", {
      until: lines(12),
    });
    expect(text).toBe(
      "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n" +
        "*3\r\n$10\r\npsubscribe\r\n$2\r\np*\r\n:3\r\n*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:2\r\n",
    );
  });

  it("PUBLISH counts channel and pattern receivers and delivers messages", async () => {
    const sub = target.client();
    const got: string[] = [];
    sub.on("message", (ch, msg) => got.push(`${ch}:${msg}`));
    sub.on("pmessage", (pat, ch, msg) => got.push(`${pat}|${ch}:${msg}`));
    await sub.subscribe("news");
    await sub.psubscribe("ne*");
    const pub = target.client();
    expect(await pub.publish("news", "hello")).toBe(2);
    expect(await pub.publish("nope", "x")).toBe(0);
    await waitFor(() => got.length === 2);
    expect(got.sort()).toEqual(["ne*|news:hello", "news:hello"]);
  });

  it("a RESP2 subscriber may only run pub/sub commands, PING, QUIT and RESET", async () => {
    const { text } = await rawExchange(
      target.port,
      "SUBSCRIBE a\r\nPING\r\nPING x\r\nGET a\r\nUNSUBSCRIBE\r\nPING\r\n",
      { until: (t) => t.endsWith("+PONG\r\n") },
    );
    expect(text).toBe(
      "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*2\r\n$4\r\npong\r\n$0\r\n\r\n*2\r\n$4\r\npong\r\n$1\r\nx\r\n" +
        "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n" +
        "*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n+PONG\r\n",
    );
  });

  it("UNSUBSCRIBE with nothing subscribed replies a nil channel", async () => {
    const { text } = await rawExchange(target.port, "UNSUBSCRIBE\r\nPUNSUBSCRIBE\r\n", { until: lines(8) });
    expect(text).toBe("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n");
  });

  it("RESET leaves pub/sub mode", async () => {
    const { text } = await rawExchange(target.port, "SUBSCRIBE a\r\nRESET\r\nGET nope\r\n", {
      until: (t) => t.endsWith("$-1\r\n"),
    });
    expect(text.endsWith("+RESET\r\n$-1\r\n")).toBe(true);
  });

  it("shard channels are a separate namespace", async () => {
    const { text } = await rawExchange(target.port, "SSUBSCRIBE s\r\nSUBSCRIBE s\r\n", { until: lines(6) });
    expect(text).toBe("*3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\ns\r\n:1\r\n");
    expect(await target.client().call("SPUBLISH", "nobody", "x")).toBe(0);
  });

  it("RESP3 clients get push frames and can run any command", async () => {
    const sub = createClient({ RESP: 3, socket: { host: target.host, port: target.port, reconnectStrategy: false } });
    sub.on("error", () => {});
    await sub.connect();
    try {
      const got: string[] = [];
      await sub.subscribe("r3", (msg) => got.push(msg));
      expect(await sub.ping()).toBe("PONG");
      expect(await target.client().publish("r3", "m")).toBe(1);
      await waitFor(() => got.length === 1);
      expect(got).toEqual(["m"]);
    } finally {
      await sub.close();
    }
  });
});

describe("CLIENT REPLY OFF and pub/sub", () => {
  // Redis marks these frames CLIENT_PUSHING: subscription replies and messages are not replies to drop.
  it("subscribe and unsubscribe frames still arrive (unit/pubsub)", async () => {
    const input = "HELLO 3\r\nCLIENT REPLY OFF\r\nSUBSCRIBE rchan\r\nPSUBSCRIBE rch*\r\nUNSUBSCRIBE rchan\r\nPING\r\n";
    const { text } = await rawExchange(target.port, input, {
      until: (t) => t.includes("unsubscribe"),
      timeoutMs: 3000,
    });
    expect(text.slice(text.indexOf(">3\r\n$9\r\nsubscribe"))).toBe(
      ">3\r\n$9\r\nsubscribe\r\n$5\r\nrchan\r\n:1\r\n>3\r\n$10\r\npsubscribe\r\n$4\r\nrch*\r\n:2\r\n" +
        ">3\r\n$11\r\nunsubscribe\r\n$5\r\nrchan\r\n:1\r\n",
    );
  });

  it("messages reach a RESP2 subscriber whose replies are off", async () => {
    const pub = target.client();
    const done = rawExchange(target.port, "CLIENT REPLY OFF\r\nSUBSCRIBE roff\r\n", {
      until: (t) => t.includes("message"),
      timeoutMs: 3000,
    });
    let receivers = 0;
    const end = Date.now() + 2000;
    while (receivers === 0 && Date.now() < end) {
      receivers = await pub.publish("roff", "hello");
      if (receivers === 0) await new Promise((r) => setTimeout(r, 10));
    }
    expect((await done).text).toBe(
      "*3\r\n$9\r\nsubscribe\r\n$4\r\nroff\r\n:1\r\n*3\r\n$7\r\nmessage\r\n$4\r\nroff\r\n$5\r\nhello\r\n",
    );
  });
});

describe("PUBSUB", () => {
  it("CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB", async () => {
    const sub = target.client();
    await sub.subscribe("intro:1", "intro:2");
    await sub.psubscribe("intro:*");
    const r = target.client();
    expect(((await r.call("PUBSUB", "CHANNELS", "intro:*")) as string[]).sort()).toEqual(["intro:1", "intro:2"]);
    expect(await r.call("PUBSUB", "NUMSUB", "intro:1", "none")).toEqual(["intro:1", 1, "none", 0]);
    expect(await r.call("PUBSUB", "NUMSUB")).toEqual([]);
    expect(await r.call("PUBSUB", "NUMPAT")).toBeGreaterThanOrEqual(1);
    expect(await r.call("PUBSUB", "SHARDCHANNELS", "intro:*")).toEqual([]);
    expect(await r.call("PUBSUB", "SHARDNUMSUB", "x")).toEqual(["x", 0]);
    await expect(r.call("PUBSUB", "CHANNELS", "a", "b")).rejects.toThrow(
      "ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.",
    );
    await expect(r.call("PUBSUB", "FOO")).rejects.toThrow("ERR unknown subcommand 'FOO'. Try PUBSUB HELP.");
    const list = (await r.call("CLIENT", "LIST")) as string;
    expect(list).toMatch(/flags=P db=0 sub=2 psub=1 ssub=0 /);
    sub.disconnect();
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatchString } from "../src/globMatch.js";
import { PubSubHub } from "../src/PubSubHub.js";
import { MemoryClient } from "./utils/memoryServer.js";
import { bytesOf, latin1 } from "./utils/resp.js";

const reply = (kind: string, channel: string | null, count: number, protocol: 2 | 3 = 2) =>
  `${protocol === 3 ? ">" : "*"}3\r\n$${kind.length}\r\n${kind}\r\n${
    channel === null ? (protocol === 3 ? "_\r\n" : "$-1\r\n") : `$${channel.length}\r\n${channel}\r\n`
  }:${count}\r\n`;
const message = (channel: string, payload: string) =>
  `*3\r\n$7\r\nmessage\r\n$${channel.length}\r\n${channel}\r\n$${payload.length}\r\n${payload}\r\n`;
const pmessage = (pattern: string, channel: string, payload: string) =>
  `*4\r\n$8\r\npmessage\r\n$${pattern.length}\r\n${pattern}\r\n$${channel.length}\r\n${channel}\r\n$${payload.length}\r\n${payload}\r\n`;

function setup() {
  return { hub: new PubSubHub<MemoryClient>(), a: new MemoryClient(), b: new MemoryClient() };
}

describe("subscribe-family replies carry Redis's counts", () => {
  it("counts channels plus patterns for SUBSCRIBE and PSUBSCRIBE, ignoring duplicates", () => {
    const { hub, a } = setup();
    hub.subscribe(a, ["x", "y", "x"]);
    hub.psubscribe(a, ["p*", "p*"]);
    expect(a.take()).toEqual([
      reply("subscribe", "x", 1),
      reply("subscribe", "y", 2),
      reply("subscribe", "x", 2),
      reply("psubscribe", "p*", 3),
      reply("psubscribe", "p*", 3),
    ]);
    expect(hub.clientSubscriptionCount(a)).toBe(3);
  });

  it("counts only shard channels for SSUBSCRIBE and SUNSUBSCRIBE", () => {
    const { hub, a } = setup();
    hub.subscribe(a, ["x"]);
    hub.ssubscribe(a, ["s1", "s2"]);
    hub.sunsubscribe(a, ["s1", "nope"]);
    expect(a.take()).toEqual([
      reply("subscribe", "x", 1),
      reply("ssubscribe", "s1", 1),
      reply("ssubscribe", "s2", 2),
      reply("sunsubscribe", "s1", 1),
      reply("sunsubscribe", "nope", 1),
    ]);
    expect(hub.clientShardChannelCount(a)).toBe(1);
    expect(hub.clientTotalSubscriptionCount(a)).toBe(2);
  });

  it("replies to an unsubscribe of something not subscribed with the unchanged count", () => {
    const { hub, a } = setup();
    hub.psubscribe(a, ["p*"]);
    a.take();
    hub.unsubscribe(a, ["never"]);
    hub.punsubscribe(a, ["q*"]);
    expect(a.take()).toEqual([reply("unsubscribe", "never", 1), reply("punsubscribe", "q*", 1)]);
  });

  it("unsubscribes from everything of one kind with no arguments, one reply each, counts falling", () => {
    const { hub, a } = setup();
    hub.subscribe(a, ["x", "y"]);
    hub.psubscribe(a, ["p*"]);
    a.take();
    hub.unsubscribe(a);
    expect(a.take()).toEqual([reply("unsubscribe", "x", 2), reply("unsubscribe", "y", 1)]);
    hub.punsubscribe(a, []);
    expect(a.take()).toEqual([reply("punsubscribe", "p*", 0)]);
  });

  it("replies with a null channel when an argument-less unsubscribe finds nothing (RESP2 $-1, RESP3 _)", () => {
    const { hub, a, b } = setup();
    b.protocol = 3;
    hub.psubscribe(a, ["p*"]);
    a.take();
    hub.unsubscribe(a);
    hub.sunsubscribe(a);
    hub.unsubscribe(b);
    hub.punsubscribe(b);
    expect(a.take()).toEqual([reply("unsubscribe", null, 1), reply("sunsubscribe", null, 0)]);
    expect(b.take()).toEqual([reply("unsubscribe", null, 0, 3), reply("punsubscribe", null, 0, 3)]);
  });
});

describe("publish", () => {
  it("delivers once per channel subscription and once per matching pattern, and counts each", () => {
    const { hub, a, b } = setup();
    hub.subscribe(a, ["news.sports"]);
    hub.psubscribe(a, ["news.*", "*.sports", "weather.*"]);
    hub.psubscribe(b, ["news.*"]);
    a.take();
    b.take();
    expect(hub.publish("news.sports", "goal")).toBe(4);
    expect(a.take()).toEqual([
      message("news.sports", "goal"),
      pmessage("news.*", "news.sports", "goal"),
      pmessage("*.sports", "news.sports", "goal"),
    ]);
    expect(b.take()).toEqual([pmessage("news.*", "news.sports", "goal")]);
    expect(hub.publish("nobody", "x")).toBe(0);
  });

  it("finds a channel again after its subscribers left and came back, or after another channel", () => {
    const { hub, a, b } = setup();
    hub.subscribe(a, ["ch"]);
    hub.subscribe(b, ["other"]);
    expect(hub.publish("ch", "1")).toBe(1);
    hub.unsubscribe(a, ["ch"]);
    expect(hub.publish("ch", "2")).toBe(0);
    hub.subscribe(b, ["ch"]);
    expect(hub.publish("ch", "3")).toBe(1);
    expect(hub.publish("other", "4")).toBe(1);
    hub.unsubscribeAll(b);
    expect(hub.publish("ch", "5")).toBe(0);
    expect(hub.publish("other", "6")).toBe(0);
    hub.subscribe(a, ["ch"]);
    expect(hub.publish(new TextEncoder().encode("ch"), "7")).toBe(1);
    a.take();
    b.take();
    expect(hub.publish("c", "8")).toBe(0);
    expect(hub.publish("chx", "9")).toBe(0);
  });

  it("publishFrom reads the channel and message in place from one buffer, like publish", () => {
    const { hub, a, b } = setup();
    hub.subscribe(a, ["news"]);
    hub.psubscribe(b, ["n*s"]);
    a.take();
    b.take();
    const read = new TextEncoder().encode("*3\r\n$7\r\nPUBLISH\r\n$4\r\nnews\r\n$5\r\nhello\r\n");
    const channelAt = read.indexOf(0x6e); // "news"
    const messageAt = channelAt + 4 + 2 + 4; // after "news\r\n$5\r\n"
    expect(hub.publishFrom(read, channelAt, 4, messageAt, 5)).toBe(2);
    expect(a.take()).toEqual([message("news", "hello")]);
    expect(b.take()).toEqual([pmessage("n*s", "news", "hello")]);
    expect(hub.publishFrom(read, channelAt, 3, messageAt, 5)).toBe(0); // "new"
    read.fill(0x21); // nothing was kept from the buffer
    expect(hub.publish("news", "again")).toBe(2);
    expect(a.take()).toEqual([message("news", "again")]);
  });

  it("encodes once per protocol and hands every receiver the same bytes", () => {
    const hub = new PubSubHub<MemoryClient>();
    const clients = Array.from({ length: 1000 }, (_, i) => {
      const c = new MemoryClient();
      c.protocol = i % 3 === 0 ? 3 : 2;
      hub.subscribe(c, ["ch"]);
      c.take();
      return c;
    });
    expect(hub.publish("ch", "payload")).toBe(1000);
    const distinct = new Set(clients.map((c) => c.frames[0]));
    expect(distinct.size).toBe(2);
    expect(clients.every((c) => c.frames.length === 1)).toBe(true);
    expect(latin1(clients[0]!.frames[0]!)).toBe(`>${message("ch", "payload").slice(1)}`);
    expect(latin1(clients[1]!.frames[0]!)).toBe(message("ch", "payload"));
  });

  it("reads the protocol at delivery time, so HELLO 3 after SUBSCRIBE yields push frames", () => {
    const { hub, a } = setup();
    hub.subscribe(a, ["c"]);
    a.take();
    a.protocol = 3;
    hub.publish("c", "m");
    expect(a.take()).toEqual([`>${message("c", "m").slice(1)}`]);
  });

  it("keeps shard channels apart: SPUBLISH ignores patterns and plain subscribers", () => {
    const { hub, a, b } = setup();
    hub.ssubscribe(a, ["s"]);
    hub.subscribe(b, ["s"]);
    hub.psubscribe(b, ["*"]);
    a.take();
    b.take();
    expect(hub.spublish("s", "m")).toBe(1);
    expect(a.take()).toEqual(["*3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$1\r\nm\r\n"]);
    expect(b.take()).toEqual([]);
    expect(hub.publish("s", "m")).toBe(2);
    expect(a.take()).toEqual([]);
  });

  it("survives a subscriber that disconnects itself from inside deliver", () => {
    const hub = new PubSubHub<MemoryClient>();
    const good = new MemoryClient();
    class Overflowing extends MemoryClient {
      armed = false;
      override deliver(frame: Uint8Array): void {
        super.deliver(frame);
        if (this.armed && this.frames.length > 1) hub.unsubscribeAll(this); // e.g. output-buffer limit hit
      }
    }
    const bad = new Overflowing();
    hub.subscribe(bad, ["c"]);
    hub.psubscribe(bad, ["c*", "*"]);
    hub.subscribe(good, ["c"]);
    hub.psubscribe(good, ["*"]);
    bad.take();
    good.take();
    bad.armed = true;
    // c: bad + good; c*: bad, which then drops out; *: good only (bad already gone).
    expect(hub.publish("c", "m")).toBe(4);
    expect(hub.numsub("c")).toBe(1);
    expect(hub.numpat()).toBe(1);
    expect(good.take()).toEqual([message("c", "m"), pmessage("*", "c", "m")]);
    expect(bad.take()).toEqual([message("c", "m"), pmessage("c*", "c", "m")]);
  });
});

describe("names are bytes and are copied once", () => {
  it("keeps its own copy of a name passed as a view into a reused buffer", () => {
    const { hub, a } = setup();
    const readBuffer = bytesOf("xxchan1yy");
    hub.subscribe(a, [readBuffer.subarray(2, 7)]);
    readBuffer.set(bytesOf("zzzzzzzzz"));
    expect(hub.channels().map(latin1)).toEqual(["chan1"]);
    expect(hub.publish("chan1", "m")).toBe(1);
  });

  it("treats strings as UTF-8 and bytes as bytes", () => {
    const { hub, a } = setup();
    hub.subscribe(a, ["é"]);
    expect(hub.numsub(new Uint8Array([0xc3, 0xa9]))).toBe(1);
    expect(hub.numsub(new Uint8Array([0xe9]))).toBe(0);
  });
});

describe("introspection and disconnect", () => {
  it("answers PUBSUB CHANNELS / NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB", () => {
    const { hub, a, b } = setup();
    hub.subscribe(a, ["a1", "a2", ""]);
    hub.subscribe(b, ["a2"]);
    hub.psubscribe(a, ["x*"]);
    hub.psubscribe(b, ["x*", "y*"]);
    hub.ssubscribe(b, ["s1", "t1"]);
    expect(hub.channels().map(latin1).sort()).toEqual(["", "a1", "a2"]);
    expect(hub.channels("*").map(latin1).sort()).toEqual(["a1", "a2"]);
    expect(hub.channels("*2").map(latin1)).toEqual(["a2"]);
    expect([hub.numsub("a1"), hub.numsub("a2"), hub.numsub("zz"), hub.numsub("x1")]).toEqual([1, 2, 0, 0]);
    expect(hub.numpat()).toBe(2); // distinct patterns, as Redis 7.0 counts
    expect(hub.shardChannels("s*").map(latin1)).toEqual(["s1"]);
    expect([hub.shardNumsub("s1"), hub.shardNumsub("a1")]).toEqual([1, 0]);
    expect([hub.channelCount, hub.shardChannelCount]).toEqual([3, 2]);
    expect([hub.clientChannelCount(a), hub.clientPatternCount(a), hub.clientShardChannelCount(a)]).toEqual([3, 1, 0]);
  });

  it("forgets every subscription of a disconnected client and no one else's", () => {
    const { hub, a, b } = setup();
    hub.subscribe(a, ["only-a", "shared"]);
    hub.psubscribe(a, ["a*", "s*"]);
    hub.ssubscribe(a, ["sh"]);
    hub.subscribe(b, ["shared"]);
    hub.psubscribe(b, ["s*"]);
    a.take();
    expect(hub.unsubscribeAll(a)).toBe(5);
    expect(hub.unsubscribeAll(a)).toBe(0);
    expect(hub.clientTotalSubscriptionCount(a)).toBe(0);
    expect(hub.channels().map(latin1)).toEqual(["shared"]);
    expect(hub.numpat()).toBe(1);
    expect(hub.shardChannelCount).toBe(0);
    expect(hub.publish("shared", "m")).toBe(2);
    expect(a.take()).toEqual([]);
  });

  it("unsubscribes everyone from a shard channel whose slot moved, telling each client", () => {
    const { hub, a, b } = setup();
    hub.ssubscribe(a, ["s", "t"]);
    hub.ssubscribe(b, ["s"]);
    a.take();
    b.take();
    expect(hub.removeShardChannel("s")).toBe(2);
    expect(a.take()).toEqual([reply("sunsubscribe", "s", 1)]);
    expect(b.take()).toEqual([reply("sunsubscribe", "s", 0)]);
    expect(hub.shardNumsub("s")).toBe(0);
    expect(hub.clientTotalSubscriptionCount(b)).toBe(0);
    expect(hub.removeShardChannel("s")).toBe(0);
  });
});

describe("the hub behaves like a naive model of Redis pub/sub", () => {
  type Op =
    | { kind: "subscribe" | "unsubscribe" | "psubscribe" | "punsubscribe"; client: number; names: string[] }
    | { kind: "publish"; channel: string }
    | { kind: "disconnect"; client: number };
  const channel = fc.constantFrom("a", "b", "ab", "ba", "");
  const pattern = fc.constantFrom("a*", "*", "?", "[ab]b", "b*");
  const client = fc.integer({ min: 0, max: 2 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constantFrom("subscribe" as const, "unsubscribe" as const),
      client,
      names: fc.array(channel, { maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constantFrom("psubscribe" as const, "punsubscribe" as const),
      client,
      names: fc.array(pattern, { maxLength: 3 }),
    }),
    fc.record({ kind: fc.constant("publish" as const), channel }),
    fc.record({ kind: fc.constant("disconnect" as const), client }),
  );

  it("agrees on reply counts, receivers, NUMSUB, NUMPAT and CHANNELS", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const hub = new PubSubHub<MemoryClient>();
        const clients = [new MemoryClient(), new MemoryClient(), new MemoryClient()];
        const model = clients.map(() => ({ channels: new Set<string>(), patterns: new Set<string>() }));
        const total = (i: number) => model[i]!.channels.size + model[i]!.patterns.size;
        for (const o of ops) {
          if (o.kind === "publish") {
            let expected = 0;
            for (const m of model) {
              if (m.channels.has(o.channel)) expected++;
              for (const p of m.patterns) if (globMatchString(p, o.channel)) expected++;
            }
            expect(hub.publish(o.channel, "m")).toBe(expected);
            clients.forEach((c) => c.take());
            continue;
          }
          const c = clients[o.client]!;
          const m = model[o.client]!;
          if (o.kind === "disconnect") {
            hub.unsubscribeAll(c);
            m.channels.clear();
            m.patterns.clear();
            continue;
          }
          const set = o.kind.includes("subscribe") && o.kind.startsWith("p") ? m.patterns : m.channels;
          const adding = !o.kind.includes("unsubscribe");
          const expectedReplies: string[] = [];
          if (!adding && o.names.length === 0) {
            for (const name of [...set]) {
              set.delete(name);
              expectedReplies.push(reply(o.kind, name, total(o.client)));
            }
            if (expectedReplies.length === 0) expectedReplies.push(reply(o.kind, null, total(o.client)));
          } else {
            for (const name of o.names) {
              if (adding) set.add(name);
              else set.delete(name);
              expectedReplies.push(reply(o.kind, name, total(o.client)));
            }
          }
          hub[o.kind](c, o.names);
          expect(c.take()).toEqual(expectedReplies);
        }
        const allChannels = new Set(model.flatMap((m) => [...m.channels]));
        expect(hub.channels().map(latin1).sort()).toEqual([...allChannels].sort());
        for (const name of ["a", "b", "ab", "ba", ""]) {
          expect(hub.numsub(name)).toBe(model.filter((m) => m.channels.has(name)).length);
        }
        expect(hub.numpat()).toBe(new Set(model.flatMap((m) => [...m.patterns])).size);
      }),
      { numRuns: 500 },
    );
  });
});

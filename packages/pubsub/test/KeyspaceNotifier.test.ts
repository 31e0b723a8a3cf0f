import { describe, expect, it } from "vitest";
import { KeyspaceNotifier } from "../src/KeyspaceNotifier.js";
import { keyspaceEventsStringToFlags, NOTIFY_EXPIRED, NOTIFY_GENERIC, NOTIFY_STRING } from "../src/keyspaceEvents.js";
import { PubSubHub } from "../src/PubSubHub.js";
import { MemoryClient } from "./utils/memoryServer.js";
import { bytesOf, latin1 } from "./utils/resp.js";

const pmessage = (pattern: string, channel: string, payload: string) =>
  `*4\r\n$8\r\npmessage\r\n$${pattern.length}\r\n${pattern}\r\n$${channel.length}\r\n${channel}\r\n$${payload.length}\r\n${payload}\r\n`;

function setup(classes: string) {
  const hub = new PubSubHub<MemoryClient>();
  const notifier = new KeyspaceNotifier(hub, keyspaceEventsStringToFlags(classes));
  const listener = new MemoryClient();
  hub.psubscribe(listener, ["__key*"]);
  listener.take();
  return { hub, notifier, listener };
}

describe("notifyKeyspaceEvent", () => {
  it("publishes __keyspace@<db>__:<key> → event, then __keyevent@<db>__:<event> → key", () => {
    const { notifier, listener } = setup("KEA");
    notifier.notifyKeyspaceEvent(NOTIFY_STRING, "set", "user:1", 12);
    expect(listener.take()).toEqual([
      pmessage("__key*", "__keyspace@12__:user:1", "set"),
      pmessage("__key*", "__keyevent@12__:set", "user:1"),
    ]);
  });

  it("publishes only the enabled kinds of channel", () => {
    const keyspaceOnly = setup("K$");
    keyspaceOnly.notifier.notifyKeyspaceEvent(NOTIFY_STRING, "set", "k", 0);
    expect(keyspaceOnly.listener.take()).toEqual([pmessage("__key*", "__keyspace@0__:k", "set")]);
    const keyeventOnly = setup("Eg");
    keyeventOnly.notifier.notifyKeyspaceEvent(NOTIFY_GENERIC, "del", "k", 0);
    expect(keyeventOnly.listener.take()).toEqual([pmessage("__key*", "__keyevent@0__:del", "k")]);
  });

  it("publishes nothing when the event's class is off, or when neither K nor E is on", () => {
    const { notifier, listener } = setup("KEg");
    notifier.notifyKeyspaceEvent(NOTIFY_EXPIRED, "expired", "k", 0);
    notifier.flags = keyspaceEventsStringToFlags("A");
    notifier.notifyKeyspaceEvent(NOTIFY_EXPIRED, "expired", "k", 0);
    expect(listener.take()).toEqual([]);
  });

  it("carries binary keys verbatim", () => {
    const { notifier, listener } = setup("KEA");
    notifier.notifyKeyspaceEvent(NOTIFY_STRING, "set", bytesOf("\xff\x00k"), 0);
    expect(listener.take()).toEqual([
      pmessage("__key*", "__keyspace@0__:\xff\x00k", "set"),
      pmessage("__key*", "__keyevent@0__:set", "\xff\x00k"),
    ]);
  });

  it("does not build channels when nobody is subscribed", () => {
    let published = 0;
    const publisher = {
      publish: () => ++published,
      channelCount: 0,
      numpat: () => 0,
    };
    const notifier = new KeyspaceNotifier(publisher, keyspaceEventsStringToFlags("KEA"));
    notifier.notifyKeyspaceEvent(NOTIFY_STRING, "set", "k", 0);
    expect(published).toBe(0);
    publisher.channelCount = 1;
    notifier.notifyKeyspaceEvent(NOTIFY_STRING, "set", "k", 0);
    expect(published).toBe(2);
  });

  it("reaches plain channel subscribers too", () => {
    const hub = new PubSubHub<MemoryClient>();
    const notifier = new KeyspaceNotifier(hub, keyspaceEventsStringToFlags("KEA"));
    const c = new MemoryClient();
    hub.subscribe(c, ["__keyevent@0__:del"]);
    c.take();
    notifier.notifyKeyspaceEvent(NOTIFY_GENERIC, "del", "a", 0);
    notifier.notifyKeyspaceEvent(NOTIFY_GENERIC, "del", "b", 0);
    expect(c.frames.map(latin1)).toEqual([
      "*3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:del\r\n$1\r\na\r\n",
      "*3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:del\r\n$1\r\nb\r\n",
    ]);
  });
});

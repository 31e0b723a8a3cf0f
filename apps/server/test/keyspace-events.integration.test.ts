import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

/**
 * The keyspace events each command emits, in order, as `<class>:<event>:<key>`. Against Redis
 * they are read from `__keyevent@*__:*` (notify-keyspace-events KEAnm); against nedis straight
 * from the keyspace's `onNotify` hook, which is what the server's notifier publishes from (so a
 * nedis already running at NEDIS_TEST_URL cannot take part).
 */
const target = useTarget([["notify-keyspace-events", ["KEAnm"]]]);
let r: Redis;
let sub: Redis | null = null;
const events: string[] = [];

const CLASS_OF: Record<string, string> = {
  set: "$",
  setrange: "$",
  incrby: "$",
  incrbyfloat: "$",
  append: "$",
  expired: "x",
  evicted: "e",
  new: "n",
  keymiss: "m",
};

beforeAll(async () => {
  r = target.client();
  const server = target.server;
  if (server !== undefined) {
    server.keyspace.onNotify = (type, event, _db, key, off, len) => {
      events.push(`${type}:${event}:${Buffer.from(key.subarray(off, off + len)).toString("latin1")}`);
    };
    return;
  }
  sub = target.client();
  await sub.psubscribe("__keyevent@*__:*");
  sub.on("pmessage", (_pattern: string, channel: string, key: string) => {
    const event = channel.slice(channel.indexOf(":") + 1);
    events.push(`${CLASS_OF[event] ?? "g"}:${event}:${key}`);
  });
});
beforeEach(async () => {
  await r.flushall();
  await settle();
  events.length = 0;
});

/** Lets pub/sub messages arrive (Redis) before reading `events`. */
async function settle(): Promise<void> {
  await r.ping();
  if (sub !== null) await sub.ping().catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 30));
}

async function eventsOf(...commands: string[][]): Promise<string[]> {
  for (const cmd of commands) await r.call(cmd[0]!, ...cmd.slice(1)).catch(() => undefined);
  await settle();
  const out = events.filter((e) => !e.startsWith("m:"));
  events.length = 0;
  return out;
}

describe.skipIf(!!process.env.NEDIS_TEST_URL)("keyspace events", () => {
  it("string commands", async () => {
    expect(await eventsOf(["SET", "k", "v"])).toEqual(["n:new:k", "$:set:k"]);
    expect(await eventsOf(["SET", "k", "v2", "EX", "100"])).toEqual(["$:set:k", "g:expire:k"]);
    expect(await eventsOf(["SET", "k", "v", "NX"])).toEqual([]);
    expect(await eventsOf(["APPEND", "k", "x"], ["SETRANGE", "k", "0", "y"], ["SETRANGE", "k", "0", ""])).toEqual([
      "$:append:k",
      "$:setrange:k",
    ]);
    expect(await eventsOf(["INCR", "n"], ["INCRBYFLOAT", "n", "1.5"])).toEqual([
      "n:new:n",
      "$:incrby:n",
      "$:incrbyfloat:n",
    ]);
    expect(await eventsOf(["MSET", "a", "1", "b", "2"])).toEqual(["n:new:a", "$:set:a", "n:new:b", "$:set:b"]);
    expect(await eventsOf(["GETSET", "a", "x"], ["GETDEL", "a"])).toEqual(["$:set:a", "g:del:a"]);
    expect(await eventsOf(["GETEX", "b", "EX", "10"], ["GETEX", "b", "PERSIST"], ["GETEX", "b", "PXAT", "1"])).toEqual([
      "g:expire:b",
      "g:persist:b",
      "g:del:b",
    ]);
  });

  it("generic commands", async () => {
    await r.mset("a", "1", "b", "2");
    await settle();
    events.length = 0;
    expect(await eventsOf(["DEL", "a", "missing"])).toEqual(["g:del:a"]);
    expect(await eventsOf(["RENAME", "b", "c"])).toEqual(["n:new:c", "g:rename_from:b", "g:rename_to:c"]);
    expect(await eventsOf(["COPY", "c", "d"])).toEqual(["n:new:d", "g:copy_to:d"]);
    expect(await eventsOf(["MOVE", "d", "1"])).toEqual(["n:new:d", "g:move_from:d", "g:move_to:d"]);
    expect(await eventsOf(["EXPIRE", "c", "100"], ["PERSIST", "c"], ["PERSIST", "c"], ["EXPIRE", "c", "-1"])).toEqual([
      "g:expire:c",
      "g:persist:c",
      "g:del:c",
    ]);
  });

  it("expiry by the server", async () => {
    await r.set("e", "v", "PX", "150");
    await settle();
    events.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await eventsOf()).toEqual(["x:expired:e"]);
  });

  it("a read miss is a keymiss event", async () => {
    await r.get("nothing");
    await settle();
    expect(events).toContain("m:keymiss:nothing");
  });
});

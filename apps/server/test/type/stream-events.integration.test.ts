import type { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";

/**
 * Stream keyspace events (t_stream.c's names, class `t`) and the dirty counter
 * (`rdb_changes_since_last_save`) per stream command, as Redis 7.0 emits and counts them.
 */
const target = useTarget([["notify-keyspace-events", ["KEA"]]]);
let r: Redis;
let sub: Redis;
const events: string[] = [];

beforeAll(async () => {
  r = target.client();
  sub = target.client();
  await sub.psubscribe("__keyevent@*__:*");
  sub.on("pmessage", (_pattern: string, channel: string, key: string) => {
    events.push(`${channel.slice(channel.indexOf(":") + 1)}:${key}`);
  });
});
afterAll(() => sub.disconnect());
beforeEach(async () => {
  await r.flushall();
  await settle();
  events.length = 0;
});

async function settle(): Promise<void> {
  await r.ping();
  await sub.ping().catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 30));
}

async function dirty(): Promise<number> {
  const text = (await r.info("persistence")) as string;
  return Number(/rdb_changes_since_last_save:(\d+)/.exec(text)?.[1]);
}

/** Runs `cmd`; returns [dirty delta, events]. */
async function run(...cmd: (string | number)[]): Promise<[number, string[]]> {
  const before = await dirty();
  await r.call(String(cmd[0]), ...cmd.slice(1).map(String)).catch(() => undefined);
  const delta = (await dirty()) - before;
  await settle();
  return [delta, events.splice(0)];
}

describe("stream events and dirty counts", () => {
  it("match Redis command by command", async () => {
    expect(await run("XADD", "s", "1-0", "f", "v")).toEqual([1, ["xadd:s"]]);
    expect(await run("XADD", "s", "2-0", "f", "v")).toEqual([1, ["xadd:s"]]);
    expect(await run("XADD", "s", "1-0", "f", "v")).toEqual([0, []]);
    expect(await run("XADD", "s", "MAXLEN", "1", "3-0", "f", "v")).toEqual([1, ["xadd:s", "xtrim:s"]]);
    expect(await run("XADD", "s", "4-0", "f", "v")).toEqual([1, ["xadd:s"]]);
    expect(await run("XADD", "s", "5-0", "f", "v")).toEqual([1, ["xadd:s"]]);
    expect(await run("XDEL", "s", "4-0", "5-0", "9-9")).toEqual([2, ["xdel:s"]]);
    expect(await run("XDEL", "s", "9-9")).toEqual([0, []]);
    expect(await run("XADD", "s", "6-0", "f", "v")).toEqual([1, ["xadd:s"]]);
    expect(await run("XTRIM", "s", "MAXLEN", "0")).toEqual([2, ["xtrim:s"]]);
    expect(await run("XTRIM", "s", "MAXLEN", "0")).toEqual([0, []]);
    expect(await run("XSETID", "s", "10-0")).toEqual([1, ["xsetid:s"]]);
    expect(await run("XGROUP", "CREATE", "s", "g", "$")).toEqual([1, ["xgroup-create:s"]]);
    expect(await run("XGROUP", "CREATE", "n", "g", "$", "MKSTREAM")).toEqual([1, ["xgroup-create:n"]]);
    expect(await run("XGROUP", "SETID", "s", "g", "0")).toEqual([1, ["xgroup-setid:s"]]);
    expect(await run("XGROUP", "CREATECONSUMER", "s", "g", "c")).toEqual([1, ["xgroup-createconsumer:s"]]);
    expect(await run("XGROUP", "CREATECONSUMER", "s", "g", "c")).toEqual([0, []]);
    expect(await run("XADD", "s", "11-0", "f", "v")).toEqual([1, ["xadd:s"]]);
    expect(await run("XREADGROUP", "GROUP", "g", "d", "STREAMS", "s", ">")).toEqual([2, ["xgroup-createconsumer:s"]]);
    expect(await run("XACK", "s", "g", "11-0")).toEqual([1, []]);
    expect(await run("XGROUP", "DELCONSUMER", "s", "g", "d")).toEqual([1, ["xgroup-delconsumer:s"]]);
    expect(await run("XGROUP", "DESTROY", "s", "g")).toEqual([1, ["xgroup-destroy:s"]]);
    expect(await run("XGROUP", "DESTROY", "s", "g")).toEqual([0, []]);
    expect(await run("DEL", "s")).toEqual([1, ["del:s"]]);
  });
});

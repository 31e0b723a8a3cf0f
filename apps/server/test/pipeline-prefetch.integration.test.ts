import { beforeAll, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

// With tens of thousands of keys, nedis looks ahead at a read's pipelined commands and warms
// their keys (and keeps their hashes) before running them. Whatever the batch holds, each
// command must still see exactly the keys the commands before it left.

const FILL = 40_000;

const target = useTarget();
beforeAll(async () => {
  const c = target.client();
  await c.flushall();
  for (let start = 0; start < FILL; start += 1000) {
    const pairs: string[] = [];
    for (let i = start; i < start + 1000; i++) pairs.push(`pf:${i}`, `${i}`);
    await c.mset(...pairs);
  }
});

describe("pipelines over a large keyspace", () => {
  it("answers every command of a mixed batch as if run one by one", async () => {
    const c = target.client();
    const replies = await c
      .pipeline()
      .get("pf:1")
      .incr("pf:1")
      .get("pf:1")
      .del("pf:2")
      .get("pf:2")
      .exists("pf:2", "pf:3", "pf:none")
      .rename("pf:3", "pf:3b")
      .get("pf:3")
      .get("pf:3b")
      .mset("pf:4", "a", "pf:new", "b")
      .mget("pf:4", "pf:new", "pf:none")
      .call("GET") // wrong arity: rejected before it looks anything up
      .call("NOSUCHCOMMAND", "pf:5")
      .get("pf:5")
      .select(1)
      .get("pf:6")
      .set("pf:6", "db1")
      .select(0)
      .get("pf:6")
      .call("MULTI")
      .incr("pf:7")
      .get("pf:7")
      .call("EXEC")
      .getdel("pf:8")
      .get("pf:8")
      .set("pf:9", "x", "GET")
      .get("pf:9")
      .exec();
    expect(replies!.map(([err, value]) => (err ? `ERR:${err.message.split(" ")[0]}` : value))).toEqual([
      "1",
      2,
      "2",
      1,
      null,
      1,
      "OK",
      null,
      "3",
      "OK",
      ["a", "b", null],
      "ERR:ERR",
      "ERR:ERR",
      "5",
      "OK",
      null,
      "OK",
      "OK",
      "6",
      "OK",
      "QUEUED",
      "QUEUED",
      [8, "8"],
      "8",
      null,
      "9",
      "x",
    ]);
    // DEL pf:2, MSET's pf:new, GETDEL pf:8.
    expect(await c.dbsize()).toBe(FILL - 1);
    await c.select(1);
    expect(await c.get("pf:6")).toBe("db1");
    await c.flushdb();
  });

  it("keeps hundreds of pipelined lookups of random keys right, across many reads", async () => {
    const c = target.client();
    const pipeline = c.pipeline();
    for (let i = 0; i < 2000; i++) pipeline.get(`pf:${(i * 7_919) % (FILL + 5_000)}`);
    const model = new Map<number, string>();
    const current = await c.mget(...Array.from({ length: FILL + 5_000 }, (_, n) => `pf:${n}`));
    current.forEach((v, n) => {
      if (v !== null) model.set(n, v);
    });
    const replies = (await pipeline.exec())!.map(([, v]) => v);
    expect(replies).toEqual(Array.from({ length: 2000 }, (_, i) => model.get((i * 7_919) % (FILL + 5_000)) ?? null));
  });
});

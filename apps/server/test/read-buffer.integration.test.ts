import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

// nedis reads every plain connection into one shared buffer: input that outlives a read (a
// command split across reads, commands waiting behind a paused one) must have been copied out.

const target = useTarget();

describe("reading many connections at once", () => {
  it("keeps large values split across reads intact while other connections are read in between", async () => {
    const clients = Array.from({ length: 12 }, () => target.client());
    const values = clients.map((_, i) => randomBytes(150_000 + i * 7_919));
    await Promise.all(
      clients.map(async (c, i) => {
        const pipeline = c.pipeline();
        for (let round = 0; round < 3; round++) pipeline.set(`rb:${i}:${round}`, values[i]!).ping();
        await pipeline.exec();
      }),
    );
    const reader = target.client();
    for (let i = 0; i < clients.length; i++) {
      for (let round = 0; round < 3; round++) {
        expect((await reader.getBuffer(`rb:${i}:${round}`))!.equals(values[i]!)).toBe(true);
      }
    }
  });

  it("runs pipelined commands queued behind a paused write correctly after other traffic", async () => {
    const admin = target.client();
    const writer = target.client();
    const busy = target.client();
    await admin.del("rb:paused", "rb:after");
    await admin.call("CLIENT", "PAUSE", "5000", "WRITE");
    // SET is postponed; the GET and INCR behind it wait in the same read.
    const pipeline = writer.pipeline().set("rb:paused", "first").get("rb:paused").incr("rb:after").get("rb:after");
    const pending = pipeline.exec();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Reads of other connections go through the shared buffer meanwhile.
    const filler = "x".repeat(30_000);
    for (let i = 0; i < 20; i++) expect(await busy.echo(`${i}${filler}`)).toBe(`${i}${filler}`);
    expect(await admin.call("CLIENT", "UNPAUSE")).toBe("OK");
    expect(await pending).toEqual([
      [null, "OK"],
      [null, "first"],
      [null, 1],
      [null, "1"],
    ]);
  });
});

import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const target = useTarget([
  ["maxmemory", ["4mb"]],
  ["maxmemory-policy", ["noeviction"]],
]);
let r: Redis;
beforeAll(() => {
  r = target.client();
});

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

/** Writes 64 KB values until the server refuses one (bounded: at most 4096 writes). */
async function fillUntilOom(): Promise<number> {
  const value = Buffer.alloc(64 * 1024, 0x61);
  for (let i = 0; i < 4096; i++) {
    try {
      await r.set(`oom:${i}`, value);
    } catch (err) {
      expect((err as Error).message).toBe(OOM);
      return i;
    }
  }
  throw new Error("never reached maxmemory");
}

describe("maxmemory with noeviction", () => {
  it("refuses denyoom commands with Redis's OOM error and keeps serving reads and deletes", async () => {
    const written = await fillUntilOom();
    expect(written).toBeGreaterThan(0);
    expect((await r.getBuffer("oom:0"))?.length).toBe(64 * 1024);
    expect(await r.del("oom:0")).toBe(1);
  });

  it("FLUSHALL (not denyoom) brings memory back and writes work again", async () => {
    expect(await r.flushall()).toBe("OK");
    expect(await r.set("oom:after", "v")).toBe("OK");
  });
});

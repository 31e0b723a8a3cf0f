import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

// Redis counts normal and pub/sub clients' buffers against maxmemory (only replica and AOF
// buffers are exempt): a subscriber's backlog makes keys go.

const target = useTarget([
  ["maxmemory", ["24mb"]],
  ["maxmemory-policy", ["allkeys-random"]],
  ["client-output-buffer-limit", ["pubsub", "0", "0", "0"]],
]);

function field(info: string, name: string): number {
  return Number(new RegExp(`${name}:(\\d+)`).exec(info)![1]);
}

describe("client buffers and maxmemory", () => {
  it("a stalled subscriber's backlog counts against maxmemory and evicts keys", async () => {
    const admin = target.client();
    await admin.flushall();
    await admin.config("RESETSTAT");
    const value = "v".repeat(1000);
    for (let round = 0; round < 12; round++) {
      const batch = admin.pipeline();
      for (let i = 0; i < 1000; i++) batch.set(`cm:${round}:${i}`, value);
      await batch.exec(); // ~12 MB of keys
    }
    const keysBefore = await admin.dbsize();
    expect(field(await admin.info("stats"), "evicted_keys")).toBe(0);
    expect(field(await admin.info("memory"), "mem_not_counted_for_evict")).toBe(0);

    const sub = connect({ host: target.host, port: target.port });
    sub.on("error", () => {});
    await new Promise<void>((resolve) => sub.once("connect", () => resolve()));
    sub.write("SUBSCRIBE backlog\r\n");
    await new Promise<void>((resolve) => sub.once("data", () => resolve()));
    sub.pause();
    const message = Buffer.alloc(64 * 1024, 0x61);
    for (let round = 0; round < 8; round++) {
      const batch = admin.pipeline();
      for (let i = 0; i < 32; i++) batch.publish("backlog", message);
      await batch.exec(); // 16 MB in all, most of it queued for the subscriber
    }
    // Eviction runs before the next command that may add memory.
    await admin.set("cm:trigger", "x");
    const info = await admin.info();
    expect(field(info, "evicted_keys")).toBeGreaterThan(0);
    expect(await admin.dbsize()).toBeLessThan(keysBefore);
    expect(field(info, "used_memory")).toBeLessThan(24 * 1024 * 1024 * 1.05);
    sub.destroy();
  }, 30_000);
});

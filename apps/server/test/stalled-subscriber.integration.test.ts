import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

// Redis's default pubsub output limits (32mb hard, 8mb for 60 s soft): a subscriber that reads
// nothing while 1 GB is published is disconnected, and the server's memory stays bounded.

const target = useTarget();

function usedMemory(info: string): number {
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

describe("a stalled subscriber", () => {
  it("is disconnected at the pubsub hard limit while 1 GB is published, with memory bounded", async () => {
    const admin = target.client();
    expect(await admin.config("GET", "client-output-buffer-limit")).toEqual([
      "client-output-buffer-limit",
      "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
    ]);
    const before = usedMemory(await admin.info("memory"));
    const sub = connect({ host: target.host, port: target.port });
    let closed = false;
    sub.on("close", () => (closed = true));
    sub.on("error", () => {});
    await new Promise<void>((resolve) => sub.once("connect", () => resolve()));
    sub.write("SUBSCRIBE stalled\r\n");
    await new Promise<void>((resolve) => sub.once("data", () => resolve()));
    sub.pause(); // reads nothing more: the kernel buffers fill, then the server's

    const pub = target.client();
    const message = Buffer.alloc(64 * 1024, 0x78);
    let peak = before;
    let receiversWhenClosed = -1;
    const rounds = (1024 * 1024 * 1024) / (message.length * 64); // 1 GB in all
    for (let round = 0; round < rounds; round++) {
      const batch = pub.pipeline();
      for (let i = 0; i < 64; i++) batch.publish("stalled", message);
      const replies = (await batch.exec())!;
      if (receiversWhenClosed < 0 && replies.at(-1)![1] === 0) receiversWhenClosed = round;
      if (round % 16 === 0) peak = Math.max(peak, usedMemory(await admin.info("memory")));
    }
    expect(receiversWhenClosed).toBeGreaterThanOrEqual(0); // the subscriber was dropped…
    expect(receiversWhenClosed).toBeLessThan(32); // …within the first 128 MB published
    const [, remaining] = (await admin.call("PUBSUB", "NUMSUB", "stalled")) as [string, number];
    expect(remaining).toBe(0);
    // Never more than the 32 MB limit (plus one batch in flight) above where it started.
    expect(peak - before).toBeLessThan(48 * 1024 * 1024);
    // Reading again, it drains what the kernel held and then sees the server's close.
    sub.resume();
    for (let i = 0; i < 100 && !closed; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
    sub.destroy();
    expect(await admin.ping()).toBe("PONG");
  }, 60_000);
});

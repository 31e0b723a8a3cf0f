import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const target = useTarget([["client-output-buffer-limit", ["pubsub", "1mb", "256kb", "60"]]]);

describe("client-output-buffer-limit", () => {
  it("disconnects a subscriber that stops reading once it passes the hard limit", async () => {
    const sub = connect({ host: target.host, port: target.port });
    let closed = false;
    sub.on("close", () => (closed = true));
    sub.on("error", () => {});
    await new Promise<void>((resolve) => sub.once("connect", () => resolve()));
    sub.write("SUBSCRIBE flood\r\n");
    await new Promise<void>((resolve) => sub.once("data", () => resolve()));
    sub.pause(); // reads nothing from now on: the kernel buffers fill, then the server's

    const pub = target.client();
    const message = Buffer.alloc(64 * 1024, 0x78);
    let published = 0;
    // Bounded: at most 256 MB is published before giving up.
    for (let round = 0; round < 128 && !closed; round++) {
      const batch = pub.pipeline();
      for (let i = 0; i < 32; i++) batch.publish("flood", message);
      await batch.exec();
      published += 32 * message.length;
      const subscribers = (await pub.call("PUBSUB", "NUMSUB", "flood")) as [string, number];
      if (subscribers[1] === 0) break;
    }
    const [, remaining] = (await pub.call("PUBSUB", "NUMSUB", "flood")) as [string, number];
    expect(remaining).toBe(0);
    expect(published).toBeLessThan(256 * 1024 * 1024);
    sub.destroy();
    // The server is fine and keeps serving.
    expect(await pub.ping()).toBe("PONG");
  });
});

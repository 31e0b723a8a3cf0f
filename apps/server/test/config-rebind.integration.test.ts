import { createServer } from "node:net";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const target = useTarget();

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

describe.skipIf(process.env.NEDIS_TEST_URL)("CONFIG SET port", () => {
  it("moves the listener to the new port; connected clients stay", async () => {
    const r = target.client();
    const port = await freePort();
    expect(await r.config("SET", "port", String(port))).toBe("OK");
    expect(await r.ping()).toBe("PONG"); // the connection made before the move still works
    const moved = new Redis({
      host: "127.0.0.1",
      port,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    try {
      for (let i = 0; i < 50; i++) {
        try {
          await moved.connect();
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      expect(await moved.ping()).toBe("PONG");
      expect(await moved.config("GET", "port")).toEqual(["port", String(port)]);
    } finally {
      moved.disconnect();
    }
    const old = new Redis({
      host: "127.0.0.1",
      port: target.port,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    old.on("error", () => {});
    await expect(old.connect()).rejects.toThrow();
    old.disconnect();
  });
});

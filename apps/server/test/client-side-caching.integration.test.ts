import { BasicClientSideCache, createClient } from "redis";
import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const target = useTarget();

describe("node-redis client-side caching (RESP3 + CLIENT TRACKING)", () => {
  it("serves repeated reads from its cache and drops entries the server invalidates", async () => {
    const cache = new BasicClientSideCache({ ttl: 0, maxEntries: 0, evictPolicy: "LRU" });
    const client = createClient({
      RESP: 3,
      clientSideCache: cache,
      socket: { host: target.host, port: target.port, reconnectStrategy: false },
    });
    client.on("error", () => {});
    await client.connect();
    const writer = target.client();
    try {
      await writer.set("csc:k", "one");
      expect(await client.get("csc:k")).toBe("one");
      expect(await client.get("csc:k")).toBe("one");
      expect(cache.stats().hitCount).toBe(1);
      await writer.set("csc:k", "two");
      // The invalidation push arrives asynchronously; the next read must see the new value.
      const deadline = Date.now() + 2000;
      let value = await client.get("csc:k");
      while (value !== "two" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
        value = await client.get("csc:k");
      }
      expect(value).toBe("two");
    } finally {
      await client.close();
    }
  });
});

import { describe, expect, it } from "vitest";
import { ConfigStore } from "../src/config/ConfigStore.js";
import { Logger } from "../src/Logger.js";
import type { Client } from "../src/net/Client.js";
import { IdleClients } from "../src/net/IdleClients.js";

function fakeClient(lastInteraction: number, subscriptions = 0): Client & { destroyed: boolean } {
  const c = {
    closed: false,
    lastInteraction,
    destroyed: false,
    subscriptionCount: () => subscriptions,
    socket: { destroy: () => void (c.destroyed = true) },
  };
  return c as unknown as Client & { destroyed: boolean };
}

describe("idle client sweep", () => {
  it("closes a client idle for more than `timeout` whole seconds of the clock, not pub/sub clients", () => {
    const config = new ConfigStore();
    config.set("timeout", ["2"]);
    const clients = new Map<number, Client & { destroyed: boolean }>([
      [1, fakeClient(10_999)], // second 10
      [2, fakeClient(11_000)], // second 11
      [3, fakeClient(5_000, 1)], // subscribed
    ]);
    const idle = new IdleClients(clients, config, new Logger("warning"));
    try {
      // At 12.999 s: client 1 is 2 seconds idle (12 - 10), not more.
      expect(idle.sweep(12_999)).toBe(0);
      // At 13.000 s: 13 - 10 = 3 > 2 closes client 1; client 2 has 2.
      expect(idle.sweep(13_000)).toBe(1);
      expect([...clients.values()].map((c) => c.destroyed)).toEqual([true, false, false]);
      config.set("timeout", ["0"]);
      expect(idle.sweep(100_000)).toBe(0);
    } finally {
      idle.stop();
    }
  });
});

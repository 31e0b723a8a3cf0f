import { describe, expect, it } from "vitest";
import { ConfigStore } from "../src/config/ConfigStore.js";
import { Logger } from "../src/Logger.js";
import { ClientSlots } from "../src/net/ClientSlots.js";

class Captured extends Logger {
  readonly lines: string[] = [];
  override log(_level: Parameters<Logger["log"]>[0], message: string): void {
    this.lines.push(message);
  }
}

describe("client slots", () => {
  it("hold at most maxclients clients and are given back on close", () => {
    const config = new ConfigStore();
    config.set("maxclients", ["2"]);
    const slots = new ClientSlots(config, new Captured(), 1000);
    const a = slots.acquire()!;
    slots.assign(a, 1);
    const b = slots.acquire()!;
    slots.assign(b, 2);
    expect(slots.acquire()).toBeNull();
    slots.releaseClient(1);
    expect(slots.live).toBe(1);
    const c = slots.acquire();
    expect(c).not.toBeNull();
    // A refused connection gives its slot back unassigned.
    slots.release(c!);
    slots.releaseClient(99);
    expect(slots.live).toBe(1);
  });

  it("follow CONFIG SET maxclients: lower keeps live clients, higher admits more", () => {
    const config = new ConfigStore();
    config.set("maxclients", ["2"]);
    const slots = new ClientSlots(config, new Captured(), 1000);
    slots.assign(slots.acquire()!, 1);
    slots.assign(slots.acquire()!, 2);
    expect(config.commit([{ option: config.lookup("maxclients")!, value: 1 }])).toBeNull();
    expect(slots.live).toBe(2);
    expect(slots.acquire()).toBeNull();
    slots.releaseClient(1);
    expect(slots.acquire()).toBeNull();
    config.commit([{ option: config.lookup("maxclients")!, value: 3 }]);
    slots.assign(slots.acquire()!, 3);
    slots.assign(slots.acquire()!, 4);
    expect(slots.live).toBe(3);
    expect(slots.acquire()).toBeNull();
  });

  it("are bounded by the open-file limit like Redis: reduced at startup, refused at run time", () => {
    const config = new ConfigStore();
    const log = new Captured();
    const slots = new ClientSlots(config, log, 100);
    expect(config.number("maxclients")).toBe(68);
    expect(slots.limit).toBe(68);
    expect(log.lines).toEqual([
      "You requested maxclients of 10000 requiring at least 10032 max file descriptors.",
      "Server can't set maximum open files to 10032 because of OS error: Operation not permitted.",
      "Current maximum open files is 100. maxclients has been reduced to 68 to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.",
    ]);
    const refused = config.commit([{ option: config.lookup("maxclients")!, value: 500 }]);
    expect(refused?.error).toBe(
      "The operating system is not able to handle the specified number of clients, try with 68",
    );
    expect(config.number("maxclients")).toBe(68);
  });
});

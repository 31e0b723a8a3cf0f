import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const target = useTarget([["timeout", ["1"]]]);

/** A raw connection; `closed` resolves to the time it was closed by the server. */
function open(first: string): Promise<{ socket: Socket; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: target.port });
    const closed = new Promise<number>((r) => socket.once("close", () => r(Date.now())));
    socket.on("error", reject);
    socket.once("data", () => resolve({ socket, closed }));
    socket.on("connect", () => socket.write(first));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("timeout", () => {
  it("closes idle clients after `timeout` seconds; busy clients and subscribers stay", async () => {
    const start = Date.now();
    const idle = await open("PING\r\n");
    const subscriber = await open("SUBSCRIBE news\r\n");
    const busy = await open("PING\r\n");
    let stillOpen = true;
    void idle.closed.then(() => (stillOpen = false));
    const pinger = setInterval(() => busy.socket.write("PING\r\n"), 300);
    const closedAt = await Promise.race([idle.closed, sleep(4000).then(() => -1)]);
    expect(stillOpen).toBe(false);
    // Idle time counts whole clock seconds: more than 1 s, less than about 2 s (plus the cron).
    expect(closedAt - start).toBeGreaterThanOrEqual(1000);
    expect(closedAt - start).toBeLessThan(3500);
    await sleep(1200);
    const alive = await Promise.all(
      [subscriber, busy].map((c) => Promise.race([c.closed.then(() => false), sleep(10).then(() => true)])),
    );
    clearInterval(pinger);
    expect(alive).toEqual([true, true]);
    subscriber.socket.destroy();
    busy.socket.destroy();
  });

  it("CONFIG SET timeout 0 turns it off", async () => {
    const r = target.client();
    expect(await r.call("CONFIG", "SET", "timeout", "0")).toBe("OK");
    const c = await open("PING\r\n");
    const survived = await Promise.race([c.closed.then(() => false), sleep(2600).then(() => true)]);
    expect(survived).toBe(true);
    c.socket.destroy();
    expect(await r.call("CONFIG", "SET", "timeout", "1")).toBe("OK");
  });
});

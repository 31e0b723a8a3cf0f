import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const target = useTarget();

/** A raw connection that answered PING (so the server counts it), or the refusal it got. */
function open(): Promise<{ socket: Socket; text: string; closing: Promise<unknown> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: target.port });
    const closing = new Promise((r) => socket.once("close", r));
    let text = "";
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      resolve({ socket, text, closing });
    };
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (d) => {
      text += d.toString("latin1");
      if (text.endsWith("\r\n")) settle();
    });
    socket.on("close", () => settle());
    socket.on("error", reject);
  });
}

async function rejected(admin: Redis): Promise<number> {
  const info = (await admin.info("stats")) as string;
  return Number(/rejected_connections:(\d+)/.exec(info)![1]);
}

describe("maxclients", () => {
  it("refuses connections past the limit with Redis's error, and counts them", async () => {
    const admin = target.client();
    await admin.ping();
    const before = await rejected(admin);
    const connected = Number(/connected_clients:(\d+)/.exec((await admin.info("clients")) as string)![1]);
    expect(await admin.call("CONFIG", "SET", "maxclients", String(connected + 1))).toBe("OK");
    const ok = await open();
    expect(ok.text).toBe("+PONG\r\n");
    const refused = await open();
    expect(refused.text).toBe("-ERR max number of clients reached\r\n");
    await refused.closing;
    expect(await rejected(admin)).toBe(before + 1);

    // Raising the limit at run time admits new connections; lowering it keeps the live ones.
    expect(await admin.call("CONFIG", "SET", "maxclients", String(connected + 2))).toBe("OK");
    const third = await open();
    expect(third.text).toBe("+PONG\r\n");
    expect(await admin.call("CONFIG", "SET", "maxclients", "1")).toBe("OK");
    expect(await admin.ping()).toBe("PONG");
    ok.socket.write("PING\r\n");
    await new Promise((r) => ok.socket.once("data", r));
    for (const c of [ok, refused, third]) c.socket.destroy();
    expect(await admin.call("CONFIG", "SET", "maxclients", "10000")).toBe("OK");
  });

  it("refuses a limit the open-file limit cannot serve", async () => {
    const line = readFileSync("/proc/self/limits", "latin1")
      .split("\n")
      .find((l) => l.startsWith("Max open files"))!;
    const soft = Number(line.slice("Max open files".length).trim().split(/\s+/)[0]);
    const admin = target.client();
    await expect(admin.call("CONFIG", "SET", "maxclients", String(soft * 2))).rejects.toThrow(
      `ERR CONFIG SET failed (possibly related to argument 'maxclients') - The operating system is not able to handle the specified number of clients, try with ${soft - 32}`,
    );
    expect(await admin.call("CONFIG", "GET", "maxclients")).toEqual(["maxclients", "10000"]);
  });
});

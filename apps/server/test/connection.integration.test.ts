import { createClient } from "redis";
import { describe, expect, it } from "vitest";
import { lines, rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget();

describe("PING / ECHO / QUIT", () => {
  it("PING replies PONG, PING with a message echoes it", async () => {
    const r = target.client();
    expect(await r.ping()).toBe("PONG");
    expect(await r.ping("hello")).toBe("hello");
  });

  it("PING with two arguments is an arity error", async () => {
    const r = target.client();
    await expect(r.call("PING", "a", "b")).rejects.toThrow("ERR wrong number of arguments for 'ping' command");
  });

  it("ECHO returns binary-safe bytes", async () => {
    const r = target.client();
    const bytes = Buffer.from([0, 1, 2, 255, 13, 10]);
    expect(await r.echoBuffer(bytes)).toEqual(bytes);
    await expect(r.call("ECHO")).rejects.toThrow("ERR wrong number of arguments for 'echo' command");
  });

  it("QUIT replies OK and closes the connection", async () => {
    const { text, closed } = await rawExchange(target.port, "*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n");
    expect(text).toBe("+OK\r\n");
    expect(closed).toBe(true);
  });

  it("pipelined commands get their replies in order", async () => {
    const { text } = await rawExchange(target.port, "PING\r\nECHO a\r\nPING b\r\n", { until: lines(5) });
    expect(text).toBe("+PONG\r\n$1\r\na\r\n$1\r\nb\r\n");
  });
});

describe("node-redis", () => {
  it("connects with default options and runs commands", async () => {
    const client = createClient({
      socket: { host: target.host, port: target.port, connectTimeout: 5000, reconnectStrategy: false },
    });
    client.on("error", () => {});
    await client.connect();
    try {
      expect(await client.ping()).toBe("PONG");
      expect(await client.set("node-redis:key", "v")).toBe("OK");
      expect(await client.get("node-redis:key")).toBe("v");
    } finally {
      await client.close();
    }
  });
});

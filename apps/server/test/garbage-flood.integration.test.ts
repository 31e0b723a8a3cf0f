import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

// Every plain connection is read into one shared buffer: garbage, protocol errors and commands
// split across reads on many connections at once must neither crash the server nor leak bytes
// from one connection into another.

const target = useTarget();

/** Deterministic bytes (a linear congruential generator), so a failure can be replayed. */
function randomBytes(seed: number, n: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const FRAGMENTS = [
  "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n",
  "*2\r\n$3\r\nGET\r\n$1\r\n",
  "*1\r\n$4\r\nPING\r\n",
  "*-5\r\n",
  "$5\r\nhello\r\n",
  "*2\r\n$999999999999\r\n",
  'GET "unbalanced\r\n',
  "*1\r\n$4\r\nPIN",
  "\r\n\r\n",
  "*3\r\n$3\r\nSET\r\n$9\r\ngarbage:k\r\n$100000\r\n",
  "*2\r\n$3\r\nGET\r\n$7\r\nbig:123\r\n*3\r\n$4\r\nMGET\r\n$5\r\nbig:1\r\n$5\r\nbig:2\r\n*2\r\n$3\r\nGET\r\n$7\r\nbig:",
];

/** 16 connections send garbage for 40 rounds while a good client reads and counts under `prefix`. */
async function flood(prefix: string): Promise<void> {
  const good = target.client();
  const value = randomBytes(1, 200_000);
  await good.set(`${prefix}:good`, value);

  const sockets: Socket[] = [];
  for (let c = 0; c < 16; c++) {
    const socket = connect({ host: target.host, port: target.port });
    socket.on("error", () => {});
    socket.on("data", () => {});
    sockets.push(socket);
  }
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.once("connect", () => resolve()))));
  const checks: Promise<void>[] = [];
  for (let round = 0; round < 40; round++) {
    sockets.forEach((socket, c) => {
      if (socket.destroyed) return;
      const seed = round * 16 + c + 7;
      const bytes =
        seed % 3 === 0
          ? Buffer.from(FRAGMENTS[seed % FRAGMENTS.length]!, "latin1")
          : randomBytes(seed, 1 + (seed % 9000));
      socket.write(bytes);
    });
    // Meanwhile the good client's reads and writes go through the same buffer.
    checks.push(
      good.getBuffer(`${prefix}:good`).then((got) => {
        expect(got!.equals(value)).toBe(true);
      }),
    );
    checks.push(good.incr(`${prefix}:counter`).then(() => undefined));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(checks);
  for (const socket of sockets) socket.destroy();
  expect(await good.get(`${prefix}:counter`)).toBe("40");
  expect(await good.ping()).toBe("PONG");
  expect((await good.getBuffer(`${prefix}:good`))!.equals(value)).toBe(true);
}

describe("many connections sending garbage at once", () => {
  it("leave the server serving and other connections' data intact", async () => {
    await flood("flood");
  }, 30_000);

  it("do the same over a keyspace big enough for nedis to look ahead at pipelines", async () => {
    const c = target.client();
    for (let start = 0; start < 40_000; start += 1000) {
      const pairs: string[] = [];
      for (let i = start; i < start + 1000; i++) pairs.push(`big:${i}`, `${i}`);
      await c.mset(...pairs);
    }
    await flood("flood-big");
    expect(await c.get("big:39999")).toBe("39999");
  }, 30_000);
});

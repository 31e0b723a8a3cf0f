import { connect, type Socket } from "node:net";
import type { Redis } from "ioredis";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";

const target = useTarget();
let r: Redis;
const extra: Redis[] = [];
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});
afterEach(() => {
  for (const c of extra.splice(0)) c.disconnect();
});

/** A fresh connection (closed after the test). */
function client(): Redis {
  const c = target.client({ maxRetriesPerRequest: 0 });
  extra.push(c);
  return c;
}

const info = async (field: string): Promise<number> =>
  Number(new RegExp(`${field}:(\\d+)`).exec(await r.info("clients"))![1]);

/** Waits (bounded) until `n` clients are blocked. */
async function blockedClients(n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await info("blocked_clients")) === n) return;
    await new Promise((res) => setTimeout(res, 5));
  }
  throw new Error(`expected ${n} blocked clients, have ${await info("blocked_clients")}`);
}

/** A raw RESP connection collecting what it receives. */
class Raw {
  text = "";
  private readonly socket: Socket;
  private readonly ready: Promise<void>;
  constructor(port: number) {
    this.socket = connect({ host: "127.0.0.1", port });
    this.socket.on("data", (d) => {
      this.text += d.toString("latin1");
    });
    this.socket.on("error", () => {});
    this.ready = new Promise((res) => this.socket.once("connect", () => res()));
  }
  async send(text: string): Promise<void> {
    await this.ready;
    this.socket.write(text);
  }
  async waitFor(expected: string, timeoutMs = 2000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.text.includes(expected) && Date.now() < until) await new Promise((res) => setTimeout(res, 5));
    expect(this.text).toContain(expected);
  }
  close(): void {
    this.socket.destroy();
  }
}

const err = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "no error",
    (e: Error) => e.message,
  );

describe("BLPOP / BRPOP", () => {
  it("serves an element at once when a list has one", async () => {
    await r.rpush("b", "1", "2");
    expect(await r.blpop("a", "b", 0)).toEqual(["b", "1"]);
    expect(await r.brpop("a", "b", 0)).toEqual(["b", "2"]);
    expect(await r.exists("b")).toBe(0);
  });

  it("blocks until a push, serving clients in the order they blocked", async () => {
    const [c1, c2, c3] = [client(), client(), client()];
    const p1 = c1.blpop("q", 0);
    await blockedClients(1);
    const p2 = c2.blpop("other", "q", 0);
    await blockedClients(2);
    const p3 = c3.brpop("q", 0);
    await blockedClients(3);
    expect(await r.rpush("q", "a", "b", "c")).toBe(3);
    expect(await p1).toEqual(["q", "a"]);
    expect(await p2).toEqual(["q", "b"]);
    expect(await p3).toEqual(["q", "c"]);
    expect(await r.exists("q")).toBe(0);
    expect(await info("blocked_clients")).toBe(0);
  });

  it("times out with a null array (RESP2 *-1, RESP3 _)", async () => {
    const start = Date.now();
    expect(await client().blpop("nope", 0.05)).toBeNull();
    expect(Date.now() - start).toBeGreaterThanOrEqual(45);
    const raw = new Raw(target.port);
    await raw.send("*3\r\n$5\r\nBLPOP\r\n$4\r\nnope\r\n$4\r\n0.01\r\n");
    await raw.waitFor("*-1\r\n");
    await raw.send("*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n");
    await raw.waitFor("proto");
    raw.text = "";
    await raw.send("*3\r\n$5\r\nBRPOP\r\n$4\r\nnope\r\n$4\r\n0.01\r\n");
    await raw.waitFor("_\r\n");
    raw.close();
  });

  it("refuses bad timeouts and other types", async () => {
    expect(await err(r.blpop("k", -1))).toBe("ERR timeout is negative");
    expect(await err(r.call("BLPOP", "k", "abc"))).toBe("ERR timeout is not a float or out of range");
    expect(await err(r.call("BLPOP", "k"))).toBe("ERR wrong number of arguments for 'blpop' command");
    await r.set("s", "v");
    expect(await err(r.blpop("s", 0))).toMatch(/^WRONGTYPE/);
  });

  it("does not block inside MULTI", async () => {
    const m = r.multi();
    m.blpop("nope", 0);
    m.brpoplpush("nope", "x", 0);
    m.call("BLMPOP", "0", "1", "nope", "LEFT");
    expect(await m.exec()).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
  });

  it("serves blocked clients after EXEC, with the state the transaction left", async () => {
    const c = client();
    const p = c.blpop("k", 0);
    await blockedClients(1);
    // Pushed then deleted inside one transaction: nothing to serve.
    await r.multi().rpush("k", "gone").del("k").exec();
    await new Promise((res) => setTimeout(res, 20));
    expect(await info("blocked_clients")).toBe(1);
    await r.multi().rpush("k", "x", "y").lpop("k").exec();
    expect(await p).toEqual(["k", "y"]);
  });

  it("forgets a client that disconnects while blocked", async () => {
    const c = client();
    void c.blpop("k", 0).catch(() => {});
    await blockedClients(1);
    c.disconnect();
    await blockedClients(0);
    await r.rpush("k", "kept");
    expect(await r.lrange("k", 0, -1)).toEqual(["kept"]);
  });

  it("holds the client's pipelined commands until it is served", async () => {
    const raw = new Raw(target.port);
    await raw.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n");
    await blockedClients(1);
    await new Promise((res) => setTimeout(res, 30));
    expect(raw.text).toBe("");
    await r.rpush("k", "v");
    await raw.waitFor("+PONG\r\n");
    expect(raw.text).toBe("*2\r\n$1\r\nk\r\n$1\r\nv\r\n+PONG\r\n");
    raw.close();
  });

  it("is served by RENAME, MOVE and RESTORE making a list appear", async () => {
    const c = client();
    const p = c.blpop("target", 0);
    await blockedClients(1);
    await r.rpush("src", "renamed");
    await r.rename("src", "target");
    expect(await p).toEqual(["target", "renamed"]);

    const p2 = c.blpop("target", 0);
    await blockedClients(1);
    await r.rpush("src", "dumped");
    const dump = await r.dumpBuffer("src");
    await r.restore("target", 0, dump);
    expect(await p2).toEqual(["target", "dumped"]);
  });
});

describe("keys appearing by MOVE and SWAPDB", () => {
  it("serve clients blocked in the target database", async () => {
    const c = client();
    const p = c.blpop("k", 0);
    await blockedClients(1);
    await r.select(1);
    await r.rpush("k", "moved");
    expect(await r.move("k", 0)).toBe(1);
    expect(await p).toEqual(["k", "moved"]);

    const p2 = c.brpop("k", 0);
    await blockedClients(1);
    await r.rpush("k", "swapped");
    await r.select(0);
    expect(await r.swapdb(0, 1)).toBe("OK");
    expect(await p2).toEqual(["k", "swapped"]);
    await r.swapdb(0, 1);
  });
});

describe("BLMOVE / BRPOPLPUSH / BLMPOP", () => {
  it("BLMOVE waits for the source, and a chain of moves serves the next waiter", async () => {
    const [c1, c2] = [client(), client()];
    const move = c1.blmove("a", "b", "LEFT", "RIGHT", 0);
    await blockedClients(1);
    const pop = c2.blpop("b", 0);
    await blockedClients(2);
    await r.rpush("a", "x");
    expect(await move).toBe("x");
    expect(await pop).toEqual(["b", "x"]);
    expect(await r.exists("a", "b")).toBe(0);
  });

  it("BRPOPLPUSH and BLMPOP", async () => {
    await r.rpush("a", "1", "2");
    expect(await r.brpoplpush("a", "b", 0)).toBe("2");
    const c = client();
    const p = c.call("BLMPOP", "0", "2", "x", "y", "RIGHT", "COUNT", "5");
    await blockedClients(1);
    await r.rpush("y", "1", "2", "3");
    expect(await p).toEqual(["y", ["3", "2", "1"]]);
    expect(await client().call("BLMPOP", "0.01", "1", "x", "LEFT")).toBeNull();
    expect(await err(r.call("BLMPOP", "0", "0", "x", "LEFT"))).toBe("ERR numkeys should be greater than 0");
    expect(await err(r.call("BLMOVE", "a", "b", "UP", "LEFT", "0"))).toBe("ERR syntax error");
  });

  it("BLMOVE times out with a null array", async () => {
    const raw = new Raw(target.port);
    await raw.send("*6\r\n$6\r\nBLMOVE\r\n$1\r\na\r\n$1\r\nb\r\n$4\r\nLEFT\r\n$4\r\nLEFT\r\n$4\r\n0.01\r\n");
    await raw.waitFor("*-1\r\n");
    raw.close();
  });
});

describe("CLIENT UNBLOCK, CLIENT LIST, INFO", () => {
  it("shows blocked clients and unblocks them with a timeout or an error", async () => {
    const c = client();
    const id = Number(await c.client("ID"));
    const p = c.blpop("k", 100);
    await blockedClients(1);
    expect(await info("clients_in_timeout_table")).toBe(1);
    const list = (await r.client("LIST")) as string;
    expect(list).toMatch(new RegExp(`id=${id} .*flags=b `));
    expect(await r.client("UNBLOCK", id)).toBe(1);
    expect(await p).toBeNull();
    expect(await r.client("UNBLOCK", id)).toBe(0);

    const p2 = err(c.blpop("k", 0));
    await blockedClients(1);
    expect(await info("clients_in_timeout_table")).toBe(0);
    expect(await r.client("UNBLOCK", id, "ERROR")).toBe(1);
    expect(await p2).toBe("UNBLOCKED client unblocked via CLIENT UNBLOCK");
    expect(await info("blocked_clients")).toBe(0);
    expect(await err(r.call("CLIENT", "UNBLOCK", String(id), "NOW"))).toBe(
      "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR",
    );
  });
});

describe("stats of served blocking commands", () => {
  it("count one call per command, as Redis does", async () => {
    await r.config("RESETSTAT");
    const c = target.client();
    try {
      const pending = c.call("BLPOP", "q", 5);
      for (let i = 0; i < 200; i++) {
        if (/blocked_clients:1/.test(await r.info("clients"))) break;
        await new Promise((res) => setTimeout(res, 5));
      }
      await r.rpush("q", "x");
      expect(await pending).toEqual(["q", "x"]);
      const stats = await r.info("commandstats");
      expect(/cmdstat_blpop:calls=(\d+)/.exec(stats)?.[1]).toBe("1");
    } finally {
      c.disconnect();
    }
  });
});

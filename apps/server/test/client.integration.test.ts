import { describe, expect, it } from "vitest";
import { rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget();

const LIST_LINE =
  /^id=(\d+) addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=\d+ name=(\S*) age=\d+ idle=\d+ flags=N db=(\d+) sub=0 psub=0 ssub=0 multi=-1 qbuf=\d+ qbuf-free=\d+ argv-mem=\d+ multi-mem=\d+ rbs=\d+ rbp=\d+ obl=\d+ oll=\d+ omem=\d+ tot-mem=\d+ events=r cmd=(\S+) user=default redir=-1 resp=2$/;

describe("CLIENT", () => {
  it("ID, SETNAME, GETNAME", async () => {
    const r = target.client();
    const id = (await r.call("CLIENT", "ID")) as number;
    expect(id).toBeGreaterThan(0);
    expect(await r.call("CLIENT", "GETNAME")).toBeNull();
    expect(await r.call("CLIENT", "SETNAME", "worker-1")).toBe("OK");
    expect(await r.call("CLIENT", "GETNAME")).toBe("worker-1");
    await expect(r.call("CLIENT", "SETNAME", "a b")).rejects.toThrow(
      "ERR Client names cannot contain spaces, newlines or special characters.",
    );
    expect(await r.call("CLIENT", "SETNAME", "")).toBe("OK");
    expect(await r.call("CLIENT", "GETNAME")).toBeNull();
  });

  it("LIST and INFO describe connections in Redis's format", async () => {
    const r = target.client();
    await r.call("CLIENT", "SETNAME", "lister");
    await r.select(2);
    const info = (await r.call("CLIENT", "INFO")) as string;
    const m = LIST_LINE.exec(info.trimEnd());
    expect(m).not.toBeNull();
    expect(m![2]).toBe("lister");
    expect(m![3]).toBe("2");
    expect(m![4]).toBe("client|info");
    const list = (await r.call("CLIENT", "LIST")) as string;
    expect(list.endsWith("\n")).toBe(true);
    const lines = list.trimEnd().split("\n");
    for (const line of lines) expect(line).toMatch(LIST_LINE);
    expect(lines.some((l) => l.includes("name=lister "))).toBe(true);
    const id = await r.call("CLIENT", "ID");
    expect(((await r.call("CLIENT", "LIST", "ID", String(id))) as string).trimEnd().split("\n")).toHaveLength(1);
    expect(await r.call("CLIENT", "LIST", "ID", "999999")).toBe("");
    expect(await r.call("CLIENT", "LIST", "TYPE", "pubsub")).toBe("");
    await expect(r.call("CLIENT", "LIST", "TYPE", "foo")).rejects.toThrow("ERR Unknown client type 'foo'");
    await expect(r.call("CLIENT", "LIST", "ID", "1", "x")).rejects.toThrow("ERR Invalid client ID");
    await expect(r.call("CLIENT", "LIST", "foo")).rejects.toThrow("ERR syntax error");
  });

  // unit/introspection CLIENT LIST / CLIENT INFO: the running request still counts in the caller's query buffer.
  it("the caller's line counts its own request in qbuf and argv-mem", async () => {
    const r = target.client();
    const info = (await r.call("CLIENT", "INFO")) as string;
    expect(info).toMatch(/ qbuf=26 qbuf-free=\d+ argv-mem=10 /);
    const id = String(await r.call("CLIENT", "ID"));
    const own = (await r.call("CLIENT", "LIST", "ID", id)) as string;
    expect(own).toMatch(
      new RegExp(` qbuf=${26 + 13 + id.length + String(id.length).length} qbuf-free=\\d+ argv-mem=${12 + id.length} `),
    );
    const { text } = await rawExchange(target.port, "CLIENT INFO\r\n", { until: (t) => t.endsWith("\n\r\n") });
    expect(text).toMatch(/ qbuf=13 qbuf-free=\d+ argv-mem=10 /);
  });

  it("KILL by address, by id and with filters", async () => {
    const victim = target.client({ lazyConnect: true, retryStrategy: () => null });
    await victim.connect();
    await victim.call("CLIENT", "SETNAME", "victim");
    const victimId = (await victim.call("CLIENT", "ID")) as number;
    const r = target.client();
    await expect(r.call("CLIENT", "KILL", "1.2.3.4:5")).rejects.toThrow("ERR No such client");
    await expect(r.call("CLIENT", "KILL", "ID", "0")).rejects.toThrow("ERR client-id should be greater than 0");
    await expect(r.call("CLIENT", "KILL", "TYPE", "foo")).rejects.toThrow("ERR Unknown client type 'foo'");
    await expect(r.call("CLIENT", "KILL", "USER", "nobody")).rejects.toThrow("ERR No such user 'nobody'");
    await expect(r.call("CLIENT", "KILL", "SKIPME", "maybe")).rejects.toThrow("ERR syntax error");
    await expect(r.call("CLIENT", "KILL", "ID", "5", "foo")).rejects.toThrow("ERR syntax error");
    expect(await r.call("CLIENT", "KILL", "ADDR", "1.1.1.1:1")).toBe(0);
    const closed = new Promise((resolve) => victim.once("end", resolve));
    expect(await r.call("CLIENT", "KILL", "ID", String(victimId))).toBe(1);
    await closed;
    expect(await r.call("CLIENT", "KILL", "ID", String(victimId))).toBe(0);
  });

  it("KILL of one's own address closes the connection after the reply", async () => {
    const { text, closed } = await rawExchange(target.port, "CLIENT INFO\r\n", { until: (t) => t.endsWith("\n\r\n") });
    expect(closed).toBe(false);
    const addr = /addr=(\S+)/.exec(text)![1]!;
    expect(addr).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it("REPLY OFF and SKIP suppress replies, ON restores them", async () => {
    const { text } = await rawExchange(
      target.port,
      "CLIENT REPLY OFF\r\nPING\r\nCLIENT REPLY ON\r\nPING\r\nCLIENT REPLY SKIP\r\nPING\r\nECHO x\r\n",
      { until: (t) => t.endsWith("$1\r\nx\r\n") },
    );
    expect(text).toBe("+OK\r\n+PONG\r\n$1\r\nx\r\n");
    await expect(target.client().call("CLIENT", "REPLY", "maybe")).rejects.toThrow("ERR syntax error");
  });

  it("NO-EVICT and UNBLOCK validate their arguments", async () => {
    const r = target.client();
    expect(await r.call("CLIENT", "NO-EVICT", "on")).toBe("OK");
    await expect(r.call("CLIENT", "NO-EVICT", "x")).rejects.toThrow("ERR syntax error");
    expect(await r.call("CLIENT", "UNBLOCK", "1")).toBe(0);
    await expect(r.call("CLIENT", "UNBLOCK", "x")).rejects.toThrow("ERR value is not an integer or out of range");
    await expect(r.call("CLIENT", "UNBLOCK", "1", "foo")).rejects.toThrow(
      "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR",
    );
    await expect(r.call("CLIENT", "UNBLOCK", "1", "timeout", "x")).rejects.toThrow(
      "ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP.",
    );
  });

  it("HELP lists the subcommands", async () => {
    const help = (await target.client().call("CLIENT", "HELP")) as string[];
    expect(help[0]).toBe("CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    expect(help.at(-2)).toBe("HELP");
    expect(help.at(-1)).toBe("    Prints this help.");
    expect(help).toContain("NO-EVICT (ON|OFF)");
  });
});

describe("CLIENT PAUSE", () => {
  it("postpones writes under WRITE and runs them when the pause ends", async () => {
    const admin = target.client();
    const writer = target.client();
    await writer.del("pause:k");
    expect(await admin.call("CLIENT", "PAUSE", "300", "WRITE")).toBe("OK");
    const started = Date.now();
    expect(await writer.get("pause:k")).toBeNull(); // reads still run
    expect(Date.now() - started).toBeLessThan(250);
    await writer.set("pause:k", "v");
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(await writer.get("pause:k")).toBe("v");
  });

  it("UNPAUSE releases postponed commands at once", async () => {
    const admin = target.client();
    const writer = target.client();
    await admin.call("CLIENT", "PAUSE", "5000", "WRITE");
    const started = Date.now();
    const pending = writer.set("pause:u", "1");
    await new Promise((r) => setTimeout(r, 100));
    expect(await admin.call("CLIENT", "UNPAUSE")).toBe("OK");
    expect(await pending).toBe("OK");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("validates its arguments", async () => {
    const r = target.client();
    await expect(r.call("CLIENT", "PAUSE", "abc")).rejects.toThrow("ERR timeout is not an integer or out of range");
    await expect(r.call("CLIENT", "PAUSE", "-1")).rejects.toThrow("ERR timeout is negative");
    await expect(r.call("CLIENT", "PAUSE", "10", "READ")).rejects.toThrow("ERR CLIENT PAUSE mode must be WRITE or ALL");
    await r.call("CLIENT", "UNPAUSE");
  });
});

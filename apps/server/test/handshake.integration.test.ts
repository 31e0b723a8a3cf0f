import { createClient } from "redis";
import { describe, expect, it } from "vitest";
import { lines, rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget();
const secured = useTarget([["requirepass", ["s3cret"]]]);

describe("HELLO", () => {
  it("HELLO 3 switches to RESP3 and replies a map", async () => {
    const { text } = await rawExchange(target.port, "HELLO 3\r\nPING\r\n", { until: (t) => t.includes("+PONG\r\n") });
    expect(text).toMatch(
      /^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n\$7\r\nversion\r\n\$6\r\n7\.0\.\d+\r\n\$5\r\nproto\r\n:3\r\n\$2\r\nid\r\n:\d+\r\n\$4\r\nmode\r\n\$10\r\nstandalone\r\n\$4\r\nrole\r\n\$6\r\nmaster\r\n\$7\r\nmodules\r\n\*0\r\n\+PONG\r\n$/,
    );
  });

  it("HELLO without a version keeps RESP2 and replies a flat array", async () => {
    const { text } = await rawExchange(target.port, "HELLO\r\n", { until: lines(29) });
    expect(text.startsWith("*14\r\n$6\r\nserver\r\n")).toBe(true);
    expect(text).toContain("$5\r\nproto\r\n:2\r\n");
  });

  it("RESP3 nulls after HELLO 3", async () => {
    const { text } = await rawExchange(target.port, "HELLO 3\r\nGET no:such:key\r\n", {
      until: (t) => t.endsWith("_\r\n"),
    });
    expect(text.endsWith("*0\r\n_\r\n")).toBe(true);
  });

  it("rejects bad versions and options with Redis's errors", async () => {
    const r = target.client();
    await expect(r.call("HELLO", "4")).rejects.toThrow("NOPROTO unsupported protocol version");
    await expect(r.call("HELLO", "1")).rejects.toThrow("NOPROTO unsupported protocol version");
    await expect(r.call("HELLO", "abc")).rejects.toThrow("ERR Protocol version is not an integer or out of range");
    await expect(r.call("HELLO", "3", "foo")).rejects.toThrow("ERR Syntax error in HELLO option 'foo'");
    await expect(r.call("HELLO", "3", "AUTH", "default")).rejects.toThrow("ERR Syntax error in HELLO option 'AUTH'");
  });

  it("HELLO SETNAME names the connection", async () => {
    const r = target.client();
    await r.call("HELLO", "2", "SETNAME", "myname");
    expect(await r.call("CLIENT", "GETNAME")).toBe("myname");
    await expect(r.call("HELLO", "2", "SETNAME", "bad name")).rejects.toThrow(
      "ERR Client names cannot contain spaces, newlines or special characters.",
    );
  });

  it("node-redis connects with RESP3", async () => {
    const client = createClient({
      RESP: 3,
      socket: { host: target.host, port: target.port, reconnectStrategy: false },
    });
    client.on("error", () => {});
    await client.connect();
    try {
      await client.set("resp3:key", "v");
      expect(await client.get("resp3:key")).toBe("v");
      expect(await client.get("resp3:missing")).toBeNull();
    } finally {
      await client.close();
    }
  });
});

describe("AUTH and requirepass", () => {
  it("AUTH without a configured password is an error", async () => {
    await expect(target.client().call("AUTH", "x")).rejects.toThrow(
      "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
    );
    await expect(target.client().call("AUTH", "a", "b", "c")).rejects.toThrow("ERR syntax error");
  });

  it("commands need AUTH when requirepass is set", async () => {
    const { text } = await rawExchange(secured.port, "GET a\r\nPING\r\nAUTH wrong\r\nAUTH s3cret\r\nPING\r\n", {
      until: lines(5),
    });
    expect(text).toBe(
      "-NOAUTH Authentication required.\r\n-NOAUTH Authentication required.\r\n-WRONGPASS invalid username-password pair or user is disabled.\r\n+OK\r\n+PONG\r\n",
    );
  });

  it("AUTH default <password> and unknown users", async () => {
    const r = secured.client({ lazyConnect: true, enableReadyCheck: false });
    await r.connect();
    await expect(r.call("AUTH", "nobody", "s3cret")).rejects.toThrow(
      "WRONGPASS invalid username-password pair or user is disabled.",
    );
    expect(await r.call("AUTH", "default", "s3cret")).toBe("OK");
    expect(await r.ping()).toBe("PONG");
  });

  it("HELLO needs authentication, or authenticates with AUTH", async () => {
    const r = secured.client({ lazyConnect: true, enableReadyCheck: false });
    await r.connect();
    await expect(r.call("HELLO", "2")).rejects.toThrow(
      "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
    );
    await expect(r.call("HELLO", "2", "AUTH", "default", "nope")).rejects.toThrow("WRONGPASS");
    const reply = (await r.call("HELLO", "2", "AUTH", "default", "s3cret")) as unknown[];
    expect(reply[0]).toBe("server");
    expect(await r.ping()).toBe("PONG");
  });

  it("ioredis authenticates with the password option", async () => {
    const r = secured.client({ password: "s3cret" });
    expect(await r.ping()).toBe("PONG");
  });

  it("unauthenticated clients get the tighter protocol limits", async () => {
    const { text, closed } = await rawExchange(secured.port, "*11\r\n");
    expect(text).toBe("-ERR Protocol error: unauthenticated multibulk length\r\n");
    expect(closed).toBe(true);
    const big = await rawExchange(secured.port, "*2\r\n$4\r\nECHO\r\n$20000\r\n");
    expect(big.text).toBe("-ERR Protocol error: unauthenticated bulk length\r\n");
  });
});

describe("RESET", () => {
  it("returns the connection to RESP2, db 0, no name, unauthenticated", async () => {
    const { text } = await rawExchange(
      secured.port,
      "AUTH s3cret\r\nHELLO 3 SETNAME n\r\nRESET\r\nCLIENT GETNAME\r\nAUTH s3cret\r\nCLIENT GETNAME\r\n",
      { until: (t) => t.endsWith("+OK\r\n$-1\r\n") },
    );
    expect(text.startsWith("+OK\r\n%7\r\n")).toBe(true);
    expect(text.endsWith("+RESET\r\n-NOAUTH Authentication required.\r\n+OK\r\n$-1\r\n")).toBe(true);
  });
});

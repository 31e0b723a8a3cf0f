import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { lines, rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

const target = useTarget([["requirepass", ["pw"]]]);

describe("requirepass is the default user's password", () => {
  it("new connections need AUTH; the default user holds the password's hash", async () => {
    const { text } = await rawExchange(target.port, "ACL WHOAMI\r\nAUTH wrong\r\nAUTH pw\r\nACL LIST\r\n", {
      until: lines(5),
    });
    expect(text).toBe(
      "-NOAUTH Authentication required.\r\n-WRONGPASS invalid username-password pair or user is disabled.\r\n+OK\r\n" +
        `*1\r\n$${`user default on #${sha("pw")} ~* &* +@all`.length}\r\nuser default on #${sha("pw")} ~* &* +@all\r\n`,
    );
  });

  it("AUTH default <password> works like AUTH <password>", async () => {
    const { text } = await rawExchange(target.port, "AUTH default pw\r\nACL WHOAMI\r\n", { until: lines(3) });
    expect(text).toBe("+OK\r\n$7\r\ndefault\r\n");
  });

  it("CONFIG SET requirepass replaces the password; ACL changes do not touch the config value", async () => {
    const r = target.client({ password: "pw" });
    expect(await r.call("CONFIG", "SET", "requirepass", "pw2")).toBe("OK");
    expect(await r.call("ACL", "LIST")).toEqual([`user default on #${sha("pw2")} ~* &* +@all`]);
    expect(await r.call("ACL", "SETUSER", "default", ">extra")).toBe("OK");
    expect(await r.call("CONFIG", "GET", "requirepass")).toEqual(["requirepass", "pw2"]);
    const { text } = await rawExchange(target.port, "AUTH extra\r\n", { until: lines(1) });
    expect(text).toBe("+OK\r\n");
    expect(await r.call("CONFIG", "SET", "requirepass", "")).toBe("OK");
    expect(await r.call("ACL", "LIST")).toEqual(["user default on nopass ~* &* +@all"]);
    const open = await rawExchange(target.port, "PING\r\n", { until: lines(1) });
    expect(open.text).toBe("+PONG\r\n");
    expect(await r.call("CONFIG", "SET", "requirepass", "pw")).toBe("OK");
  });

  it("a disabled default user makes every new connection authenticate", async () => {
    const r = target.client({ password: "pw" });
    await r.call("ACL", "SETUSER", "default", "nopass", "off");
    await r.call("ACL", "SETUSER", "admin", "on", ">adm", "+@all", "~*", "&*");
    const { text } = await rawExchange(target.port, "PING\r\nAUTH default x\r\nAUTH admin adm\r\nPING\r\n", {
      until: lines(4),
    });
    expect(text).toBe(
      "-NOAUTH Authentication required.\r\n-WRONGPASS invalid username-password pair or user is disabled.\r\n+OK\r\n+PONG\r\n",
    );
    await r.call("ACL", "SETUSER", "default", "on", "resetpass", ">pw");
  });
});

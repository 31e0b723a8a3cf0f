import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { rawExchange } from "./utils/raw.js";
import { startTarget, useTarget } from "./utils/target.js";

const NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

describe("DEBUG is a protected command", () => {
  it("is refused by default, also for HELP", async () => {
    const target = await startTarget();
    try {
      const r = target.client();
      await expect(r.call("DEBUG", "SLEEP", "0")).rejects.toThrow(NOT_ALLOWED);
      await expect(r.call("DEBUG", "HELP")).rejects.toThrow(NOT_ALLOWED);
    } finally {
      await target.stop();
    }
  });

  it("runs from a local connection with enable-debug-command local", async () => {
    const target = await startTarget([["enable-debug-command", ["local"]]]);
    try {
      expect(await target.client().call("DEBUG", "SLEEP", "0")).toBe("OK");
    } finally {
      await target.stop();
    }
  });
});

describe("DEBUG subcommands", () => {
  const target = useTarget([["enable-debug-command", ["yes"]]]);
  let r: Redis;
  beforeAll(() => {
    r = target.client();
  });

  it("SLEEP blocks the whole server for the given seconds (decimals allowed)", async () => {
    const other = target.client();
    await other.ping();
    const start = performance.now();
    const sleeping = r.call("DEBUG", "SLEEP", "0.2");
    // A command from another client waits for the sleep too: the server is single-threaded.
    await new Promise((res) => setTimeout(res, 20));
    const ping = other.ping().then(() => performance.now() - start);
    expect(await sleeping).toBe("OK");
    expect(await ping).toBeGreaterThanOrEqual(180);
    expect(await r.call("DEBUG", "SLEEP", "x")).toBe("OK");
  });

  it("answers the simple switches with OK and validates the packed threshold", async () => {
    expect(await r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")).toBe("OK");
    expect(await r.call("DEBUG", "SET-ACTIVE-EXPIRE", "1")).toBe("OK");
    expect(await r.call("DEBUG", "SET-SKIP-CHECKSUM-VALIDATION", "0")).toBe("OK");
    expect(await r.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100")).toBe("OK");
    expect(await r.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "4095mb")).toBe("OK");
    expect(await r.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0")).toBe("OK");
    for (const bad of ["4gb", "-1", "x"]) {
      await expect(r.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", bad)).rejects.toThrow(
        "ERR argument must be a memory value bigger than 1 and smaller than 4gb",
      );
    }
    expect(await r.call("DEBUG", "LOG", "hello from the debug test")).toBe("OK");
  });

  it("CHANGE-REPL-ID gives the server a new replication id", async () => {
    const replid = () => r.info("replication").then((i) => /master_replid:([0-9a-f]{40})\r\n/.exec(i)![1]);
    const before = await replid();
    expect(await r.call("DEBUG", "CHANGE-REPL-ID")).toBe("OK");
    expect(await replid()).not.toBe(before);
    expect(await r.info("replication")).toContain("master_replid2:0000000000000000000000000000000000000000\r\n");
  });

  it("rejects unknown subcommands and wrong argument counts like Redis", async () => {
    await expect(r.call("DEBUG", "FOO")).rejects.toThrow(
      "ERR unknown subcommand or wrong number of arguments for 'FOO'. Try DEBUG HELP.",
    );
    await expect(r.call("DEBUG", "sleep")).rejects.toThrow(
      "ERR unknown subcommand or wrong number of arguments for 'sleep'. Try DEBUG HELP.",
    );
    await expect(r.call("DEBUG")).rejects.toThrow("ERR wrong number of arguments for 'debug' command");
  });

  it("HELP is Redis 7.0's full text", async () => {
    const help = (await r.call("DEBUG", "HELP")) as string[];
    expect(help).toHaveLength(106);
    expect(help[0]).toBe("DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    expect(help[1]).toBe("AOF-FLUSH-SLEEP <microsec>");
    expect(help.slice(-2)).toEqual(["HELP", "    Prints this help."]);
  });

  it("ERROR replies the given text as a raw error", async () => {
    const { text } = await rawExchange(target.port, 'DEBUG ERROR "MYERR some\\r\\ntext"\r\n', {
      until: (t) => t.endsWith("\r\n"),
    });
    expect(text).toBe("-MYERR some  text\r\n");
  });

  it("PROTOCOL replies one value of each type, RESP2 and RESP3", async () => {
    const types = [
      "string",
      "integer",
      "double",
      "bignum",
      "null",
      "array",
      "set",
      "map",
      "attrib",
      "push",
      "verbatim",
      "true",
      "false",
      "bad",
    ];
    const request = types.map((t) => `DEBUG PROTOCOL ${t}\r\n`).join("");
    const resp2 = await rawExchange(target.port, request, { until: (t) => t.endsWith("true|false\r\n") });
    expect(resp2.text).toBe(
      "$11\r\nHello World\r\n:12345\r\n$5\r\n3.141\r\n$37\r\n1234567999999999999999999999999999999\r\n$-1\r\n" +
        "*3\r\n:0\r\n:1\r\n:2\r\n*3\r\n:0\r\n:1\r\n:2\r\n*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n" +
        "$39\r\nSome real reply following the attribute\r\n-ERR RESP2 is not supported by this command\r\n" +
        "$25\r\nThis is a verbatim\nstring\r\n:1\r\n:0\r\n" +
        "-ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false\r\n",
    );
    const resp3 = await rawExchange(target.port, `HELLO 3\r\n${request}`, {
      until: (t) => t.endsWith("true|false\r\n"),
    });
    expect(resp3.text.slice(resp3.text.indexOf("$11\r\nHello World"))).toBe(
      "$11\r\nHello World\r\n:12345\r\n,3.141\r\n(1234567999999999999999999999999999999\r\n_\r\n" +
        "*3\r\n:0\r\n:1\r\n:2\r\n~3\r\n:0\r\n:1\r\n:2\r\n%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n" +
        "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n" +
        ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n" +
        "=29\r\ntxt:This is a verbatim\nstring\r\n#t\r\n#f\r\n" +
        "-ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false\r\n",
    );
  });
});

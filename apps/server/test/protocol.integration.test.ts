import { describe, expect, it } from "vitest";
import { lines, rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget();

const errorThenClose = async (input: string | Buffer | (string | Buffer)[], error: string) => {
  const { text, closed } = await rawExchange(target.port, input, { timeoutMs: 3000 });
  expect(text).toBe(`-${error}\r\n`);
  expect(closed).toBe(true);
};

describe("RESP protocol handling", () => {
  it("inline commands with quotes and escapes", async () => {
    const { text } = await rawExchange(target.port, 'SET inline:k "a b\\x41"\r\nGET inline:k\r\n', { until: lines(3) });
    expect(text).toBe("+OK\r\n$4\r\na bA\r\n");
  });

  it("empty inline lines and empty multibulk are ignored", async () => {
    const { text } = await rawExchange(target.port, "\r\n\r\n*0\r\nPING\r\n", { until: lines(1) });
    expect(text).toBe("+PONG\r\n");
  });

  it("a command split across many writes is assembled", async () => {
    const { text } = await rawExchange(target.port, ["*2\r\n$4\r\nEC", "HO\r\n$5\r\nhel", "lo\r", "\n"], {
      until: lines(2),
    });
    expect(text).toBe("$5\r\nhello\r\n");
  });

  it("the two bytes after a bulk are skipped without being checked, like Redis", async () => {
    const { text } = await rawExchange(target.port, "*2\r\n$4\r\nECHO\r\n$3\r\na\r\nb\r\nPING\r\n", {
      until: lines(3),
    });
    expect(text).toBe("$3\r\na\r\n\r\n+PONG\r\n");
  });

  it("unbalanced quotes: error then close", async () => {
    await errorThenClose('SET a "b\r\n', "ERR Protocol error: unbalanced quotes in request");
  });

  it("invalid bulk length: error then close", async () => {
    await errorThenClose("*1\r\n$-5\r\n", "ERR Protocol error: invalid bulk length");
    await errorThenClose("*1\r\n$600000000\r\n", "ERR Protocol error: invalid bulk length");
  });

  it("invalid multibulk length: error then close", async () => {
    await errorThenClose("*abc\r\n", "ERR Protocol error: invalid multibulk length");
  });

  it("wrong type byte inside a multibulk: error then close", async () => {
    await errorThenClose("*1\r\n:1\r\n", "ERR Protocol error: expected '$', got ':'");
  });

  it("replies to commands before the protocol error, then closes", async () => {
    const { text, closed } = await rawExchange(target.port, "PING\r\n*1\r\n$x\r\n");
    expect(text).toBe("+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
    expect(closed).toBe(true);
  });

  it("too big inline request: error then close", async () => {
    await errorThenClose("a".repeat(70 * 1024), "ERR Protocol error: too big inline request");
  });

  it("too big multibulk count string: error then close", async () => {
    await errorThenClose("*" + "1".repeat(70 * 1024), "ERR Protocol error: too big mbulk count string");
  });

  // unit/protocol "Protocol desync regression test": Redis closes the socket after the error
  // reply, so a peer that keeps sending gets a reset instead of writing forever.
  it("a peer still sending after a protocol error finds the connection closed", async () => {
    const { connect } = await import("node:net");
    const result = await new Promise<{ reply: string; failed: boolean }>((resolve) => {
      // Half-open allowed: the server's FIN alone must not end the test, only a failed write.
      const socket = connect({ host: "127.0.0.1", port: target.port, allowHalfOpen: true });
      let reply = "";
      let done = false;
      const finish = (failed: boolean) => {
        if (done) return;
        done = true;
        clearInterval(timer);
        clearTimeout(limit);
        socket.destroy();
        resolve({ reply, failed });
      };
      socket.on("data", (d) => (reply += d.toString("latin1")));
      socket.on("error", () => finish(true));
      socket.write("\x00");
      const chunk = Buffer.from("payload".repeat(1000));
      const timer = setInterval(() => socket.write(chunk), 1);
      const limit = setTimeout(() => finish(false), 5000);
    });
    expect(result.reply).toBe("-ERR Protocol error: too big inline request\r\n");
    expect(result.failed).toBe(true);
  });

  it("the server survives and keeps serving after protocol errors", async () => {
    await errorThenClose("*1\r\n$-5\r\n", "ERR Protocol error: invalid bulk length");
    expect(await target.client().ping()).toBe("PONG");
  });
});

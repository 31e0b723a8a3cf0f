import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { rawExchange } from "./utils/raw.js";
import { startTarget } from "./utils/target.js";

/** Whether a TCP connection to the port is refused (the server stopped listening). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

const waitFor = async (cond: () => Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("SHUTDOWN", () => {
  it("rejects bad flag combinations, and ABORT finds no shutdown in progress", async () => {
    const target = await startTarget();
    try {
      const { text } = await rawExchange(
        target.port,
        "SHUTDOWN ABORT\r\nSHUTDOWN FOO\r\nSHUTDOWN SAVE NOSAVE\r\nSHUTDOWN ABORT NOW\r\nMULTI\r\nSHUTDOWN\r\nDISCARD\r\nPING\r\n",
        { until: (t) => t.endsWith("+PONG\r\n") },
      );
      expect(text).toBe(
        "-ERR No shutdown in progress.\r\n-ERR syntax error\r\n-ERR syntax error\r\n-ERR syntax error\r\n" +
          "+OK\r\n-ERR Command not allowed inside a transaction\r\n+OK\r\n+PONG\r\n",
      );
    } finally {
      await target.stop();
    }
  });

  it("closes every connection without a reply and stops listening", async () => {
    const target = await startTarget();
    try {
      const bystander = target.client({ retryStrategy: () => null });
      await bystander.ping();
      const ended = new Promise<void>((resolve) => bystander.once("end", () => resolve()));
      const { text, closed } = await rawExchange(target.port, "SHUTDOWN NOSAVE NOW\r\nPING\r\n", { timeoutMs: 5000 });
      expect(closed).toBe(true);
      expect(text).toBe("");
      await ended;
      await waitFor(() => refused(target.port));
    } finally {
      await target.stop();
    }
  });
});

import { connect } from "node:net";

/**
 * Sends raw bytes and collects the reply bytes until `until` matches, the server closes the
 * connection, or `timeoutMs` passes. For protocol-level assertions (`$-1\r\n`), beside the
 * client-library tests.
 */
export async function rawExchange(
  port: number,
  input: string | Buffer | (string | Buffer)[],
  options: { until?: (text: string) => boolean; timeoutMs?: number; host?: string } = {},
): Promise<{ text: string; closed: boolean }> {
  const { until, timeoutMs = 2000, host = "127.0.0.1" } = options;
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let text = "";
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on("error", (err) => (done ? undefined : reject(err)));
    socket.on("data", (d) => {
      text += d.toString("latin1");
      if (until?.(text)) finish(false);
    });
    socket.on("end", () => finish(true));
    socket.on("close", () => finish(true));
    socket.on("connect", async () => {
      const parts = Array.isArray(input) ? input : [input];
      for (const part of parts) {
        socket.write(part);
        if (parts.length > 1) await new Promise((r) => setTimeout(r, 20));
      }
    });
  });
}

/** Waits until the reply holds `n` CRLF-terminated lines. */
export const lines = (n: number) => (text: string) => text.split("\r\n").length > n;

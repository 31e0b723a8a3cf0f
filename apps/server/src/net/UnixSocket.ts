import { chmodSync, unlinkSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import type { ConfigStore } from "../config/ConfigStore.js";
import type { Logger } from "../Logger.js";

/**
 * The `unixsocket` listener: a stale socket file is removed first, as Redis does, and
 * `unixsocketperm` (octal, 0 = leave the umask's) is applied to the new one. Resolves to null
 * when no unix socket is configured; rejects with Redis's log line when it cannot listen.
 */
export function listenUnixSocket(
  config: ConfigStore,
  log: Logger,
  onSocket: (socket: Socket) => void,
): Promise<Server | null> {
  const path = config.string("unixsocket");
  if (path === "") return Promise.resolve(null);
  try {
    unlinkSync(path);
  } catch {
    // Nothing to remove.
  }
  return new Promise((resolve, reject) => {
    // Paused until the server has moved the connection onto its shared read buffer.
    const server = createServer({ pauseOnConnect: true }, onSocket);
    server.once("error", (err) => {
      log.warning(`Failed opening Unix socket: ${err.message}`);
      reject(err);
    });
    server.listen({ path, backlog: config.number("tcp-backlog") }, () => {
      server.removeAllListeners("error");
      server.on("error", (err) => log.warning(`Unix socket error: ${err.message}`));
      const perm = config.number("unixsocketperm");
      try {
        if (perm !== 0) chmodSync(path, perm);
      } catch (err) {
        log.warning(`Failed opening Unix socket: ${(err as Error).message}`);
        server.close();
        reject(err as Error);
        return;
      }
      log.notice(`The server is now ready to accept connections at ${path}`);
      resolve(server);
    });
  });
}

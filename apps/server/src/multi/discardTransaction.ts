import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";

/**
 * Redis's `discardTransaction`: drop the queue and every WATCH. DISCARD, EXEC (aborted or
 * failed WATCH), RESET and a rejected EXEC (EXECABORT) all end a transaction here.
 */
export function discardTransaction(server: ServerContext, client: Client): void {
  client.multi = null;
  server.watches.unwatchAll(client);
}

import { SharedReplies } from "@nedis/resp-codec";
import { discardTransaction } from "../multi/discardTransaction.js";
import { MultiState } from "../multi/MultiState.js";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import { defineCommand } from "./CommandSpec.js";
import { call } from "./call.js";

/** RESET ends a transaction too (connection.ts imports it from here). */
export { discardTransaction };

function exec(server: ServerContext, client: Client): void {
  const multi = client.multi;
  if (multi === null) return client.writer.error("ERR EXEC without MULTI");
  if (multi.dirtyExec) {
    discardTransaction(server, client);
    return client.writer.error("EXECABORT Transaction discarded because of previous errors.");
  }
  // Redis's isWatchedKeyExpired: a watched key that expired since WATCH fails EXEC, even unread.
  if (client.dirtyCas || (client.watched.length > 0 && server.watches.watchedKeyExpired(client))) {
    discardTransaction(server, client);
    return client.writer.nullArray();
  }
  // Unwatch before running: the transaction's own writes must not count as touching. The client
  // stays in MULTI state while the queue runs (CLIENT LIST shows `x`, as in Redis).
  server.watches.unwatchAll(client);
  client.writer.arrayHeader(multi.queue.length);
  // Keys expire by the instant EXEC started, as Redis's call() fixes it for nested calls.
  server.clock.freeze();
  try {
    for (const q of multi.queue) {
      // ACL rules may have changed since the command was queued (Redis re-checks at EXEC).
      const denied = server.auth.checkQueuedCommand(client, q.container, q.cmd, q.args);
      if (denied !== null) client.writer.error(denied);
      else call(server, client, q.container, q.cmd, q.args);
    }
  } finally {
    server.clock.thaw();
  }
  client.multi = null;
}

/** MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis's `multi.c`). */
export const transactionCommands = [
  /** MULTI */
  defineCommand({
    name: "multi",
    handler(_server, client) {
      if (client.multi !== null) return client.writer.error("ERR MULTI calls can not be nested");
      client.multi = new MultiState();
      client.writer.raw(SharedReplies.ok);
    },
  }),
  /** EXEC */
  defineCommand({
    name: "exec",
    handler: exec,
  }),
  /** DISCARD */
  defineCommand({
    name: "discard",
    handler(server, client) {
      if (client.multi === null) return client.writer.error("ERR DISCARD without MULTI");
      discardTransaction(server, client);
      client.writer.raw(SharedReplies.ok);
    },
  }),
  /** WATCH key [key ...] */
  defineCommand({
    name: "watch",
    handler(server, client, args) {
      if (client.multi !== null) return client.writer.error("ERR WATCH inside MULTI is not allowed");
      for (let i = 1; i < args.argc; i++)
        server.watches.watch(client, client.db, args.buffer, args.offsets[i]!, args.lengths[i]!);
      client.writer.raw(SharedReplies.ok);
    },
  }),
  /** UNWATCH */
  defineCommand({
    name: "unwatch",
    handler(server, client) {
      server.watches.unwatchAll(client);
      client.writer.raw(SharedReplies.ok);
    },
  }),
];

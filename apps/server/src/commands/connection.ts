import { SharedReplies } from "@nedis/resp-codec";
import { integerArg } from "./arguments.js";
import { defineCommand } from "./CommandSpec.js";

/** Connection commands (Redis's `connection` group). */
export const connectionCommands = [
  /** PING [message] */
  defineCommand({
    name: "ping", arity: -1, flags: ["fast", "sentinel"], aclCategories: ["fast", "connection"],
    group: "connection", summary: "Ping the server", since: "1.0.0", complexity: "O(1)",
    handler(_server, client, args) {
      if (args.argc > 2) {
        client.writer.error("ERR wrong number of arguments for 'ping' command");
      } else if (args.argc === 1) {
        client.writer.raw(SharedReplies.pong);
      } else {
        client.writer.bulk(args.buffer, args.offsets[1]!, args.offsets[1]! + args.lengths[1]!);
      }
    },
  }),
  /** ECHO message */
  defineCommand({
    name: "echo", arity: 2, flags: ["fast"], aclCategories: ["fast", "connection"],
    group: "connection", summary: "Echo the given string", since: "1.0.0", complexity: "O(1)",
    handler(_server, client, args) {
      client.writer.bulk(args.buffer, args.offsets[1]!, args.offsets[1]! + args.lengths[1]!);
    },
  }),
  /** QUIT: replies OK, then the connection is closed once the reply is written. */
  defineCommand({
    name: "quit", arity: -1, flags: ["allow_busy", "noscript", "loading", "stale", "fast", "no_auth"],
    aclCategories: ["fast", "connection"],
    group: "connection", summary: "Close the connection", since: "1.0.0", complexity: "O(1)",
    handler(_server, client) {
      client.writer.raw(SharedReplies.ok);
      client.closeAfterReply = true;
    },
  }),
  /** SELECT index */
  defineCommand({
    name: "select", arity: 2, flags: ["loading", "stale", "fast"], aclCategories: ["fast", "connection"],
    group: "connection", summary: "Change the selected database for the current connection", since: "1.0.0", complexity: "O(1)",
    handler(server, client, args) {
      const id = integerArg(client, args, 1, -2147483648, 2147483647);
      if (id === null) return;
      if (id < 0 || id >= server.keyspace.databases.length) {
        client.writer.error("ERR DB index is out of range");
        return;
      }
      client.db = id;
      client.writer.raw(SharedReplies.ok);
    },
  }),
];

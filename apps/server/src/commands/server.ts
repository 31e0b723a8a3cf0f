import { SharedReplies } from "@nedis/resp-codec";
import { renderInfo } from "../info/InfoSections.js";
import type { Client } from "../net/Client.js";
import { type CommandArgs, defineCommand } from "./CommandSpec.js";

/** `FLUSHDB`/`FLUSHALL` take an optional SYNC or ASYNC; anything else is a syntax error. */
function flushModeValid(client: Client, args: CommandArgs): boolean {
  if (args.argc === 1 || (args.argc === 2 && (args.argEquals(1, "sync") || args.argEquals(1, "async")))) return true;
  client.writer.error("ERR syntax error");
  return false;
}

/** Server commands (Redis's `server` group). */
export const serverCommands = [
  /** DBSIZE */
  defineCommand({
    name: "dbsize",
    arity: 1,
    flags: ["readonly", "fast"],
    aclCategories: ["keyspace", "read", "fast"],
    group: "server",
    summary: "Return the number of keys in the selected database",
    since: "1.0.0",
    complexity: "O(1)",
    handler(server, client) {
      client.writer.integer(server.keyspace.db(client.db).size);
    },
  }),
  /** FLUSHDB [ASYNC|SYNC] */
  defineCommand({
    name: "flushdb",
    arity: -1,
    flags: ["write"],
    aclCategories: ["keyspace", "write", "slow", "dangerous"],
    group: "server",
    summary: "Remove all keys from the current database",
    since: "1.0.0",
    complexity: "O(N) where N is the total number of keys in all databases",
    handler(server, client, args) {
      if (!flushModeValid(client, args)) return;
      server.keyspace.db(client.db).flush();
      client.writer.raw(SharedReplies.ok);
    },
  }),
  /** FLUSHALL [ASYNC|SYNC] */
  defineCommand({
    name: "flushall",
    arity: -1,
    flags: ["write"],
    aclCategories: ["keyspace", "write", "slow", "dangerous"],
    group: "server",
    summary: "Remove all keys from all databases",
    since: "1.0.0",
    complexity: "O(N) where N is the total number of keys in all databases",
    handler(server, client, args) {
      if (!flushModeValid(client, args)) return;
      server.keyspace.flushAll();
      client.writer.raw(SharedReplies.ok);
    },
  }),
  /** INFO [section ...] */
  defineCommand({
    name: "info",
    arity: -1,
    flags: ["loading", "stale", "sentinel"],
    aclCategories: ["slow", "dangerous"],
    group: "server",
    summary: "Get information and statistics about the server",
    since: "1.0.0",
    complexity: "O(1)",
    handler(server, client, args) {
      const sections: string[] = [];
      for (let i = 1; i < args.argc; i++) sections.push(args.argString(i));
      client.writer.verbatim(renderInfo(server, sections));
    },
  }),
];

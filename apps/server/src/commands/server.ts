import { SharedReplies } from "@nedis/resp-codec";
import { renderInfo } from "../info/InfoSections.js";
import type { Client } from "../net/Client.js";
import { rdbPersistenceOf } from "../persistence/RdbPersistence.js";
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
    handler(server, client) {
      client.writer.integer(server.keyspace.db(client.db).size);
    },
  }),
  /** FLUSHDB [ASYNC|SYNC] */
  defineCommand({
    name: "flushdb",
    handler(server, client, args) {
      if (!flushModeValid(client, args)) return;
      server.keyspace.db(client.db).flush();
      // Propagated even when the database was already empty (forceCommandPropagation in db.c).
      server.propagation.force();
      client.writer.raw(SharedReplies.ok);
    },
  }),
  /** FLUSHALL [ASYNC|SYNC] */
  defineCommand({
    name: "flushall",
    handler(server, client, args) {
      if (!flushModeValid(client, args)) return;
      // Redis's flushAllDataAndResetRDB: a running BGSAVE is stopped, then the empty dataset saved.
      const rdb = rdbPersistenceOf(server);
      rdb.killBackgroundSave();
      server.keyspace.flushAll();
      rdb.saveAfterFlushAll();
      server.propagation.force();
      client.writer.raw(SharedReplies.ok);
    },
  }),
  /** INFO [section ...] */
  defineCommand({
    name: "info",
    handler(server, client, args) {
      const sections: string[] = [];
      for (let i = 1; i < args.argc; i++) sections.push(args.argString(i));
      client.writer.verbatim(renderInfo(server, sections));
    },
  }),
];

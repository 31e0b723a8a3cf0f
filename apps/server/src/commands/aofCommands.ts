import { defineCommand } from "./CommandSpec.js";

/** BGREWRITEAOF (Redis's aof.c). */
export const aofCommands = [
  /** BGREWRITEAOF */
  defineCommand({
    name: "bgrewriteaof",
    handler(server, client) {
      // Inside EXEC the unit's effects are not written yet: the rewrite waits for the unit's end,
      // as Redis schedules it when `server.in_exec`.
      if (server.executionNesting > 1) {
        setImmediate(() => server.aof.rewrite());
        return client.writer.simple("Background append only file rewriting scheduled");
      }
      if (server.aof.rewrite()) client.writer.simple("Background append only file rewriting started");
      else
        client.writer.error(
          "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
        );
    },
  }),
];

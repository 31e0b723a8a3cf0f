import { backgroundJobActive } from "../persistence/backgroundJobs.js";
import { defineCommand } from "./CommandSpec.js";

/** BGREWRITEAOF (Redis's aof.c). */
export const aofCommands = [
  /** BGREWRITEAOF: a forkless rewrite, or scheduled while a BGSAVE runs or inside EXEC. */
  defineCommand({
    name: "bgrewriteaof",
    handler(server, client) {
      const rewriter = server.aof.rewriter;
      if (rewriter.inProgress)
        return client.writer.error("ERR Background append only file rewriting already in progress");
      // Inside EXEC the unit's effects are not written yet: the cron starts it after the unit.
      if (backgroundJobActive(server) || server.executionNesting > 1) {
        rewriter.scheduled = true;
        // A manual request is not held back by earlier failures.
        rewriter.failures = 0;
        return client.writer.simple("Background append only file rewriting scheduled");
      }
      if (rewriter.start()) client.writer.simple("Background append only file rewriting started");
      else
        client.writer.error(
          "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
        );
    },
  }),
];

import { SharedReplies } from "@nedis/resp-codec";
import { backgroundJobActive } from "../persistence/backgroundJobs.js";
import { rdbPersistenceOf } from "../persistence/RdbPersistence.js";
import { defineCommand } from "./CommandSpec.js";
import { Errors } from "./support/errors.js";

/** SAVE, BGSAVE and LASTSAVE (Redis's rdb.c commands), over the server's RdbPersistence. */
export const persistenceCommands = [
  /** SAVE: the whole dataset to `dbfilename`, synchronously. */
  defineCommand({
    name: "save",
    handler(server, client) {
      const rdb = rdbPersistenceOf(server);
      if (rdb.bgsaveInProgress) return client.writer.error(Errors.bgsaveInProgress);
      rdb.countSave();
      if (rdb.save()) client.writer.raw(SharedReplies.ok);
      else client.writer.error("ERR");
    },
  }),
  /**
   * BGSAVE [SCHEDULE]: a forkless background save (a snapshot walked in slices). Inside EXEC it
   * is scheduled, as Redis does when it cannot fork there.
   */
  defineCommand({
    name: "bgsave",
    handler(server, client, args) {
      if (args.argc > 1 && !(args.argc === 2 && args.argEquals(1, "schedule")))
        return client.writer.error(Errors.syntax);
      const rdb = rdbPersistenceOf(server);
      if (rdb.bgsaveInProgress) return client.writer.error(Errors.bgsaveInProgress);
      if (backgroundJobActive(server) || server.executionNesting > 1) {
        if (args.argc === 1 && server.executionNesting <= 1) return client.writer.error(Errors.bgsaveChildActive);
        rdb.bgsaveScheduled = true;
        return client.writer.simple("Background saving scheduled");
      }
      if (rdb.startBackgroundSave()) client.writer.simple("Background saving started");
      else client.writer.error("ERR");
    },
  }),
  /** LASTSAVE: unix time of the last successful save (the start time until one happens). */
  defineCommand({
    name: "lastsave",
    handler(server, client) {
      client.writer.integer(rdbPersistenceOf(server).lastSave);
    },
  }),
];

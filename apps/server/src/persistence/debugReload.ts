import { SharedReplies } from "@nedis/resp-codec";
import type { CommandArgs } from "../commands/CommandSpec.js";
import { Errors } from "../commands/support/errors.js";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import { existingFunctions } from "../scripting/functions/serverFunctions.js";
import { rdbPersistenceOf } from "./RdbPersistence.js";

/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE] (debug.c): save, empty the dataset, load the file back.
 * Unlike Redis, the file is verified before anything is flushed, so a corrupt or missing file
 * leaves the data as it was (Redis would have emptied it, or exited).
 */
export function debugReload(server: ServerContext, client: Client, args: CommandArgs): void {
  let flush = true;
  let save = true;
  let merge = false;
  for (let j = 2; j < args.argc; j++) {
    if (args.argEquals(j, "merge")) merge = true;
    else if (args.argEquals(j, "noflush")) flush = false;
    else if (args.argEquals(j, "nosave")) save = false;
    else return client.writer.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
  }
  const rdb = rdbPersistenceOf(server);
  if (save && !rdb.save()) return client.writer.error("ERR");
  const ks = server.keyspace;
  try {
    rdb.loadFile(rdb.filename, true, merge, () => {
      // Redis's emptyData here does not count as changes (only FLUSHALL adds them to dirty).
      const dirty = ks.dirty;
      if (flush) {
        ks.flushAll();
        // emptyData without EMPTYDB_NOFUNCTIONS: the libraries go too (FLUSHALL keeps them).
        existingFunctions(server)?.libraries.clear();
      }
      ks.dirty = dirty;
    });
  } catch (err) {
    rdb.logLoadError(err);
    return client.writer.error(Errors.reloadFailed);
  }
  server.log.warning("DB reloaded by DEBUG RELOAD");
  client.writer.raw(SharedReplies.ok);
}

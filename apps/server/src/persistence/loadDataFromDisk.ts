import type { NedisServer } from "../net/NedisServer.js";
import { AofLoadError } from "./aofFiles.js";
import { rdbPersistenceOf } from "./RdbPersistence.js";

/**
 * Redis's `loadDataFromDisk`, before any client is served: the AOF when `appendonly yes` (an
 * RDB in `dir` is then ignored, as in Redis 7.0), else `dir/dbfilename`; then the save-point
 * cron starts. Throws when the data cannot be loaded (logged, files left as they were): the
 * server must not start.
 */
export function loadDataFromDisk(server: NedisServer): void {
  const rdb = rdbPersistenceOf(server);
  try {
    if (server.config.bool("appendonly")) server.aof.startup();
    else rdb.loadAtStartup();
  } catch (err) {
    if (!(err instanceof AofLoadError)) rdb.logLoadError(err);
    throw err;
  }
  rdb.startCron();
}

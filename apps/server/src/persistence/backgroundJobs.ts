import type { ServerContext } from "../ServerContext.js";
import { rdbPersistenceOf } from "./RdbPersistence.js";

/**
 * Redis's `hasActiveChildProcess`: a BGSAVE or an AOF rewrite is running. Like Redis's single
 * child, only one runs at a time; the other is refused or scheduled.
 */
export function backgroundJobActive(server: ServerContext): boolean {
  return server.aof.rewriter.inProgress || rdbPersistenceOf(server).bgsaveInProgress;
}

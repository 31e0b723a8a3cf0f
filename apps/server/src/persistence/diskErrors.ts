import { Errors } from "../commands/support/errors.js";
import type { ServerContext } from "../ServerContext.js";
import { rdbPersistenceOf } from "./RdbPersistence.js";

/**
 * Redis's `writeCommandsDeniedByDiskError` with `writeCommandsGetDiskErrorMessage`: the MISCONF
 * error refusing writes (and PING) while the last background save failed under
 * `stop-writes-on-bgsave-error`, or while the AOF cannot be written; null when writes may run.
 */
export function diskError(server: ServerContext): string | null {
  if (rdbPersistenceOf(server).writesDenied) return Errors.misconfRdb;
  return server.aof.writeError;
}

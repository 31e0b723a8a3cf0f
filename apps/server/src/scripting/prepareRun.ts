import { Errors } from "../commands/support/errors.js";
import type { Client } from "../net/Client.js";
import { diskError } from "../persistence/diskErrors.js";
import { enoughGoodReplicas, NOREPLICAS } from "../replication/goodReplicas.js";
import type { ServerContext } from "../ServerContext.js";
import { RunFlag } from "./ScriptRun.js";
import { ScriptFlag } from "./scriptFlags.js";

/** How a script may run once {@link prepareRun} let it: its run flags and the memory state it starts in. */
export interface PreparedRun {
  readonly runFlags: number;
  readonly oomAtStart: boolean;
}

/**
 * Redis's `scriptPrepareForRun` checks, shared by EVAL and FCALL: what the script's flags allow
 * now (writes under MISCONF, *_RO commands, memory over maxmemory), then the run flags. Returns
 * null after replying the error. `evalMode` marks an EVAL run (for redis.call's checks).
 */
export function prepareRun(
  server: ServerContext,
  client: Client,
  scriptFlags: number,
  ro: boolean,
  evalMode: boolean,
): PreparedRun | null {
  const compat = (scriptFlags & ScriptFlag.EvalCompatMode) !== 0;
  const ks = server.keyspace;
  const oom = ks.maxmemory !== 0 && !ks.freeMemoryIfNeeded();
  if (!compat) {
    if ((scriptFlags & ScriptFlag.NoWrites) === 0) {
      const denied = diskError(server);
      if (denied !== null) {
        // The RDB case has its own text for scripts; the AOF case is the command's.
        client.writer.error(
          denied === Errors.misconfRdb
            ? "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts."
            : denied,
        );
        return null;
      }
      if (ro) {
        client.writer.error("ERR Can not execute a script with write flag using *_ro command.");
        return null;
      }
      if (!enoughGoodReplicas(server)) {
        client.writer.error(NOREPLICAS);
        return null;
      }
    }
    if (oom && (scriptFlags & (ScriptFlag.AllowOom | ScriptFlag.NoWrites)) === 0) {
      client.writer.error("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
      return null;
    }
  }
  let runFlags: number = evalMode ? RunFlag.EvalMode : 0;
  if (ro || (!compat && (scriptFlags & ScriptFlag.NoWrites) !== 0)) runFlags |= RunFlag.ReadOnly;
  if (!compat && (scriptFlags & ScriptFlag.AllowOom) !== 0) runFlags |= RunFlag.AllowOom;
  return { runFlags, oomAtStart: oom };
}

/**
 * The checks `processCommand` makes with the command flags Redis derives from a script's flags
 * (`scriptFlagsToCmdFlags`: `denyoom` unless allow-oom or no-writes, `write` unless no-writes),
 * which FCALL cannot declare statically. Replies the error Redis would reject with and returns
 * false, or returns true.
 */
export function passesScriptCommandFlags(server: ServerContext, client: Client, scriptFlags: number): boolean {
  const writes = (scriptFlags & ScriptFlag.NoWrites) === 0;
  const denyOom = writes && (scriptFlags & ScriptFlag.AllowOom) === 0;
  const ks = server.keyspace;
  if (denyOom && ks.maxmemory !== 0 && !ks.freeMemoryIfNeeded()) {
    client.writer.error(Errors.oom);
    return false;
  }
  const denied = writes ? diskError(server) : null;
  if (denied !== null) {
    client.writer.error(denied);
    return false;
  }
  return true;
}

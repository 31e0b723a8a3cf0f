import { performance } from "node:perf_hooks";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import { CMD, type CommandArgs, type CommandSpec } from "./CommandSpec.js";
import { findKeys, fullNameOf } from "./keySpecs.js";

/**
 * The server's error-reply count when the last call() started or ended (calls never
 * interleave): Redis's `prev_err_count` over `stat_total_error_replies`, so errors of nested
 * calls (EXEC's queue, a script's commands) count for those only.
 */
let errorMark = 0;

/**
 * The running command failed with an error reply that is not counted again in the error
 * stats (a script's error raised by one of its commands): Redis bumps its failed_calls directly.
 */
export function markCallFailed(): void {
  errorMark = -1;
}

/**
 * Redis's `call()`: runs one command that passed `processCommand`'s checks (dispatch.ts), and
 * accounts for it — commandstats and error counts, client-side caching, then the observers
 * (SLOWLOG, MONITOR, LATENCY). Every executed command goes through here: EXEC calls it for each
 * queued command (nested, `server.executionNesting > 0`), and so will blocking pops, scripts
 * and AOF loading.
 *
 * The single propagation point (architecture-review §5.5): if the handler changed
 * `server.keyspace.dirty`, `args` goes to the propagator unless the handler propagated its
 * effect itself (`propagation.replaceWith`); the outermost call then ends the unit (MULTI/EXEC
 * around a multi-write unit) before ready keys are served — each served pop is a unit of its
 * own, as Redis's handleClientsBlockedOnKeys runs after call() — and before any reply is written.
 */
export function call(
  server: ServerContext,
  client: Client,
  container: CommandSpec,
  cmd: CommandSpec,
  args: CommandArgs,
): void {
  client.lastCommand = cmd;
  client.lastContainer = container;
  // A blocked client's command run again to serve it (blocking/) was counted when it first ran:
  // as Redis's updateStatsOnUnblock, the re-run adds only its time (and a failure).
  const rerun = client.blocked !== null;
  if (!rerun) server.stats.totalCommandsProcessed++;
  const errorStats = server.errorStats;
  errorMark = errorStats.total;
  const previous = server.currentClient;
  server.currentClient = client;
  const propagation = server.propagation;
  const dirtyBefore = server.keyspace.dirty;
  const replacedOuter = propagation.replaced;
  const forcedOuter = propagation.forced;
  propagation.replaced = false;
  propagation.forced = false;
  server.executionNesting++;
  // One clock read per command: each command's time runs from the end of the previous one in
  // the batch (the batch start for the first), so parsing between them is included.
  const start = server.commandClock;
  cmd.handler(server, client, args);
  const end = performance.now();
  server.commandClock = end;
  // Whole microseconds between clock readings, like Redis's ustime() differences: a small
  // integer, which V8 passes on to the stats without boxing it in a heap number.
  const usec = Math.floor(end * 1000) - Math.floor(start * 1000);
  server.executionNesting--;
  server.currentClient = previous;
  if (propagation.active) {
    // EXEC is never propagated itself: its queued commands were, each by its own call().
    if (!propagation.replaced && (server.keyspace.dirty !== dirtyBefore || propagation.forced) && cmd.name !== "exec")
      propagation.command(client.db, args);
    if (server.executionNesting === 0) propagation.endCommand();
  }
  propagation.replaced = replacedOuter;
  propagation.forced = forcedOuter;
  // Keys made ready by this command (or the whole EXEC) serve their blocked clients now, each
  // through call() again (blocking/BlockedClients.ts), before any reply is written.
  if (server.executionNesting === 0 && server.blocking.hasReadyKeys) server.blocking.serveReadyKeys(server);
  const errors = errorStats.total;
  if (rerun) server.commandStats.recordUnblocked(cmd.id, usec, errors > errorMark);
  else server.commandStats.record(cmd.id, usec, errors > errorMark);
  errorMark = errors;
  if (client.tracking !== null) trackAfterCommand(server, client, container, cmd, args);
  // SLOWLOG, MONITOR and LATENCY watch executed commands here, as in Redis's call() (a re-run
  // of a blocked command was shown when it first ran).
  if (server.commandObserver !== null && !rerun) server.commandObserver(client, container, cmd, args, usec);
}

/** Client-side caching: remember what a read command read; send invalidations due to the client. */
function trackAfterCommand(
  server: ServerContext,
  client: Client,
  container: CommandSpec,
  cmd: CommandSpec,
  args: CommandArgs,
): void {
  if ((cmd.flagBits & (CMD.READONLY | CMD.PUBSUB)) === CMD.READONLY) {
    const found = findKeys(cmd, fullNameOf(cmd, container), args, 0);
    if (found !== null && found.length > 0)
      server.tracking.rememberKeys(
        client,
        found.map((k) => args.argView(k.index)),
      );
  }
  if (server.executionNesting === 0) server.tracking.flushPendingFor(client);
}

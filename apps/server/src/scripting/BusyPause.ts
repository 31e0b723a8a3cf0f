import { SharedReplies } from "@nedis/resp-codec";
import type { CommandHandler } from "../commands/CommandSpec.js";
import { Errors } from "../commands/support/errors.js";
import type { ServerContext } from "../ServerContext.js";
import { RunFlag, type ScriptRun } from "./ScriptRun.js";

/**
 * The server while a script is paused past busy-reply-threshold (Redis's
 * isInsideYieldingLongCommand): the command that started it stays open (its call() nesting is
 * held, so its effects still propagate as one unit), its client stops reading, nothing
 * expires, and every other command but the allow-busy ones gets BUSY (dispatch.ts).
 */
export class BusyPause {
  private activeExpireBefore = true;

  constructor(private readonly server: ServerContext) {}

  /** The script yielded for the first time. */
  pause(run: ScriptRun): void {
    const server = this.server;
    server.scriptBusy = (run.flags & RunFlag.EvalMode) !== 0 ? "eval" : "function";
    server.executionNesting++;
    run.caller.inScript = true;
    this.activeExpireBefore = server.keyspace.activeExpireEnabled;
    server.keyspace.activeExpireEnabled = false;
  }

  /** The paused script ended: the held command completes as call() would have completed it. */
  unpause(run: ScriptRun): void {
    const server = this.server;
    server.scriptBusy = null;
    server.keyspace.activeExpireEnabled = this.activeExpireBefore;
    server.executionNesting--;
    if (server.executionNesting === 0) {
      if (server.propagation.active) server.propagation.endCommand();
      if (server.blocking.hasReadyKeys) server.blocking.serveReadyKeys(server);
    }
    run.caller.inScript = false;
    if (!run.caller.closed) server.blocking.resumeInput(run.caller);
  }
}

/**
 * SCRIPT KILL (`eval`) and FUNCTION KILL: Redis's `scriptKill`. Returns null when the run will
 * stop (it is marked killed; the count hook raises the error), else the error to reply.
 */
export function killVerdict(server: ServerContext, run: ScriptRun | null, eval_: boolean): string | null {
  if (run === null || server.scriptBusy === null) return Errors.notBusy;
  if ((run.flags & RunFlag.WriteDirty) !== 0) {
    return "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.";
  }
  const isEval = (run.flags & RunFlag.EvalMode) !== 0;
  if (eval_ && !isEval) return Errors.busyFunction;
  if (!eval_ && isEval) return Errors.busyEval;
  run.flags |= RunFlag.Killed;
  return null;
}

/** What SCRIPT/FUNCTION KILL needs of an engine. */
interface KillableEngine {
  readonly run: ScriptRun | null;
  kill(eval_: boolean): string | null;
}

/** Every engine of a server (EVAL's and the Functions engine): SCRIPT/FUNCTION KILL find the running one. */
const enginesOf = new WeakMap<ServerContext, KillableEngine[]>();

export function registerEngine(server: ServerContext, engine: KillableEngine): void {
  const engines = enginesOf.get(server) ?? [];
  engines.push(engine);
  enginesOf.set(server, engines);
}

/** SCRIPT KILL (`eval`) or FUNCTION KILL: null when the running script will stop, else the error. */
export function killRunningScript(server: ServerContext, eval_: boolean): string | null {
  for (const engine of enginesOf.get(server) ?? []) if (engine.run !== null) return engine.kill(eval_);
  return Errors.notBusy;
}

/** The handler of SCRIPT KILL (`eval`) and of FUNCTION KILL. */
export function scriptKillHandler(eval_: boolean): CommandHandler {
  return (server, client) => {
    const error = killRunningScript(server, eval_);
    if (error !== null) return client.writer.error(error);
    client.writer.raw(SharedReplies.ok);
  };
}

import type { Client } from "../net/Client.js";

/** Redis's `SCRIPT_*` run flags (script.h). */
export const RunFlag = {
  WriteDirty: 1 << 0,
  TimedOut: 1 << 3,
  Killed: 1 << 4,
  ReadOnly: 1 << 5,
  AllowOom: 1 << 6,
  EvalMode: 1 << 7,
} as const;

/** Redis's `PROPAGATE_AOF | PROPAGATE_REPL`: where a script's writes go (redis.set_repl). */
export const ReplFlag = { None: 0, Aof: 1, Replica: 2, All: 3 } as const;

/** Redis's `scriptRunCtx`: one running script or function, from prepare to reset. */
export class ScriptRun {
  flags = 0;
  replFlags: number = ReplFlag.All;
  /** Whether memory was over maxmemory before the script started (`pre_command_oom_state`). */
  readonly oomAtStart: boolean;
  constructor(
    /** The client that sent EVAL/FCALL. */
    readonly caller: Client,
    /** The SHA1 of an EVAL script or the name of a function, for error locations and logs. */
    readonly funcName: string,
    flags: number,
    oomAtStart: boolean,
    /** performance.now() when the command started (the server's command clock). */
    readonly startedAt: number,
  ) {
    this.flags = flags;
    this.oomAtStart = oomAtStart;
  }

  /** Milliseconds since the script started. */
  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }
}

import { CMD, type CommandSpec } from "../commands/CommandSpec.js";
import type { StoredArgs } from "./StoredArgs.js";

/** One command queued between MULTI and EXEC. */
export interface QueuedCommand {
  cmd: CommandSpec;
  container: CommandSpec;
  args: StoredArgs;
}

/**
 * A client's transaction: the queue, and the two reasons EXEC may refuse to run it — an error
 * while queueing (EXECABORT) and a touched WATCHed key (nil reply).
 */
export class MultiState {
  readonly queue: QueuedCommand[] = [];
  /** An error was replied while queueing: EXEC answers EXECABORT (Redis's CLIENT_DIRTY_EXEC). */
  dirtyExec = false;
  /** Union of the queued commands' flags, for EXEC's OOM and write checks. */
  hasDenyOom = false;
  hasWrite = false;

  push(command: QueuedCommand): void {
    this.queue.push(command);
    const bits = command.cmd.flagBits;
    if ((bits & CMD.DENYOOM) !== 0) this.hasDenyOom = true;
    if ((bits & CMD.WRITE) !== 0) this.hasWrite = true;
  }

  get memory(): number {
    let n = 0;
    for (const q of this.queue) n += q.args.byteLength;
    return n;
  }
}

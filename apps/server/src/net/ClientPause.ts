import { CMD, type CommandSpec } from "../commands/CommandSpec.js";
import type { Client } from "./Client.js";

/** CLIENT PAUSE modes, ordered: ALL includes WRITE. */
export const PauseMode = { None: 0, Write: 1, All: 2 } as const;
export type PauseMode = (typeof PauseMode)[keyof typeof PauseMode];

/**
 * CLIENT PAUSE / UNPAUSE. Paused commands are postponed, not refused: the client stops being
 * read and its command runs when the pause ends (Redis's `blockPostponeClient`).
 */
export class ClientPause {
  mode: PauseMode = PauseMode.None;
  /** Unix ms when the pause ends. */
  end = 0;
  readonly postponed = new Set<Client>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly onEnd: (clients: Client[]) => void) {}

  /** Redis's `pauseClients`: the mode only escalates and the end only extends. */
  pause(mode: PauseMode, endMs: number): void {
    if (mode > this.mode) this.mode = mode;
    if (endMs > this.end) this.end = endMs;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.unpause(), Math.max(0, this.end - Date.now()));
  }

  unpause(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.mode = PauseMode.None;
    this.end = 0;
    const clients = [...this.postponed];
    this.postponed.clear();
    if (clients.length > 0) this.onEnd(clients);
  }

  /** Whether `cmd` must wait: everything under ALL; writes (and EXEC of writes) under WRITE. */
  blocks(client: Client, container: CommandSpec, cmd: CommandSpec): boolean {
    if (this.mode === PauseMode.All) return true;
    if ((cmd.flagBits & (CMD.WRITE | CMD.MAY_REPLICATE)) !== 0) return true;
    return container.name === "exec" && client.multi !== null && client.multi.hasWrite;
  }

  /** Stops the timer (server shutdown). */
  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

import type { ConfigStore } from "../config/ConfigStore.js";
import type { Logger } from "../Logger.js";
import type { Client } from "./Client.js";

/** How often idle clients are looked for (Redis's clientsCron runs at `hz`, 10 per second). */
const SWEEP_INTERVAL_MS = 100;

/**
 * The `timeout` option: closes clients idle for more than `timeout` seconds (0 disables it), as
 * Redis's `clientsCronHandleTimeout` does. Idle time is counted in whole seconds of the clock, so
 * a client goes between `timeout` and `timeout + 1` seconds after its last command. Pub/sub
 * clients are exempt (they wait for messages by design), as Redis exempts them, blocked clients,
 * replicas and masters.
 */
export class IdleClients {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly clients: ReadonlyMap<number, Client>,
    private readonly config: ConfigStore,
    private readonly log: Logger,
  ) {
    config.onChange("timeout", () => this.schedule());
    this.schedule();
  }

  private schedule(): void {
    const enabled = this.config.number("timeout") > 0;
    if (enabled && this.timer === null) {
      this.timer = setInterval(() => this.sweep(Date.now()), SWEEP_INTERVAL_MS);
      this.timer.unref();
    } else if (!enabled) {
      this.stop();
    }
  }

  /** Closes the clients idle for longer than `timeout` at time `now` (ms); returns how many. */
  sweep(now: number): number {
    const timeout = this.config.number("timeout");
    if (timeout <= 0) return 0;
    const nowSec = Math.floor(now / 1000);
    let closed = 0;
    for (const c of this.clients.values()) {
      if (c.closed || nowSec - Math.floor(c.lastInteraction / 1000) <= timeout) continue;
      // Blocked clients wait on their own timeout, as in Redis's clientsCronHandleTimeout.
      if (c.subscriptionCount() > 0 || c.blocked) continue;
      this.log.verbose("Closing idle client");
      c.socket.destroy();
      closed++;
    }
    return closed;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}

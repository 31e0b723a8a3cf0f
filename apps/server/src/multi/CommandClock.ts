/**
 * The keyspace's clock. Redis 7.0 fixes the time keys expire by for the length of a call()
 * (`server.fixed_time_expire`), so a transaction sees one instant: a key alive when EXEC
 * starts stays alive until it returns, whatever its commands take (DEBUG SLEEP included).
 */
export class CommandClock {
  private frozenAt = 0;
  private depth = 0;

  /** Milliseconds since the epoch: the frozen instant while frozen, else the wall clock. */
  readonly now = (): number => (this.depth > 0 ? this.frozenAt : Date.now());

  /** Nests: only the outermost freeze reads the clock. */
  freeze(): void {
    if (this.depth++ === 0) this.frozenAt = Date.now();
  }

  thaw(): void {
    if (this.depth > 0) this.depth--;
  }
}

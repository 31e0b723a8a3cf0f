/**
 * Switches the DEBUG command sets for test suites (Redis keeps them in `server.*`). Other
 * subsystems read them: the keyspace's active expiry cycle honours `activeExpire`, list
 * encodings `quicklistPackedThreshold`, RDB/RESTORE loading `skipChecksumValidation`.
 */
export class DebugFlags {
  /** DEBUG SET-ACTIVE-EXPIRE: 0 stops expiring keys in the background. */
  private activeExpireValue = true;
  /** DEBUG QUICKLIST-PACKED-THRESHOLD in bytes (Redis's default 1 GiB). */
  quicklistPackedThreshold = 1 << 30;
  /** DEBUG SET-SKIP-CHECKSUM-VALIDATION. */
  skipChecksumValidation = false;
  /**
   * DEBUG PAUSE-CRON. Recorded only: nedis has no serverCron to skip; its periodic work runs
   * on its own timers (expiry, idle sweeps), and the tracking-table limit applies after the change.
   */
  pauseCron = false;
  /** Told when `activeExpire` changes, so the keyspace can pause or resume its cycle. */
  onActiveExpireChange: ((enabled: boolean) => void) | null = null;

  get activeExpire(): boolean {
    return this.activeExpireValue;
  }

  set activeExpire(enabled: boolean) {
    if (enabled === this.activeExpireValue) return;
    this.activeExpireValue = enabled;
    this.onActiveExpireChange?.(enabled);
  }
}

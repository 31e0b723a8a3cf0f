import type { CommandArgs } from "../commands/CommandSpec.js";

/** One SLOWLOG entry, as Redis's `slowlogEntry`: the arguments are copies, already trimmed. */
export interface SlowLogEntry {
  readonly id: number;
  /** Unix time in seconds when the command was logged. */
  readonly time: number;
  /** Execution time in microseconds. */
  readonly duration: number;
  readonly args: readonly Uint8Array[];
  /** `ip:port` of the client, and its name ("" when unnamed), at logging time. */
  readonly peer: string;
  readonly name: string;
}

/** Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING. */
export const SLOWLOG_ENTRY_MAX_ARGC = 32;
export const SLOWLOG_ENTRY_MAX_STRING = 128;

/**
 * The slow log (slowlog.c): the newest `slowlog-max-len` commands that ran for at least
 * `slowlog-log-slower-than` µs, newest first. Entries copy their arguments because argument
 * views die with the read batch; that copy only happens for logged commands.
 */
export class SlowLog {
  /** Newest last; SLOWLOG GET reads it backwards. */
  private readonly entries: SlowLogEntry[] = [];
  private nextId = 0;

  get length(): number {
    return this.entries.length;
  }

  /**
   * slowlogPushEntryIfNeeded: logs the command (its argument `i` replaced by `redacted[i]` when
   * set) and trims the log to `maxLen`.
   */
  push(
    args: CommandArgs,
    redacted: readonly (Uint8Array | undefined)[] | null,
    durationUs: number,
    peer: string,
    name: string,
    maxLen: number,
  ): void {
    const argc = args.argc;
    const kept = Math.min(argc, SLOWLOG_ENTRY_MAX_ARGC);
    const copied: Uint8Array[] = new Array<Uint8Array>(kept);
    for (let j = 0; j < kept; j++) {
      if (kept !== argc && j === kept - 1) {
        copied[j] = Buffer.from(`... (${argc - kept + 1} more arguments)`, "latin1");
        continue;
      }
      const arg = redacted?.[j] ?? args.argView(j);
      if (arg.length > SLOWLOG_ENTRY_MAX_STRING) {
        const suffix = Buffer.from(`... (${arg.length - SLOWLOG_ENTRY_MAX_STRING} more bytes)`, "latin1");
        const trimmed = new Uint8Array(SLOWLOG_ENTRY_MAX_STRING + suffix.length);
        trimmed.set(arg.subarray(0, SLOWLOG_ENTRY_MAX_STRING));
        trimmed.set(suffix, SLOWLOG_ENTRY_MAX_STRING);
        copied[j] = trimmed;
      } else {
        copied[j] = new Uint8Array(arg);
      }
    }
    this.entries.push({
      id: this.nextId++,
      time: Math.floor(Date.now() / 1000),
      duration: Math.floor(durationUs),
      args: copied,
      peer,
      name,
    });
    this.trim(maxLen);
  }

  /** Drops the oldest entries past `maxLen` (only on push, as Redis: lowering the limit waits for the next one). */
  trim(maxLen: number): void {
    const excess = this.entries.length - maxLen;
    if (excess > 0) this.entries.splice(0, excess);
  }

  /** The newest `count` entries, newest first; `count` < 0 means all. */
  newest(count: number): SlowLogEntry[] {
    const n = count < 0 ? this.entries.length : Math.min(count, this.entries.length);
    const out: SlowLogEntry[] = [];
    for (let i = this.entries.length - 1; out.length < n; i--) out.push(this.entries[i]!);
    return out;
  }

  /** SLOWLOG RESET: entries go, ids keep counting (as in Redis). */
  reset(): void {
    this.entries.length = 0;
  }
}

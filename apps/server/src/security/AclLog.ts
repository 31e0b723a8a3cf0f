/** Why a command or an AUTH was refused (Redis's `ACL_DENIED_*`; the order decides which error wins). */
export const AclDenied = { Command: 1, Key: 2, Auth: 3, Channel: 4 } as const;
export type AclDenied = (typeof AclDenied)[keyof typeof AclDenied];

/** Where the refusal happened (Redis's `ACL_LOG_CTX_*`). */
export type AclLogContext = "toplevel" | "multi" | "lua" | "module";

const REASONS: Record<AclDenied, string> = { 1: "command", 2: "key", 3: "auth", 4: "channel" };

/** One ACL LOG entry, with Redis 7.0's fields. */
export interface AclLogEntry {
  count: number;
  readonly reason: AclDenied;
  readonly context: AclLogContext;
  /** The command name, key, channel, or the AUTH/HELLO word as typed. */
  readonly object: string;
  readonly username: string;
  /** Milliseconds of the last occurrence. */
  createdAt: number;
  /** CLIENT LIST line of the last client that caused it. */
  clientInfo: string;
}

/** Entries this close in time with the same reason, context, object and user are counted together. */
const GROUPING_MAX_MS = 60_000;
/** Redis looks for a match among the newest entries only. */
const MATCH_SCAN = 10;

/** The ACL security log: newest first, similar events grouped, at most `acllog-max-len` entries. */
export class AclLog {
  readonly entries: AclLogEntry[] = [];

  /** Redis's `addACLLogEntry`. */
  add(entry: Omit<AclLogEntry, "count">, maxLength: number): void {
    const scan = Math.min(MATCH_SCAN, this.entries.length);
    for (let i = 0; i < scan; i++) {
      const e = this.entries[i]!;
      if (
        e.reason === entry.reason &&
        e.context === entry.context &&
        Math.abs(e.createdAt - entry.createdAt) <= GROUPING_MAX_MS &&
        e.object === entry.object &&
        e.username === entry.username
      ) {
        e.count++;
        e.createdAt = entry.createdAt;
        e.clientInfo = entry.clientInfo;
        this.entries.splice(i, 1);
        this.entries.unshift(e);
        return;
      }
    }
    this.entries.unshift({ count: 1, ...entry });
    if (this.entries.length > maxLength) this.entries.length = Math.max(0, maxLength);
  }

  reset(): void {
    this.entries.length = 0;
  }
}

/** The `reason` field of an entry. */
export function reasonName(reason: AclDenied): string {
  return REASONS[reason];
}

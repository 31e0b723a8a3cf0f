import type { Database } from "../Database.js";
import { refOfHandle } from "../eviction/Evictor.js";
import type { KeyspaceStats } from "../KeyspaceOptions.js";
import { RemovalReason } from "../types.js";

/** What active expiry needs of the keyspace. */
export interface ExpiryHost {
  readonly now: () => number;
  readonly databases: readonly Database[];
  readonly stats: KeyspaceStats;
}

/** Longest one active-expiry slice may run before yielding to I/O. */
const SLICE_MS = 3;
/** Timer delays are capped so a clock jump cannot leave keys unexpired for long. */
const MAX_WAIT_MS = 1000;
/** A new deadline re-arms the timer only if it is this much earlier than the planned wake-up. */
const REARM_SLACK_MS = 2;

/**
 * Active expiry driven by the expiry heaps: a timer wakes up just after the earliest deadline
 * of any database, removes every due key in time-boxed slices (yielding to I/O between them
 * with `setImmediate`), and re-arms for the next deadline. Keys therefore disappear within a
 * few milliseconds of their deadline even if nobody touches them, without scanning.
 */
export class ActiveExpiry {
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private wakeAt = Infinity;
  private closed = false;
  private enabledValue = true;

  constructor(
    private readonly ks: ExpiryHost,
    private readonly timers: boolean,
  ) {}

  /** False pauses the background cycle (DEBUG SET-ACTIVE-EXPIRE 0); lazy expiry goes on. */
  get enabled(): boolean {
    return this.enabledValue;
  }

  set enabled(value: boolean) {
    if (value === this.enabledValue) return;
    this.enabledValue = value;
    if (!value) {
      if (this.timer !== null) clearTimeout(this.timer);
      if (this.immediate !== null) clearImmediate(this.immediate);
      this.timer = null;
      this.immediate = null;
      this.wakeAt = Infinity;
    } else if (this.timers && !this.closed) {
      this.arm(this.ks.now());
    }
  }

  /** A key got this deadline: make sure the timer fires soon enough. */
  noteDeadline(deadline: number): void {
    if (!this.timers || this.closed || !this.enabledValue || this.immediate !== null) return;
    if (deadline + 1 < this.wakeAt - REARM_SLACK_MS) this.arm(deadline + 1);
  }

  /**
   * Removes due keys (deadline < now) from every database for up to `budgetMs`; returns the
   * number removed. Counts a time cap hit when keys were left over.
   */
  run(budgetMs: number): number {
    const ks = this.ks;
    const started = performance.now();
    const now = ks.now();
    let removed = 0;
    let capped = false;
    for (const db of ks.databases) {
      const heap = db.expiry;
      while (heap.size > 0 && now > heap.peekDeadline()) {
        const ref = refOfHandle(db, heap.peekHandle());
        if (ref < 0) throw new Error("keyspace: expiry heap refers to a missing key");
        db.removeWithEvents(ref, RemovalReason.Expired, "x", "expired");
        ks.stats.expiredKeys++;
        removed++;
        if ((removed & 63) === 0 && performance.now() - started > budgetMs) {
          capped = true;
          break;
        }
      }
      if (capped) break;
    }
    if (capped) {
      ks.stats.expiredTimeCapReachedCount++;
      ks.stats.expiredStalePerc = this.staleEstimate(now);
    } else {
      ks.stats.expiredStalePerc = 0;
    }
    return capped ? -removed : removed;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    this.wakeAt = Infinity;
  }

  private arm(at: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    const delay = Math.max(0, Math.min(at - this.ks.now(), MAX_WAIT_MS));
    this.wakeAt = this.ks.now() + delay;
    this.timer = setTimeout(() => this.tick(), delay);
    this.timer.unref();
  }

  private tick(): void {
    this.timer = null;
    this.immediate = null;
    this.wakeAt = Infinity;
    if (this.closed || !this.enabledValue) return;
    let more = true;
    try {
      more = this.run(SLICE_MS) < 0;
    } finally {
      // Even if a hook threw, keep expiring: schedule the next slice or the next deadline.
      if (more) {
        this.immediate = setImmediate(() => this.tick());
        this.immediate.unref();
      } else {
        let next = Infinity;
        for (const db of this.ks.databases) {
          const d = db.expiry.peekDeadline();
          if (d < next) next = d;
        }
        if (next !== Infinity) this.arm(next + 1);
      }
    }
  }

  /** Share of volatile keys already due, from the heaps (cheap: due keys sit at the top). */
  private staleEstimate(now: number): number {
    let volatile = 0;
    let due = 0;
    for (const db of this.ks.databases) {
      const heap = db.expiry;
      volatile += heap.size;
      // Count due records breadth-first up to a bound; the heap order makes them a prefix tree.
      const limit = Math.min(heap.size, 1024);
      for (let i = 0; i < limit; i++) if (now > heap.deadlineAt(i)) due++;
    }
    return volatile === 0 ? 0 : Math.min(100, (due * 100) / volatile);
  }
}

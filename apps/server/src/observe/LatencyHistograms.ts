import { HdrHistogram } from "./HdrHistogram.js";

/**
 * Per-command latency histograms (Redis's `cmd->latency_histogram`), indexed by command id and
 * created on a command's first call, so idle commands cost one array slot. Fed by the command
 * observer while `latency-tracking` is on; reset by CONFIG RESETSTAT.
 */
export class LatencyHistograms {
  private byId: (HdrHistogram | undefined)[] = [];

  /** One call of command `id` that took `usec` microseconds. */
  record(id: number, usec: number): void {
    let h = this.byId[id];
    if (h === undefined) {
      h = new HdrHistogram();
      this.byId[id] = h;
    }
    h.record(usec * 1000);
  }

  /** The histogram of command `id`, or undefined when it has no call recorded. */
  of(id: number): HdrHistogram | undefined {
    return this.byId[id];
  }

  /** Drops every histogram (Redis frees them in resetCommandTableStats). */
  reset(): void {
    this.byId = [];
  }
}

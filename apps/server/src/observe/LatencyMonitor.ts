import { renderSparkline, type SparklineSample } from "./Sparkline.js";

/** Redis's LATENCY_TS_LEN: samples kept per event, at most one per second. */
export const LATENCY_TS_LEN = 160;

/** One event's time series (latency.h `latencyTimeSeries`). */
export class LatencyTimeSeries {
  /** Index of the next slot to write. */
  idx = 0;
  /** All-time maximum, in ms. */
  max = 0;
  readonly times = new Float64Array(LATENCY_TS_LEN);
  readonly latencies = new Float64Array(LATENCY_TS_LEN);

  /** The slots in time order (oldest first), skipping empty ones. */
  forEachSample(fn: (time: number, latency: number) => void): void {
    for (let j = 0; j < LATENCY_TS_LEN; j++) {
      const i = (this.idx + j) % LATENCY_TS_LEN;
      if (this.times[i] !== 0) fn(this.times[i]!, this.latencies[i]!);
    }
  }

  get lastIndex(): number {
    return (this.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
  }
}

/** analyzeLatencyForEvent's result. */
export interface LatencyStats {
  allTimeHigh: number;
  avg: number;
  min: number;
  max: number;
  mad: number;
  samples: number;
  period: number;
}

/**
 * The latency monitor (latency.c): per event ("command", "fast-command", later "expire-cycle",
 * "aof-fsync-always", …) the worst latency of each second for the last 160 seconds with an event.
 * Events keep insertion order (Redis's dict order is arbitrary; LATENCY LATEST lists them all).
 */
export class LatencyMonitor {
  readonly events = new Map<string, LatencyTimeSeries>();

  /** latencyAddSample: `latencyMs` for `event` now (callers check the threshold). */
  addSample(event: string, latencyMs: number, nowSeconds = Math.floor(Date.now() / 1000)): void {
    let ts = this.events.get(event);
    if (ts === undefined) {
      ts = new LatencyTimeSeries();
      this.events.set(event, ts);
    }
    if (latencyMs > ts.max) ts.max = latencyMs;
    const prev = ts.lastIndex;
    if (ts.times[prev] === nowSeconds) {
      if (latencyMs > ts.latencies[prev]!) ts.latencies[prev] = latencyMs;
      return;
    }
    ts.times[ts.idx] = nowSeconds;
    ts.latencies[ts.idx] = latencyMs;
    ts.idx = (ts.idx + 1) % LATENCY_TS_LEN;
  }

  /** latencyResetEvent: one event (case-insensitive) or all (null); returns how many went. */
  reset(event: string | null): number {
    let resets = 0;
    for (const name of [...this.events.keys()]) {
      if (event === null || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name);
        resets++;
      }
    }
    return resets;
  }

  /** analyzeLatencyForEvent. */
  analyze(event: string, nowSeconds = Math.floor(Date.now() / 1000)): LatencyStats {
    const ts = this.events.get(event);
    const ls: LatencyStats = { allTimeHigh: ts?.max ?? 0, avg: 0, min: 0, max: 0, mad: 0, samples: 0, period: 0 };
    if (ts === undefined) return ls;
    let sum = 0;
    for (let j = 0; j < LATENCY_TS_LEN; j++) {
      const time = ts.times[j]!;
      if (time === 0) continue;
      const latency = ts.latencies[j]!;
      ls.samples++;
      if (ls.samples === 1) {
        ls.min = ls.max = latency;
      } else {
        if (ls.min > latency) ls.min = latency;
        if (ls.max < latency) ls.max = latency;
      }
      sum += latency;
      if (ls.period === 0 || time < ls.period) ls.period = time;
    }
    if (ls.samples > 0) {
      ls.avg = Math.floor(sum / ls.samples);
      ls.period = nowSeconds - ls.period;
      if (ls.period === 0) ls.period = 1;
    }
    sum = 0;
    for (let j = 0; j < LATENCY_TS_LEN; j++) {
      if (ts.times[j] === 0) continue;
      sum += Math.abs(ls.avg - ts.latencies[j]!);
    }
    if (ls.samples > 0) ls.mad = Math.floor(sum / ls.samples);
    return ls;
  }

  /** LATENCY GRAPH's text (latencyCommandGenSparkeline). */
  graph(event: string, ts: LatencyTimeSeries, nowSeconds = Math.floor(Date.now() / 1000)): string {
    const samples: SparklineSample[] = [];
    let min = 0;
    let max = 0;
    ts.forEachSample((time, latency) => {
      if (samples.length === 0) {
        min = max = latency;
      } else {
        if (latency > max) max = latency;
        if (latency < min) min = latency;
      }
      const elapsed = nowSeconds - time;
      let label: string;
      if (elapsed < 60) label = `${elapsed}s`;
      else if (elapsed < 3600) label = `${Math.floor(elapsed / 60)}m`;
      else if (elapsed < 3600 * 24) label = `${Math.floor(elapsed / 3600)}h`;
      else label = `${Math.floor(elapsed / (3600 * 24))}d`;
      samples.push({ value: latency, label });
    });
    const header = `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n${"-".repeat(80)}\n`;
    return header + renderSparkline(samples, 80, 4);
  }
}

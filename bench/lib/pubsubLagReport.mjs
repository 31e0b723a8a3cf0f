// Medians over rounds and the side-by-side table of bench/notifyLag.mjs.
import { formatFixed, formatInt, markdownTable } from './table.mjs';

export const LAG_SERVER_NAMES = /** @type {const} */ (['nedis', 'redis']);

/**
 * @typedef {import('./pubsubLagRun.mjs').MeasuredLagRun & { round: number }} LagRoundRun
 * @typedef {{ error: string | null, runs: LagRoundRun[] }} LagServerRuns
 * @typedef {{ rounds: number, error: string | null, received: number, missing: number, p50Ms: number, p90Ms: number,
 *   p99Ms: number, p999Ms: number, maxMs: number, minMs: number, keysLeft: number, serverCpuMs: number, busy: number, idleBusy: number,
 *   loadSeconds: number, duplicateEvents: number, unknownEvents: number, loadOverlappedDeadlines: boolean }} LagServerSummary
 */

/**
 * Median that keeps +Infinity (a percentile that reached keys whose event never came) instead of
 * dropping it; NaN for no values.
 * @param {readonly number[]} values
 */
export function medianKeepingInfinity(values) {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  if (sorted.length % 2 === 1) return /** @type {number} */ (sorted[mid]);
  const lo = /** @type {number} */ (sorted[mid - 1]);
  const hi = /** @type {number} */ (sorted[mid]);
  return hi === Number.POSITIVE_INFINITY ? hi : (lo + hi) / 2;
}

/** @param {LagServerRuns} server @returns {LagServerSummary} */
export function summarizeLagServer(server) {
  const ok = server.runs.filter((r) => r.ok);
  const pick = (/** @type {(r: import('./pubsubLagRun.mjs').LagRunResult) => number} */ get) =>
    medianKeepingInfinity(ok.map(get));
  return {
    rounds: ok.length,
    error: server.error,
    received: pick((r) => r.summary.received),
    missing: pick((r) => r.summary.missing),
    p50Ms: pick((r) => r.summary.p50Ms),
    p90Ms: pick((r) => r.summary.p90Ms),
    p99Ms: pick((r) => r.summary.p99Ms),
    p999Ms: pick((r) => r.summary.p999Ms),
    maxMs: pick((r) => r.summary.maxMs),
    minMs: pick((r) => r.summary.minMs),
    keysLeft: pick((r) => r.keysLeft),
    serverCpuMs: pick((r) => r.serverCpuMicros / 1000),
    busy: pick((r) => r.serverCpuMicros / (r.waitSeconds * 1e6)),
    idleBusy: pick((r) => r.idleCpuMicrosPerSecond / 1e6),
    loadSeconds: pick((r) => r.loadSeconds),
    duplicateEvents: ok.reduce((sum, r) => sum + r.duplicateEvents, 0),
    unknownEvents: ok.reduce((sum, r) => sum + r.unknownEvents, 0),
    loadOverlappedDeadlines: ok.some((r) => r.loadOverlappedDeadlines),
  };
}

/** A lag in ms; an infinite one means the percentile reached keys whose event never came. @param {number} ms */
export function formatLag(ms) {
  if (ms === Number.POSITIVE_INFINITY) return 'never (missing)';
  return formatFixed(ms, 1);
}

/** @param {number} share */
function percent(share) {
  return Number.isFinite(share) ? `${(share * 100).toFixed(1)}%` : '—';
}

/**
 * @param {Record<'nedis' | 'redis', LagServerSummary>} summaries
 * @param {number} keys
 */
export function renderLagTable(summaries, keys) {
  /** @param {(s: LagServerSummary) => string} show */
  const cells = (show) =>
    LAG_SERVER_NAMES.map((name) => {
      const s = summaries[name];
      return s.rounds === 0 ? (s.error ? 'failed' : '—') : show(s);
    });
  /** @type {[string, (s: LagServerSummary) => string][]} */
  const rows = [
    ['volatile keys', () => formatInt(keys)],
    ['expired events received', (s) => formatInt(s.received)],
    ['keys whose event never came', (s) => formatInt(s.missing)],
    ['lag p50, ms', (s) => formatLag(s.p50Ms)],
    ['lag p90, ms', (s) => formatLag(s.p90Ms)],
    ['lag p99, ms', (s) => formatLag(s.p99Ms)],
    ['lag p99.9, ms', (s) => formatLag(s.p999Ms)],
    ['lag max, ms', (s) => formatLag(s.maxMs)],
    ['lag min, ms', (s) => formatLag(s.minMs)],
    ['keys left at the end (DBSIZE)', (s) => formatInt(s.keysLeft)],
    ['server CPU while keys expired, ms', (s) => formatInt(s.serverCpuMs)],
    ['server CPU busy while keys expired', (s) => percent(s.busy)],
    ['server CPU busy when idle (before loading)', (s) => percent(s.idleBusy)],
    ['load time, s', (s) => formatFixed(s.loadSeconds, 2)],
  ];
  return markdownTable(
    ['metric', ...LAG_SERVER_NAMES],
    rows.map(([label, show]) => [label, ...cells(show)]),
    ['left', 'right', 'right'],
  );
}

// Turns the runs of bench/pubsub.mjs into per-(subscribers, size) medians and paired nedis/Redis
// ratios, and renders them as a markdown table.
import { median } from './stats.mjs';
import { formatInt, formatRatio, markdownTable, pair } from './table.mjs';

export const SERVER_NAMES = /** @type {const} */ (['nedis', 'redis']);

/**
 * @typedef {import('./pubsubRun.mjs').MeasuredPubsubRun & { round: number }} RoundRun
 * @typedef {{ error: string | null, runs: RoundRun[] }} ServerCell
 * @typedef {{ subscribers: number, payloadBytes: number, servers: Record<'nedis' | 'redis', ServerCell> }} Cell
 * @typedef {{ round: number, deliveredPerSecond: number, cpuNsPerMessage: number, busy: number,
 *   pausedShare: number, drained: boolean }} RunMetrics
 * @typedef {{ deliveredPerSecond: number, cpuNsPerMessage: number, busy: number, pausedShare: number,
 *   rounds: number, undrainedRounds: number, error: string | null, perRound: RunMetrics[] }} ServerSummary
 * @typedef {{ subscribers: number, payloadBytes: number, nedis: ServerSummary, redis: ServerSummary,
 *   rateRatio: number, messagesPerCpuSecondRatio: number }} SummaryRow
 */

/**
 * Metrics of one successful run; null for a failed one or one that delivered nothing.
 * @param {RoundRun} run
 * @returns {RunMetrics | null}
 */
export function runMetrics(run) {
  if (!run.ok || run.delivered <= 0 || run.seconds <= 0) return null;
  return {
    round: run.round,
    deliveredPerSecond: run.delivered / run.seconds,
    cpuNsPerMessage: (run.serverCpuMicros * 1000) / run.delivered,
    busy: run.serverCpuMicros / (run.seconds * 1e6),
    pausedShare: run.publishSeconds > 0 ? run.pausedMs / (run.publishSeconds * 1000) : 0,
    drained: run.drained,
  };
}

/** @param {ServerCell} cell @returns {ServerSummary} */
function summarizeServer(cell) {
  const perRound = cell.runs.map(runMetrics).filter((m) => m !== null);
  const pick = (/** @type {'deliveredPerSecond' | 'cpuNsPerMessage' | 'busy' | 'pausedShare'} */ key) =>
    median(perRound.map((m) => m[key]));
  return {
    deliveredPerSecond: pick('deliveredPerSecond'),
    cpuNsPerMessage: pick('cpuNsPerMessage'),
    busy: pick('busy'),
    pausedShare: pick('pausedShare'),
    rounds: perRound.length,
    undrainedRounds: perRound.filter((m) => !m.drained).length,
    error: cell.error,
    perRound,
  };
}

/**
 * Median over rounds of a per-round nedis/Redis ratio (runs of one round were back to back).
 * @param {ServerSummary} nedis
 * @param {ServerSummary} redis
 * @param {(n: RunMetrics, r: RunMetrics) => number} ratio
 */
export function pairedRatio(nedis, redis, ratio) {
  const values = [];
  for (const n of nedis.perRound) {
    const r = redis.perRound.find((m) => m.round === n.round);
    if (r) values.push(ratio(n, r));
  }
  return median(values);
}

/** @param {readonly Cell[]} cells @returns {SummaryRow[]} */
export function summarizePubsub(cells) {
  return cells.map((cell) => {
    const nedis = summarizeServer(cell.servers.nedis);
    const redis = summarizeServer(cell.servers.redis);
    return {
      subscribers: cell.subscribers,
      payloadBytes: cell.payloadBytes,
      nedis,
      redis,
      rateRatio: pairedRatio(nedis, redis, (n, r) => n.deliveredPerSecond / r.deliveredPerSecond),
      // messages per server-CPU-second, nedis over Redis = Redis ns/msg over nedis ns/msg
      messagesPerCpuSecondRatio: pairedRatio(nedis, redis, (n, r) => r.cpuNsPerMessage / n.cpuNsPerMessage),
    };
  });
}

/** @param {ServerSummary} s @param {(s: ServerSummary) => string} show */
function cellText(s, show) {
  if (s.rounds === 0) return s.error ? 'failed' : '—';
  return show(s) + (s.undrainedRounds > 0 ? '*' : '');
}

/** @param {number} share */
function percent(share) {
  return Number.isFinite(share) ? `${Math.round(share * 100)}%` : '—';
}

/** @param {readonly SummaryRow[]} rows */
export function renderPubsubTable(rows) {
  const headers = [
    'subscribers',
    'payload',
    'nedis msg/s',
    'redis msg/s',
    'msg/s ratio',
    'CPU ns/msg nedis / redis',
    'CPU busy nedis / redis',
    'bound wait nedis / redis',
    'msgs per CPU-s ratio',
  ];
  const body = rows.map((row) => [
    formatInt(row.subscribers),
    `${formatInt(row.payloadBytes)} B`,
    cellText(row.nedis, (s) => formatInt(s.deliveredPerSecond)),
    cellText(row.redis, (s) => formatInt(s.deliveredPerSecond)),
    formatRatio(row.rateRatio),
    pair(
      cellText(row.nedis, (s) => formatInt(s.cpuNsPerMessage)),
      cellText(row.redis, (s) => formatInt(s.cpuNsPerMessage)),
    ),
    pair(
      cellText(row.nedis, (s) => percent(s.busy)),
      cellText(row.redis, (s) => percent(s.busy)),
    ),
    pair(
      cellText(row.nedis, (s) => percent(s.pausedShare)),
      cellText(row.redis, (s) => percent(s.pausedShare)),
    ),
    formatRatio(row.messagesPerCpuSecondRatio),
  ]);
  return markdownTable(headers, body, [
    'right',
    'right',
    'right',
    'right',
    'right',
    'right',
    'right',
    'right',
    'right',
  ]);
}

/**
 * One line per server and cell that failed.
 * @param {readonly Cell[]} cells
 */
export function pubsubFailureLines(cells) {
  /** @type {string[]} */
  const lines = [];
  for (const cell of cells) {
    for (const name of SERVER_NAMES) {
      const error = cell.servers[name].error;
      if (!error) continue;
      const first = error.split('\n')[0] ?? '';
      lines.push(
        `- ${name}, ${cell.subscribers} subscribers, ${cell.payloadBytes} B: ${first.length > 160 ? `${first.slice(0, 157)}...` : first}`,
      );
    }
  }
  return lines;
}

// Turns the raw runs of bench/compare.mjs into per-(test, pipeline) medians and paired
// nedis/Redis ratios, and renders them as a markdown table.
import { median } from './stats.mjs';
import { formatFixed, formatInt, formatRatio, markdownTable, pair } from './table.mjs';

/**
 * @typedef {import('./measuredRun.mjs').MeasuredRun & { round: number }} RoundRun
 * @typedef {{ requests: number | null, error: string | null, runs: RoundRun[] }} ServerCell
 * @typedef {{ test: string, pipeline: number, servers: Record<'nedis' | 'redis', ServerCell> }} Cell
 * @typedef {{ round: number, rps: number, p50Ms: number, p99Ms: number, cpuUsPerOp: number, busy: number }} RunMetrics
 * @typedef {{ rps: number, p50Ms: number, p99Ms: number, cpuUsPerOp: number, busy: number,
 *   rounds: number, requests: number | null, error: string | null, perRound: RunMetrics[] }} ServerSummary
 * @typedef {{ test: string, pipeline: number, nedis: ServerSummary, redis: ServerSummary,
 *   opsRatio: number, opsPerCpuSecondRatio: number }} SummaryRow
 */

export const SERVER_NAMES = /** @type {const} */ (['nedis', 'redis']);

/**
 * Metrics of one benchmark row in one run. With several rows per run (e.g. -t lrange), the
 * server CPU time is spread evenly over them.
 * @param {RoundRun} run
 * @param {string} rowName
 * @returns {RunMetrics | null}
 */
function rowMetrics(run, rowName) {
  if (!run.ok) return null;
  const row = run.rows.find((r) => r.test === rowName);
  if (!row) return null;
  const share = run.serverCpuMicros / run.rows.length;
  return {
    round: run.round,
    rps: row.rps,
    p50Ms: row.p50Ms,
    p99Ms: row.p99Ms,
    cpuUsPerOp: share / run.requests,
    busy: share / ((run.requests / row.rps) * 1e6),
  };
}

/**
 * @param {ServerCell} cell
 * @param {string} rowName
 * @returns {ServerSummary}
 */
function summarizeServer(cell, rowName) {
  const perRound = cell.runs.map((run) => rowMetrics(run, rowName)).filter((m) => m !== null);
  const pick = (/** @type {keyof RunMetrics} */ key) => median(perRound.map((m) => m[key]));
  return {
    rps: pick('rps'),
    p50Ms: pick('p50Ms'),
    p99Ms: pick('p99Ms'),
    cpuUsPerOp: pick('cpuUsPerOp'),
    busy: pick('busy'),
    rounds: perRound.length,
    requests: cell.requests,
    error: cell.error,
    perRound,
  };
}

/**
 * Median over rounds of a per-round nedis/redis ratio: runs of one round were taken back to
 * back, so pairing them cancels slow drifts in what else the machine is doing.
 * @param {ServerSummary} nedis
 * @param {ServerSummary} redis
 * @param {(n: RunMetrics, r: RunMetrics) => number} ratio
 */
function pairedRatio(nedis, redis, ratio) {
  const values = [];
  for (const n of nedis.perRound) {
    const r = redis.perRound.find((m) => m.round === n.round);
    if (r) values.push(ratio(n, r));
  }
  return median(values);
}

/**
 * @param {readonly Cell[]} cells
 * @returns {SummaryRow[]}
 */
export function summarize(cells) {
  /** @type {SummaryRow[]} */
  const rows = [];
  for (const cell of cells) {
    /** @type {string[]} */
    const rowNames = [];
    for (const name of SERVER_NAMES) {
      for (const run of cell.servers[name].runs) {
        if (!run.ok) continue;
        for (const r of run.rows) if (!rowNames.includes(r.test)) rowNames.push(r.test);
      }
    }
    if (rowNames.length === 0) rowNames.push(cell.test.toUpperCase());
    for (const rowName of rowNames) {
      const nedis = summarizeServer(cell.servers.nedis, rowName);
      const redis = summarizeServer(cell.servers.redis, rowName);
      rows.push({
        test: rowName,
        pipeline: cell.pipeline,
        nedis,
        redis,
        opsRatio: pairedRatio(nedis, redis, (n, r) => n.rps / r.rps),
        // ops per server-CPU-second, nedis over Redis = Redis µs/op over nedis µs/op
        opsPerCpuSecondRatio: pairedRatio(nedis, redis, (n, r) => r.cpuUsPerOp / n.cpuUsPerOp),
      });
    }
  }
  return rows;
}

/** @param {ServerSummary} s @param {(s: ServerSummary) => string} show */
function cellText(s, show) {
  if (s.rounds === 0) return s.error ? 'failed' : '—';
  return show(s);
}

/**
 * @param {readonly SummaryRow[]} rows
 */
export function renderCompareTable(rows) {
  const headers = [
    'test',
    'P',
    'nedis ops/s',
    'redis ops/s',
    'ops/s ratio',
    'p50 ms nedis / redis',
    'p99 ms nedis / redis',
    'CPU µs/op nedis / redis',
    'CPU busy nedis / redis',
    'ops per CPU-s ratio',
  ];
  const body = rows.map((row) => [
    row.test,
    String(row.pipeline),
    cellText(row.nedis, (s) => formatInt(s.rps)),
    cellText(row.redis, (s) => formatInt(s.rps)),
    formatRatio(row.opsRatio),
    pair(
      cellText(row.nedis, (s) => formatFixed(s.p50Ms, 3)),
      cellText(row.redis, (s) => formatFixed(s.p50Ms, 3)),
    ),
    pair(
      cellText(row.nedis, (s) => formatFixed(s.p99Ms, 3)),
      cellText(row.redis, (s) => formatFixed(s.p99Ms, 3)),
    ),
    pair(
      cellText(row.nedis, (s) => formatFixed(s.cpuUsPerOp, 2)),
      cellText(row.redis, (s) => formatFixed(s.cpuUsPerOp, 2)),
    ),
    pair(
      cellText(row.nedis, (s) => `${Math.round(s.busy * 100)}%`),
      cellText(row.redis, (s) => `${Math.round(s.busy * 100)}%`),
    ),
    formatRatio(row.opsPerCpuSecondRatio),
  ]);
  return markdownTable(headers, body, [
    'left',
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
 * Lines explaining failures (unsupported commands, crashes), one per server and test.
 * @param {readonly Cell[]} cells
 */
export function failureLines(cells) {
  /** @type {string[]} */
  const lines = [];
  for (const cell of cells) {
    for (const name of SERVER_NAMES) {
      const error = cell.servers[name].error;
      if (!error) continue;
      const first = error.split('\n')[0] ?? '';
      lines.push(
        `- ${name} ${cell.test} P=${cell.pipeline}: ${first.length > 160 ? `${first.slice(0, 157)}...` : first}`,
      );
    }
  }
  return lines;
}

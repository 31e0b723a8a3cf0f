// One redis-benchmark run against one server with the server's CPU time read from /proc around
// it, plus the probe that picks -n so a run lasts the target time.
import { readCpuMicros } from './procstat.mjs';
import { runRedisBenchmark } from './redisBenchmark.mjs';
import { clamp } from './stats.mjs';

/**
 * @typedef {import('./redisBenchmark.mjs').BenchmarkRow} BenchmarkRow
 * @typedef {import('./servers.mjs').RunningServer} RunningServer
 * @typedef {{ test: string, pipeline: number, clients: number, keyspace: number, dataSize: number,
 *   clientCpu: number | null, command?: readonly string[], label?: string }} RunShape
 * `command` runs a custom command instead of `-t test`; `label` then renames its CSV row (which
 * redis-benchmark titles with the command line).
 * @typedef {{ ok: true, requests: number, rows: BenchmarkRow[], wallMs: number, serverCpuMicros: number,
 *   benchmarkSeconds: number } | { ok: false, requests: number, error: string }} MeasuredRun
 */

const MAX_REQUESTS = 200_000_000;

/**
 * Runs redis-benchmark once with `requests` and measures the server's CPU time (user+system,
 * all threads) over the run.
 * @param {RunningServer} server
 * @param {RunShape} shape
 * @param {number} requests
 * @param {number} timeoutMs
 * @returns {Promise<MeasuredRun>}
 */
export async function measuredRun(server, shape, requests, timeoutMs) {
  if (server.exited()) return { ok: false, requests, error: `${server.name} is not running` };
  const cpuBefore = readCpuMicros(server.pid);
  const outcome = await runRedisBenchmark({
    port: server.port,
    test: shape.test,
    requests,
    clients: shape.clients,
    pipeline: shape.pipeline,
    keyspace: shape.keyspace,
    dataSize: shape.dataSize,
    cpu: shape.clientCpu,
    timeoutMs,
    ...(shape.command ? { command: shape.command } : {}),
  });
  if (server.exited()) {
    return { ok: false, requests, error: `${server.name} died during the run:\n${server.output().slice(-2_000)}` };
  }
  const cpuAfter = readCpuMicros(server.pid);
  if (!outcome.ok) return { ok: false, requests, error: outcome.error };
  // redis-benchmark's own elapsed time per test row: requests / rps.
  const benchmarkSeconds = outcome.rows.reduce((sum, row) => sum + requests / row.rps, 0);
  const label = shape.label;
  return {
    ok: true,
    requests,
    rows: label === undefined ? outcome.rows : outcome.rows.map((row) => ({ ...row, test: label })),
    wallMs: outcome.wallMs,
    serverCpuMicros: cpuAfter - cpuBefore,
    benchmarkSeconds,
  };
}

/**
 * Chooses -n so that a run of `shape` against `server` lasts about `seconds`: short probe runs,
 * growing until one lasts ≥ 0.3 s (at most 4 probes), give ops/s; then n = ops/s × seconds × 1.15.
 * @param {RunningServer} server
 * @param {RunShape} shape
 * @param {number} seconds
 * @param {(requests: number) => Promise<void>} [prepare] puts the server in the run's starting
 *   state before each probe (e.g. fills the list a pop test pops from)
 * @returns {Promise<{ ok: true, requests: number, probeRps: number } | { ok: false, error: string }>}
 */
export async function calibrateRequests(server, shape, seconds, prepare) {
  let requests = clamp(shape.clients * shape.pipeline * 20, 10_000, 1_000_000);
  for (let attempt = 0; attempt < 4; attempt++) {
    if (prepare) await prepare(requests);
    const run = await measuredRun(server, shape, requests, 60_000);
    if (!run.ok) return { ok: false, error: run.error };
    const slowestRps = Math.min(...run.rows.map((r) => r.rps));
    if (run.benchmarkSeconds >= 0.3 || attempt === 3) {
      const target = Math.ceil((slowestRps * seconds * 1.15) / run.rows.length / 1_000) * 1_000;
      return { ok: true, requests: clamp(target, 10_000, MAX_REQUESTS), probeRps: slowestRps };
    }
    const grow = clamp(Math.ceil(0.45 / Math.max(run.benchmarkSeconds, 0.005)), 2, 30);
    requests = clamp(requests * grow, 10_000, MAX_REQUESTS);
  }
  return { ok: false, error: 'calibration did not converge' };
}

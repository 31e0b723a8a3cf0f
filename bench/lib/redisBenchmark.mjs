// Runs redis-benchmark (7.x) against one server and parses its --csv output.
import { spawn } from 'node:child_process';
import { registerChild } from './processRegistry.mjs';
import { pinned } from './servers.mjs';

/**
 * @typedef {{ test: string, rps: number, avgMs: number, minMs: number, p50Ms: number,
 *   p95Ms: number, p99Ms: number, maxMs: number }} BenchmarkRow
 */

const CSV_COLUMNS = [
  'test',
  'rps',
  'avg_latency_ms',
  'min_latency_ms',
  'p50_latency_ms',
  'p95_latency_ms',
  'p99_latency_ms',
  'max_latency_ms',
];

/**
 * Parses redis-benchmark 7 `--csv` output. Rows that only prepare data for another test
 * ("LPUSH (needed to benchmark LRANGE)") are dropped.
 * @param {string} text
 * @returns {BenchmarkRow[]}
 */
export function parseBenchmarkCsv(text) {
  /** @type {BenchmarkRow[]} */
  const rows = [];
  /** @type {string[] | null} */
  let header = null;
  for (const line of text.split(/\r?\n/)) {
    const cells = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
    if (cells.length === 0) continue;
    if (cells[0] === 'test') {
      header = cells;
      continue;
    }
    if (header === null) continue;
    const get = (/** @type {string} */ column) => {
      const index = /** @type {string[]} */ (header).indexOf(column);
      return index < 0 ? Number.NaN : Number(cells[index]);
    };
    const test = cells[0] ?? '';
    if (test.includes('needed to benchmark')) continue;
    rows.push({
      test,
      rps: get('rps'),
      avgMs: get('avg_latency_ms'),
      minMs: get('min_latency_ms'),
      p50Ms: get('p50_latency_ms'),
      p95Ms: get('p95_latency_ms'),
      p99Ms: get('p99_latency_ms'),
      maxMs: get('max_latency_ms'),
    });
  }
  return rows;
}

export { CSV_COLUMNS };

/**
 * @typedef {{ port: number, test: string, requests: number, clients: number, pipeline: number,
 *   keyspace: number, dataSize: number, cpu: number | null, timeoutMs: number, bin?: string,
 *   command?: readonly string[] }} BenchmarkOptions
 * `command`, when given, is run as redis-benchmark's custom command (`redis-benchmark … LRANGE
 * mylist 0 99`) instead of the `-t` test; `test` then only names the run.
 * @typedef {{ ok: true, rows: BenchmarkRow[], wallMs: number, stderr: string }
 *   | { ok: false, error: string, wallMs: number }} BenchmarkOutcome
 */

/**
 * The argv for one redis-benchmark run (without CPU pinning).
 * @param {BenchmarkOptions} o
 */
export function benchmarkArgv(o) {
  return [
    o.bin ?? process.env.REDIS_BENCHMARK_BIN ?? 'redis-benchmark',
    '-h',
    '127.0.0.1',
    '-p',
    String(o.port),
    ...(o.command ? [] : ['-t', o.test]),
    '-n',
    String(o.requests),
    '-c',
    String(o.clients),
    '-P',
    String(o.pipeline),
    '-r',
    String(o.keyspace),
    '-d',
    String(o.dataSize),
    '--csv',
    ...(o.command ?? []),
  ];
}

/**
 * Runs redis-benchmark once. Never throws for a failed run: an error reply from the server
 * makes redis-benchmark exit non-zero, which is reported as `{ ok: false }` so the caller can
 * mark the command unsupported instead of counting fast error replies as throughput.
 * @param {BenchmarkOptions} o
 * @returns {Promise<BenchmarkOutcome>}
 */
export function runRedisBenchmark(o) {
  const [file, ...args] = pinned(benchmarkArgv(o), o.cpu);
  const started = process.hrtime.bigint();
  const wallMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((resolve) => {
    const child = registerChild(spawn(/** @type {string} */ (file), args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4_000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, error: `cannot run redis-benchmark: ${err.message}`, wallMs: wallMs() });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const elapsed = wallMs();
      if (timedOut) {
        resolve({ ok: false, error: `redis-benchmark timed out after ${o.timeoutMs} ms`, wallMs: elapsed });
        return;
      }
      const rows = parseBenchmarkCsv(stdout);
      if (code !== 0 || rows.length === 0 || rows.some((r) => !Number.isFinite(r.rps) || r.rps <= 0)) {
        const reason = firstMeaningfulLine(stderr) || firstMeaningfulLine(stdout) || `exit ${code ?? signal}`;
        resolve({ ok: false, error: reason, wallMs: elapsed });
        return;
      }
      resolve({ ok: true, rows, wallMs: elapsed, stderr });
    });
  });
}

/** @param {string} text */
function firstMeaningfulLine(text) {
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== '' && !l.startsWith('"test"') && !l.startsWith('WARNING: Could not fetch server CONFIG')) ?? ''
  );
}

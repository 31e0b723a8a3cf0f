// Does `redis-benchmark -q` with its default test list (no -t) complete every test against a
// server? Each test is run on its own (so one failure does not hide the rest), then the whole
// default list in one run, as a user would type it.
import { spawn } from 'node:child_process';
import { registerChild } from './processRegistry.mjs';

/** redis-benchmark 7.0's default list, in its order, as -t names. */
export const DEFAULT_SUITE = [
  'ping_inline',
  'ping_mbulk',
  'set',
  'get',
  'incr',
  'lpush',
  'rpush',
  'lpop',
  'rpop',
  'sadd',
  'hset',
  'spop',
  'zadd',
  'zpopmin',
  'lrange_100',
  'lrange_300',
  'lrange_500',
  'lrange_600',
  'mset',
];

/**
 * Titles of the tests a `-q` run completed ("SET: 123.45 requests per second, p50=…"). -q
 * rewrites its progress line with \r, so lines are split on both.
 * @param {string} text
 */
export function completedTitles(text) {
  /** @type {string[]} */
  const titles = [];
  for (const line of text.split(/[\r\n]+/)) {
    const match = /^(.+?): [\d.]+ requests per second/.exec(line.trim());
    if (match?.[1]) titles.push(match[1]);
  }
  return titles;
}

/**
 * The -t name of a redis-benchmark title ("LRANGE_100 (first 100 elements)" → lrange_100);
 * null for the LRANGE preparation phase.
 * @param {string} title
 */
export function testOfTitle(title) {
  if (title.startsWith('LPUSH (needed')) return null;
  return (title.split(' ')[0] ?? '').toLowerCase();
}

/**
 * @typedef {{ ok: boolean, error: string | null, completed: string[], wallMs: number }} SuiteRun
 */

/**
 * Runs `redis-benchmark -q` once; `tests` null means the default list (no -t).
 * @param {{ port: number, tests: string[] | null, requests: number, timeoutMs: number, bin?: string }} o
 * @returns {Promise<SuiteRun>}
 */
export function runQuietBenchmark(o) {
  const args = [
    '-h',
    '127.0.0.1',
    '-p',
    String(o.port),
    '-q',
    '-n',
    String(o.requests),
    ...(o.tests ? ['-t', o.tests.join(',')] : []),
  ];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = registerChild(
      spawn(o.bin ?? process.env.REDIS_BENCHMARK_BIN ?? 'redis-benchmark', args, {
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout = (stdout + chunk).slice(-64_000)));
    child.stderr?.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4_000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    const finish = (/** @type {string | null} */ error) => {
      clearTimeout(timer);
      resolve({ ok: error === null, error, completed: completedTitles(stdout), wallMs: Date.now() - started });
    };
    child.once('error', (err) => finish(`cannot run redis-benchmark: ${err.message}`));
    child.once('close', (code, signal) => {
      if (timedOut) return finish(`timed out after ${o.timeoutMs} ms`);
      // redis-benchmark exits 1 on the first error reply ("Error from server: …").
      const errorLine = stderr
        .split('\n')
        .map((l) => l.trim())
        .find((l) => l !== '' && !l.startsWith('WARNING: Could not fetch server CONFIG'));
      if (code !== 0) return finish(errorLine ?? `exit ${code ?? signal}`);
      if (errorLine?.startsWith('Error')) return finish(errorLine);
      finish(null);
    });
  });
}

/**
 * @typedef {{ perTest: Record<string, SuiteRun>, whole: SuiteRun & { failedAt: string | null } }} SuiteCheck
 */

/**
 * Every default test on its own, then the default list in one run.
 * @param {number} port
 * @param {{ requests: number, timeoutMs: number, tests?: readonly string[] }} o
 * @returns {Promise<SuiteCheck>}
 */
export async function checkDefaultSuite(port, o) {
  const tests = o.tests ?? DEFAULT_SUITE;
  /** @type {Record<string, SuiteRun>} */
  const perTest = {};
  for (const test of tests) {
    perTest[test] = await runQuietBenchmark({ port, tests: [test], requests: o.requests, timeoutMs: o.timeoutMs });
  }
  const whole = await runQuietBenchmark({ port, tests: null, requests: o.requests, timeoutMs: o.timeoutMs * 4 });
  const done = new Set(whole.completed.map(testOfTitle));
  // The test a failed whole run stopped in is the first of the list it did not complete.
  const failedAt = whole.ok ? null : (DEFAULT_SUITE.find((t) => !done.has(t)) ?? null);
  return { perTest, whole: { ...whole, failedAt } };
}

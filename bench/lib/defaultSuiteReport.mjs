// The pass/fail table of the default-list check (lib/defaultSuite.mjs), one column per server.
import { markdownTable } from './table.mjs';

/**
 * @typedef {import('./defaultSuite.mjs').SuiteCheck} SuiteCheck
 */

/** @param {string} text */
const short = (text) => (text.length > 90 ? `${text.slice(0, 87)}...` : text);

/** @param {import('./defaultSuite.mjs').SuiteRun | undefined} run */
function verdict(run) {
  if (run === undefined) return '—';
  return run.ok ? 'pass' : `FAIL: ${short(run.error ?? '')}`;
}

/**
 * @param {Partial<Record<'nedis' | 'redis', SuiteCheck>>} checks
 * @param {number} requests
 */
export function renderSuiteCheck(checks, requests) {
  const names = /** @type {('nedis' | 'redis')[]} */ (Object.keys(checks));
  const tests = [...new Set(names.flatMap((n) => Object.keys(checks[n]?.perTest ?? {})))];
  const rows = tests.map((test) => [test, ...names.map((n) => verdict(checks[n]?.perTest[test]))]);
  const wholeRow = [
    `default list in one run (no -t)`,
    ...names.map((n) => {
      const whole = checks[n]?.whole;
      if (!whole) return '—';
      return whole.ok ? 'pass' : `FAIL at ${whole.failedAt ?? '?'}: ${short(whole.error ?? '')}`;
    }),
  ];
  const lines = [
    `### redis-benchmark -q default test list, -n ${requests} (each test alone with -t, then the whole list)`,
    '',
    markdownTable(['test', ...names], [...rows, wholeRow]),
    '',
  ];
  const passed = names.map((n) => {
    const check = checks[n];
    const runs = Object.values(check?.perTest ?? {});
    return `${n} ${runs.filter((r) => r.ok).length}/${runs.length}`;
  });
  lines.push(
    `Tests passed: ${passed.join(', ')}. A test that gets an error reply makes redis-benchmark exit: it is a FAIL.`,
  );
  return lines.join('\n');
}

/**
 * Property-test run count: `fallback` for the regular suite, or NEDIS_FUZZ_RUNS for long fuzzing
 * sessions (`pnpm --filter @nedis/allocators fuzz`).
 */
export function fuzzRuns(fallback: number): number {
  const fromEnv = Number(process.env.NEDIS_FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback;
}

/** Test timeout that grows with the run count, so long fuzzing sessions are not cut off. */
export function fuzzTimeout(fallbackRuns: number, msPerRun = 60): number {
  return Math.max(20_000, fuzzRuns(fallbackRuns) * msPerRun);
}

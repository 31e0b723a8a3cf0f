/** Property-test run counts: modest by default (CI has 2 cores); `NEDIS_FUZZ_RUNS=n` overrides. */
export function fuzzRuns(defaultRuns: number): number {
  const fromEnv = Number(process.env.NEDIS_FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : defaultRuns;
}

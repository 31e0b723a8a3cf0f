// An older build to compare with, when BENCH_BASELINE points at its ESM bundle (for before/after
// numbers of a change); null otherwise.
export async function baseline() {
  const path = process.env.BENCH_BASELINE;
  return path ? import(path) : null;
}

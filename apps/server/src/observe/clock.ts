import { performance } from "node:perf_hooks";

/**
 * Wall-clock time in microseconds (Redis's `ustime()`): the milliseconds from `Date.now()`, which
 * follows clock adjustments, plus a sub-millisecond part from the monotonic clock.
 * `performance.timeOrigin + performance.now()` alone drifts from the wall clock on long uptimes.
 */
export function unixMicros(): number {
  return Date.now() * 1000 + Math.floor((performance.now() % 1) * 1000);
}

// Small statistics helpers: medians resist the odd run disturbed by a neighbour on a shared CPU.

/**
 * Median of the finite numbers in `values`; NaN when there are none.
 * @param {readonly number[]} values
 */
export function median(values) {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = finite.length >> 1;
  const upper = /** @type {number} */ (finite[mid]);
  if (finite.length % 2 === 1) return upper;
  const lower = /** @type {number} */ (finite[mid - 1]);
  return (lower + upper) / 2;
}

/**
 * @param {number} value
 * @param {number} min
 * @param {number} max
 */
export function clamp(value, min, max) {
  return Math.min(max, Math.max(min, value));
}

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The p-th percentile (0–100) of ascending `sorted`, nearest rank; NaN when empty.
 * @param {readonly number[]} sorted
 * @param {number} p
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return /** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
}

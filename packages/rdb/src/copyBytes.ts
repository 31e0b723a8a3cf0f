/** Below this length a byte loop beats creating a `subarray` view for `set` (as in allocators). */
const LOOP_COPY_LIMIT = 64;

/**
 * Copies `source[from, to)` to `target[at]` between two arrays (or non-overlapping ranges of
 * one), without allocating for short copies; longer ones pay one `subarray` view.
 */
export function copyBytes(source: Uint8Array, from: number, to: number, target: Uint8Array, at: number): void {
  const n = to - from;
  if (n > LOOP_COPY_LIMIT) {
    target.set(source.subarray(from, to), at);
    return;
  }
  for (let i = 0; i < n; i++) target[at + i] = source[from + i]!;
}

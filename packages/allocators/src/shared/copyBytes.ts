/** Below this length a byte loop beats creating a `subarray` view for `set`. */
const LOOP_COPY_LIMIT = 64;

/**
 * Copies `length` bytes between two arrays (possibly the same one, ranges not overlapping)
 * without allocating for short copies.
 */
export function copyBytes(
  source: Uint8Array,
  sourceOffset: number,
  target: Uint8Array,
  targetOffset: number,
  length: number,
): void {
  if (length > LOOP_COPY_LIMIT) {
    target.set(source.subarray(sourceOffset, sourceOffset + length), targetOffset);
    return;
  }
  for (let i = 0; i < length; i++) target[targetOffset + i] = source[sourceOffset + i] as number;
}

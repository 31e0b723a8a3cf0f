import type { KeyIndex } from "../index/KeyIndex.js";

/** Bytes of one expiry-heap record (a deadline and a handle, see ExpiryHeap). */
export const EXPIRY_RECORD_BYTES = 16;

/**
 * A key's share of its database's index tables: the tables' bytes over their keys, with the
 * load taken as at least 3/8 — what a table has right after it doubles. Below that the table is
 * the smallest one, which an empty database holds too (startup memory, not this key's), or one
 * about to shrink. So N keys added grow the index by about N times this share.
 */
export function indexShareBytes(index: KeyIndex): number {
  return Math.round(index.bytes / Math.max(index.count, (index.main.size * 3) / 8));
}

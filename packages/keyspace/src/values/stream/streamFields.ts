import { ListpackEntry, lpGetBigInt, lpGetValue } from "@nedis/rdb/listpack";

const entry = new ListpackEntry();
const encoder = new TextEncoder();

/**
 * The bytes of listpack element `p` (Redis's `lpGet` into a buffer): a string's own range, or
 * an integer's decimal digits. Sets {@link elementBytes}, {@link elementStart}, {@link elementEnd}.
 */
export let elementBytes: Uint8Array = new Uint8Array(0);
export let elementStart = 0;
export let elementEnd = 0;

export function loadElement(page: Uint8Array, p: number): void {
  lpGetValue(page, p, entry);
  if (!entry.isInteger) {
    elementBytes = page;
    elementStart = entry.stringStart;
    elementEnd = entry.stringEnd;
    return;
  }
  const text = entry.integerIsSafe ? String(entry.integer) : String(lpGetBigInt(page, p));
  elementBytes = encoder.encode(text);
  elementStart = 0;
  elementEnd = elementBytes.length;
}

/** A copy of element `p`'s bytes. */
export function elementCopy(page: Uint8Array, p: number): Uint8Array {
  loadElement(page, p);
  return new Uint8Array(elementBytes.subarray(elementStart, elementEnd));
}

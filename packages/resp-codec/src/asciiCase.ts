/**
 * True when `buf[off, off + len)` equals `lowerName` ignoring ASCII case; `lowerName` must be
 * lowercase ASCII. Builds no string: for command names and options read straight from the
 * request bytes.
 */
export function asciiEqualsLower(buf: Uint8Array, off: number, len: number, lowerName: string): boolean {
  if (len !== lowerName.length) return false;
  for (let j = 0; j < len; j++) {
    const c = buf[off + j]!;
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lowerName.charCodeAt(j)) return false;
  }
  return true;
}

/**
 * Redis Cluster's key → hash slot mapping (`keyHashSlot` in cluster.c): CRC16-CCITT (XModem)
 * of the key, or of the `{tag}` inside it when the braces enclose at least one byte, mod 16384.
 */
const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

/** CRC16-CCITT (XModem: poly 0x1021, init 0) of `buf[off, off + len)`. */
export function crc16(buf: Uint8Array, off: number, len: number): number {
  let crc = 0;
  for (let i = off, end = off + len; i < end; i++)
    crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >>> 8) ^ buf[i]!) & 0xff]!;
  return crc;
}

/** The cluster hash slot (0..16383) of the key `buf[off, off + len)`. */
export function keyHashSlot(buf: Uint8Array, off: number, len: number): number {
  const end = off + len;
  let open = off;
  while (open < end && buf[open] !== 0x7b) open++;
  if (open === end) return crc16(buf, off, len) & 16383;
  let close = open + 1;
  while (close < end && buf[close] !== 0x7d) close++;
  // No `}` or an empty `{}`: the whole key is hashed.
  if (close === end || close === open + 1) return crc16(buf, off, len) & 16383;
  return crc16(buf, open + 1, close - open - 1) & 16383;
}

/**
 * Redis's CRC-64 (crc64.c, "Jones": reflected polynomial 0x95ac9329ac4bc9b5, init 0, no final
 * xor), which seals DUMP and FUNCTION DUMP payloads. Table-driven over two 32-bit halves so no
 * BigInt arithmetic runs per byte.
 */
const TABLE_LO = new Uint32Array(256);
const TABLE_HI = new Uint32Array(256);
{
  const POLY_LO = 0xac4bc9b5;
  const POLY_HI = 0x95ac9329;
  for (let n = 0; n < 256; n++) {
    let lo = n;
    let hi = 0;
    for (let k = 0; k < 8; k++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi >>>= 1;
      if (carry) {
        lo = (lo ^ POLY_LO) >>> 0;
        hi = (hi ^ POLY_HI) >>> 0;
      }
    }
    TABLE_LO[n] = lo;
    TABLE_HI[n] = hi;
  }
}

/** The CRC of `bytes[start, end)`, as 8 little-endian bytes (how Redis stores it). */
export function crc64(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  let lo = 0;
  let hi = 0;
  for (let i = start; i < end; i++) {
    const index = (lo ^ bytes[i]!) & 0xff;
    // crc = table[index] ^ (crc >> 8)
    const shiftedLo = ((lo >>> 8) | ((hi & 0xff) << 24)) >>> 0;
    const shiftedHi = hi >>> 8;
    lo = (TABLE_LO[index]! ^ shiftedLo) >>> 0;
    hi = (TABLE_HI[index]! ^ shiftedHi) >>> 0;
  }
  const out = new Uint8Array(8);
  for (let i = 0; i < 4; i++) {
    out[i] = (lo >>> (8 * i)) & 0xff;
    out[4 + i] = (hi >>> (8 * i)) & 0xff;
  }
  return out;
}

/** Number of bits needed to represent every integer in `0..value` (0 for 0). */
export function bitLength(value: number): number {
  let bits = 0;
  while (value >= 2 ** bits) bits++;
  return bits;
}

/** True when `value` is an integer in `0..2^32-1` (covers NaN, negatives and fractions). */
export function isUint32(value: number): boolean {
  return value >>> 0 === value;
}

/** A copy of `source` with room for at least `minLength` elements (capacity doubles). */
export function growInt32(source: Int32Array, minLength: number, fill: number): Int32Array<ArrayBuffer> {
  let length = Math.max(8, source.length);
  while (length < minLength) length *= 2;
  const grown = new Int32Array(length);
  grown.set(source);
  if (fill !== 0) grown.fill(fill, source.length);
  return grown;
}

/** A copy of `source` with room for at least `minLength` elements (capacity doubles). */
export function growUint8(source: Uint8Array, minLength: number): Uint8Array<ArrayBuffer> {
  let length = Math.max(8, source.length);
  while (length < minLength) length *= 2;
  const grown = new Uint8Array(length);
  grown.set(source);
  return grown;
}

/** A copy of `source` with room for at least `minLength` elements (capacity doubles). */
export function growFloat64(source: Float64Array, minLength: number): Float64Array<ArrayBuffer> {
  let length = Math.max(8, source.length);
  while (length < minLength) length *= 2;
  const grown = new Float64Array(length);
  grown.set(source);
  return grown;
}

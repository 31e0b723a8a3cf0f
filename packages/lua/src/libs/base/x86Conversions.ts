/**
 * C's double-to-integer casts as gcc compiles them for x86-64, where Redis runs: the wasm Lua has
 * a 32-bit `long`, and wasm's saturating truncation differs from x86's "integer indefinite" value
 * for NaN and out-of-range doubles. These are what `(long)d`, `(unsigned long)d` and `(int)d`
 * give in redis-server, checked against it in the tests.
 */

const TWO_63 = 2 ** 63;
const TWO_31 = 2 ** 31;
const INT64_MIN = -(2n ** 63n);

/** `(long)d`: cvttsd2si; NaN and values outside the int64 range give INT64_MIN. */
export function doubleToInt64(d: number): bigint {
  if (d >= -TWO_63 && d < TWO_63) return BigInt(Math.trunc(d));
  return INT64_MIN;
}

/**
 * `(unsigned long)d`: below 2^63 the signed conversion reinterpreted (so -1 is 2^64-1, NaN and
 * -inf are 2^63); from 2^63 the conversion of d-2^63 with the top bit flipped (so 2^64 and
 * beyond are 0).
 */
export function doubleToUint64(d: number): bigint {
  if (!(d >= TWO_63)) return BigInt.asUintN(64, doubleToInt64(d));
  return BigInt.asUintN(64, doubleToInt64(d - TWO_63) ^ INT64_MIN);
}

/** `(int)d`: cvttsd2si to 32 bits; NaN and out-of-range values give INT_MIN. */
export function doubleToInt32(d: number): number {
  if (d > -TWO_31 - 1 && d < TWO_31) return Math.trunc(d) | 0;
  return -TWO_31;
}

/** `(int)(long)d`, Lua's `luaL_checkint` on x86-64: the low 32 bits of the 64-bit conversion. */
export function doubleToLongToInt32(d: number): number {
  if (d > -TWO_31 - 1 && d < TWO_31) return Math.trunc(d) | 0;
  return Number(BigInt.asIntN(32, doubleToInt64(d)));
}

/** `(long)d` as a double (as `lua_pushinteger` of a 64-bit `lua_Integer` would give). */
export function doubleToInt64Number(d: number): number {
  if (d >= -TWO_63 && d < TWO_63) return Math.trunc(d);
  return -TWO_63;
}

import { formatLongDouble } from "./formatLongDouble.js";
import { addLongDouble, isFiniteLongDouble, longDoubleZero } from "./LongDouble.js";
import { parseLongDouble } from "./parseLongDouble.js";

/** The outcome of INCRBYFLOAT/HINCRBYFLOAT: the new value's text, or Redis's error reply. */
export type IncrByFloatResult =
  | { readonly ok: true; readonly text: string }
  | {
      readonly ok: false;
      readonly error: "ERR value is not a valid float" | "ERR increment would produce NaN or Infinity";
    };

/**
 * Redis 7.0's INCRBYFLOAT arithmetic and text: both operands parsed with `string2ld`, added in
 * 80-bit long double, refused if NaN or infinite, printed with `ld2string(LD_STR_HUMAN)`.
 * `current` is the stored value (null for a missing key, read as 0). For HINCRBYFLOAT Redis
 * replies `ERR hash value is not a float` for a bad stored value instead; the caller maps it.
 *
 * ```ts
 * incrByFloat("10.5", "0.1"); // { ok: true, text: "10.6" }
 * incrByFloat(null, "5.0e3"); // { ok: true, text: "5000" }
 * ```
 */
export function incrByFloat(current: string | Uint8Array | null, increment: string | Uint8Array): IncrByFloatResult {
  const value = current === null ? longDoubleZero(false) : parseLongDouble(current);
  const incr = parseLongDouble(increment);
  if (value === null || incr === null) return { ok: false, error: "ERR value is not a valid float" };
  const sum = addLongDouble(value, incr);
  if (!isFiniteLongDouble(sum)) return { ok: false, error: "ERR increment would produce NaN or Infinity" };
  return { ok: true, text: formatLongDouble(sum) };
}

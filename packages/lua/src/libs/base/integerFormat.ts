/**
 * printf's integer conversions (`%ld %li %lo %lu %lx %lX`, and `%c`) as glibc prints them, for
 * values a 64-bit `long` holds. Redis's string.format passes doubles through these; the wasm Lua's
 * 32-bit `long` cannot, so they are formatted here.
 */

/** A parsed conversion, for integers and `%s`: the flags "-+ #0", the width and precision (-1 when absent), the letter. */
export interface FormatSpec {
  left: boolean;
  plus: boolean;
  space: boolean;
  alternate: boolean;
  zero: boolean;
  width: number;
  precision: number;
  conversion: number;
}

const CHAR_o = 0x6f;
const CHAR_x = 0x78;
const CHAR_X = 0x58;
const CHAR_d = 0x64;
const CHAR_i = 0x69;

function pad(body: string, spec: FormatSpec): string {
  if (body.length >= spec.width) return body;
  const fill = " ".repeat(spec.width - body.length);
  return spec.left ? body + fill : fill + body;
}

/** `sprintf("%...ld" or "%...lu/o/x/X", value)` for a value already converted to 64 bits. */
export function formatInteger(value: bigint | number, spec: FormatSpec): string {
  const signed = spec.conversion === CHAR_d || spec.conversion === CHAR_i;
  const negative = value < 0;
  const magnitude = negative ? -value : value;
  const radix = spec.conversion === CHAR_o ? 8 : spec.conversion === CHAR_x || spec.conversion === CHAR_X ? 16 : 10;
  let digits = magnitude.toString(radix);
  if (spec.conversion === CHAR_X) digits = digits.toUpperCase();
  const isZero = magnitude === 0 || magnitude === 0n;
  if (spec.precision === 0 && isZero) digits = "";
  if (spec.precision > digits.length) digits = "0".repeat(spec.precision - digits.length) + digits;
  let prefix = "";
  if (signed) prefix = negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  else if (spec.alternate && spec.conversion === CHAR_o && !digits.startsWith("0")) digits = `0${digits}`;
  else if (spec.alternate && (spec.conversion === CHAR_x || spec.conversion === CHAR_X) && !isZero)
    prefix = spec.conversion === CHAR_x ? "0x" : "0X";
  // The 0 flag pads between the sign or prefix and the digits, unless a precision or '-' is given.
  if (spec.zero && !spec.left && spec.precision < 0) {
    const missing = spec.width - prefix.length - digits.length;
    if (missing > 0) digits = "0".repeat(missing) + digits;
  }
  return pad(prefix + digits, spec);
}

/**
 * `sprintf("%...c", c)` as Lua's str_format adds it: the buffer up to its first NUL (`strlen`),
 * so a NUL character, and any padding after it, vanishes. glibc ignores the 0 flag for %c.
 */
export function formatChar(code: number, spec: FormatSpec): string {
  const ch = String.fromCharCode(code & 0xff);
  const padded = pad(ch, spec);
  const nul = padded.indexOf("\0");
  return nul < 0 ? padded : padded.slice(0, nul);
}

import { LUA_GLOBALSINDEX, type LuaVM } from "../LuaVM.js";
import { type FormatSpec, formatChar, formatInteger } from "./base/integerFormat.js";
import { argError, errorAt, originalFunction } from "./base/libSupport.js";
import { doubleToInt32, doubleToInt64, doubleToUint64 } from "./base/x86Conversions.js";

/**
 * `string.format` as redis-server's Lua computes it. Lua casts the argument of `%d %i` to `long`,
 * of `%o %u %x %X` to `unsigned long` and of `%c` to `int`; on x86-64 `long` has 64 bits, in the
 * wasm Lua 32, so `string.format('%d', 2^31)` would print -2147483648 instead of 2147483648.
 *
 * A format without those conversions goes straight to Lua's own `str_format` (called directly,
 * in this same call frame, so its errors name 'format' and the caller's line). Otherwise the
 * replacement walks the format exactly as `str_format` does, raising the same errors in the same
 * order, and formats the integer conversions itself; with no float or `%q` item it builds the
 * whole result (`%s` too), else it rewrites each integer item to `%s` with its text as the
 * argument and lets `str_format` do the rest, so floats keep C's printf.
 */

const PERCENT = 0x25;
const FLAGS = "-+ #0";
/** `sizeof(FLAGS)`: str_format allows at most 5 flag characters. */
const FLAGS_SIZE = 6;

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

/** Conversion letters whose argument is cast to an integer type: d i o u x X c. */
const INTEGER_CONVERSIONS = new Uint8Array(256);
for (const c of "diouxXc") INTEGER_CONVERSIONS[c.charCodeAt(0)] = 1;
/** Characters between '%' and the letter: flags, width, '.', precision. */
const SPEC_CHARACTERS = new Uint8Array(256);
for (const c of "-+ #0123456789.") SPEC_CHARACTERS[c.charCodeAt(0)] = 1;

/** Whether any item of the format casts its argument to an integer (a loose, allocation-free scan). */
function hasIntegerConversion(fmt: Uint8Array): boolean {
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] !== PERCENT) continue;
    i++;
    if (fmt[i] === PERCENT) continue;
    while (i < fmt.length && SPEC_CHARACTERS[fmt[i]!] === 1) i++;
    if (i < fmt.length && INTEGER_CONVERSIONS[fmt[i]!] === 1) return true;
  }
  return false;
}

/**
 * `%s` as str_format adds it: a string of 100 bytes or more without a precision is copied whole;
 * otherwise sprintf sees a C string (up to its first NUL), cut to the precision and padded with
 * spaces to the width (glibc ignores the 0 flag here).
 */
function formatString(s: Uint8Array, spec: FormatSpec): string {
  if (spec.precision < 0 && s.length >= 100) return Buffer.from(s.buffer, s.byteOffset, s.length).toString("latin1");
  const nul = s.indexOf(0);
  let end = nul < 0 ? s.length : nul;
  if (spec.precision >= 0 && spec.precision < end) end = spec.precision;
  const text = Buffer.from(s.buffer, s.byteOffset, end).toString("latin1");
  if (text.length >= spec.width) return text;
  const fill = " ".repeat(spec.width - text.length);
  return spec.left ? text + fill : fill + text;
}

/** Replaces `string.format` (the global table's and the string metatable's, which are the same table). */
export function openStringFormat(vm: LuaVM): void {
  const x = vm.x;
  const L0 = vm.L;
  vm.getField(L0, LUA_GLOBALSINDEX, "string");
  const cFormat = originalFunction(vm, "format");
  x.lua_settop(L0, -2);

  const format = (L: number): number => {
    const top = x.lua_gettop(L);
    x.luaL_checklstring(L, 1, 0);
    const view = vm.bytesView(L, 1)!;
    // Without integer conversions Lua's own function is exact (it runs in this call frame).
    if (!hasIntegerConversion(view)) return cFormat(L);
    const fmt = Buffer.from(view);
    let arg = 1;
    /** Spans [start, end) of integer items in `fmt`, their argument and their text. */
    const rewrites: { start: number; end: number; arg: number; text: string }[] = [];
    /** The whole result as latin1, while every item is one formatted here (no float or %q). */
    let output: string | null = "";
    let literalStart = 0;
    let i = 0;
    while (i < fmt.length) {
      if (fmt[i] !== PERCENT) {
        i++;
        continue;
      }
      const start = i++;
      if (output !== null) output += fmt.toString("latin1", literalStart, start);
      if (fmt[i] === PERCENT) {
        i++;
        literalStart = i;
        if (output !== null) output += "%";
        continue;
      }
      if (++arg > top) argError(vm, L, arg, "no value");
      // scanformat: flags, two digits of width, '.' and two digits of precision.
      const flagsStart = i;
      while (i < fmt.length && fmt[i] !== 0 && FLAGS.includes(String.fromCharCode(fmt[i]!))) i++;
      if (i - flagsStart >= FLAGS_SIZE) errorAt(vm, L, "invalid format (repeated flags)");
      const spec: FormatSpec = {
        left: false,
        plus: false,
        space: false,
        alternate: false,
        zero: false,
        width: 0,
        precision: -1,
        conversion: 0,
      };
      for (let f = flagsStart; f < i; f++) {
        const flag = fmt[f];
        if (flag === 0x2d) spec.left = true;
        else if (flag === 0x2b) spec.plus = true;
        else if (flag === 0x20) spec.space = true;
        else if (flag === 0x23) spec.alternate = true;
        else spec.zero = true;
      }
      for (let n = 0; n < 2 && isDigit(fmt[i]); n++) spec.width = spec.width * 10 + fmt[i++]! - 0x30;
      if (fmt[i] === 0x2e) {
        i++;
        spec.precision = 0;
        for (let n = 0; n < 2 && isDigit(fmt[i]); n++) spec.precision = spec.precision * 10 + fmt[i++]! - 0x30;
      }
      if (isDigit(fmt[i])) errorAt(vm, L, "invalid format (width or precision too long)");
      // Past the end the C reads the string's terminating NUL.
      const conversion = i < fmt.length ? fmt[i]! : 0;
      i++;
      spec.conversion = conversion;
      let text: string | null = null;
      switch (conversion) {
        case 0x63: // c
          text = formatChar(doubleToInt32(x.luaL_checknumber(L, arg)), spec);
          break;
        case 0x64: // d
        case 0x69: {
          // i
          const n = x.luaL_checknumber(L, arg);
          text = formatInteger(Math.abs(n) < 2 ** 53 ? Math.trunc(n) : doubleToInt64(n), spec);
          break;
        }
        case 0x6f: // o
        case 0x75: // u
        case 0x78: // x
        case 0x58: {
          // X
          const n = x.luaL_checknumber(L, arg);
          text = formatInteger(n >= 0 && n < 2 ** 53 ? Math.trunc(n) : doubleToUint64(n), spec);
          break;
        }
        case 0x65: // e
        case 0x45: // E
        case 0x66: // f
        case 0x67: // g
        case 0x47: // G
          x.luaL_checknumber(L, arg);
          output = null;
          break;
        case 0x71: // q
          x.luaL_checklstring(L, arg, 0);
          output = null;
          break;
        case 0x73: // s
          x.luaL_checklstring(L, arg, 0);
          if (output !== null) output += formatString(vm.bytesView(L, arg)!, spec);
          break;
        default: {
          // lua_pushfstring's %c of a NUL prints nothing.
          const letter = conversion === 0 ? [] : [conversion];
          errorAt(
            vm,
            L,
            Buffer.concat([Buffer.from("invalid option '%"), Buffer.from(letter), Buffer.from("' to 'format'")]),
          );
        }
      }
      literalStart = i;
      if (text !== null) {
        rewrites.push({ start, end: i, arg, text });
        if (output !== null) output += text;
      }
    }
    if (output !== null) {
      output += fmt.toString("latin1", literalStart, fmt.length);
      vm.pushBytes(L, Buffer.from(output, "latin1"));
      return 1;
    }
    const parts: Buffer[] = [];
    let from = 0;
    for (const r of rewrites) {
      parts.push(fmt.subarray(from, r.start), Buffer.from("%s"));
      from = r.end;
      const text = Buffer.from(r.text, "latin1");
      vm.pushBytes(L, text);
      x.lua_replace(L, r.arg);
    }
    parts.push(fmt.subarray(from));
    vm.pushBytes(L, Buffer.concat(parts));
    x.lua_replace(L, 1);
    return cFormat(L);
  };

  vm.getField(L0, LUA_GLOBALSINDEX, "string");
  vm.setFunction(L0, "format", format);
  x.lua_settop(L0, -2);
}

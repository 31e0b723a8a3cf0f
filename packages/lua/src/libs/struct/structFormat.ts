import type { LuaVM } from "../../LuaVM.js";
import { argError, errorAt } from "../base/libSupport.js";

/**
 * Reading a `struct` format string as lua_struct.c does (`getnum`, `optsize`, `gettoalign`,
 * `controloptions`), with the sizes of x86-64 Linux where redis-server runs: `l`, `L` and `T`
 * are 8 bytes, `i` defaults to 4, the maximum alignment `!` gives is 8.
 */

const MAXINTSIZE = 32;
const INT_MAX = 2147483647;
/** `MAXALIGN`: the padding before a double in `struct { char c; double d; }`, at least sizeof(int). */
const MAXALIGN = 8;
const CHAR_0 = 0x30;

export const BIG = 0;
export const LITTLE = 1;

/** The parse state of one call: the format as a C string, the cursor, endianness and alignment. */
export class StructFormat {
  private pos = 0;
  private readonly end: number;
  endian = LITTLE;
  align = 1;

  constructor(
    private readonly vm: LuaVM,
    private readonly L: number,
    private readonly bytes: Uint8Array,
  ) {
    // luaL_checkstring hands the C code a C string: the format ends at its first NUL.
    const nul = bytes.indexOf(0);
    this.end = nul < 0 ? bytes.length : nul;
  }

  /** The next option character, or -1 at the end. */
  next(): number {
    return this.pos < this.end ? this.bytes[this.pos++]! : -1;
  }

  /** `optsize`: the size of option `opt`, reading its count; 0 for options without data. */
  optionSize(opt: number): number {
    switch (opt) {
      case 0x42: // B
      case 0x62: // b
        return 1;
      case 0x48: // H
      case 0x68: // h
        return 2;
      case 0x4c: // L
      case 0x6c: // l
      case 0x54: // T
        return 8;
      case 0x66: // f
        return 4;
      case 0x64: // d
        return 8;
      case 0x78: // x
        return 1;
      case 0x63: // c
        return this.number(1);
      case 0x69: // i
      case 0x49: {
        // I
        const size = this.number(4);
        if (size > MAXINTSIZE) errorAt(this.vm, this.L, `integral size ${size} is larger than limit of ${MAXINTSIZE}`);
        return size;
      }
      default:
        return 0;
    }
  }

  /** `controloptions`: applies ' ', '>', '<', '!n'; anything else is an invalid option. */
  control(opt: number): void {
    switch (opt) {
      case 0x20: // ' '
        return;
      case 0x3e: // >
        this.endian = BIG;
        return;
      case 0x3c: // <
        this.endian = LITTLE;
        return;
      case 0x21: {
        // !
        const a = this.number(MAXALIGN);
        if (!(a > 0 && (a & (a - 1)) === 0)) errorAt(this.vm, this.L, `alignment ${a} is not a power of 2`);
        this.align = a;
        return;
      }
      default: {
        const prefix = "invalid format option '";
        const message = new Uint8Array(prefix.length + 2);
        for (let i = 0; i < prefix.length; i++) message[i] = prefix.charCodeAt(i);
        message[prefix.length] = opt;
        message[prefix.length + 1] = 0x27;
        argError(this.vm, this.L, 1, message);
      }
    }
  }

  /** `gettoalign`: padding before an item of `size` at offset `len` (two's complement for "negative" offsets). */
  padding(len: number, opt: number, size: number): number {
    if (size === 0 || opt === 0x63) return 0;
    const s = size > this.align ? this.align : size;
    return (s - (len & (s - 1))) & (s - 1);
  }

  /** `getnum`: a decimal count after an option, or `fallback`. */
  private number(fallback: number): number {
    if (!this.isDigit()) return fallback;
    let a = 0;
    do {
      const digit = this.bytes[this.pos]! - CHAR_0;
      if (a > Math.trunc(INT_MAX / 10) || a * 10 > INT_MAX - digit) errorAt(this.vm, this.L, "integral size overflow");
      a = a * 10 + digit;
      this.pos++;
    } while (this.isDigit());
    return a;
  }

  private isDigit(): boolean {
    if (this.pos >= this.end) return false;
    const c = this.bytes[this.pos]!;
    return c >= CHAR_0 && c <= CHAR_0 + 9;
  }
}

/** C's `isalnum` in the C locale. */
export function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

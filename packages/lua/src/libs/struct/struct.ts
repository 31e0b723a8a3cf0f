import { LuaType, type LuaVM } from "../../LuaVM.js";
import { argError, errorAt, registerLibrary, typeError } from "../base/libSupport.js";
import { doubleToInt64, doubleToInt64Number, doubleToUint64 } from "../base/x86Conversions.js";
import { isAlnum, LITTLE, StructFormat } from "./structFormat.js";

/**
 * Redis's `struct` library (Roberto Ierusalimschy's struct.c as Redis patched it,
 * deps/lua/src/lua_struct.c): pack, unpack and size with x86-64 sizes and C's integer
 * conversions, so the bytes and the numbers are those redis-server produces.
 */

const UINT64_MASK = (1n << 64n) - 1n;
const TWO_32 = 2 ** 32;
const scratch = new DataView(new ArrayBuffer(8));

/** A growable byte buffer for `pack`. */
class ByteBuilder {
  bytes = new Uint8Array(64);
  length = 0;

  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  push(byte: number): void {
    this.reserve(1);
    this.bytes[this.length++] = byte;
  }

  append(source: Uint8Array): void {
    this.reserve(source.length);
    this.bytes.set(source, this.length);
    this.length += source.length;
  }
}

/**
 * `putinteger`'s value as two 32-bit words: `(unsigned long)(long)n` for negatives,
 * `(unsigned long)n` otherwise, as gcc compiles them for x86-64.
 */
function integerWords(n: number): [low: number, high: number] {
  if (n > -(2 ** 53) && n < 2 ** 53) {
    const v = Math.trunc(n);
    return [v >>> 0, Math.floor(v / TWO_32) >>> 0];
  }
  const value = n < 0 ? BigInt.asUintN(64, doubleToInt64(n)) : doubleToUint64(n);
  return [Number(value & 0xffffffffn), Number(value >> 32n)];
}

/** `getinteger`: `size` bytes as an unsigned long (only the last 8 shifted in survive), sign-extended if asked. */
function readInteger(u8: Uint8Array, at: number, size: number, endian: number, signed: boolean): number {
  if (size > 0 && size <= 6) {
    let v = 0;
    if (endian === LITTLE) for (let i = size - 1; i >= 0; i--) v = v * 256 + u8[at + i]!;
    else for (let i = 0; i < size; i++) v = v * 256 + u8[at + i]!;
    const limit = 2 ** (size * 8 - 1);
    return signed && v >= limit ? v - 2 * limit : v;
  }
  let l = 0n;
  if (endian === LITTLE) for (let i = size - 1; i >= 0; i--) l = ((l << 8n) | BigInt(u8[at + i]!)) & UINT64_MASK;
  else for (let i = 0; i < size; i++) l = ((l << 8n) | BigInt(u8[at + i]!)) & UINT64_MASK;
  if (!signed) return Number(l);
  // `~0UL << (size*8 - 1)`: x86 masks the shift count to 6 bits (so 0 and sizes past 8 wrap).
  const mask = (UINT64_MASK << BigInt((size * 8 - 1) & 63)) & UINT64_MASK;
  if ((l & mask) !== 0n) l |= mask;
  return Number(BigInt.asIntN(64, l));
}

/** Opens the global `struct` table with the functions of `luaopen_struct`, in its order. */
export function openStruct(vm: LuaVM): void {
  const x = vm.x;

  const formatArgument = (L: number): StructFormat => {
    x.luaL_checklstring(L, 1, 0);
    return new StructFormat(vm, L, Buffer.from(vm.bytesView(L, 1)!));
  };

  const pack = (L: number): number => {
    const format = formatArgument(L);
    const out = new ByteBuilder();
    let arg = 2;
    let total = 0;
    // The C pushes a nil to separate the arguments from its buffer: a missing argument right
    // after the last one is reported as "got nil", not "got no value".
    x.lua_pushnil(L);
    for (let opt = format.next(); opt >= 0; opt = format.next()) {
      let size = format.optionSize(opt);
      let padding = format.padding(total, opt, size);
      total += padding;
      while (padding-- > 0) out.push(0);
      switch (opt) {
        case 0x62: // b
        case 0x42: // B
        case 0x68: // h
        case 0x48: // H
        case 0x6c: // l
        case 0x4c: // L
        case 0x54: // T
        case 0x69: // i
        case 0x49: {
          // I
          const [low, high] = integerWords(x.luaL_checknumber(L, arg++));
          out.reserve(size);
          for (let i = 0; i < size; i++) {
            const byte = i < 4 ? (low >>> (8 * i)) & 0xff : i < 8 ? (high >>> (8 * (i - 4))) & 0xff : 0;
            out.bytes[out.length + (format.endian === LITTLE ? i : size - 1 - i)] = byte;
          }
          out.length += size;
          break;
        }
        case 0x78: // x
          out.push(0);
          break;
        case 0x66: // f
          scratch.setFloat32(0, x.luaL_checknumber(L, arg++), format.endian === LITTLE);
          out.append(new Uint8Array(scratch.buffer, 0, 4));
          break;
        case 0x64: // d
          scratch.setFloat64(0, x.luaL_checknumber(L, arg++), format.endian === LITTLE);
          out.append(new Uint8Array(scratch.buffer, 0, 8));
          break;
        case 0x63: // c
        case 0x73: {
          // s
          x.luaL_checklstring(L, arg++, 0);
          const s = vm.bytesView(L, arg - 1)!;
          if (size === 0) size = s.length;
          if (s.length < size) argError(vm, L, arg, "string too short");
          out.append(s.subarray(0, size));
          if (opt === 0x73) {
            out.push(0);
            size++;
          }
          break;
        }
        default:
          format.control(opt);
      }
      total += size;
    }
    vm.pushBytes(L, out.bytes, 0, out.length);
    return 1;
  };

  const unpack = (L: number): number => {
    const format = formatArgument(L);
    x.luaL_checklstring(L, 2, 0);
    const dataView = vm.bytesView(L, 2)!;
    // The string stays on the stack, so its bytes stay put; the memory view is renewed per read.
    const data = dataView.byteOffset;
    const ld = dataView.length;
    let offset = 1;
    if (x.lua_type(L, 3) > LuaType.Nil) {
      offset = doubleToInt64Number(x.lua_tonumber(L, 3));
      if (offset === 0 && x.lua_isnumber(L, 3) === 0) typeError(vm, L, 3, "number");
    }
    if (offset === 0) argError(vm, L, 3, "offset must be 1 or greater");
    // `pos` is a size_t: a negative offset is a huge position, kept here as a negative number;
    // alignment can wrap it back to a small one, as in C.
    let pos = offset - 1;
    let n = 0;
    for (let opt = format.next(); opt >= 0; opt = format.next()) {
      let size = format.optionSize(opt);
      pos += format.padding(pos, opt, size);
      if (!(size <= ld && pos >= 0 && pos <= ld - size)) argError(vm, L, 2, "data string too short");
      x.luaL_checkstack(L, 2, vm.name("too many results"));
      switch (opt) {
        case 0x62: // b
        case 0x42: // B
        case 0x68: // h
        case 0x48: // H
        case 0x6c: // l
        case 0x4c: // L
        case 0x54: // T
        case 0x69: // i
        case 0x49: // I
          x.lua_pushnumber(L, readInteger(vm.u8, data + pos, size, format.endian, opt >= 0x61));
          n++;
          break;
        case 0x78: // x
          break;
        case 0x66: // f
        case 0x64: {
          // d
          const view = new DataView(vm.u8.buffer, data + pos, size);
          const little = format.endian === LITTLE;
          x.lua_pushnumber(L, opt === 0x66 ? view.getFloat32(0, little) : view.getFloat64(0, little));
          n++;
          break;
        }
        case 0x63: {
          // c
          if (size === 0) {
            if (n === 0 || x.lua_isnumber(L, -1) === 0) errorAt(vm, L, "format 'c0' needs a previous size");
            size = Number(doubleToUint64(x.lua_tonumber(L, -1)));
            x.lua_settop(L, -2);
            n--;
            if (!(size <= ld && pos <= ld - size)) argError(vm, L, 2, "data string too short");
          }
          x.lua_pushlstring(L, data + pos, size);
          n++;
          break;
        }
        case 0x73: {
          // s
          const end = vm.u8.subarray(data + pos, data + ld).indexOf(0);
          if (end < 0) errorAt(vm, L, "unfinished string in data");
          size = end + 1;
          x.lua_pushlstring(L, data + pos, end);
          n++;
          break;
        }
        default:
          format.control(opt);
      }
      pos += size;
    }
    // The next position, as `lua_pushinteger` of a 64-bit lua_Integer (not the wasm's 32 bits).
    x.lua_pushnumber(L, pos === offset - 1 ? offset : pos + 1);
    return n + 1;
  };

  const size = (L: number): number => {
    const format = formatArgument(L);
    let pos = 0;
    for (let opt = format.next(); opt >= 0; opt = format.next()) {
      const itemSize = format.optionSize(opt);
      pos += format.padding(pos, opt, itemSize);
      if (opt === 0x73) argError(vm, L, 1, "option 's' has no fixed size");
      else if (opt === 0x63 && itemSize === 0) argError(vm, L, 1, "option 'c0' has no fixed size");
      if (!isAlnum(opt)) format.control(opt);
      pos += itemSize;
    }
    x.lua_pushnumber(L, pos);
    return 1;
  };

  registerLibrary(vm, "struct", [
    ["pack", pack],
    ["unpack", unpack],
    ["size", size],
  ]);
}

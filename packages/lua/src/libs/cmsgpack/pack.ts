import { LuaType as LuaTypeBinding, type LuaVM } from "../../LuaVM.js";
import { checkStack as checkStackBinding } from "../cjson/luaArguments.js";

// A module-local alias: hot loops read it constantly, and an imported binding can cost a getter
// call per read under some loaders (vitest's among them).
const LuaType = LuaTypeBinding;
const checkStack = checkStackBinding;

/**
 * `cmsgpack.pack` as lua_cmsgpack.c encodes, on Redis's 64-bit build: numbers that are whole and
 * fit an int64 as the smallest integer format, others as float32 when that is lossless, else
 * float64; a table whose keys are exactly 1..n as an array, any other as a map; tables nested
 * 16 deep as nil. The table walk uses the same Lua API calls as the C code (so maps come out in
 * the same order and the same stack limits apply); bytes go into a reused JS buffer.
 */

const MAX_NESTING = 16;
const TWO_63 = 2 ** 63;
const TWO_32 = 2 ** 32;

export class MsgpackEncoder {
  private out: Uint8Array = new Uint8Array(4096);
  private view: DataView = new DataView(this.out.buffer);
  private length = 0;

  /** A `size_t` out-parameter for `lua_tolstring`. */
  private readonly lenPtr: number;

  constructor(private readonly vm: LuaVM) {
    this.lenPtr = vm.x.malloc(4);
  }

  /** `mp_pack`: each argument encoded and pushed, then all concatenated into one string. */
  pack(L: number): number {
    const x = this.vm.x;
    const nargs = x.lua_gettop(L);
    if (nargs === 0) x.luaL_argerror(L, 0, this.vm.name("MessagePack pack needs input."));
    if (x.lua_checkstack(L, nargs) === 0) {
      x.luaL_argerror(L, 0, this.vm.name("Too many arguments for MessagePack pack."));
    }
    for (let i = 1; i <= nargs; i++) {
      checkStack(this.vm, L, 1, "in function mp_check");
      x.lua_pushvalue(L, i);
      this.length = 0;
      this.encodeValue(L, 0);
      this.vm.pushBytes(L, this.out, 0, this.length);
    }
    if (this.out.length > 1 << 20) this.setBuffer(new Uint8Array(4096));
    x.lua_concat(L, nargs);
    return 1;
  }

  /** `mp_encode_lua_type`: encodes the value on top and pops it. */
  private encodeValue(L: number, level: number): void {
    const x = this.vm.x;
    let type = x.lua_type(L, -1);
    if (type === LuaType.Table && level === MAX_NESTING) type = LuaType.Nil;
    switch (type) {
      case LuaType.String:
        this.writeString(L);
        break;
      case LuaType.Boolean:
        this.writeByte(x.lua_toboolean(L, -1) ? 0xc3 : 0xc2);
        break;
      case LuaType.Number:
        this.writeNumber(x.lua_tonumber(L, -1));
        break;
      case LuaType.Table:
        if (this.isArray(L)) this.encodeArray(L, level);
        else this.encodeMap(L, level);
        break;
      default:
        this.writeByte(0xc0);
    }
    x.lua_settop(L, -2);
  }

  /** `table_is_an_array`: every key an integer in 1..INT_MAX, as many keys as the largest. */
  private isArray(L: number): boolean {
    const x = this.vm.x;
    const top = x.lua_gettop(L);
    let count = 0;
    let max = 0;
    checkStack(this.vm, L, 2, "in function table_is_an_array");
    x.lua_pushnil(L);
    while (x.lua_next(L, -2) !== 0) {
      x.lua_settop(L, -2);
      const n = x.lua_type(L, -1) === LuaType.Number ? x.lua_tonumber(L, -1) : 0;
      // `(int)n == n`: whole and within a C int.
      if (!(n > 0 && n <= 2147483647 && Math.floor(n) === n)) {
        x.lua_settop(L, top);
        return false;
      }
      if (n > max) max = n;
      count++;
    }
    x.lua_settop(L, top);
    return max === count;
  }

  private encodeArray(L: number, level: number): void {
    const x = this.vm.x;
    const length = x.lua_objlen(L, -1);
    this.writeCollectionHeader(length, 0x90, 0xdc);
    checkStack(this.vm, L, 1, "in function mp_encode_lua_table_as_array");
    for (let j = 1; j <= length; j++) {
      x.lua_pushnumber(L, j);
      x.lua_gettable(L, -2);
      this.encodeValue(L, level + 1);
    }
  }

  /**
   * `mp_encode_lua_table_as_map`. C counts the keys in a first pass; here the entries are written
   * in one pass after a 1-byte header slot, widened afterwards in the rare map of 16+ entries.
   */
  private encodeMap(L: number, level: number): void {
    const x = this.vm.x;
    checkStack(this.vm, L, 3, "in function mp_encode_lua_table_as_map");
    this.reserve(1);
    const headerAt = this.length++;
    let count = 0;
    x.lua_pushnil(L);
    while (x.lua_next(L, -2) !== 0) {
      count++;
      x.lua_pushvalue(L, -2);
      this.encodeValue(L, level + 1);
      this.encodeValue(L, level + 1);
    }
    if (count <= 15) {
      this.out[headerAt] = 0x80 | count;
      return;
    }
    const extra = count <= 0xffff ? 2 : 4;
    this.reserve(extra);
    this.out.copyWithin(headerAt + 1 + extra, headerAt + 1, this.length);
    this.length += extra;
    const end = this.length;
    this.length = headerAt;
    this.writeCollectionHeader(count, 0x80, 0xde);
    this.length = end;
  }

  /** `mp_encode_lua_number`: `(int64_t)n == n` (x86-64: out of range is INT64_MIN) picks an integer. */
  private writeNumber(n: number): void {
    if (Number.isInteger(n) && n >= -TWO_63 && n < TWO_63) this.writeInteger(n);
    else this.writeDouble(n);
  }

  private writeInteger(n: number): void {
    this.reserve(9);
    const view = this.view;
    const at = this.length;
    if (n >= 0) {
      if (n <= 127) {
        view.setUint8(at, n);
        this.length += 1;
      } else if (n <= 0xff) {
        view.setUint8(at, 0xcc);
        view.setUint8(at + 1, n);
        this.length += 2;
      } else if (n <= 0xffff) {
        view.setUint8(at, 0xcd);
        view.setUint16(at + 1, n);
        this.length += 3;
      } else if (n <= 0xffffffff) {
        view.setUint8(at, 0xce);
        view.setUint32(at + 1, n);
        this.length += 5;
      } else {
        view.setUint8(at, 0xcf);
        this.writeWords(at + 1, n);
        this.length += 9;
      }
    } else if (n >= -32) {
      view.setInt8(at, n);
      this.length += 1;
    } else if (n >= -128) {
      view.setUint8(at, 0xd0);
      view.setInt8(at + 1, n);
      this.length += 2;
    } else if (n >= -32768) {
      view.setUint8(at, 0xd1);
      view.setInt16(at + 1, n);
      this.length += 3;
    } else if (n >= -2147483648) {
      view.setUint8(at, 0xd2);
      view.setInt32(at + 1, n);
      this.length += 5;
    } else {
      view.setUint8(at, 0xd3);
      this.writeWords(at + 1, n);
      this.length += 9;
    }
  }

  /** A whole number as 64-bit two's complement, big-endian. */
  private writeWords(at: number, n: number): void {
    const high = Math.floor(n / TWO_32);
    this.view.setUint32(at, high >>> 0);
    this.view.setUint32(at + 4, n - high * TWO_32);
  }

  /** `mp_encode_double`: float32 when `(double)(float)d == d` (never for NaN). */
  private writeDouble(d: number): void {
    this.reserve(9);
    if (Math.fround(d) === d) {
      this.view.setUint8(this.length, 0xca);
      this.view.setFloat32(this.length + 1, d);
      this.length += 5;
    } else {
      this.view.setUint8(this.length, 0xcb);
      this.view.setFloat64(this.length + 1, d);
      this.length += 9;
    }
  }

  /** `mp_encode_lua_string`: the string on top, copied byte by byte when short (no view object). */
  private writeString(L: number): void {
    const pointer = this.vm.x.lua_tolstring(L, -1, this.lenPtr);
    const u8 = this.vm.u8;
    const p = this.lenPtr;
    const n = (u8[p]! | (u8[p + 1]! << 8) | (u8[p + 2]! << 16) | (u8[p + 3]! << 24)) >>> 0;
    this.writeStringHeader(n);
    this.reserve(n);
    const out = this.out;
    if (n < 32) {
      for (let i = 0; i < n; i++) out[this.length + i] = u8[pointer + i]!;
    } else {
      out.set(u8.subarray(pointer, pointer + n), this.length);
    }
    this.length += n;
  }

  /** `mp_encode_bytes`'s header: fixstr, str8, str16 or str32. */
  private writeStringHeader(n: number): void {
    this.reserve(5);
    const view = this.view;
    const at = this.length;
    if (n < 32) {
      view.setUint8(at, 0xa0 | n);
      this.length += 1;
    } else if (n <= 0xff) {
      view.setUint8(at, 0xd9);
      view.setUint8(at + 1, n);
      this.length += 2;
    } else if (n <= 0xffff) {
      view.setUint8(at, 0xda);
      view.setUint16(at + 1, n);
      this.length += 3;
    } else {
      view.setUint8(at, 0xdb);
      view.setUint32(at + 1, n);
      this.length += 5;
    }
  }

  /** An array or map header: the fix form (`fix | n`), 16-bit (`wide`), or 32-bit (`wide + 1`). */
  private writeCollectionHeader(n: number, fix: number, wide: number): void {
    this.reserve(5);
    const view = this.view;
    const at = this.length;
    if (n <= 15) {
      view.setUint8(at, fix | n);
      this.length += 1;
    } else if (n <= 0xffff) {
      view.setUint8(at, wide);
      view.setUint16(at + 1, n);
      this.length += 3;
    } else {
      view.setUint8(at, wide + 1);
      view.setUint32(at + 1, n);
      this.length += 5;
    }
  }

  private writeByte(byte: number): void {
    this.reserve(1);
    this.out[this.length++] = byte;
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.out.length) return;
    const grown = new Uint8Array(Math.max(needed, this.out.length * 2));
    grown.set(this.out.subarray(0, this.length));
    this.setBuffer(grown);
  }

  private setBuffer(buffer: Uint8Array): void {
    this.out = buffer;
    this.view = new DataView(buffer.buffer);
  }
}

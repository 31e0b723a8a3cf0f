import { LuaType as LuaTypeBinding, type LuaVM } from "../../LuaVM.js";
import { checkStack as checkStackBinding, toInt32 } from "../cjson/luaArguments.js";

// A module-local alias: hot loops read it constantly, and an imported binding can cost a getter
// call per read under some loaders (vitest's among them).
const LuaType = LuaTypeBinding;
const checkStack = checkStackBinding;

/**
 * `cmsgpack.unpack`, `unpack_one` and `unpack_limit` (lua_cmsgpack.c's `mp_unpack_full`) as Redis's
 * 64-bit build decodes: every integer becomes a Lua number through a 64-bit `lua_Integer` (so a
 * uint64 above INT64_MAX comes back negative), strings are pushed straight from the input (the Lua
 * string at arg 1, which stays put), arrays and maps build tables with the same API calls as C.
 * The input is read through a fresh view of wasm memory for each value: pushing may grow it.
 */

enum CursorError {
  None,
  Eof,
  BadFormat,
}

const TWO_32 = 2 ** 32;
const INT_MAX = 2147483647;
const scratch = new DataView(new ArrayBuffer(8));

export class MsgpackDecoder {
  private pos = 0;
  private end = 0;
  private error = CursorError.None;
  private readonly lenPtr: number;
  /** Open arrays and maps, innermost last: elements left; the next array index, or a map's phase. */
  private readonly openRemaining: number[] = [];
  private readonly openNext: number[] = [];

  constructor(private readonly vm: LuaVM) {
    this.lenPtr = vm.x.malloc(4);
  }

  /** `mp_unpack_full(L, limit, offset)`: pushes the values (and the next offset unless all). */
  unpack(L: number, limit: number, offset: number): number {
    const x = this.vm.x;
    const type = x.lua_type(L, 1);
    if (type !== LuaType.Number && type !== LuaType.String) x.luaL_typerror(L, 1, this.vm.name("string"));
    const base = x.lua_tolstring(L, 1, this.lenPtr);
    const u8 = this.vm.u8;
    const p = this.lenPtr;
    const len = (u8[p]! | (u8[p + 1]! << 8) | (u8[p + 2]! << 16) | (u8[p + 3]! << 24)) >>> 0;
    const decodeAll = limit === 0 && offset === 0;

    if (offset < 0 || limit < 0) {
      this.vm.errorAt(L, `Invalid request to unpack with offset of ${toInt32(offset)} and limit of ${toInt32(len)}.`);
    } else if (offset > len) {
      this.vm.errorAt(L, `Start offset ${toInt32(offset)} greater than input length ${toInt32(len)}.`);
    }
    const max = decodeAll ? INT_MAX : limit;
    this.pos = base + offset;
    this.end = base + len;
    this.error = CursorError.None;
    let count = 0;
    for (; this.pos < this.end && count < max; count++) {
      this.decodeOne(L);
      const error = this.cursorError();
      if (error === CursorError.Eof) this.vm.errorAt(L, "Missing bytes in input.");
      if (error === CursorError.BadFormat) this.vm.errorAt(L, "Bad data format in input.");
    }
    if (!decodeAll) {
      checkStack(this.vm, L, 1, "in function mp_unpack_full");
      x.lua_pushnumber(L, this.pos === this.end ? -1 : this.pos - base);
      x.lua_insert(L, 2);
      count++;
    }
    return count;
  }

  /** Read through a call: TypeScript would keep the value narrowed from before `decodeValue`. */
  private cursorError(): CursorError {
    return this.error;
  }

  /** `mp_decode_to_lua_type`: one value, or `error` set (as C, what was pushed so far stays). */
  private decodeValue(L: number): void {
    const x = this.vm.x;
    if (this.end - this.pos < 1) {
      this.error = CursorError.Eof;
      return;
    }
    checkStack(this.vm, L, 1, "too many return values at once; use unpack_one or unpack_limit instead.");
    const u8 = this.vm.u8;
    const p = this.pos;
    const left = this.end - p;
    const tag = u8[p]!;
    if (tag < 0x80) {
      x.lua_pushnumber(L, tag);
      this.pos += 1;
      return;
    }
    if (tag >= 0xe0) {
      x.lua_pushnumber(L, tag - 256);
      this.pos += 1;
      return;
    }
    if (tag >= 0xa0 && tag < 0xc0) {
      this.pushString(L, p + 1, tag & 0x1f, left - 1);
      return;
    }
    if (tag >= 0x90 && tag < 0xa0) {
      this.pos += 1;
      this.openArray(L, tag & 0xf);
      return;
    }
    if (tag < 0x90) {
      this.pos += 1;
      this.openMap(L, tag & 0xf);
      return;
    }
    const need = SIZES[tag - 0xc0]!;
    if (need === 0) {
      this.error = CursorError.BadFormat;
      return;
    }
    if (left < need) {
      this.error = CursorError.Eof;
      return;
    }
    const b1 = u8[p + 1]!;
    switch (tag) {
      case 0xc0:
        x.lua_pushnil(L);
        break;
      case 0xc2:
      case 0xc3:
        x.lua_pushboolean(L, tag - 0xc2);
        break;
      case 0xcc:
        x.lua_pushnumber(L, b1);
        break;
      case 0xd0:
        x.lua_pushnumber(L, (b1 << 24) >> 24);
        break;
      case 0xcd:
        x.lua_pushnumber(L, (b1 << 8) | u8[p + 2]!);
        break;
      case 0xd1:
        x.lua_pushnumber(L, (((b1 << 8) | u8[p + 2]!) << 16) >> 16);
        break;
      case 0xce:
        x.lua_pushnumber(L, read32(u8, p + 1) >>> 0);
        break;
      case 0xd2:
        x.lua_pushnumber(L, read32(u8, p + 1));
        break;
      case 0xcf:
      case 0xd3:
        // Both go through int64_t: a uint64 past INT64_MAX wraps negative, as on Redis.
        x.lua_pushnumber(L, read32(u8, p + 1) * TWO_32 + (read32(u8, p + 5) >>> 0));
        break;
      case 0xca:
        scratch.setUint32(0, read32(u8, p + 1));
        x.lua_pushnumber(L, scratch.getFloat32(0));
        break;
      case 0xcb:
        scratch.setUint32(0, read32(u8, p + 1));
        scratch.setUint32(4, read32(u8, p + 5));
        x.lua_pushnumber(L, scratch.getFloat64(0));
        break;
      case 0xd9:
        this.pushString(L, p + 2, b1, left - 2);
        return;
      case 0xda:
        this.pushString(L, p + 3, (b1 << 8) | u8[p + 2]!, left - 3);
        return;
      case 0xdb:
        this.pushString(L, p + 5, read32(u8, p + 1) >>> 0, left - 5);
        return;
      case 0xdc:
        this.pos += 3;
        this.openArray(L, (b1 << 8) | u8[p + 2]!);
        return;
      case 0xdd:
        this.pos += 5;
        this.openArray(L, read32(u8, p + 1) >>> 0);
        return;
      case 0xde:
        this.pos += 3;
        this.openMap(L, (b1 << 8) | u8[p + 2]!);
        return;
      case 0xdf:
        this.pos += 5;
        this.openMap(L, read32(u8, p + 1) >>> 0);
        return;
    }
    this.pos += need;
  }

  /** A string of `length` bytes at `at`, if the `available` bytes hold it. */
  private pushString(L: number, at: number, length: number, available: number): void {
    if (available < length) {
      this.error = CursorError.Eof;
      return;
    }
    this.vm.x.lua_pushlstring(L, at, length);
    this.pos = at + length;
  }

  /**
   * One top-level value. C's `mp_decode_to_lua_type` recurses into arrays and maps; nesting can
   * reach Lua's stack limit (~4000 levels), deeper than JS recursion can safely go, so open
   * containers are kept on an explicit stack. API calls and cursor checks keep C's order.
   */
  private decodeOne(L: number): void {
    const x = this.vm.x;
    const remaining = this.openRemaining;
    const next = this.openNext;
    remaining.length = 0;
    next.length = 0;
    let action: Action = Action.Start;
    for (;;) {
      if (action === Action.Start) {
        const depth = remaining.length;
        this.decodeValue(L);
        if (this.error !== CursorError.None) return;
        action = remaining.length > depth ? Action.Next : Action.Complete;
      } else if (action === Action.Complete) {
        // A value is on top: it is the result, a map key, or an element to store.
        const top = remaining.length - 1;
        if (top < 0) return;
        if (next[top] === MAP_KEY_DONE) {
          next[top] = MAP_VALUE_DONE;
          action = Action.Start;
        } else {
          x.lua_settable(L, -3);
          action = Action.Next;
        }
      } else {
        const top = remaining.length - 1;
        if (remaining[top] === 0) {
          remaining.pop();
          next.pop();
          action = Action.Complete;
        } else {
          remaining[top]!--;
          const index = next[top]!;
          if (index > 0) {
            x.lua_pushnumber(L, index);
            next[top] = index + 1;
          } else {
            next[top] = MAP_KEY_DONE;
          }
          action = Action.Start;
        }
      }
    }
  }

  /** `mp_decode_to_lua_array`'s start: the table, then its elements through `decodeOne`. */
  private openArray(L: number, length: number): void {
    this.vm.x.lua_createtable(L, 0, 0);
    checkStack(this.vm, L, 1, "in function mp_decode_to_lua_array");
    this.openRemaining.push(length);
    this.openNext.push(1);
  }

  /** `mp_decode_to_lua_hash`'s start. */
  private openMap(L: number, length: number): void {
    this.vm.x.lua_createtable(L, 0, 0);
    this.openRemaining.push(length);
    this.openNext.push(MAP_VALUE_DONE);
  }
}

/** What `decodeOne` does next: decode a value, place the value just decoded, or move on. */
const Action = { Start: 0, Complete: 1, Next: 2 } as const;
type Action = (typeof Action)[keyof typeof Action];

/** `openNext` of a map: its key decoded (the value comes next), or a whole entry done. */
const MAP_KEY_DONE = -1;
const MAP_VALUE_DONE = 0;

/** Signed big-endian 32 bits. */
function read32(u8: Uint8Array, at: number): number {
  return (u8[at]! << 24) | (u8[at + 1]! << 16) | (u8[at + 2]! << 8) | u8[at + 3]!;
}

/**
 * Bytes a value needs for its header (and fixed-size payload), by tag from 0xc0; 0: not a format
 * lua_cmsgpack reads (0xc1, bin, ext, fixext: "Bad data format").
 */
const SIZES: number[] = (() => {
  const sizes = new Array<number>(0x40).fill(0);
  const set = (tag: number, size: number): void => {
    sizes[tag - 0xc0] = size;
  };
  set(0xc0, 1);
  set(0xc2, 1);
  set(0xc3, 1);
  set(0xca, 5);
  set(0xcb, 9);
  set(0xcc, 2);
  set(0xcd, 3);
  set(0xce, 5);
  set(0xcf, 9);
  set(0xd0, 2);
  set(0xd1, 3);
  set(0xd2, 5);
  set(0xd3, 9);
  set(0xd9, 2);
  set(0xda, 3);
  set(0xdb, 5);
  set(0xdc, 3);
  set(0xdd, 5);
  set(0xde, 3);
  set(0xdf, 5);
  return sizes;
})();

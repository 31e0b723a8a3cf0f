import { LuaType as LuaTypeBinding, type LuaVM } from "../../LuaVM.js";
import type { CjsonConfig } from "./CjsonConfig.js";
import { formatNumberG as formatNumberGBinding } from "./formatNumber.js";

// A module-local alias: hot loops read it constantly, and an imported binding can cost a getter
// call per read under some loaders (vitest's among them).
const LuaType = LuaTypeBinding;
const formatNumberG = formatNumberGBinding;

/**
 * `cjson.encode` as lua_cjson.c's `json_append_data` and friends: walks the value with the same
 * Lua API calls in the same order (so tables iterate, and stack limits hit, exactly as in Redis)
 * and writes the JSON bytes into a reused JS buffer, pushed as one Lua string at the end.
 */

/** How each byte is written inside a JSON string: null when as itself (lua_cjson's `char2escape`). */
const ESCAPES: (Uint8Array | null)[] = Array.from({ length: 256 }, (_, byte) => {
  let text: string | null = null;
  if (byte < 0x20) {
    const short: Record<number, string> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r" };
    text = short[byte] ?? `\\u${byte.toString(16).padStart(4, "0")}`;
  } else if (byte === 0x22) text = '\\"';
  else if (byte === 0x2f) text = "\\/";
  else if (byte === 0x5c) text = "\\\\";
  else if (byte === 0x7f) text = "\\u007f";
  return text === null ? null : Buffer.from(text, "latin1");
});

const INT_MIN = -(2 ** 31);
const NULL_BYTES = Buffer.from("null");
const TRUE_BYTES = Buffer.from("true");
const FALSE_BYTES = Buffer.from("false");
const NAN_BYTES = Buffer.from("nan");

export class JsonEncoder {
  private out = new Uint8Array(4096);
  private length = 0;

  /** A `size_t` out-parameter for `lua_tolstring`. */
  private readonly lenPtr: number;
  /** Open tables, innermost last: the array length (-1: an object), the elements done so far. */
  private readonly openLengths: number[] = [];
  private readonly openIndices: number[] = [];

  constructor(private readonly vm: LuaVM) {
    this.lenPtr = vm.x.malloc(4);
  }

  /** Encodes the value at the top of `L`'s stack and pushes the JSON string. */
  encode(L: number, config: CjsonConfig): void {
    this.length = 0;
    this.appendData(L, config);
    this.vm.pushBytes(L, this.out, 0, this.length);
    if (this.out.length > 1 << 20) this.out = new Uint8Array(4096);
  }

  /**
   * `json_append_data` and the array/object appenders it recurses into, as a loop over an explicit
   * stack of open tables: nesting may reach Lua's stack limit (~8000 levels), deeper than JS
   * recursion can safely go. The Lua API calls are C's, in C's order.
   */
  private appendData(L: number, config: CjsonConfig): void {
    const x = this.vm.x;
    const lengths = this.openLengths;
    const indices = this.openIndices;
    lengths.length = 0;
    indices.length = 0;
    for (;;) {
      if (x.lua_type(L, -1) === LuaType.Table) {
        const depth = lengths.length + 1;
        if (depth > config.encodeMaxDepth || x.lua_checkstack(L, 3) === 0) {
          this.vm.errorAt(L, `Cannot serialise, excessive nesting (${depth})`);
        }
        const arrayLength = this.arrayLength(L, config);
        if (arrayLength > 0) {
          this.appendByte(0x5b);
          lengths.push(arrayLength);
        } else {
          this.appendByte(0x7b);
          x.lua_pushnil(L);
          lengths.push(-1);
        }
        indices.push(0);
      } else {
        this.appendScalar(L, config);
        if (lengths.length === 0) return;
        x.lua_settop(L, -2);
      }
      // Push the next element of the innermost open table, closing the tables that are done.
      for (;;) {
        const top = lengths.length - 1;
        const length = lengths[top]!;
        const index = indices[top]! + 1;
        indices[top] = index;
        if (length > 0) {
          if (index <= length) {
            if (index > 1) this.appendByte(0x2c);
            x.lua_rawgeti(L, -1, index);
            break;
          }
          this.appendByte(0x5d);
        } else {
          if (x.lua_next(L, -2) !== 0) {
            if (index > 1) this.appendByte(0x2c);
            this.appendKey(L, config);
            break;
          }
          this.appendByte(0x7d);
        }
        lengths.pop();
        indices.pop();
        if (lengths.length === 0) return;
        x.lua_settop(L, -2);
      }
    }
  }

  /** A value that is not a table. */
  private appendScalar(L: number, config: CjsonConfig): void {
    const x = this.vm.x;
    switch (x.lua_type(L, -1)) {
      case LuaType.String:
        this.appendString(L, -1);
        return;
      case LuaType.Number:
        this.appendNumber(L, config, -1);
        return;
      case LuaType.Boolean:
        this.appendBytes(x.lua_toboolean(L, -1) ? TRUE_BYTES : FALSE_BYTES);
        return;
      case LuaType.Nil:
        this.appendBytes(NULL_BYTES);
        return;
      case LuaType.LightUserdata:
        if (x.lua_touserdata(L, -1) === 0) {
          this.appendBytes(NULL_BYTES);
          return;
        }
        this.fail(L, -1, "type not supported");
        return;
      default:
        this.fail(L, -1, "type not supported");
    }
  }

  /** An object key (at -2, its value on top) and the colon. */
  private appendKey(L: number, config: CjsonConfig): void {
    const keyType = this.vm.x.lua_type(L, -2);
    if (keyType === LuaType.Number) {
      this.appendByte(0x22);
      this.appendNumber(L, config, -2);
      this.appendByte(0x22);
      this.appendByte(0x3a);
    } else if (keyType === LuaType.String) {
      this.appendString(L, -2);
      this.appendByte(0x3a);
    } else {
      this.fail(L, -2, "table key must be a number or string");
    }
  }

  /**
   * The array length of the table on top (`lua_array_length`): -1 when some key is not a positive
   * integer, or when the array is excessively sparse and conversion to an object is on.
   */
  private arrayLength(L: number, config: CjsonConfig): number {
    const x = this.vm.x;
    let max = 0;
    let items = 0;
    x.lua_pushnil(L);
    while (x.lua_next(L, -2) !== 0) {
      const k = x.lua_type(L, -2) === LuaType.Number ? x.lua_tonumber(L, -2) : 0;
      if (k !== 0 && Math.floor(k) === k && k >= 1) {
        // `max = k` stores a double into a C int: x86-64 gives INT_MIN when it does not fit.
        if (k > max) max = k < 2 ** 31 ? k : INT_MIN;
        items++;
        x.lua_settop(L, -2);
        continue;
      }
      x.lua_settop(L, -3);
      return -1;
    }
    if (
      config.encodeSparseRatio > 0 &&
      max > Math.imul(items, config.encodeSparseRatio) &&
      max > config.encodeSparseSafe
    ) {
      if (!config.encodeSparseConvert) this.fail(L, -1, "excessively sparse array");
      return -1;
    }
    return max;
  }

  private appendNumber(L: number, config: CjsonConfig, index: number): void {
    const num = this.vm.x.lua_tonumber(L, index);
    const finite = Number.isFinite(num);
    if (config.encodeInvalidNumbers === 0) {
      if (!finite) this.fail(L, index, "must not be NaN or Inf");
    } else if (config.encodeInvalidNumbers === 1) {
      // Written as "nan" whatever its sign (some C libraries print "-nan").
      if (num !== num) {
        this.appendBytes(NAN_BYTES);
        return;
      }
    } else if (!finite) {
      this.appendBytes(NULL_BYTES);
      return;
    }
    const text = formatNumberG(num, config.encodeNumberPrecision);
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.out[this.length++] = text.charCodeAt(i);
  }

  private appendString(L: number, index: number): void {
    const pointer = this.vm.x.lua_tolstring(L, index, this.lenPtr);
    const u8 = this.vm.u8;
    const p = this.lenPtr;
    const end = pointer + ((u8[p]! | (u8[p + 1]! << 8) | (u8[p + 2]! << 16) | (u8[p + 3]! << 24)) >>> 0);
    this.reserve((end - pointer) * 6 + 2);
    const out = this.out;
    let n = this.length;
    out[n++] = 0x22;
    for (let i = pointer; i < end; i++) {
      const byte = u8[i]!;
      const escape = ESCAPES[byte];
      if (escape === null || escape === undefined) {
        out[n++] = byte;
      } else {
        out.set(escape, n);
        n += escape.length;
      }
    }
    out[n++] = 0x22;
    this.length = n;
  }

  /** `json_encode_exception`: "Cannot serialise <type>: <reason>". */
  private fail(L: number, index: number, reason: string): never {
    const x = this.vm.x;
    const typeName = this.vm.cString(x.lua_typename(L, x.lua_type(L, index)));
    return this.vm.errorAt(L, `Cannot serialise ${typeName}: ${reason}`);
  }

  private appendByte(byte: number): void {
    if (this.length === this.out.length) this.reserve(1);
    this.out[this.length++] = byte;
  }

  private appendBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.out.set(bytes, this.length);
    this.length += bytes.length;
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.out.length) return;
    const grown = new Uint8Array(Math.max(needed, this.out.length * 2));
    grown.set(this.out.subarray(0, this.length));
    this.out = grown;
  }
}

import { LUA_GLOBALSINDEX, LuaType, type LuaVM } from "../../LuaVM.js";
import { argError, checkInt, errorAt } from "./libSupport.js";
import { doubleToInt64Number, doubleToLongToInt32 } from "./x86Conversions.js";

/**
 * The base-library functions whose integer arguments a 64-bit `lua_Integer` (x86-64, where
 * redis-server runs) reads differently from the wasm Lua's 32-bit one. `luaL_checkint` keeps the
 * low 32 bits of the 64-bit conversion there (`string.rep('a', 2^32 + 2)` is "aa"), while the
 * wasm's conversion saturates; `luaL_checkinteger` positions keep 64 bits (`string.sub(s, 2, 2^32)`
 * is the whole tail). Each function is wrapped: its integer arguments are rewritten to the 32-bit
 * value that gives the x86-64 result, then Lua's C function runs in the same call frame, so its
 * errors still name the function and the caller's line.
 */

/** "int": `luaL_checkint`/`luaL_optint`; "position": a `luaL_checkinteger` string position (ptrdiff_t). */
type IntegerKind = "int" | "position";

interface Wrapped {
  library: string | null;
  name: string;
  /** Argument indexes and kinds; "all" for every argument. */
  args: readonly (readonly [number, IntegerKind])[] | "all";
  /** Only rewrite when called with exactly this many arguments (table.insert's position). */
  onlyWithArgs?: number;
  /** A check the C function gets wrong when compiled for wasm, run after the rewrite. */
  guard?: (vm: LuaVM, L: number) => void;
}

const WRAPPED: readonly Wrapped[] = [
  {
    library: "string",
    name: "sub",
    args: [
      [2, "position"],
      [3, "position"],
    ],
  },
  {
    library: "string",
    name: "byte",
    args: [
      [2, "position"],
      [3, "position"],
    ],
  },
  { library: "string", name: "find", args: [[3, "position"]] },
  { library: "string", name: "match", args: [[3, "position"]] },
  { library: "string", name: "rep", args: [[2, "int"]] },
  { library: "string", name: "gsub", args: [[4, "int"]] },
  { library: "string", name: "char", args: "all" },
  { library: "table", name: "insert", args: [[2, "int"]], onlyWithArgs: 3 },
  { library: "table", name: "remove", args: [[2, "int"]] },
  {
    library: "table",
    name: "concat",
    args: [
      [3, "int"],
      [4, "int"],
    ],
  },
  { library: "math", name: "ldexp", args: [[2, "int"]] },
  { library: null, name: "select", args: [[1, "int"]] },
  {
    library: null,
    name: "unpack",
    args: [
      [2, "int"],
      [3, "int"],
    ],
    guard: unpackCountGuard,
  },
  { library: null, name: "error", args: [[2, "int"]] },
  { library: null, name: "getfenv", args: [[1, "int"]] },
  { library: null, name: "setfenv", args: [[1, "int"]] },
  { library: null, name: "collectgarbage", args: [[2, "int"]] },
];

/**
 * luaB_unpack's `n = e - i + 1; if (n <= 0 ...)` relies on int overflow wrapping, as gcc compiles
 * it ("too many results to unpack"); clang, which built the wasm, drops the check as overflow
 * cannot happen in C, and the loop then pushes 2^31 values and runs out of memory.
 */
function unpackCountGuard(vm: LuaVM, L: number): void {
  const x = vm.x;
  if (x.lua_type(L, 1) !== LuaType.Table) return;
  const at = (index: number, fallback: () => number): number | null => {
    if (x.lua_type(L, index) <= LuaType.Nil) return fallback();
    return x.lua_isnumber(L, index) === 0 ? null : Math.trunc(x.lua_tonumber(L, index));
  };
  const i = at(2, () => 1);
  const e = at(3, () => x.lua_objlen(L, 1));
  if (i !== null && e !== null && i <= e && e - i + 1 > INT32_MAX) errorAt(vm, L, "too many results to unpack");
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The 32-bit argument with the effect the x86-64 conversion of `d` has. */
function convert(d: number, kind: IntegerKind): number {
  if (kind === "int") return doubleToLongToInt32(d);
  // Positions past either end of any string act alike: clamp the 64-bit value into 32 bits.
  return Math.min(INT32_MAX, Math.max(INT32_MIN, doubleToInt64Number(d)));
}

type CFunction = (L: number) => number;

/** Lua's C function stored at `t[name]` for the table at the top of the stack, callable from JS. */
function originalFunction(vm: LuaVM, name: string): CFunction {
  vm.getField(vm.L, -1, name);
  const pointer = vm.x.lua_tocfunction(vm.L, -1);
  vm.x.lua_settop(vm.L, -2);
  if (pointer === 0) throw new Error(`${name} is not a C function`);
  return vm.x.__indirect_function_table.get(pointer) as CFunction;
}

/** Wraps the functions above, and `tonumber` for bases other than 10 (64-bit `strtoul`). */
export function openIntegerArgumentFixes(vm: LuaVM): void {
  const x = vm.x;
  const L0 = vm.L;

  const rewrite = (L: number, index: number, kind: IntegerKind): void => {
    const type = x.lua_type(L, index);
    if (type !== LuaType.Number && (type !== LuaType.String || x.lua_isnumber(L, index) === 0)) return;
    const d = x.lua_tonumber(L, index);
    const converted = convert(d, kind);
    if (converted === d && type === LuaType.Number) return;
    x.lua_pushnumber(L, converted);
    x.lua_replace(L, index);
  };

  for (const { library, name, args, onlyWithArgs, guard } of WRAPPED) {
    if (library === null) x.lua_pushvalue(L0, LUA_GLOBALSINDEX);
    else vm.getField(L0, LUA_GLOBALSINDEX, library);
    const original = originalFunction(vm, name);
    vm.setFunction(L0, name, (L) => {
      const top = x.lua_gettop(L);
      if (onlyWithArgs === undefined || top === onlyWithArgs) {
        if (args === "all") for (let i = 1; i <= top; i++) rewrite(L, i, "int");
        else for (const [index, kind] of args) if (index <= top) rewrite(L, index, kind);
      }
      guard?.(vm, L);
      return original(L);
    });
    x.lua_settop(L0, -2);
  }

  x.lua_pushvalue(L0, LUA_GLOBALSINDEX);
  const tonumber = originalFunction(vm, "tonumber");
  vm.setFunction(L0, "tonumber", (L) => {
    if (x.lua_type(L, 2) <= LuaType.Nil) return tonumber(L);
    const base = checkInt(vm, L, 2);
    if (base === 10) {
      x.lua_pushnumber(L, 10);
      x.lua_replace(L, 2);
      return tonumber(L);
    }
    x.luaL_checklstring(L, 1, 0);
    const s = vm.bytesView(L, 1)!;
    if (!(base >= 2 && base <= 36)) argError(vm, L, 2, "base out of range");
    const n = parseUnsignedLong(s, base);
    if (n === null) x.lua_pushnil(L);
    else x.lua_pushnumber(L, n);
    return 1;
  });
  x.lua_settop(L0, -2);
}

const isSpace = (c: number | undefined): boolean => c === 0x20 || (c !== undefined && c >= 0x09 && c <= 0x0d);

function digitValue(c: number | undefined): number {
  if (c === undefined) return 99;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41 + 10;
  return 99;
}

const ULONG_MAX = 2n ** 64n - 1n;

/**
 * Lua 5.1's `tonumber(s, base)` for base ≠ 10: glibc's 64-bit `strtoul` on the C string (up to
 * the first NUL), then only spaces may follow. Overflow gives ULONG_MAX; a '-' negates modulo 2^64.
 */
export function parseUnsignedLong(bytes: Uint8Array, base: number): number | null {
  const nul = bytes.indexOf(0);
  const end = nul < 0 ? bytes.length : nul;
  const at = (i: number): number | undefined => (i < end ? bytes[i] : undefined);
  let i = 0;
  while (isSpace(at(i))) i++;
  let negative = false;
  if (at(i) === 0x2d || at(i) === 0x2b) negative = at(i++) === 0x2d;
  if (base === 16 && at(i) === 0x30 && (at(i + 1) === 0x78 || at(i + 1) === 0x58)) {
    // "0x" with no digit after it converts the "0" alone, leaving the "x" unparsed.
    if (digitValue(at(i + 2)) >= 16) return null;
    i += 2;
  }
  const digitsStart = i;
  let value = 0n;
  let overflow = false;
  const bigBase = BigInt(base);
  while (digitValue(at(i)) < base) {
    if (!overflow) {
      value = value * bigBase + BigInt(digitValue(at(i)));
      if (value > ULONG_MAX) overflow = true;
    }
    i++;
  }
  if (i === digitsStart) return null;
  while (isSpace(at(i))) i++;
  if (i !== end) return null;
  if (overflow) return Number(ULONG_MAX);
  return Number(negative ? BigInt.asUintN(64, -value) : value);
}

import { LUA_GLOBALSINDEX, LuaType, type LuaVM } from "../../LuaVM.js";
import { errorAt, originalFunction } from "./libSupport.js";
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
];

/**
 * luaB_unpack's `n = e - i + 1; if (n <= 0 ...)` relies on int overflow wrapping, as gcc compiles
 * it ("too many results to unpack"); clang, which built the wasm, drops the check as overflow
 * cannot happen in C, and the loop then pushes 2^31 values and runs out of memory.
 */
function unpackCountGuard(vm: LuaVM, L: number): void {
  const x = vm.x;
  // From the default start of 1 the count cannot overflow.
  if (x.lua_type(L, 2) <= LuaType.Nil || x.lua_type(L, 1) !== LuaType.Table) return;
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

/** Wraps the functions above. */
export function openIntegerArgumentFixes(vm: LuaVM): void {
  const x = vm.x;
  const L0 = vm.L;

  const rewrite = (L: number, index: number, kind: IntegerKind): void => {
    // In the int32 range both conversions truncate alike; a non-number reads as 0 and is left to
    // the C function's own check. Only the rest (rare) is rewritten.
    const d = x.lua_tonumber(L, index);
    if (d > INT32_MIN - 1 && d < INT32_MAX + 1) return;
    x.lua_pushnumber(L, convert(d, kind));
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
}

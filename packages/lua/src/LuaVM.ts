import { addHostFunction } from "./wasm/hostFunction.js";
import { instantiateLua, type LuaInstance } from "./wasm/instantiateLua.js";
import type { LuaExports } from "./wasm/LuaExports.js";

/** A JS function Lua can call: reads its arguments from `L`'s stack, pushes results, returns their count. */
export type LuaFunction = (L: number) => number;

/** Pseudo-indices and codes of the Lua 5.1 C API. */
export const LUA_REGISTRYINDEX = -10000;
export const LUA_GLOBALSINDEX = -10002;
export const LUA_MULTRET = -1;
export const LuaStatus = { Ok: 0, Yield: 1, ErrRun: 2, ErrSyntax: 3, ErrMem: 4, ErrErr: 5 } as const;
export const LuaType = {
  None: -1,
  Nil: 0,
  Boolean: 1,
  LightUserdata: 2,
  Number: 3,
  String: 4,
  Table: 5,
  Function: 6,
  Userdata: 7,
  Thread: 8,
} as const;
export const LuaHookMask = { Call: 1, Return: 2, Line: 4, Count: 8 } as const;

/** Where a stack level is running, from `lua_getinfo(L, "Sl")`. */
export interface LuaFrameInfo {
  /** "Lua", "C", "main" or "tail". */
  what: string;
  source: string;
  currentLine: number;
}

const LUA_GCCOUNT = 3;
const LUA_GCCOUNTB = 4;
/** `lua_upvalueindex(1)`: a host function's id, the upvalue of its C closure. */
const UPVALUE_1 = LUA_GLOBALSINDEX - 1;
/** `lua_upvalueindex(2)`: the value a closure pushed by {@link LuaVM.pushClosure} carries. */
export const UPVALUE_2 = LUA_GLOBALSINDEX - 2;
/** sizeof(lua_Debug) on wasm32, and the offsets of the fields read back. */
const DEBUG_SIZE = 100;
const DEBUG_WHAT = 12;
const DEBUG_SOURCE = 16;
const DEBUG_CURRENTLINE = 20;
/** `lua_State.nCcalls` and `.baseCcalls` (unsigned short) on wasm32, for `canYield`. */
const STATE_NCCALLS = 52;
const STATE_BASECCALLS = 54;

const utf8 = new TextEncoder();

/**
 * Copies bytes between arrays: a loop for the short strings scripts mostly move (`set` over a
 * `subarray` costs an allocation, and Buffer#copy more), `set` for long ones.
 */
function copyBytes(src: Uint8Array, srcStart: number, dst: Uint8Array, dstStart: number, len: number): void {
  if (len <= 64) {
    for (let i = 0; i < len; i++) dst[dstStart + i] = src[srcStart + i]!;
  } else dst.set(src.subarray(srcStart, srcStart + len), dstStart);
}
/** The first byte of Lua's precompiled chunks ("\x1bLua"). */
const LUA_SIGNATURE = 0x1b;

/**
 * One Lua 5.1 universe (a `lua_State` and its wasm instance) with the helpers a host needs: moving
 * bytes and strings across, registering JS functions, raising Lua errors from them, hooks and
 * stack inspection. Calls go straight to the wasm exports (`vm.x`); nothing allocates on the JS
 * heap per call except what the caller asks for (a copied string, a Buffer).
 */
export class LuaVM {
  readonly x: LuaExports;
  /** The main thread. */
  readonly L: number;
  private readonly lua: LuaInstance;
  private readonly functions: LuaFunction[] = [];
  private readonly dispatchIndex: number;
  /** A growable buffer in wasm memory for bytes passed to Lua; `size_t` out-parameter beside it. */
  private scratch = 0;
  private scratchSize = 0;
  private readonly lenPtr: number;
  private readonly debugPtr: number;
  /** NUL-terminated names (field, global and chunk names), allocated once each. */
  private readonly names = new Map<string, number>();
  private hookIndex = -1;
  private hookFunction: ((L: number) => void) | null = null;

  constructor() {
    this.lua = instantiateLua();
    this.x = this.lua.x;
    const L = this.x.luaL_newstate();
    if (L === 0) throw new Error("Lua: out of memory creating the state");
    this.L = L;
    this.lenPtr = this.x.malloc(8);
    this.debugPtr = this.x.malloc(DEBUG_SIZE);
    this.ensureScratch(4096);
    this.dispatchIndex = addHostFunction(this.lua, (L) => this.dispatch(L), 1, true);
  }

  /** The memory as bytes (renewed after growth: do not keep it across Lua calls). */
  get u8(): Uint8Array {
    return this.lua.u8;
  }

  get u32(): Uint32Array {
    return this.lua.u32;
  }

  /** Bytes the Lua allocator holds (`collectgarbage("count")` × 1024). */
  memoryUsed(): number {
    return this.x.lua_gc(this.L, LUA_GCCOUNT, 0) * 1024 + this.x.lua_gc(this.L, LUA_GCCOUNTB, 0);
  }

  /** Opens a standard library (`luaopen_*`) the way `luaL_openlibs` does: through a call. */
  openLibrary(open: (L: number) => number, name: string): void {
    const L = this.L;
    this.pushFunction(L, () => open(L) ?? 0);
    this.pushString(L, name);
    this.x.lua_call(L, 1, 0);
  }

  // --- values in ---

  pushBytes(L: number, bytes: Uint8Array, offset = 0, length = bytes.length - offset): void {
    this.ensureScratch(length);
    copyBytes(bytes, offset, this.lua.u8, this.scratch, length);
    this.x.lua_pushlstring(L, this.scratch, length);
  }

  /** Pushes a JS string as UTF-8 (Lua strings are bytes). */
  pushString(L: number, s: string): void {
    this.ensureScratch(s.length * 3);
    const { written } = utf8.encodeInto(s, this.lua.u8.subarray(this.scratch, this.scratch + this.scratchSize));
    this.x.lua_pushlstring(L, this.scratch, written);
  }

  /** Pushes a fixed name (interned once as a C string): cheaper than pushString for repeated names. */
  pushName(L: number, name: string): void {
    this.x.lua_pushstring(L, this.name(name));
  }

  /** Pushes a JS function as a Lua C function. */
  pushFunction(L: number, fn: LuaFunction): void {
    this.x.lua_pushnumber(L, this.registerFunction(fn));
    this.x.lua_pushcclosure(L, this.dispatchIndex, 1);
  }

  /** How many JS functions the VM holds (they live as long as it does). */
  get registeredFunctions(): number {
    return this.functions.length;
  }

  /**
   * Registers a JS function once, for {@link pushClosure}: the VM keeps it for its lifetime, so a
   * library that makes closures at run time (cjson.new) registers its functions once, not per closure.
   */
  registerFunction(fn: LuaFunction): number {
    this.functions.push(fn);
    return this.functions.length - 1;
  }

  /**
   * Pushes a C closure of the registered function `id` carrying the value at the top of the stack
   * (popped) as its upvalue {@link UPVALUE_2}, as C libraries keep per-instance state (lua_cjson's
   * config userdata): collected with the closures, unlike a JS function per instance.
   */
  pushClosure(L: number, id: number): void {
    this.x.lua_pushnumber(L, id);
    this.x.lua_insert(L, -2);
    this.x.lua_pushcclosure(L, this.dispatchIndex, 2);
  }

  /** `t[name] = v` for the table at `index`, popping v (`lua_setfield`). */
  setField(L: number, index: number, name: string): void {
    this.x.lua_setfield(L, index, this.name(name));
  }

  getField(L: number, index: number, name: string): void {
    this.x.lua_getfield(L, index, this.name(name));
  }

  /** Sets the named function in the table at the top of the stack. */
  setFunction(L: number, name: string, fn: LuaFunction): void {
    this.pushFunction(L, fn);
    this.setField(L, -2, name);
  }

  // --- values out ---

  /**
   * The string (or number, converted in place as `lua_tolstring` does) at `index` as a view of
   * wasm memory, or null. Valid until the next call into Lua.
   */
  bytesView(L: number, index: number): Uint8Array | null {
    const ptr = this.x.lua_tolstring(L, index, this.lenPtr);
    if (ptr === 0) return null;
    const len = this.lua.u32[this.lenPtr >>> 2]!;
    return this.lua.u8.subarray(ptr, ptr + len);
  }

  /**
   * Where the string (or number, converted in place) at `index` lies in wasm memory: its
   * address, with its length in {@link stringLength}, or 0 when it is not a string. Valid until
   * the next call into Lua; copy it out with {@link copyFrom}.
   */
  stringAt(L: number, index: number): number {
    const ptr = this.x.lua_tolstring(L, index, this.lenPtr);
    this.stringLength = ptr === 0 ? -1 : this.lua.u32[this.lenPtr >>> 2]!;
    return ptr;
  }

  /** Length of the string {@link stringAt} found last (-1: not a string). */
  stringLength = -1;

  /** Copies `len` bytes at wasm address `ptr` into `target` at `offset`, without allocating. */
  copyFrom(ptr: number, len: number, target: Uint8Array, offset: number): void {
    copyBytes(this.lua.u8, ptr, target, offset, len);
  }

  /** A copy of the string at `index`, or null. */
  toBuffer(L: number, index: number): Buffer | null {
    const view = this.bytesView(L, index);
    return view === null ? null : Buffer.from(view);
  }

  /** The string at `index` decoded as UTF-8, or null. */
  toString(L: number, index: number): string | null {
    const view = this.bytesView(L, index);
    return view === null ? null : Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString("utf8");
  }

  /** The string at `index` as latin1 (one char per byte: binary-safe), or "" when not a string. */
  toLatin1(L: number, index: number): string {
    const view = this.bytesView(L, index);
    return view === null ? "" : Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString("latin1");
  }

  // --- errors, calls, loading ---

  /** Raises a Lua error with a string message from inside a host function. Never returns. */
  error(L: number, message: string): never {
    this.pushString(L, message);
    return this.x.lua_error(L);
  }

  /**
   * Raises a Lua error as C's `luaL_error` does: `msg` prefixed with the position of the Lua code
   * that called the running host function ("user_script:1: "), or nothing when a C function such
   * as `pcall` called it. Never returns.
   */
  errorAt(L: number, message: string): never {
    this.x.luaL_where(L, 1);
    this.pushString(L, message);
    this.x.lua_concat(L, 2);
    return this.x.lua_error(L);
  }

  /**
   * Compiles `code` as source text in a chunk named `chunkName`; pushes the function or the
   * error message. Never loads precompiled bytecode (Redis patches it out of `f_parser`: Lua
   * 5.1 does not verify bytecode): text starting with the bytecode signature is parsed as
   * source, after a space, so it fails as Redis's does.
   */
  load(L: number, code: Uint8Array, chunkName: string): number {
    const guard = code.length > 0 && code[0] === LUA_SIGNATURE ? 1 : 0;
    this.ensureScratch(code.length + guard);
    if (guard === 1) this.lua.u8[this.scratch] = 0x20;
    this.lua.u8.set(code, this.scratch + guard);
    return this.x.luaL_loadbuffer(L, this.scratch, code.length + guard, this.name(chunkName));
  }

  // --- hooks and introspection ---

  /** The hook function of the last {@link setHook} (one per VM), or null: to put it back after a temporary hook. */
  get hook(): ((L: number) => void) | null {
    return this.hookFunction;
  }

  /** Installs `hook` as the debug hook of thread `L` (one hook function per VM). */
  setHook(L: number, hook: ((L: number) => void) | null, mask: number, count: number): void {
    this.hookFunction = hook;
    if (hook === null) {
      this.x.lua_sethook(L, 0, 0, 0);
      return;
    }
    if (this.hookIndex < 0) {
      this.hookIndex = addHostFunction(
        this.lua,
        (L) => {
          this.hookFunction?.(L);
          return undefined;
        },
        2,
        false,
      );
    }
    this.x.lua_sethook(L, this.hookIndex, mask, count);
  }

  /**
   * Whether thread `L` may yield now (Lua 5.1's `lua_yield` refuses with "attempt to yield across
   * metamethod/C-call boundary" when a C function such as `pcall` is between it and `lua_resume`).
   */
  canYield(L: number): boolean {
    const u8 = this.lua.u8;
    const nCcalls = u8[L + STATE_NCCALLS]! | (u8[L + STATE_NCCALLS + 1]! << 8);
    const baseCcalls = u8[L + STATE_BASECCALLS]! | (u8[L + STATE_BASECCALLS + 1]! << 8);
    return nCcalls <= baseCcalls;
  }

  /** What runs at stack `level` of thread `L` (0 = the running function), or null past the end. */
  frameInfo(L: number, level: number): LuaFrameInfo | null {
    const ar = this.debugPtr;
    if (this.x.lua_getstack(L, level, ar) === 0) return null;
    this.x.lua_getinfo(L, this.name("Sl"), ar);
    const u32 = this.lua.u32;
    return {
      what: this.cString(u32[(ar + DEBUG_WHAT) >>> 2]!),
      source: this.cString(u32[(ar + DEBUG_SOURCE) >>> 2]!),
      currentLine: u32[(ar + DEBUG_CURRENTLINE) >>> 2]! | 0,
    };
  }

  /** A NUL-terminated string in wasm memory, as latin1. */
  cString(ptr: number): string {
    if (ptr === 0) return "";
    const u8 = this.lua.u8;
    let end = ptr;
    while (u8[end] !== 0) end++;
    return Buffer.from(u8.buffer, ptr, end - ptr).toString("latin1");
  }

  close(): void {
    this.x.lua_close(this.L);
  }

  // --- internals ---

  /** A stable C string for a name, allocated on first use. */
  name(s: string): number {
    let ptr = this.names.get(s);
    if (ptr === undefined) {
      const bytes = utf8.encode(s);
      ptr = this.x.malloc(bytes.length + 1);
      this.lua.u8.set(bytes, ptr);
      this.lua.u8[ptr + bytes.length] = 0;
      this.names.set(s, ptr);
    }
    return ptr;
  }

  private ensureScratch(size: number): void {
    if (size <= this.scratchSize) return;
    if (this.scratch !== 0) this.x.free(this.scratch);
    const want = Math.max(size, this.scratchSize * 2, 4096);
    this.scratch = this.x.malloc(want);
    if (this.scratch === 0) throw new RangeError("Lua: out of memory for a string");
    this.scratchSize = want;
  }

  private dispatch(L: number): number {
    const fn = this.functions[this.x.lua_tonumber(L, UPVALUE_1)]!;
    try {
      return fn(L);
    } catch (e) {
      // A Lua error (longjmp) is a number and must unwind on; a JS exception becomes a Lua error
      // so the C stack is unwound the way Lua expects.
      if (typeof e === "number") throw e;
      return this.error(L, e instanceof Error ? e.message : String(e));
    }
  }
}

import { existsSync, readFileSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { LuaExports } from "./LuaExports.js";
import { Wasm, type WasmMemory } from "./wasmApi.js";

/**
 * Instantiates stock Lua 5.1.5 compiled to WebAssembly (the `liblua5.1.wasm` that the npm package
 * `wasmoon-lua5.1` ships) with our own host imports instead of its Emscripten glue: the glue wraps
 * every export in an assertion closure that builds a template string per call, and it only
 * instantiates asynchronously. Here the exports are called directly and the module is ready
 * synchronously. The imports are the few the C library needs: memory growth, the clock,
 * `longjmp` for Lua errors, stdout for `print`; the file and OS calls fail, as nedis never opens
 * Lua's `io` and `os` libraries.
 */

export const LUA_WASM_FILE = "liblua5.1.wasm";

/**
 * Where the wasm binary is: beside this module when a bundle ships it there (the standalone
 * server), else resolved from the dependency — it is never copied into this repository.
 */
export function luaWasmPath(): string {
  const beside = fileURLToPath(new URL(LUA_WASM_FILE, import.meta.url));
  if (existsSync(beside)) return beside;
  return createRequire(import.meta.url).resolve(`wasmoon-lua5.1/dist/${LUA_WASM_FILE}`);
}

let compiled: object | null = null;

/** The compiled module, shared by every instance (compiling takes ~10 ms; instantiating less). */
function compiledModule(): object {
  if (compiled === null) compiled = new Wasm.Module(readFileSync(luaWasmPath()));
  return compiled;
}

const ENOSYS = 52;
const EBADF = 8;
const WASM_PAGE = 65536;

/** A running instance: its exports and views of its memory, renewed when the memory grows. */
export interface LuaInstance {
  readonly x: LuaExports;
  readonly memory: WasmMemory;
  /** The memory as bytes; replaced after growth (read it through the instance each time). */
  u8: Uint8Array;
  u32: Uint32Array;
  f64: Float64Array;
}

export function instantiateLua(): LuaInstance {
  let exports: LuaExports | null = null;
  const ex = (): LuaExports => exports as LuaExports;
  const state = {} as LuaInstance;
  const refreshViews = (): void => {
    const buffer = ex().memory.buffer;
    state.u8 = new Uint8Array(buffer);
    state.u32 = new Uint32Array(buffer);
    state.f64 = new Float64Array(buffer);
  };
  const fail = (): number => -ENOSYS;
  const env = {
    exit(code: number): never {
      throw new Error(`Lua called exit(${code})`);
    },
    // Lua's error handling is setjmp/longjmp, which Emscripten turns into a JS throw caught by an
    // `invoke_*` import around the protected call (luaD_rawrunprotected: `f(L, ud)`).
    invoke_vii(index: number, a: number, b: number): void {
      const x = ex();
      const sp = x.stackSave();
      try {
        (x.__indirect_function_table.get(index) as (a: number, b: number) => void)(a, b);
      } catch (e) {
        x.stackRestore(sp);
        // Only the longjmp marker (a number) is Lua's; anything else is a bug to surface.
        if (typeof e !== "number") throw e;
        x.setThrew(1, 0);
      }
    },
    _emscripten_throw_longjmp(): never {
      throw Number.POSITIVE_INFINITY;
    },
    emscripten_memcpy_js(dest: number, src: number, num: number): void {
      state.u8.copyWithin(dest, src, src + num);
    },
    emscripten_date_now: (): number => Date.now(),
    _emscripten_get_now_is_monotonic: (): number => 1,
    emscripten_resize_heap(requested: number): number {
      const memory = ex().memory;
      const have = memory.buffer.byteLength;
      // Grow geometrically, as Emscripten does, so a growing script does not grow page by page.
      const want = Math.max(requested >>> 0, Math.min(have * 2, have + 256 * 1024 * 1024));
      try {
        memory.grow(Math.ceil((want - have) / WASM_PAGE));
      } catch {
        try {
          memory.grow(Math.ceil(((requested >>> 0) - have) / WASM_PAGE));
        } catch {
          return 0;
        }
      }
      refreshViews();
      return 1;
    },
    strftime: (): number => 0,
    _mktime_js: (): number => -1,
    _localtime_js: (): void => {},
    _gmtime_js: (): void => {},
    _tzset_js: (): void => {},
    _emscripten_system: (): number => -1,
    __syscall_openat: fail,
    __syscall_fcntl64: fail,
    __syscall_ioctl: fail,
    __syscall_dup3: fail,
    __syscall_unlinkat: fail,
    __syscall_rmdir: fail,
    __syscall_renameat: fail,
    __syscall_readlinkat: fail,
  };
  const wasi = {
    // Lua's `print` writes to stdout, as redis-server's does.
    fd_write(fd: number, iov: number, iovcnt: number, pnum: number): number {
      if (fd !== 1 && fd !== 2) return EBADF;
      let written = 0;
      for (let i = 0; i < iovcnt; i++) {
        const ptr = state.u32[(iov >>> 2) + i * 2]!;
        const len = state.u32[(iov >>> 2) + i * 2 + 1]!;
        if (len > 0) writeSync(fd, state.u8, ptr, len);
        written += len;
      }
      state.u32[pnum >>> 2] = written;
      return 0;
    },
    fd_read: (): number => EBADF,
    fd_close: (): number => 0,
    fd_seek: (): number => EBADF,
    environ_sizes_get(countPtr: number, sizePtr: number): number {
      state.u32[countPtr >>> 2] = 0;
      state.u32[sizePtr >>> 2] = 0;
      return 0;
    },
    environ_get: (): number => 0,
  };
  const instance = new Wasm.Instance(compiledModule(), { env, wasi_snapshot_preview1: wasi });
  exports = instance.exports as unknown as LuaExports;
  Object.assign(state, { x: exports, memory: exports.memory });
  refreshViews();
  exports.emscripten_stack_init();
  exports.__wasm_call_ctors();
  return state;
}

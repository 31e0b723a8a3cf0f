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
  if (compiled === null) compiled = new Wasm.Module(withRedisStringHash(readFileSync(luaWasmPath())));
  return compiled;
}

/**
 * `luaS_newlstr`'s hash loop in this build: `step = (l >> 5) + 1` kept as `l >> 5` in a local.
 * Stock Lua 5.1 hashes one character in 32 of a long string, so strings that differ only
 * between the sampled characters share a bucket and interning turns quadratic; Redis hashes
 * every character (redis/redis#9449). The one instruction `i32.const 5` becomes `i32.const
 * 31`, which makes the step 1 for any string shorter than 2 GiB.
 */
const STRING_HASH_STEP = [
  0x20, 0x02, 0x20, 0x02, 0x41, 0x05, 0x76, 0x22, 0x05, 0x4b, 0x04, 0x40, 0x20, 0x01, 0x41, 0x01, 0x6b,
];
const SHIFT_OFFSET = 5;

export function withRedisStringHash(wasm: Buffer): Buffer {
  const pattern = Buffer.from(STRING_HASH_STEP);
  const at = wasm.indexOf(pattern);
  if (at < 0 || wasm.indexOf(pattern, at + 1) >= 0) {
    throw new Error("@nedis/lua: unexpected liblua5.1.wasm build (string hash loop not found once)");
  }
  const patched = Buffer.from(wasm);
  patched[at + SHIFT_OFFSET] = 31;
  return patched;
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

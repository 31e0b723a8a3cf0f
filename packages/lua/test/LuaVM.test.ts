import { describe, expect, it } from "vitest";
import { LUA_GLOBALSINDEX, LuaHookMask, LuaStatus, LuaVM } from "../src/index.js";

function openBase(vm: LuaVM): void {
  vm.openLibrary((L) => vm.x.luaopen_base(L), "");
  vm.openLibrary((L) => vm.x.luaopen_string(L), "string");
}

/** Runs `code` on the main thread; returns the status and the first result as a string. */
function run(vm: LuaVM, code: string): [number, string | null] {
  const L = vm.L;
  const loaded = vm.load(L, Buffer.from(code), "@user_script");
  const status = loaded !== LuaStatus.Ok ? loaded : vm.x.lua_pcall(L, 0, 1, 0);
  const out = vm.toString(L, -1);
  vm.x.lua_settop(L, 0);
  return [status, out];
}

describe("LuaVM", () => {
  it("runs Lua 5.1 code and reports syntax and runtime errors with the chunk name", () => {
    const vm = new LuaVM();
    openBase(vm);
    expect(run(vm, "return 1 + 1")).toEqual([LuaStatus.Ok, "2"]);
    expect(run(vm, "return (1")).toEqual([LuaStatus.ErrSyntax, "user_script:1: ')' expected near '<eof>'"]);
    expect(run(vm, "error('x')")).toEqual([LuaStatus.ErrRun, "user_script:1: x"]);
    // Lua 5.1: numbers print with %.14g.
    expect(run(vm, "return tostring(2^53)")).toEqual([LuaStatus.Ok, "9.007199254741e+15"]);
  });

  it("calls host functions with bytes both ways and lets them raise Lua errors that pcall catches", () => {
    const vm = new LuaVM();
    openBase(vm);
    vm.pushFunction(vm.L, (L) => {
      const arg = vm.toBuffer(L, 1);
      if (arg?.toString() === "boom") vm.error(L, "boom!");
      vm.pushBytes(L, Buffer.concat([Buffer.from([0, 255]), arg ?? Buffer.alloc(0)]));
      return 1;
    });
    vm.setField(vm.L, LUA_GLOBALSINDEX, "host");
    expect(run(vm, "return #host('ab')")).toEqual([LuaStatus.Ok, "4"]);
    expect(run(vm, "return host('boom')")).toEqual([LuaStatus.ErrRun, "boom!"]);
    expect(run(vm, "local ok, e = pcall(host, 'boom') return tostring(ok) .. e")).toEqual([LuaStatus.Ok, "falseboom!"]);
    expect(run(vm, "return host('fine')")[0]).toBe(LuaStatus.Ok);
  });

  it("turns a JS exception in a host function into a Lua error instead of corrupting the state", () => {
    const vm = new LuaVM();
    openBase(vm);
    vm.pushFunction(vm.L, () => {
      throw new Error("js failure");
    });
    vm.setField(vm.L, LUA_GLOBALSINDEX, "bad");
    expect(run(vm, "return bad()")).toEqual([LuaStatus.ErrRun, "js failure"]);
    expect(run(vm, "return 'still alive'")).toEqual([LuaStatus.Ok, "still alive"]);
  });

  it("yields from a count hook only where Lua 5.1 allows it, and resumes to the end", () => {
    const vm = new LuaVM();
    openBase(vm);
    const co = vm.x.lua_newthread(vm.L);
    const seen: boolean[] = [];
    vm.setHook(
      co,
      (T) => {
        seen.push(vm.canYield(T));
        if (vm.canYield(T)) vm.x.lua_yield(T, 0);
      },
      LuaHookMask.Count,
      100_000,
    );
    const code =
      "local n = 0 for i = 1, 500000 do n = n + 1 end pcall(function() for i = 1, 500000 do n = n + 1 end end) return n";
    vm.load(co, Buffer.from(code), "@user_script");
    let status = vm.x.lua_resume(co, 0);
    let yields = 0;
    while (status === LuaStatus.Yield && yields < 100) {
      yields++;
      status = vm.x.lua_resume(co, 0);
    }
    expect(status).toBe(LuaStatus.Ok);
    expect(vm.toString(co, -1)).toBe("1000000");
    expect(yields).toBeGreaterThan(2);
    // Inside pcall (a C function) the hook must not yield.
    expect(seen).toContain(false);
  });

  it("keeps the stack of a coroutine that died in an error, for error locations", () => {
    const vm = new LuaVM();
    openBase(vm);
    const co = vm.x.lua_newthread(vm.L);
    vm.load(co, Buffer.from("local a = 1\n\nerror('late')"), "@user_script");
    expect(vm.x.lua_resume(co, 0)).toBe(LuaStatus.ErrRun);
    expect(vm.frameInfo(co, 0)?.what).toBe("C");
    expect(vm.frameInfo(co, 1)).toEqual({ what: "main", source: "@user_script", currentLine: 3 });
  });

  it("grows its memory for big tables and reports what the Lua allocator holds", () => {
    const vm = new LuaVM();
    openBase(vm);
    const before = vm.memoryUsed();
    expect(run(vm, "t = {} for i = 1, 1000000 do t[i] = i end return #t")).toEqual([LuaStatus.Ok, "1000000"]);
    expect(vm.memoryUsed()).toBeGreaterThan(before + 8_000_000);
  });
});

describe("Redis's patches to Lua, applied to the stock build", () => {
  it("hashes every character of a string (the build's hash loop is found exactly once and patched)", async () => {
    const { readFileSync } = await import("node:fs");
    const { luaWasmPath, withRedisStringHash } = await import("../src/wasm/instantiateLua.js");
    const original = readFileSync(luaWasmPath());
    const patched = withRedisStringHash(original);
    const differing = patched.findIndex((b, i) => b !== original[i]);
    expect(differing).toBeGreaterThan(0);
    expect(original[differing]).toBe(5);
    expect(patched[differing]).toBe(31);
    expect(patched.filter((b, i) => b !== original[i]).length).toBe(1);
  });

  it("never loads bytecode: a chunk starting with the signature fails to parse as source", () => {
    const vm = new LuaVM();
    openBase(vm);
    expect(run(vm, "\x1bLua return 1")).toEqual([
      LuaStatus.ErrSyntax,
      "user_script:1: unexpected symbol near 'char(27)'",
    ]);
    expect(run(vm, "return string.byte(string.dump(function() end), 1)")).toEqual([LuaStatus.Ok, "27"]);
  });
});

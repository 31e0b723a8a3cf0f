import { LuaHookMask, LuaStatus, type LuaVM } from "@nedis/lua";

/**
 * The Lua threads a script runs on: the engine's script thread and the coroutines its `pcall`
 * calls run on. Lua 5.1 cannot yield across a C function, and Lua's `pcall` is one, so a script
 * looping inside `pcall` could never be paused past busy-reply-threshold and the server would
 * stop answering (no BUSY, no SCRIPT KILL). Here `pcall` and `xpcall` run their function on a
 * coroutine of its own instead: a pause there is passed up thread by thread to the engine. To scripts it
 * answers as Redis's `pcall` does; `coroutine.running` and `coroutine.yield` see no difference.
 */
export class ScriptThreads {
  /** Threads of the running script (addresses), and those that yielded for a busy pause. */
  private readonly internal = new Set<number>();
  private readonly paused = new Set<number>();
  /** xpcall handlers running now: Lua runs a handler inside the hook that raised the error, unhooked. */
  private handlers = 0;

  constructor(private readonly vm: LuaVM) {}

  /** The engine's thread starts (or stops) being one of the script's. */
  add(L: number): void {
    this.internal.add(L);
  }

  remove(L: number): void {
    this.internal.delete(L);
    this.paused.delete(L);
  }

  /** Whether the hook may pause thread `L`: one of the script's, where Lua 5.1 can yield. */
  mayPause(L: number): boolean {
    return this.internal.has(L) && this.vm.canYield(L);
  }

  /** From the count hook: yields `L`, marked as a busy pause. */
  pause(L: number): void {
    this.paused.add(L);
    this.vm.x.lua_yield(L, 0);
  }

  /** Whether `L` yielded for a busy pause (and forgets it). */
  takePause(L: number): boolean {
    return this.paused.delete(L);
  }

  /** Whether an xpcall handler is running (SCRIPT KILL's error is not raised in it, as in Redis). */
  get inHandler(): boolean {
    return this.handlers > 0;
  }

  /** After SCRIPT KILL: the hook runs on every line of every thread, so no pcall can outlast it. */
  hookEveryLine(hook: (L: number) => void): void {
    for (const L of this.internal) this.vm.setHook(L, hook, LuaHookMask.Line, 0);
  }

  /** Replaces `pcall`, `xpcall`, `coroutine.running` and `coroutine.yield` (before the globals are sealed). */
  install(): void {
    const vm = this.vm;
    const x = vm.x;
    const L = vm.L;
    if (vm.load(L, Buffer.from(PCALL_SOURCE), "=redis_sandbox") !== LuaStatus.Ok)
      throw new Error(vm.toString(L, -1) ?? "");
    const threadArg = (s: number): number => x.lua_tothread(s, 1);
    vm.pushFunction(L, (s) => {
      this.internal.add(threadArg(s));
      return 0;
    });
    vm.pushFunction(L, (s) => {
      this.remove(threadArg(s));
      return 0;
    });
    vm.pushFunction(L, (s) => {
      x.lua_pushboolean(s, this.takePause(threadArg(s)) ? 1 : 0);
      return 1;
    });
    // Passes a pause up: this thread yields too, when it can (else the inner one just goes on).
    vm.pushFunction(L, (s) => (this.mayPause(s) ? (this.paused.add(s), x.lua_yield(s, 0)) : 0));
    vm.pushFunction(L, (s) => {
      x.lua_pushboolean(s, this.internal.has(s) ? 1 : 0);
      return 1;
    });
    vm.pushFunction(L, () => {
      this.handlers++;
      return 0;
    });
    vm.pushFunction(L, () => {
      this.handlers--;
      return 0;
    });
    if (x.lua_pcall(L, 7, 0, 0) !== LuaStatus.Ok) throw new Error(vm.toString(L, -1) ?? "");
  }
}

/**
 * Redis's pcall on a coroutine. Its argument checks and error-table conversion are the C
 * version's (luaRedisPcall); a value that is not a Lua function goes to that C pcall itself.
 */
const PCALL_SOURCE = `
local enter, leave, was_paused, pass_pause_up, is_internal, handler_begin, handler_end = ...
local c_pcall, type, select, unpack = pcall, type, select, unpack
local getinfo = debug.getinfo
local co = coroutine
local create, resume, status, running, yield = co.create, co.resume, co.status, co.running, co.yield
local function pack(...) return { n = select("#", ...), ... } end
-- Runs f(...) on a coroutine of its own, passing busy pauses up: resume's results, packed.
local function run_on_thread(f, ...)
  local thread = create(f)
  enter(thread)
  local r = pack(resume(thread, ...))
  while status(thread) == "suspended" and was_paused(thread) do
    pass_pause_up()
    r = pack(resume(thread))
  end
  leave(thread)
  return r
end
pcall = function(f, ...)
  -- A C function (redis.call, error…) cannot be a coroutine body, nor loop on its own.
  if type(f) ~= "function" or getinfo(f, "S").what == "C" then return c_pcall(f, ...) end
  local r = run_on_thread(f, ...)
  if r[1] then return unpack(r, 1, r.n) end
  local err = r[2]
  if type(err) == "table" then
    local message = err.err
    if type(message) == "string" then err = message end
  end
  return false, err
end
-- xpcall likewise (Lua 5.1's takes no arguments for f). The handler runs once f's frames are
-- gone, which scripts cannot tell (no debug library); its own error is Lua's "error in error handling".
local c_xpcall = xpcall
xpcall = function(...)
  if select("#", ...) < 2 then error("bad argument #2 to 'xpcall' (value expected)", 2) end
  local f, handler = ...
  if type(f) ~= "function" or getinfo(f, "S").what == "C" then return c_xpcall(f, handler) end
  local r = run_on_thread(f)
  if r[1] then return unpack(r, 1, r.n) end
  handler_begin()
  local handled, value = c_pcall(handler, r[2])
  handler_end()
  if handled then return false, value end
  return false, "error in error handling"
end
co.running = function()
  local thread = running()
  if thread == nil or is_internal(thread) then return nil end
  return thread
end
co.yield = function(...)
  local thread = running()
  if thread == nil or is_internal(thread) then error("attempt to yield across metamethod/C-call boundary", 0) end
  return yield(...)
end
`;

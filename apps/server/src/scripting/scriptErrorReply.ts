import { LuaType, type LuaVM, SANDBOX_CHUNK } from "@nedis/lua";
import { ReplyWriter } from "@nedis/resp-codec";
import { markCallFailed } from "../commands/call.js";
import type { ScriptRun } from "./ScriptRun.js";

/**
 * The error reply of a failed run, as Redis's `__redis__err__handler` and luaCallFunction
 * build it: `ERR <message>` for a non-table error, the table's `err` otherwise, then where
 * it happened (the first Lua frame, skipping the sandbox's own).
 */
export function writeScriptError(vm: LuaVM, run: ScriptRun, T: number): void {
  const x = vm.x;
  let message: string;
  let countStats = true;
  if (x.lua_type(T, -1) === LuaType.Table) {
    vm.getField(T, -1, "err");
    message = x.lua_isstring(T, -1) !== 0 ? vm.toLatin1(T, -1) : "ERR (null)";
    x.lua_settop(T, -2);
    vm.getField(T, -1, "ignore_error_stats_update");
    if (x.lua_type(T, -1) === LuaType.Boolean) countStats = x.lua_toboolean(T, -1) === 0;
    x.lua_settop(T, -2);
  } else {
    message = `ERR ${luaToString(vm, T, -1)}`;
  }
  let level = 0;
  let frame = vm.frameInfo(T, level);
  while (frame !== null && (frame.what === "C" || frame.source === SANDBOX_CHUNK)) frame = vm.frameInfo(T, ++level);
  const where = frame === null ? "" : ` script: ${run.funcName}, on ${frame.source}:${frame.currentLine}.`;
  const w = run.caller.writer;
  if (countStats) w.error(message + where);
  else {
    // Counted when the script's command failed; the script still failed (Redis: failed_calls++).
    ReplyWriter.prototype.error.call(w, message + where);
    markCallFailed();
  }
}

/** Lua's `tostring` for an error value (strings and numbers as Lua prints them). */
function luaToString(vm: LuaVM, L: number, index: number): string {
  const x = vm.x;
  switch (x.lua_type(L, index)) {
    case LuaType.String:
    case LuaType.Number:
      return vm.toLatin1(L, index);
    case LuaType.Nil:
      return "nil";
    case LuaType.Boolean:
      return x.lua_toboolean(L, index) !== 0 ? "true" : "false";
    default: {
      const type = vm.cString(x.lua_typename(L, x.lua_type(L, index)));
      return `${type}: 0x${x.lua_topointer(L, index).toString(16).padStart(8, "0")}`;
    }
  }
}

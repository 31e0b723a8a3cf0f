import { bytesToHuman } from "../observe/MemoryReport.js";
import type { ServerContext } from "../ServerContext.js";
import { existingFunctions, FUNCTIONS_EMPTY_OVERHEAD } from "../scripting/functions/serverFunctions.js";
import { existingLuaScripting } from "../scripting/LuaScripting.js";

/**
 * The scripting engines' memory: each Lua VM (whole KB, as Redis's `lua_gc(LUA_GCCOUNT)`), the
 * script cache and the function libraries; a VM counts zero until its first use creates it.
 */
export function scriptingMemoryLines(server: ServerContext): string[] {
  const engine = existingLuaScripting(server);
  const vm = engine === undefined ? 0 : Math.floor(engine.memoryUsed() / 1024) * 1024;
  const scripts = engine?.scriptsMemory ?? 0;
  const functions = existingFunctions(server);
  const functionsVm = functions?.engine.memoryUsed() ?? 0;
  const functionsMemory = functions?.memoryOverhead() ?? FUNCTIONS_EMPTY_OVERHEAD;
  return [
    `used_memory_lua:${vm}`,
    `used_memory_vm_eval:${vm}`,
    `used_memory_lua_human:${bytesToHuman(vm)}`,
    `used_memory_scripts_eval:${scripts}`,
    `number_of_cached_scripts:${engine?.scripts.size ?? 0}`,
    `number_of_functions:${functions?.libraries.functions.size ?? 0}`,
    `number_of_libraries:${functions?.libraries.libraries.size ?? 0}`,
    `used_memory_vm_functions:${functionsVm}`,
    `used_memory_vm_total:${vm + functionsVm}`,
    `used_memory_vm_total_human:${bytesToHuman(vm + functionsVm)}`,
    `used_memory_functions:${functionsMemory}`,
    `used_memory_scripts:${scripts + functionsMemory}`,
    `used_memory_scripts_human:${bytesToHuman(scripts + functionsMemory)}`,
  ];
}

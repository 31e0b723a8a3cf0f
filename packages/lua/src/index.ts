export {
  LUA_GLOBALSINDEX,
  LUA_MULTRET,
  LUA_REGISTRYINDEX,
  type LuaFrameInfo,
  type LuaFunction,
  LuaHookMask,
  LuaStatus,
  LuaType,
  LuaVM,
} from "./LuaVM.js";
export { openCjson } from "./libs/cjson/index.js";
export { openCmsgpack } from "./libs/cmsgpack/index.js";
export { createRedisSandbox, type RedisSandboxOptions } from "./redis/redisSandbox.js";
export { SANDBOX_CHUNK } from "./redis/sandboxSource.js";
export { LUA_WASM_FILE, luaWasmPath } from "./wasm/instantiateLua.js";

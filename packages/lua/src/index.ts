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
export { luaWasmPath } from "./wasm/instantiateLua.js";

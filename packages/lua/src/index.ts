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
export { openRedisBaseFixes } from "./libs/base/baseFixes.js";
export { openIntegerArgumentFixes } from "./libs/base/integerArguments.js";
export { openLibmFixes } from "./libs/base/libmFixes.js";
export { openStringDump } from "./libs/base/stringDump.js";
export { loadTextChunk, openTextOnlyLoaders } from "./libs/base/textOnlyChunks.js";
export { openTonumberFix } from "./libs/base/tonumber.js";
export { openBit } from "./libs/bit/bit.js";
export { openRedisMath, type RedisMathOptions, RedisRand48 } from "./libs/redisMath.js";
export { openStringFormat } from "./libs/stringFormat.js";
export { openStruct } from "./libs/struct/struct.js";
export { luaWasmPath } from "./wasm/instantiateLua.js";

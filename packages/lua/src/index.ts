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
export { openTextOnlyLoaders } from "./libs/base/textOnlyChunks.js";
export { openTonumberFix } from "./libs/base/tonumber.js";
export { openBit } from "./libs/bit/bit.js";
export { openCjson } from "./libs/cjson/index.js";
export { openCmsgpack } from "./libs/cmsgpack/index.js";
export { openRedisMath, type RedisMathOptions, RedisRand48 } from "./libs/redisMath.js";
export { openStringFormat } from "./libs/stringFormat.js";
export { openStruct } from "./libs/struct/struct.js";
export { createRedisSandbox, type RedisSandboxOptions } from "./redis/redisSandbox.js";
export { SANDBOX_CHUNK } from "./redis/sandboxSource.js";
export { LUA_WASM_FILE, luaWasmPath } from "./wasm/instantiateLua.js";

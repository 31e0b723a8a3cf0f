import type { LuaVM } from "../../LuaVM.js";
import { openStringFormat } from "../stringFormat.js";
import { openIntegerArgumentFixes } from "./integerArguments.js";
import { openLibmFixes } from "./libmFixes.js";
import { openStringDump } from "./stringDump.js";
import { openTextOnlyLoaders } from "./textOnlyChunks.js";
import { openTonumberFix } from "./tonumber.js";

/**
 * Makes the wasm Lua's base, string, table and math libraries answer as redis-server's do on
 * x86-64 (64-bit `long`, glibc): integer arguments, `tonumber`, `string.format`, glibc's libm
 * where musl differs, `string.dump`'s 64-bit layout, and Redis's text-only `loadstring`/`load`. Call after opening those libraries and before any script runs;
 * `openRedisMath` is separate as it takes the server's generator.
 */
export function openRedisBaseFixes(vm: LuaVM): void {
  openIntegerArgumentFixes(vm);
  openTonumberFix(vm);
  openStringFormat(vm);
  openTextOnlyLoaders(vm);
  openLibmFixes(vm);
  openStringDump(vm);
}

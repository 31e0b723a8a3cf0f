export { KvPool } from "./KvPool.js";
export { type KvHandle, type OutOfMemory, OUT_OF_MEMORY, isOutOfMemory } from "./KvHandle.js";
export type { KvPoolClassStats, KvPoolOptions, KvPoolStats } from "./KvPoolOptions.js";
export { InvalidHandleError } from "../shared/InvalidHandleError.js";

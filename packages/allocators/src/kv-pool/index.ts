export { InvalidHandleError } from "../shared/InvalidHandleError.js";
export { isOutOfMemory, type KvHandle, OUT_OF_MEMORY, type OutOfMemory } from "./KvHandle.js";
export { KvPool } from "./KvPool.js";
export type { KvPoolClassStats, KvPoolOptions, KvPoolStats } from "./KvPoolOptions.js";
export { DEFAULT_LARGE_OBJECT_THRESHOLD } from "./KvPoolOptions.js";
export { LARGE_OBJECT_OVERHEAD } from "./LargeObjectTable.js";

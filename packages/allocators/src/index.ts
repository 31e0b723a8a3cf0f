export {
  KvPool,
  OUT_OF_MEMORY,
  isOutOfMemory,
  type KvHandle,
  type KvPoolClassStats,
  type KvPoolOptions,
  type KvPoolStats,
  type OutOfMemory,
} from "./kv-pool/index.js";
export { Arena, ARENA_EXHAUSTED, type ArenaExhausted, type ArenaMark, type ArenaOptions, type ArenaStats } from "./arena/index.js";
export {
  FixedPool,
  MAX_POOL_LIMIT,
  POOL_FULL,
  isPoolFull,
  type FixedPoolOptions,
  type FixedPoolStats,
  type PoolFull,
  type PoolHandle,
} from "./fixed-pool/index.js";
export { InvalidHandleError } from "./shared/InvalidHandleError.js";

export {
  ARENA_EXHAUSTED,
  Arena,
  type ArenaExhausted,
  type ArenaMark,
  type ArenaOptions,
  type ArenaStats,
} from "./arena/index.js";
export {
  FixedPool,
  type FixedPoolOptions,
  type FixedPoolStats,
  isPoolFull,
  MAX_POOL_LIMIT,
  POOL_FULL,
  type PoolFull,
  type PoolHandle,
} from "./fixed-pool/index.js";
export {
  isOutOfMemory,
  type KvHandle,
  KvPool,
  type KvPoolClassStats,
  type KvPoolOptions,
  type KvPoolStats,
  OUT_OF_MEMORY,
  type OutOfMemory,
} from "./kv-pool/index.js";
export { InvalidHandleError } from "./shared/InvalidHandleError.js";

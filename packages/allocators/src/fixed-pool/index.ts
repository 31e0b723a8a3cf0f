export {
  FixedPool,
  MAX_POOL_LIMIT,
  POOL_FULL,
  isPoolFull,
  type FixedPoolOptions,
  type FixedPoolStats,
  type PoolFull,
  type PoolHandle,
} from "./FixedPool.js";
export { InvalidHandleError } from "../shared/InvalidHandleError.js";

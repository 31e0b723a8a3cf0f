export { InvalidHandleError } from "../shared/InvalidHandleError.js";
export {
  FixedPool,
  type FixedPoolOptions,
  type FixedPoolStats,
  isPoolFull,
  MAX_POOL_LIMIT,
  POOL_FULL,
  type PoolFull,
  type PoolHandle,
} from "./FixedPool.js";

/** The sorted set type API, as `zset.*` of `@nedis/keyspace` (Redis's `zset*` functions). */
export {
  isListpack,
  memberLengths,
  ZADD_IN_GT,
  ZADD_IN_INCR,
  ZADD_IN_LT,
  ZADD_IN_NX,
  ZADD_IN_XX,
  ZADD_OUT_ADDED,
  ZADD_OUT_NAN,
  ZADD_OUT_NOP,
  ZADD_OUT_UPDATED,
  zsetAdd,
  zsetCreate,
  zsetDel,
  zsetLength,
  zsetNewScore,
  zsetObject,
  zsetRank,
  zsetRecharge,
  zsetScore,
} from "./zsetApi.js";
export { fitsListpack, listpackOf } from "./zsetBuild.js";
export { forEachElement, forEachListpackEntry } from "./zsetElements.js";
export { zsetRemoveRangeByLex, zsetRemoveRangeByRank, zsetRemoveRangeByScore } from "./zsetRemove.js";
export { readScore } from "./zsetScores.js";

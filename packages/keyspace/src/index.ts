export { Database, Lookup, StringEncodingMode, chooseEncoding } from "./Database.js";
export { DatabaseCore } from "./DatabaseCore.js";
export {
  Keyspace,
  type FlushHook,
  type KeyModifiedHook,
  type KeyspaceOptions,
  type KeyspaceStats,
  type NotifyHook,
  type SwapDbHook,
} from "./Keyspace.js";
export { type StoredObject, ObjectStore } from "./ObjectStore.js";
export {
  ENCODING_NAMES,
  EMBSTR_SIZE_LIMIT,
  Encoding,
  type EvictionPolicy,
  Meta,
  ObjectType,
  TYPE_NAMES,
  encodingOfMeta,
  isVolatileMeta,
  typeOfMeta,
} from "./types.js";
export { keyHashSlot, crc16 } from "./hash/keyHashSlot.js";
export { halfSipHash } from "./hash/halfSipHash.js";
export {
  BEYOND_SAFE, LLONG_MAX, LLONG_MIN, intTextLength, isLongLong, parseLongLong, parseLongLongBig, writeInt,
} from "./strings/int64.js";
export { EVICTION_POOL_SIZE, timeLimitUs } from "./eviction/Evictor.js";
export { LFU_INIT_VAL, estimateIdleTimeMs, lfuDecrAndReturn } from "./eviction/lruClock.js";

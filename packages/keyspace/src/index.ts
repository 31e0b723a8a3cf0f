export { Database, Lookup, NewKeyWriter, StringEncodingMode, chooseEncoding } from "./Database.js";
export { DatabaseCore } from "./DatabaseCore.js";
export {
  Keyspace,
  type FlushHook,
  type KeyAddedHook,
  type KeyChangingHook,
  type KeyEntryReader,
  type KeyRemovedHook,
  type KeyModifiedHook,
  type KeyspaceOptions,
  type KeyspaceStats,
  type NotifyHook,
  type SwapDbHook,
} from "./Keyspace.js";
export { MemoryBudget } from "./memory/MemoryBudget.js";
export type { DatabaseHost } from "./db/DatabaseHost.js";
export type {
  CommandSink, OutOfLineValue, RdbSaveOptions, ValueReader, ValueType, ValueWriter,
} from "./values/ValueType.js";
export { registerValueType, unregisterValueType, valueTypeOf, valueTypeForRdb, typeName } from "./values/registry.js";
export { ValueStore } from "./values/ValueStore.js";
export { ValueLoad } from "./values/ValueLoad.js";
export { PayloadStatus, digestValue, dumpValue, loadDumpPayload, serializedLength } from "./values/valueCodec.js";
export { mixDigest, xorDigest } from "./values/digest.js";
export { StringType, stringEncodingOf } from "./values/string/StringType.js";
export { stringAppend, stringInsertRange, stringRewriteSameLength, stringSetRange } from "./values/string/stringEdits.js";
export {
  ENCODING_NAMES,
  EMBSTR_SIZE_LIMIT,
  Encoding,
  type EvictionPolicy,
  Meta,
  ObjectType,
  RemovalReason,
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

export { chooseEncoding, Database, Lookup, NewKeyWriter, StringEncodingMode } from "./Database.js";
export { DatabaseCore } from "./DatabaseCore.js";
export type { DatabaseHost } from "./db/DatabaseHost.js";
export { EVICTION_POOL_SIZE, timeLimitUs } from "./eviction/Evictor.js";
export { estimateIdleTimeMs, LFU_INIT_VAL, lfuDecrAndReturn } from "./eviction/lruClock.js";
export { halfSipHash } from "./hash/halfSipHash.js";
export { crc16, keyHashSlot } from "./hash/keyHashSlot.js";
export {
  type FlushHook,
  type KeyAddedHook,
  type KeyChangingHook,
  type KeyEntryReader,
  type KeyModifiedHook,
  type KeyRemovedHook,
  Keyspace,
  type KeyspaceOptions,
  type KeyspaceStats,
  type NotifyHook,
  type SwapDbHook,
} from "./Keyspace.js";
export { MemoryBudget } from "./memory/MemoryBudget.js";
export {
  BEYOND_SAFE,
  intTextLength,
  isLongLong,
  LLONG_MAX,
  LLONG_MIN,
  parseLongLong,
  parseLongLongBig,
  writeInt,
} from "./strings/int64.js";
export {
  EMBSTR_SIZE_LIMIT,
  ENCODING_NAMES,
  Encoding,
  type EvictionPolicy,
  encodingOfMeta,
  isVolatileMeta,
  Meta,
  ObjectType,
  RemovalReason,
  typeOfMeta,
} from "./types.js";
export { mixDigest, u32be, xorDigest } from "./values/digest.js";
export { registerValueType, typeName, unregisterValueType, valueTypeForRdb, valueTypeOf } from "./values/registry.js";
export { StringType, stringEncodingOf } from "./values/string/StringType.js";
export { FieldTable } from "./values/hash/FieldTable.js";
export { HashReader } from "./values/hash/HashReader.js";
export {
  HashDeleted,
  hashConvertToTable,
  hashCreate,
  hashDelete,
  hashLength,
  hashSet,
  hashTableOf,
  hashWriteCharge,
} from "./values/hash/HashType.js";
export { HashValueType } from "./values/hash/HashValueType.js";
export {
  stringAppend,
  stringInsertRange,
  stringRewriteSameLength,
  stringSetRange,
} from "./values/string/stringEdits.js";
export { defaultEncodingLimits, type EncodingLimits } from "./values/EncodingLimits.js";
export { ValueLoad } from "./values/ValueLoad.js";
export { ValueStore } from "./values/ValueStore.js";
export type {
  CommandSink,
  OutOfLineValue,
  RdbSaveOptions,
  ValueReader,
  ValueType,
  ValueWriter,
} from "./values/ValueType.js";
export { digestValue, dumpValue, loadDumpPayload, PayloadStatus, serializedLength } from "./values/valueCodec.js";

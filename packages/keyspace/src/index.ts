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
export { defaultEncodingLimits, type EncodingLimits } from "./values/EncodingLimits.js";
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
export { ListType } from "./values/list/ListType.js";
export { ListValue, listValue } from "./values/list/ListValue.js";
export {
  ListEnd,
  ListQuicklist,
  listTypeCreate,
  listTypeIndex,
  listTypeInsert,
  listTypeLength,
  listTypeNext,
  listTypePop,
  listTypePush,
  listTypeRemove,
  listTypeReplace,
  listTypeSeek,
  listTypeTrim,
} from "./values/list/listOps.js";
export { registerValueType, typeName, unregisterValueType, valueTypeForRdb, valueTypeOf } from "./values/registry.js";
export {
  newSetValue,
  picked,
  setTypeAdd,
  setTypeCreate,
  setTypeForEach,
  setTypeIsMember,
  setTypeLoadPicked,
  setTypeRandom,
  setTypeRebuild,
  setTypeRemove,
  setTypeRemovePicked,
  setTypeScan,
  setTypeSize,
} from "./values/set/SetType.js";
export { SetValue } from "./values/set/SetValue.js";
export { SetType } from "./values/set/SetValueType.js";
export type { MemberSink } from "./values/set/setMembers.js";
export { StreamType } from "./values/stream/StreamType.js";
export * as stream from "./values/stream/streamIndex.js";
export {
  BIT_CHANGED,
  stringGrowZero,
  stringInsertBit,
  stringInsertZeros,
  stringSetBit,
  stringSetBitfield,
} from "./values/string/bitEdits.js";
export {
  BitfieldOverflow,
  bitfieldResult,
  checkSignedBitfieldOverflow,
  checkUnsignedBitfieldOverflow,
  getSignedBitfield,
  getUnsignedBitfield,
  setBitfield,
} from "./values/string/bitfield.js";
export { BitOp, bitopFirst, bitopNext, bitpos, getBit, popcount, popcountByte } from "./values/string/bitops.js";
export {
  HLL_DENSE_SIZE,
  HLL_INVALID,
  HLL_REGISTERS,
  hllCount,
  hllCountHistogram,
  hllCountRegisters,
  hllCreate,
  hllDecode,
  hllIsDense,
  hllIsValid,
  hllMergeInto,
  hllRegisters,
  hllStoreMerged,
  hllToDense,
  hllUnshare,
} from "./values/string/hyperloglog.js";
export { hllAdd, hllInsert } from "./values/string/hyperloglogAdd.js";
export { hllSelfTest } from "./values/string/hyperloglogSelfTest.js";
export { murmurHash64A } from "./values/string/murmurHash64a.js";
export { StringType, stringEncodingOf } from "./values/string/StringType.js";
export {
  stringAppend,
  stringInsertRange,
  stringRewriteSameLength,
  stringSetRange,
} from "./values/string/stringEdits.js";
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
export { LEX_BYTES, LEX_MAX_STRING, LEX_MIN_STRING, LexRange } from "./values/zset/LexRange.js";
export { ScoreRange } from "./values/zset/ScoreRange.js";
export { ZSetCursor } from "./values/zset/ZSetCursor.js";
export { ZSetObject } from "./values/zset/ZSetObject.js";
export { ZSetType } from "./values/zset/ZSetType.js";
export { ZSetScoreWalker } from "./values/zset/zsetGeoSupport.js";
export * as zset from "./values/zset/zsetIndex.js";

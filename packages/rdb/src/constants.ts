/**
 * The numbers of the RDB format as Redis 7.0 defines them (rdb.h). They are on-disk and on-wire
 * values: a DUMP payload or an RDB file from Redis uses exactly these.
 */

/** The RDB version Redis 7.0 writes (in RDB files and in the DUMP footer). */
export const RDB_VERSION = 10;

/** Object types: the first byte of a DUMP payload and of each key in an RDB file. */
export const RdbType = {
  String: 0,
  /** Linked list of strings (RDB < 7, read-only today). */
  List: 1,
  /** Hash-table set: a length, then each member as a string. */
  Set: 2,
  /** Skiplist zset with scores as strings (pre 5.0 files, read-only today). */
  Zset: 3,
  /** Hash table: a length, then field and value strings. */
  Hash: 4,
  /** Skiplist zset: a length, then member string and score as a little-endian binary double. */
  Zset2: 5,
  /** Module value, 4.0 release candidates only. */
  ModulePreGa: 6,
  /** Module value: 64-bit module id, then opcode-annotated values. */
  Module2: 7,
  HashZipmap: 9,
  ListZiplist: 10,
  /** Intset blob saved as a string. */
  SetIntset: 11,
  ZsetZiplist: 12,
  HashZiplist: 13,
  /** Quicklist of ziplists (RDB 7–9). */
  ListQuicklist: 14,
  /** Stream of ziplist-era listpacks (RDB 9). */
  StreamListpacks: 15,
  /** Listpack blob saved as a string: field, value, field, value… */
  HashListpack: 16,
  /** Listpack blob saved as a string: member, score, member, score… (scores ascending). */
  ZsetListpack: 17,
  /** Quicklist of listpacks: node count, then per node a container kind and a string. */
  ListQuicklist2: 18,
  /** Stream with 7.0 metadata (first id, max deleted id, entries added, consumer group lag data). */
  StreamListpacks2: 19,
} as const;
export type RdbType = (typeof RdbType)[keyof typeof RdbType];

/** True when `type` is an object type Redis 7.0 can load (rdbIsObjectType). */
export function isRdbObjectType(type: number): type is RdbType {
  return (type >= 0 && type <= 7) || (type >= 9 && type <= 19);
}

/** Opcodes of an RDB file, in the same byte position as an object type. */
export const RdbOpcode = {
  /** A function library (Redis 7.0 functions). */
  Function2: 245,
  /** Functions of a 7.0 release candidate (name, engine, description, code); 7.0 still loads it. */
  Function: 246,
  ModuleAux: 247,
  /** LRU idle time of the next key (seconds, as a length). */
  Idle: 248,
  /** LFU counter of the next key (one byte). */
  Freq: 249,
  /** A name/value pair of metadata (`redis-ver`, `aof-base`, …). */
  Aux: 250,
  /** Hash table sizes of the current database: two lengths. */
  ResizeDb: 251,
  /** Expire time of the next key: 8-byte little-endian milliseconds. */
  ExpireTimeMs: 252,
  /** Expire time of the next key: 4-byte little-endian seconds (old files). */
  ExpireTime: 253,
  SelectDb: 254,
  Eof: 255,
} as const;
export type RdbOpcode = (typeof RdbOpcode)[keyof typeof RdbOpcode];

/** Opcodes inside a `Module2` value (RDB_MODULE_OPCODE_*). */
export const RdbModuleOpcode = {
  Eof: 0,
  SignedInt: 1,
  UnsignedInt: 2,
  Float: 3,
  Double: 4,
  String: 5,
} as const;
export type RdbModuleOpcode = (typeof RdbModuleOpcode)[keyof typeof RdbModuleOpcode];

/** The container kind of a `ListQuicklist2` node (QUICKLIST_NODE_CONTAINER_*). */
export const QuicklistContainer = {
  /** The node is one large element saved as a plain string. */
  Plain: 1,
  /** The node is a listpack saved as a string. */
  Packed: 2,
} as const;
export type QuicklistContainer = (typeof QuicklistContainer)[keyof typeof QuicklistContainer];

/**
 * How a string was stored (the special encodings after a `11xxxxxx` length byte, or plain).
 * `Raw` is Redis's verbatim string; the others are RDB_ENC_INT8/16/32 and RDB_ENC_LZF.
 */
export const RdbStringEncoding = {
  Raw: -1,
  Int8: 0,
  Int16: 1,
  Int32: 2,
  Lzf: 3,
} as const;
export type RdbStringEncoding = (typeof RdbStringEncoding)[keyof typeof RdbStringEncoding];

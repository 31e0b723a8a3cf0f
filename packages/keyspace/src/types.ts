/**
 * Object types and encodings with Redis's own numeric codes (`server.h` OBJ_* and
 * OBJ_ENCODING_*), so RDB, OBJECT and TYPE map one to one.
 */
export const ObjectType = {
  String: 0,
  List: 1,
  Set: 2,
  ZSet: 3,
  Hash: 4,
  Module: 5,
  Stream: 6,
} as const;
export type ObjectType = (typeof ObjectType)[keyof typeof ObjectType];

export const Encoding = {
  Raw: 0,
  Int: 1,
  HashTable: 2,
  ZipMap: 3,
  LinkedList: 4,
  ZipList: 5,
  IntSet: 6,
  SkipList: 7,
  EmbStr: 8,
  QuickList: 9,
  Stream: 10,
  ListPack: 11,
  /**
   * An `int` that Redis would hold as one of its shared integer objects (0–9999 written while
   * the maxmemory policy allows sharing): OBJECT REFCOUNT reports 2147483647 for it. Reported as
   * `int` everywhere ({@link DatabaseCore.encodingAt} folds it into {@link Encoding.Int}).
   */
  SharedInt: 12,
  /**
   * A small list held as one listpack inside its entry (a one-node quicklist without the node):
   * Redis 7.0 has only `quicklist` lists, so it is reported as {@link Encoding.QuickList}
   * ({@link DatabaseCore.encodingAt} folds it) and saved as a one-node `LIST_QUICKLIST_2`.
   */
  ListPackInline: 13,
} as const;
export type Encoding = (typeof Encoding)[keyof typeof Encoding];

/** Names OBJECT ENCODING replies, indexed by {@link Encoding}. */
export const ENCODING_NAMES: readonly string[] = [
  "raw",
  "int",
  "hashtable",
  "zipmap",
  "linkedlist",
  "ziplist",
  "intset",
  "skiplist",
  "embstr",
  "quicklist",
  "stream",
  "listpack",
  "int",
  "quicklist",
];

/** Strings up to this length are `embstr` (Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
export const EMBSTR_SIZE_LIMIT = 44;

/**
 * The 32-bit meta word each index slot carries:
 *
 * | bits  | field                                                              |
 * |-------|--------------------------------------------------------------------|
 * | 0–23  | LRU clock (seconds) or LFU: minutes (16 bits) << 8 \| counter (8 bits) |
 * | 24–27 | encoding                                                           |
 * | 28–30 | type                                                               |
 * | 31    | volatile: the entry ends with an expiry trailer                    |
 */
export const Meta = {
  LRU_MASK: 0xffffff,
  ENCODING_SHIFT: 24,
  TYPE_SHIFT: 28,
  VOLATILE: 0x80000000,
} as const;

export function metaOf(type: number, encoding: number, lru: number): number {
  return ((type << Meta.TYPE_SHIFT) | (encoding << Meta.ENCODING_SHIFT) | (lru & Meta.LRU_MASK)) >>> 0;
}

export function typeOfMeta(meta: number): ObjectType {
  return ((meta >>> Meta.TYPE_SHIFT) & 7) as ObjectType;
}

export function encodingOfMeta(meta: number): Encoding {
  return ((meta >>> Meta.ENCODING_SHIFT) & 15) as Encoding;
}

export function isVolatileMeta(meta: number): boolean {
  return meta >= Meta.VOLATILE;
}

/** Redis's eviction policies (`maxmemory-policy`). */
export type EvictionPolicy =
  | "volatile-lru"
  | "volatile-lfu"
  | "volatile-random"
  | "volatile-ttl"
  | "allkeys-lru"
  | "allkeys-lfu"
  | "allkeys-random"
  | "noeviction";

/**
 * Why a key left a database (the key-removed gateway). Only {@link RemovalReason.Deleted} counts
 * as a change of its own (Redis's `server.dirty`): expiry and eviction are not commands, an
 * overwritten key is counted by the write that replaced it, a moved key by its arrival.
 */
export const RemovalReason = {
  /** A command deleted it (DEL, GETDEL, EXPIRE in the past, RESTORE's already-expired TTL…). */
  Deleted: 0,
  /** Its deadline passed (lazy or active expiry). */
  Expired: 1,
  /** `maxmemory` evicted it. */
  Evicted: 2,
  /** A command replaces it by a new key of the same name (RENAME's, COPY's, RESTORE's target). */
  Overwritten: 3,
  /** It moves on under another name or database (RENAME's source, MOVE). */
  Moved: 4,
} as const;
export type RemovalReason = (typeof RemovalReason)[keyof typeof RemovalReason];

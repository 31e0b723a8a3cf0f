/**
 * Redis's shared error replies (`createSharedObjects` in server.c) and the texts of object.c's
 * argument parsers, written once so every command words them identically. Each is a whole
 * error line for `writer.error` (code first), never raw bytes: the writer counts error replies
 * for INFO errorstats. A text only one command uses stays in that command's file, as in Redis.
 */
export const Errors = {
  /** `shared.syntaxerr` */
  syntax: "ERR syntax error",
  /** `shared.wrongtypeerr` */
  wrongType: "WRONGTYPE Operation against a key holding the wrong kind of value",
  /** `shared.nokeyerr` */
  noSuchKey: "ERR no such key",
  /** `shared.sameobjecterr` */
  sameObject: "ERR source and destination objects are the same",
  /** `shared.oomerr`: also what the dispatcher replies for a `denyoom` command over maxmemory. */
  oom: "OOM command not allowed when used memory > 'maxmemory'.",
  /** `shared.slowevalerr` and `shared.slowscripterr`: a script past busy-reply-threshold. */
  busyEval: "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
  busyFunction: "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.",
  /** SCRIPT KILL / FUNCTION KILL with no script paused. */
  notBusy: "NOTBUSY No scripts in execution right now.",
  /** `shared.busykeyerr` */
  busyKey: "BUSYKEY Target key name already exists.",
  /** SELECT, MOVE, COPY ... DB, SWAPDB */
  dbIndexOutOfRange: "ERR DB index is out of range",
  /** `getLongLongFromObjectOrReply` */
  notInteger: "ERR value is not an integer or out of range",
  /** `getLongFromObjectOrReply`, for a long long outside a C `long` (never on LP64 builds). */
  outOfRange: "ERR value is out of range",
  /** `getPositiveLongFromObjectOrReply` without a message of its own (non-integers too). */
  notPositive: "ERR value is out of range, must be positive",
  /** `getDoubleFromObjectOrReply`, `getLongDoubleFromObjectOrReply` */
  notFloat: "ERR value is not a valid float",
  /** `checkStringLength` (APPEND, SETRANGE, SETBIT ...) */
  stringTooLong: "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
  // Lists and blocking (t_list.c, timeout.c, blocked.c).
  /** `shared.outofrangeerr` (LSET) */
  indexOutOfRange: "ERR index out of range",
  lposRankZero:
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  lposCountNegative: "ERR COUNT can't be negative",
  lposMaxlenNegative: "ERR MAXLEN can't be negative",
  /** LMPOP, BLMPOP (and the zset MPOPs) */
  numkeysNotPositive: "ERR numkeys should be greater than 0",
  countNotPositive: "ERR count should be greater than 0",
  /** `getTimeoutFromObjectOrReply` */
  timeoutNotFloat: "ERR timeout is not a float or out of range",
  timeoutNegative: "ERR timeout is negative",
  /** CLIENT UNBLOCK … ERROR */
  unblocked: "UNBLOCKED client unblocked via CLIENT UNBLOCK",
  // Sorted sets (t_zset.c): texts shared by several Z* commands.
  /** ZADD ... INCR, ZINCRBY: the sum is NaN (inf + -inf). */
  zsetNaN: "ERR resulting score is not a number (NaN)",
  /** `zslParseRange` failed (ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE, ZRANGE BYSCORE ...). */
  zsetMinMaxNotFloat: "ERR min or max is not a float",
  /** `zslParseLexRange` failed (ZRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBYLEX, ZRANGE BYLEX ...). */
  zsetMinMaxNotString: "ERR min or max not valid string range item",
  /** SAVE / BGSAVE while a background save runs (rdb.c). */
  bgsaveInProgress: "ERR Background save already in progress",
  bgsaveChildActive:
    "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
  /** Writes refused after a failed save under stop-writes-on-bgsave-error (server.c's shared.bgsaveerr). */
  misconfRdb:
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
  /** SHUTDOWN when the final save failed. */
  shutdownFailed: "ERR Errors trying to SHUTDOWN. Check logs.",
  /** DEBUG RELOAD when the file cannot be loaded. */
  reloadFailed: "ERR Error trying to load the RDB dump",
  // Geo (geo.c).
  /** `extractLongLatOrReply`, followed by the pair as `%f,%f`. */
  geoInvalidLonLat: "ERR invalid longitude,latitude pair",
  geoUnsupportedUnit: "ERR unsupported unit provided. please use M, KM, FT, MI",
  geoNeedNumericRadius: "ERR need numeric radius",
  geoNegativeRadius: "ERR radius cannot be negative",
  geoNeedNumericWidth: "ERR need numeric width",
  geoNeedNumericHeight: "ERR need numeric height",
  geoNegativeBox: "ERR height or width cannot be negative",
  /** FROMMEMBER / GEORADIUSBYMEMBER of a member the zset lacks. */
  geoMemberNotDecoded: "ERR could not decode requested zset member",
  geoCountNotPositive: "ERR COUNT must be > 0",
  geoAnyWithoutCount: "ERR the ANY argument requires COUNT argument",
} as const;

/** `getRangeLongFromObjectOrReply`'s own text (Redis's "must between" wording kept). */
export function rangeError(min: number | bigint, max: number | bigint): string {
  return `ERR value is out of range, value must between ${min} and ${max}`;
}

/** Set commands (t_set.c). */
export const SetErrors = {
  /** SINTERCARD's numkeys below 1 (or not an integer). */
  numkeysNotPositive: "ERR numkeys should be greater than 0",
  /** SINTERCARD's numkeys beyond its arguments. */
  tooManyKeys: "ERR Number of keys can't be greater than number of args",
  /** SINTERCARD's LIMIT below 0 (or not an integer). */
  negativeLimit: "ERR LIMIT can't be negative",
} as const;

/** HyperLogLog commands (hyperloglog.c). */
export const HllErrors = {
  /** `isHLLObjectOrReply`: a string that is not an HLL. */
  notHll: "WRONGTYPE Key is not a valid HyperLogLog string value.",
  /** `invalid_hll_err`: a sparse HLL whose opcodes do not cover its registers. */
  corrupt: "INVALIDOBJ Corrupted HLL object detected",
  /** PFDEBUG on a missing key. */
  noSuchKey: "ERR The specified key does not exist",
  /** PFDEBUG DECODE of a dense HLL. */
  notSparse: "ERR HLL encoding is not sparse",
} as const;

/** Bitmap commands (bitops.c). */
export const BitErrors = {
  /** `getBitOffsetFromArgument`: not an integer, negative, or past `proto-max-bulk-len` bytes. */
  offset: "ERR bit offset is not an integer or out of range",
  /** SETBIT's value other than 0 or 1. */
  bitValue: "ERR bit is not an integer or out of range",
  /** BITPOS's bit other than 0 or 1. */
  bitposBit: "ERR The bit argument must be 1 or 0.",
  /** `getBitfieldTypeFromArgument` */
  bitfieldType: "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
  bitfieldOverflow: "ERR Invalid OVERFLOW type specified",
  bitfieldReadOnly: "ERR BITFIELD_RO only supports the GET subcommand",
  bitopNotOneKey: "ERR BITOP NOT must be called with a single source key.",
} as const;

/** Stream commands (t_stream.c). */
export const StreamErrors = {
  /** `streamGenericParseIDOrReply` */
  invalidId: "ERR Invalid stream ID specified as stream command argument",
  maxlenMinidTogether: "ERR syntax error, MAXLEN and MINID options at the same time are not compatible",
  idTooSmall: "ERR The ID specified in XADD is equal or smaller than the target stream top item",
  idZero: "ERR The ID specified in XADD must be greater than 0-0",
  exhausted: "ERR The stream has exhausted the last possible ID, unable to add more items",
  tooLarge: "ERR Elements are too large to be stored",
  busyGroup: "BUSYGROUP Consumer Group name already exists",
  /** XSETID */
  setIdSmaller: "ERR The ID specified in XSETID is smaller than the target stream top item",
  unbalanced: "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
} as const;

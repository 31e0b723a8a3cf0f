/**
 * 64-bit integers as Redis reads and writes them (`string2ll`, `ll2string`): the one
 * implementation lives in `@nedis/resp-codec/int64`, shared with the protocol parser and the RDB code.
 */
export {
  BEYOND_SAFE,
  intTextLength,
  isLongLong,
  LLONG_MAX,
  LLONG_MIN,
  parseLongLong,
  parseLongLongBig,
  writeInt,
} from "@nedis/resp-codec/int64";

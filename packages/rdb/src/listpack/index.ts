/**
 * `@nedis/rdb/listpack`: Redis 7.0 listpacks — built front to back (`ListpackBuilder`), walked
 * with validation (`ListpackReader`), and read and edited in place over `(bytes, off)` with
 * Redis's own function names (`lpSeek`, `lpInsert`, `lpDelete`, …) and a size-then-edit protocol
 * for callers that own the memory.
 */

export { ListpackBuilder } from "./ListpackBuilder.js";
export { ListpackReader, validateListpack } from "./ListpackReader.js";
export {
  backlenSize,
  encodeInteger,
  encodeStringHeader,
  integerEncodedSize,
  LISTPACK_COUNT_UNKNOWN,
  LISTPACK_EMPTY_SIZE,
  LISTPACK_HEADER_SIZE,
  ListpackEncoding,
  putBacklen,
  stringEncodedSize,
} from "./listpackFormat.js";
export {
  ListpackEntry,
  lpBytes,
  lpCompare,
  lpEntrySize,
  lpFind,
  lpFirst,
  lpGetBigInt,
  lpGetInteger,
  lpGetNumElements,
  lpGetValue,
  lpIsInteger,
  lpLast,
  lpLength,
  lpNext,
  lpPrev,
  lpSeek,
  lpSkip,
  lpValidateIntegrity,
} from "./lpAccess.js";
export {
  LISTPACK_MAX_SAFETY_SIZE,
  type ListpackWhere,
  LP_AFTER,
  LP_BEFORE,
  lpAppend,
  lpAppendInteger,
  lpDelete,
  lpDeleteRange,
  lpDeleteRangeWithEntry,
  lpDeleteSize,
  lpInsert,
  lpInsertInteger,
  lpInsertIntegerSize,
  lpInsertSize,
  lpIntegerEntrySize,
  lpNew,
  lpPrepend,
  lpPrependInteger,
  lpReplace,
  lpReplaceInteger,
  lpReplaceIntegerSize,
  lpReplaceSize,
  lpSafeToAdd,
  lpStringEntrySize,
} from "./lpEdit.js";
export { lpDeleteEntry, lpPushEnd } from "./lpEnds.js";

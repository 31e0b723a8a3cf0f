/**
 * `@nedis/rdb/listpack`: Redis 7.0 listpacks — built front to back (`ListpackBuilder`), walked
 * with validation (`ListpackReader`), and read and edited in place over `(bytes, off)` with
 * Redis's own function names (`lpSeek`, `lpInsert`, `lpDelete`, …) and a size-then-edit protocol
 * for callers that own the memory.
 */
export {
  ListpackEncoding,
  LISTPACK_HEADER_SIZE,
  LISTPACK_EMPTY_SIZE,
  LISTPACK_COUNT_UNKNOWN,
} from "./listpackFormat.js";
export { ListpackBuilder } from "./ListpackBuilder.js";
export { ListpackReader, validateListpack } from "./ListpackReader.js";
export {
  ListpackEntry,
  lpBytes,
  lpGetNumElements,
  lpLength,
  lpEntrySize,
  lpSkip,
  lpFirst,
  lpLast,
  lpNext,
  lpPrev,
  lpSeek,
  lpIsInteger,
  lpGetValue,
  lpGetInteger,
  lpGetBigInt,
  lpCompare,
  lpFind,
  lpValidateIntegrity,
} from "./lpAccess.js";
export {
  LP_BEFORE,
  LP_AFTER,
  type ListpackWhere,
  LISTPACK_MAX_SAFETY_SIZE,
  lpSafeToAdd,
  lpNew,
  lpStringEntrySize,
  lpIntegerEntrySize,
  lpInsertSize,
  lpInsertIntegerSize,
  lpReplaceSize,
  lpReplaceIntegerSize,
  lpDeleteSize,
  lpInsert,
  lpInsertInteger,
  lpAppend,
  lpPrepend,
  lpAppendInteger,
  lpPrependInteger,
  lpReplace,
  lpReplaceInteger,
  lpDelete,
  lpDeleteRangeWithEntry,
  lpDeleteRange,
} from "./lpEdit.js";

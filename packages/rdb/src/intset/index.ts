/**
 * `@nedis/rdb/intset`: Redis 7.0 intsets — written whole (`writeIntset`), viewed with validation
 * (`IntsetView`), and read and edited in place over `(bytes, off)` with Redis's own function
 * names (`intsetAdd`, `intsetRemove`, `intsetFind`, …) and a size-then-edit protocol.
 */

export {
  intsetAdd,
  intsetAddSize,
  intsetBlobLen,
  intsetEncoding,
  intsetFind,
  intsetGet,
  intsetGetBigInt,
  intsetLen,
  intsetNew,
  intsetRemove,
  intsetRemoveSize,
  intsetSearch,
  intsetValidateIntegrity,
} from "./intsetEdit.js";
export {
  INTSET_HEADER_SIZE,
  IntsetEncoding,
  IntsetView,
  intsetEncodingOf,
  isValidIntset,
  writeIntset,
} from "./intsetFormat.js";

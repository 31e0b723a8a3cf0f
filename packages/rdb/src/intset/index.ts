/**
 * `@nedis/rdb/intset`: Redis 7.0 intsets — written whole (`writeIntset`), viewed with validation
 * (`IntsetView`), and read and edited in place over `(bytes, off)` with Redis's own function
 * names (`intsetAdd`, `intsetRemove`, `intsetFind`, …) and a size-then-edit protocol.
 */
export {
  IntsetEncoding,
  IntsetView,
  INTSET_HEADER_SIZE,
  intsetEncodingOf,
  isValidIntset,
  writeIntset,
} from "./intsetFormat.js";
export {
  intsetNew,
  intsetLen,
  intsetBlobLen,
  intsetEncoding,
  intsetGet,
  intsetGetBigInt,
  intsetSearch,
  intsetFind,
  intsetAddSize,
  intsetRemoveSize,
  intsetAdd,
  intsetRemove,
  intsetValidateIntegrity,
} from "./intsetEdit.js";

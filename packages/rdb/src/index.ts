export {
  RDB_VERSION,
  RdbType,
  RdbOpcode,
  RdbModuleOpcode,
  RdbStringEncoding,
  QuicklistContainer,
  isRdbObjectType,
} from "./constants.js";
export { RdbFormatError } from "./RdbFormatError.js";
export { Crc64, crc64 } from "./crc64.js";
export { lzfCompress, lzfDecompress, LZF_MAX_INPUT, LZF_OUTPUT_TOO_SMALL, LZF_CORRUPT_INPUT } from "./lzf.js";
export { RdbOutput } from "./RdbOutput.js";
export { RdbReader } from "./RdbReader.js";
export { parseCanonicalInteger, writeDecimal } from "./canonicalInteger.js";
export { encodedLengthSize, putLength } from "./lengthEncoding.js";
export { writeLength, writeString, writeIntegerString, writeLzfBlob, maxEncodedStringSize } from "./stringEncoding.js";
export { writeObjectType, writeQuicklistNode, writeBinaryDouble } from "./objectEncoding.js";
export {
  DUMP_PAYLOAD_ERROR,
  BAD_DATA_FORMAT_ERROR,
  DUMP_FOOTER_SIZE,
  beginDumpPayload,
  writeDumpFooter,
  dumpString,
  dumpIntegerString,
  verifyDumpPayload,
  openDumpPayload,
  type VerifyDumpOptions,
} from "./dumpPayload.js";
export {
  ListpackEncoding,
  LISTPACK_HEADER_SIZE,
  LISTPACK_COUNT_UNKNOWN,
} from "./listpack/listpackFormat.js";
export { ListpackBuilder } from "./listpack/ListpackBuilder.js";
export { ListpackReader, validateListpack } from "./listpack/ListpackReader.js";
export { IntsetEncoding, IntsetView, intsetEncodingOf, isValidIntset, writeIntset, INTSET_HEADER_SIZE } from "./intset.js";

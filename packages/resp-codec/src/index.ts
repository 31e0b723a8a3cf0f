export { asciiEqualsLower } from "./asciiCase.js";
export { type CommandArgument, encodeCommand, writeCommand } from "./CommandEncoder.js";
export { CommandLookahead } from "./CommandLookahead.js";
export { decodeResp } from "./decoder/decodeResp.js";
export { RespDecoder } from "./decoder/RespDecoder.js";
export type { RespDecoderOptions } from "./decoder/RespDecoderOptions.js";
export {
  RespAttributed,
  RespError,
  type RespMap,
  RespPush,
  type RespValue,
  RespVerbatim,
} from "./decoder/RespValue.js";
export { encodeValue, writeValue } from "./encodeValue.js";
export { formatDouble } from "./formatDouble.js";
export {
  BEYOND_SAFE,
  intTextLength,
  isInt64,
  isLongLong,
  LLONG_MAX,
  LLONG_MIN,
  parseCanonicalInteger,
  parseInteger,
  parseLongLong,
  parseLongLongBig,
  writeDecimal,
  writeInt,
} from "./int64.js";
export { formatLongDouble } from "./longDouble/formatLongDouble.js";
export { type IncrByFloatResult, incrByFloat } from "./longDouble/incrByFloat.js";
export { addLongDouble, isFiniteLongDouble, type LongDouble } from "./longDouble/LongDouble.js";
export { parseLongDouble } from "./longDouble/parseLongDouble.js";
export { ParsedCommand } from "./ParsedCommand.js";
export { ProtocolError } from "./ProtocolError.js";
export { ReplyBuffer } from "./ReplyBuffer.js";
export { ReplyWriter } from "./ReplyWriter.js";
export { RequestParser, type RequestParserOptions } from "./RequestParser.js";
export { SharedReplies } from "./SharedReplies.js";
export { type InlineArgsSink, splitInlineArgs } from "./splitInlineArgs.js";

export { ProtocolError } from "./ProtocolError.js";
export {
  BEYOND_SAFE, LLONG_MAX, LLONG_MIN, intTextLength, isInt64, isLongLong, parseCanonicalInteger, parseInteger, parseLongLong,
  parseLongLongBig, writeDecimal, writeInt,
} from "./int64.js";
export { splitInlineArgs, type InlineArgsSink } from "./splitInlineArgs.js";
export { ParsedCommand } from "./ParsedCommand.js";
export { RequestParser, type RequestParserOptions } from "./RequestParser.js";
export { CommandLookahead } from "./CommandLookahead.js";
export { ReplyBuffer } from "./ReplyBuffer.js";
export { ReplyWriter } from "./ReplyWriter.js";
export { SharedReplies } from "./SharedReplies.js";
export { formatDouble } from "./formatDouble.js";
export { incrByFloat, type IncrByFloatResult } from "./longDouble/incrByFloat.js";
export { parseLongDouble } from "./longDouble/parseLongDouble.js";
export { formatLongDouble } from "./longDouble/formatLongDouble.js";
export { addLongDouble, isFiniteLongDouble, type LongDouble } from "./longDouble/LongDouble.js";
export { RespDecoder } from "./decoder/RespDecoder.js";
export { decodeResp } from "./decoder/decodeResp.js";
export type { RespDecoderOptions } from "./decoder/RespDecoderOptions.js";
export { RespAttributed, RespError, RespPush, RespVerbatim, type RespMap, type RespValue } from "./decoder/RespValue.js";
export { encodeValue, writeValue } from "./encodeValue.js";
export { encodeCommand, writeCommand, type CommandArgument } from "./CommandEncoder.js";
export { asciiEqualsLower } from "./asciiCase.js";

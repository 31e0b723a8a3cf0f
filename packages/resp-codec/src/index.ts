export { ProtocolError } from "./ProtocolError.js";
export { parseInteger } from "./parseInteger.js";
export { splitInlineArgs, type InlineArgsSink } from "./splitInlineArgs.js";
export { RequestParser, type RequestParserOptions } from "./RequestParser.js";
export { ReplyWriter, SharedReplies } from "./ReplyWriter.js";

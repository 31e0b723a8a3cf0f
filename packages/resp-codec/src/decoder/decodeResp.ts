import { ProtocolError } from "../ProtocolError.js";
import { RespDecoder } from "./RespDecoder.js";
import type { RespDecoderOptions } from "./RespDecoderOptions.js";
import type { RespValue } from "./RespValue.js";

/** Decodes every complete value in `bytes`; throws a ProtocolError if bytes are left incomplete. */
export function decodeResp(bytes: Uint8Array, options?: RespDecoderOptions): RespValue[] {
  const decoder = new RespDecoder(options);
  decoder.feed(bytes);
  const out: RespValue[] = [];
  for (let v = decoder.next(); v !== undefined; v = decoder.next()) out.push(v);
  if (decoder.hasPartialValue) {
    throw new ProtocolError("incomplete value at end of input");
  }
  return out;
}

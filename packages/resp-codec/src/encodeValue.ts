import {
  RespAttributed,
  RespError,
  type RespMap,
  RespPush,
  type RespValue,
  RespVerbatim,
} from "./decoder/RespValue.js";
import { ReplyWriter } from "./ReplyWriter.js";

/**
 * Writes any {@link RespValue} with `writer` in its protocol (RESP2 downgrades as Redis does;
 * attributes are dropped in RESP2, as Redis never sends them there). Strings are UTF-8 bulk
 * strings; numbers are integers when whole (−0 excepted) and doubles otherwise; bigints are big
 * numbers; plain objects are maps. For mocks, proxies and tests — a server writes replies with
 * the `ReplyWriter` methods directly.
 */
export function writeValue(writer: ReplyWriter, value: RespValue): void {
  if (value === null) writer.nullBulk();
  else if (typeof value === "string") writer.bulkUtf8(value);
  else if (typeof value === "number") {
    if (Number.isSafeInteger(value) && !Object.is(value, -0)) writer.integer(value);
    else writer.double(value);
  } else if (typeof value === "bigint") writer.bigNumber(value);
  else if (typeof value === "boolean") writer.boolean(value);
  else if (value instanceof Uint8Array) writer.bulk(value);
  else if (Array.isArray(value)) {
    writer.arrayHeader(value.length);
    for (const item of value) writeValue(writer, item);
  } else if (value instanceof RespError) {
    if (/[\r\n]/.test(value.message)) writer.bulkError(value.message);
    else writer.error(value.message);
  } else if (value instanceof Set) {
    writer.setHeader(value.size);
    for (const item of value) writeValue(writer, item);
  } else if (value instanceof RespPush) {
    writer.pushHeader(value.data.length);
    for (const item of value.data) writeValue(writer, item);
  } else if (value instanceof RespVerbatim) {
    writer.verbatim(typeof value.text === "string" ? value.text : value.text.toString("utf8"), value.format);
  } else if (value instanceof RespAttributed) {
    if (writer.protocol === 3) writeMap(writer, value.attributes, true);
    writeValue(writer, value.value);
  } else writeMap(writer, value, false);
}

function writeMap(writer: ReplyWriter, map: RespMap, attributes: boolean): void {
  if (map instanceof Map) {
    if (attributes) writer.attributeHeader(map.size);
    else writer.mapHeader(map.size);
    for (const [k, v] of map) {
      writeValue(writer, k);
      writeValue(writer, v);
    }
    return;
  }
  const keys = Object.keys(map);
  if (attributes) writer.attributeHeader(keys.length);
  else writer.mapHeader(keys.length);
  for (const key of keys) {
    writer.bulkUtf8(key);
    writeValue(writer, map[key]!);
  }
}

const scratch = new ReplyWriter(4096);

/** `value` encoded as RESP (3 by default) into a new Buffer. */
export function encodeValue(value: RespValue, protocol: 2 | 3 = 3): Buffer {
  scratch.protocol = protocol;
  scratch.clear();
  writeValue(scratch, value);
  return Buffer.from(scratch.buffer.subarray(0, scratch.length));
}

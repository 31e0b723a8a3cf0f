/**
 * DUMP / RESTORE payloads (cluster.c createDumpPayload / verifyDumpPayload):
 *
 *     <type byte> <value as in an RDB file> <RDB version: 2 bytes LE> <CRC64 of all before: 8 bytes LE>
 *
 * RESTORE accepts a payload whose version is at most its own and whose CRC matches, otherwise
 * it replies {@link DUMP_PAYLOAD_ERROR}; a payload that passes but does not load gets
 * {@link BAD_DATA_FORMAT_ERROR}.
 */

import { RDB_VERSION, RdbType } from "./constants.js";
import { Crc64 } from "./crc64.js";
import type { RdbOutput } from "./RdbOutput.js";
import type { RdbReader } from "./RdbReader.js";
import { writeIntegerString, writeString } from "./stringEncoding.js";

/** RESTORE's reply when the footer is missing, the version too new or the CRC wrong. */
export const DUMP_PAYLOAD_ERROR = "ERR DUMP payload version or checksum are wrong";
/** RESTORE's reply when the payload's footer is right but its value does not load. */
export const BAD_DATA_FORMAT_ERROR = "ERR Bad data format";
/** Bytes of the footer: version (2) and CRC64 (8). */
export const DUMP_FOOTER_SIZE = 10;

const crc = new Crc64();

/**
 * Starts a DUMP payload of any type: writes the type byte and returns where the payload starts,
 * for {@link writeDumpFooter} once the value is written.
 */
export function beginDumpPayload(out: RdbOutput, type: RdbType): number {
  const payloadStart = out.length;
  out.writeByte(type);
  return payloadStart;
}

/**
 * Appends the footer to a payload that starts at `out.buffer[payloadStart]` and ends at
 * `out.length` (type byte and value already written): the version, then the CRC64 of both.
 */
export function writeDumpFooter(out: RdbOutput, payloadStart: number, version: number = RDB_VERSION): void {
  out.reserve(DUMP_FOOTER_SIZE);
  const b = out.buffer;
  b[out.length] = version & 0xff;
  b[out.length + 1] = (version >>> 8) & 0xff;
  out.length += 2;
  crc.reset().update(b, payloadStart, out.length).writeLE(b, out.length);
  out.length += 8;
}

/**
 * Appends the DUMP payload of a string value `source[start, end)`, byte for byte what Redis 7.0
 * replies to DUMP for it (with `rdbcompression` = `compress`).
 */
export function dumpString(out: RdbOutput, source: Uint8Array, start: number, end: number, compress = true): void {
  const payloadStart = out.length;
  out.writeByte(RdbType.String);
  writeString(out, source, start, end, compress);
  writeDumpFooter(out, payloadStart);
}

/** Appends the DUMP payload of a string holding the integer `value` (an `int`-encoded string). */
export function dumpIntegerString(out: RdbOutput, value: number | bigint): void {
  const payloadStart = out.length;
  out.writeByte(RdbType.String);
  writeIntegerString(out, value);
  writeDumpFooter(out, payloadStart);
}

/** Options of {@link verifyDumpPayload}. */
export interface VerifyDumpOptions {
  /** Highest RDB version accepted (Redis: its own RDB_VERSION). */
  maxVersion?: number;
  /** Skip the CRC check, as Redis with `DEBUG SET-SKIP-CHECKSUM-VALIDATION 1`. */
  skipChecksum?: boolean;
}

/**
 * Redis's `verifyDumpPayload` on `payload[start, end)`: returns the payload's RDB version, or
 * -1 when it is shorter than the footer, newer than `maxVersion` or its CRC64 differs.
 */
export function verifyDumpPayload(
  payload: Uint8Array,
  start = 0,
  end = payload.length,
  options?: VerifyDumpOptions,
): number {
  if (end - start < DUMP_FOOTER_SIZE) return -1;
  const footer = end - DUMP_FOOTER_SIZE;
  const version = payload[footer]! | (payload[footer + 1]! << 8);
  if (version > (options?.maxVersion ?? RDB_VERSION)) return -1;
  if (options?.skipChecksum === true) return version;
  return crc
    .reset()
    .update(payload, start, end - 8)
    .equalsLE(payload, end - 8)
    ? version
    : -1;
}

/**
 * Starts reading a verified payload: points `reader` at it and reads the type byte. Like
 * Redis, the value may be read up to the payload's end (the footer is not cut off first).
 * Throws {@link RdbFormatError} for an unknown type.
 */
export function openDumpPayload(reader: RdbReader, payload: Uint8Array, start = 0, end = payload.length): RdbType {
  reader.reset(payload, start, end);
  return reader.readObjectType();
}

/**
 * Framing of the values after the type byte, shared by DUMP payloads and RDB files (rdbSaveObject
 * in Redis 7.0). Strings are {@link writeString}; the compact encodings are one string holding
 * the blob; the rest are a length followed by their parts:
 *
 * - `HashListpack`, `ZsetListpack`: the listpack as a string.
 * - `SetIntset`: the intset as a string.
 * - `ListQuicklist2`: node count, then per node its container (1 plain, 2 packed) as a length
 *   and the element (plain) or listpack (packed) as a string.
 * - `Set`: count, members. `Hash`: count, then field and value strings.
 * - `Zset2`: count, then member string and score as a binary double, highest score first
 *   (Redis walks the skiplist from the tail so loading appends at the head).
 */

import type { QuicklistContainer, RdbType } from "./constants.js";
import type { RdbOutput } from "./RdbOutput.js";
import { writeLength, writeString } from "./stringEncoding.js";

/** Appends an object type byte. */
export function writeObjectType(out: RdbOutput, type: RdbType): void {
  out.writeByte(type);
}

/** Appends one `ListQuicklist2` node: its container kind, then its bytes as an RDB string. */
export function writeQuicklistNode(
  out: RdbOutput,
  container: QuicklistContainer,
  source: Uint8Array,
  start: number,
  end: number,
  compress = true,
): void {
  writeLength(out, container);
  writeString(out, source, start, end, compress);
}

/** Appends a zset score as `Zset2` stores it: an IEEE 754 double, little-endian. */
export function writeBinaryDouble(out: RdbOutput, value: number): void {
  out.writeFloat64LE(value);
}

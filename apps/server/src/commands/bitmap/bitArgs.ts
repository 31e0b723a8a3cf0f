import { BEYOND_SAFE, parseLongLong, parseLongLongBig } from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import type { CommandArgs } from "../CommandSpec.js";
import { BitErrors } from "../support/errors.js";

/**
 * The argument parsers the bitmap commands share (Redis's `getBitOffsetFromArgument` and
 * `getBitfieldTypeFromArgument`), and the BYTE|BIT range normalisation of BITCOUNT and BITPOS.
 */

const HASH = 0x23;

/**
 * Redis's `getBitOffsetFromArgument`: argument `i` as a bit offset, or -1 after replying the
 * error. With `bits` > 0 (BITFIELD) the `#<n>` form means `n * bits` (multiplied in int64, wrapping
 * as C does). The offset's byte must be below `proto-max-bulk-len`.
 */
export function parseBitOffset(server: ServerContext, client: Client, args: CommandArgs, i: number, bits = 0): number {
  const buf = args.buffer;
  let off = args.offsets[i]!;
  const end = off + args.lengths[i]!;
  const usesHash = bits > 0 && off < end && buf[off] === HASH;
  if (usesHash) off++;
  let n: number | bigint = parseLongLong(buf, off, end);
  if (n === BEYOND_SAFE) n = parseLongLongBig(buf, off, end) as bigint;
  if (n !== n) {
    client.writer.error(BitErrors.offset);
    return -1;
  }
  if (usesHash) n = BigInt.asIntN(64, BigInt(n) * BigInt(bits));
  const byte = typeof n === "bigint" ? n >> 3n : Math.floor(n / 8);
  if (n < 0 || byte >= server.config.number("proto-max-bulk-len")) {
    client.writer.error(BitErrors.offset);
    return -1;
  }
  return Number(n);
}

/** Signed flag of a {@link parseBitfieldType} result: the width is the low 7 bits. */
export const SIGNED = 128;

/**
 * Redis's `getBitfieldTypeFromArgument`: `i<1..64>` or `u<1..63>` as the width plus
 * {@link SIGNED}, or -1 after replying the error.
 */
export function parseBitfieldType(client: Client, args: CommandArgs, i: number): number {
  const buf = args.buffer;
  const off = args.offsets[i]!;
  const end = off + args.lengths[i]!;
  const sign = off < end ? buf[off]! : 0;
  const signed = sign === 0x69; // 'i'
  // Redis compares exact lowercase letters and reads the width with string2ll.
  const width = signed || sign === 0x75 ? parseLongLong(buf, off + 1, end) : Number.NaN;
  if (!(width >= 1) || width > (signed ? 64 : 63)) {
    client.writer.error(BitErrors.bitfieldType);
    return -1;
  }
  return signed ? width + SIGNED : width;
}

/** The byte range of a BITCOUNT/BITPOS range: bytes `[start, end]` and the edge masks. */
export const range = {
  start: 0,
  end: 0,
  /** Bits of the first byte before the range (BIT mode), to exclude. */
  firstMask: 0,
  /** Bits of the last byte after the range (BIT mode), to exclude. */
  lastMask: 0,
};

/**
 * BITCOUNT/BITPOS's normalisation of `start`/`end` (negative from the end, clamped) over a
 * string of `strlen` bytes, in bits when `isBit`: fills {@link range}. int64 arguments beyond
 * ±2^53 are far outside any string, so their approximation clamps the same way.
 */
export function normaliseRange(
  strlen: number,
  startArg: number | bigint,
  endArg: number | bigint,
  isBit: boolean,
): void {
  const total = isBit ? strlen * 8 : strlen;
  let start = Number(startArg);
  let end = Number(endArg);
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  range.firstMask = 0;
  range.lastMask = 0;
  if (isBit && start <= end) {
    range.firstMask = ~((1 << (8 - (start % 8))) - 1) & 0xff;
    range.lastMask = (1 << (7 - (end % 8))) - 1;
    start = Math.floor(start / 8);
    end = Math.floor(end / 8);
  }
  range.start = start;
  range.end = end;
}

/** Argument `i` is BIT (1), BYTE (0), or neither (-1). */
export function parseBitUnit(args: CommandArgs, i: number): number {
  if (args.argEquals(i, "bit")) return 1;
  if (args.argEquals(i, "byte")) return 0;
  return -1;
}

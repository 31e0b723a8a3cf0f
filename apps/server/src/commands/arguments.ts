import { parseInteger } from "@nedis/resp-codec";
import type { Client } from "../net/Client.js";
import type { CommandArgs } from "./CommandSpec.js";

/** Redis's shared error texts, so every command words them identically. */
export const Errors = {
  syntax: "ERR syntax error",
  notInteger: "ERR value is not an integer or out of range",
  wrongType: "WRONGTYPE Operation against a key holding the wrong kind of value",
} as const;

/**
 * Argument `i` as an integer with Redis's `string2ll` rules, or null after replying
 * `ERR value is not an integer or out of range` (Redis's `getLongLongFromObjectOrReply`).
 */
/** Argument `i` parsed with `string2ll` rules; NaN when it is not an integer. No reply. */
export function parseIntegerArg(args: CommandArgs, i: number): number {
  const off = args.offsets[i]!;
  return parseInteger(args.buffer, off, off + args.lengths[i]!);
}

export function integerArg(client: Client, args: CommandArgs, i: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number | null {
  const n = parseIntegerArg(args, i);
  if (Number.isNaN(n) || n < min || n > max) {
    client.writer.error(Errors.notInteger);
    return null;
  }
  return n;
}

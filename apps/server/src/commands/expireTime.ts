import { LLONG_MAX, LLONG_MIN } from "@nedis/keyspace";
import type { Client } from "../net/Client.js";
import type { CommandArgs } from "./CommandSpec.js";
import { getLongLongFromObjectOrReply } from "./support/numbers.js";

/** Redis's `addReplyErrorExpireTime`. */
export function replyInvalidExpire(client: Client, command: string): void {
  client.writer.error(`ERR invalid expire time in '${command}' command`);
}

/** Below these magnitudes (seconds / ms) every sum stays within 2^53: plain numbers are exact. */
const FAST_SECONDS = 9e12;
const FAST_MS = 9e15;

/**
 * SET/GETEX's `getExpireMillisecondsOrReply`: argument `i` (seconds or ms, relative or a unix
 * time) as an absolute deadline in ms, or null after replying. Zero, negative and overflowing
 * values are `invalid expire time`. Deadlines beyond 2^53 come back as bigint.
 */
export function setExpireDeadline(
  client: Client,
  args: CommandArgs,
  i: number,
  unitSeconds: boolean,
  relative: boolean,
  command: string,
  now: number,
): number | bigint | null {
  const n = getLongLongFromObjectOrReply(client, args, i);
  if (n === null) return null;
  if (typeof n === "number" && n > 0 && n < (unitSeconds ? FAST_SECONDS : FAST_MS)) {
    const ms = unitSeconds ? n * 1000 : n;
    return relative ? ms + now : ms;
  }
  let v = BigInt(n);
  if (v <= 0n || (unitSeconds && v > LLONG_MAX / 1000n)) {
    replyInvalidExpire(client, command);
    return null;
  }
  if (unitSeconds) v *= 1000n;
  if (relative) v += BigInt(now);
  if (v > LLONG_MAX) {
    replyInvalidExpire(client, command);
    return null;
  }
  return narrow(v);
}

/**
 * EXPIRE's deadline (`expireGenericCommand`): negative values are allowed (the key is then
 * deleted); only unit-conversion or base-time overflow is `invalid expire time`.
 */
export function expireDeadline(
  client: Client,
  args: CommandArgs,
  i: number,
  unitSeconds: boolean,
  basetime: number,
  command: string,
): number | bigint | null {
  const n = getLongLongFromObjectOrReply(client, args, i);
  if (n === null) return null;
  const limit = unitSeconds ? FAST_SECONDS : FAST_MS;
  if (typeof n === "number" && n > -limit && n < limit) return (unitSeconds ? n * 1000 : n) + basetime;
  let v = BigInt(n);
  if (unitSeconds) {
    if (v > LLONG_MAX / 1000n || v < LLONG_MIN / 1000n) {
      replyInvalidExpire(client, command);
      return null;
    }
    v *= 1000n;
  }
  if (v > LLONG_MAX - BigInt(basetime)) {
    replyInvalidExpire(client, command);
    return null;
  }
  return narrow(v + BigInt(basetime));
}

/** Compares two int64 values given as numbers or bigints. */
export function compareLongLong(a: number | bigint, b: number | bigint): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function narrow(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

import type { CommandArgs } from "../commands/CommandSpec.js";
import { Errors } from "../commands/support/errors.js";
import { getLongDoubleFromObjectOrReply } from "../commands/support/numbers.js";
import type { Client } from "../net/Client.js";

const LLONG_LIMIT = 2 ** 63;

/**
 * Redis's `getTimeoutFromObjectOrReply` in seconds (timeout.c): a long double (`0.1`, `1e1`),
 * `ceil(value * 1000)` ms; 0 blocks forever. Returns the absolute deadline (unix ms, 0 for
 * forever), or -1 after replying the error. A value past int64 (±inf included) wraps negative
 * on Redis's x86-64 cast, hence "timeout is negative" for it too.
 */
export function getTimeoutOrReply(client: Client, args: CommandArgs, i: number): number {
  const value = getLongDoubleFromObjectOrReply(client, args, i, Errors.timeoutNotFloat);
  if (value === null) return -1;
  let seconds: number;
  if (value.kind === "finite") seconds = Number(value.significand) * 2 ** value.exponent;
  else seconds = Number.POSITIVE_INFINITY;
  if (value.negative) seconds = -seconds;
  const ms = Math.ceil(seconds * 1000);
  if (ms < 0 || !(ms < LLONG_LIMIT)) {
    client.writer.error(Errors.timeoutNegative);
    return -1;
  }
  return ms === 0 ? 0 : Date.now() + ms;
}

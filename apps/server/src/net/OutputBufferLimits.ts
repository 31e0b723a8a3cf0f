import type { Client } from "./Client.js";

/** One class's `client-output-buffer-limit`: close past `hard` bytes, or past `soft` for `seconds`. */
export interface OutputBufferLimit {
  hard: number;
  soft: number;
  seconds: number;
}

/** The three classes of `client-output-buffer-limit` as the config table stores them. */
export interface OutputBufferLimitClasses {
  normal: OutputBufferLimit;
  replica: OutputBufferLimit;
  pubsub: OutputBufferLimit;
}

/** Bytes waiting to reach the client: unsent socket data plus replies not yet handed to it. */
export function outputBufferBytes(client: Client): number {
  return client.socket.writableLength + client.writer.length;
}

/**
 * Redis's `checkClientOutputBufferLimits`: true when the client must be closed. The soft limit
 * must hold continuously for more than `seconds`; the first time it is seen only starts the clock.
 */
export function overOutputBufferLimit(client: Client, limits: OutputBufferLimitClasses, nowSeconds: number): boolean {
  const limit = client.subscriptionCount() > 0 ? limits.pubsub : limits.normal;
  const used = outputBufferBytes(client);
  const hard = limit.hard > 0 && used >= limit.hard;
  let soft = limit.soft > 0 && used >= limit.soft;
  if (soft) {
    if (client.softLimitSince === 0) {
      client.softLimitSince = nowSeconds;
      soft = false;
    } else if (nowSeconds - client.softLimitSince <= limit.seconds) {
      soft = false;
    }
  } else {
    client.softLimitSince = 0;
  }
  return hard || soft;
}

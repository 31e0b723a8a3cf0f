import { BEYOND_SAFE, type EvictionPolicy, type Keyspace, parseLongLong, parseLongLongBig } from "@nedis/keyspace";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import type { CommandArgs } from "./CommandSpec.js";

/**
 * What the keyspace command files share: the keyspace bound to the server's config, Redis's
 * error texts, int64 arguments, and the "a key changed" bookkeeping (signal + event).
 */

export const KeyspaceErrors = {
  syntax: "ERR syntax error",
  notInteger: "ERR value is not an integer or out of range",
  wrongType: "WRONGTYPE Operation against a key holding the wrong kind of value",
  oom: "OOM command not allowed when used memory > 'maxmemory'.",
  noSuchKey: "ERR no such key",
  sameObject: "ERR source and destination objects are the same",
  dbIndexOutOfRange: "ERR DB index is out of range",
} as const;

const bound = new WeakSet<Keyspace>();
let lastBound: Keyspace | null = null;

/**
 * The server's keyspace, with `maxmemory`, the eviction and LFU options applied from the config
 * (and kept in step with CONFIG SET) the first time a command touches it.
 */
export function keyspaceOf(server: ServerContext): Keyspace {
  const ks = server.keyspace;
  if (ks !== lastBound && !bound.has(ks)) bindKeyspaceConfig(server);
  lastBound = ks;
  return ks;
}

/** Applies the memory options to the keyspace and follows their changes. Idempotent. */
export function bindKeyspaceConfig(server: ServerContext): void {
  const ks = server.keyspace;
  if (bound.has(ks)) return;
  bound.add(ks);
  const config = server.config;
  // Listeners return nothing: a returned string would be read as CONFIG SET refusing the value.
  const apply: Record<string, (value: unknown) => undefined> = {
    "maxmemory-policy": (v) => void (ks.maxmemoryPolicy = v as EvictionPolicy),
    "maxmemory-samples": (v) => void (ks.evictor.samples = v as number),
    "maxmemory-eviction-tenacity": (v) => void (ks.evictor.tenacity = v as number),
    "lfu-log-factor": (v) => void (ks.lfuLogFactor = v as number),
    "lfu-decay-time": (v) => void (ks.lfuDecayTime = v as number),
    maxmemory: (v) => void (ks.maxmemory = v as number),
  };
  for (const [name, set] of Object.entries(apply)) {
    const value = name === "maxmemory-policy" ? config.string(name) : config.number(name);
    if (value !== undefined) set(value);
    config.onChange(name, set);
  }
  config.onResetStats(() => ks.resetStats());
  // The tracking table's limit is bound here too: it is the other per-key table with a cap.
  const trackingMax = (v: unknown): undefined => void (server.tracking.maxKeys = v as number);
  trackingMax(config.number("tracking-table-max-keys"));
  config.onChange("tracking-table-max-keys", trackingMax);
}

/** Replies the OOM error and returns false unless `bytes` can be allocated (evicting if needed). */
export function reserveOrReply(ks: Keyspace, client: Client, bytes: number): boolean {
  if (ks.maxmemory === 0 || ks.reserve(bytes)) return true;
  client.writer.error(KeyspaceErrors.oom);
  return false;
}

/** Signals a modified key (WATCH, tracking) and emits its keyspace event. */
export function keyChanged(ks: Keyspace, db: number, args: CommandArgs, i: number, type: string, event: string): void {
  const off = args.offsets[i]!;
  const len = args.lengths[i]!;
  ks.signalModifiedKey(db, args.buffer, off, len);
  ks.notify(type, event, db, args.buffer, off, len);
}

/** Emits a keyspace event for key argument `i` (no signal). */
export function keyEvent(ks: Keyspace, db: number, args: CommandArgs, i: number, type: string, event: string): void {
  ks.notify(type, event, db, args.buffer, args.offsets[i]!, args.lengths[i]!);
}

/**
 * Argument `i` as an int64 (`getLongLongFromObjectOrReply`): a number when within ±(2^53−1), a
 * bigint beyond, or null after replying the not-an-integer error (or `message`).
 */
export function longLongArg(client: Client, args: CommandArgs, i: number, message: string = KeyspaceErrors.notInteger): number | bigint | null {
  const off = args.offsets[i]!;
  const end = off + args.lengths[i]!;
  const n = parseLongLong(args.buffer, off, end);
  if (n === BEYOND_SAFE) return parseLongLongBig(args.buffer, off, end) as bigint;
  if (Number.isNaN(n)) {
    client.writer.error(message);
    return null;
  }
  return n;
}

/**
 * `getIntFromObjectOrReply`: a value that must fit a C `int`. Without a custom message, an
 * integer outside that range gets `getRangeLongFromObjectOrReply`'s own error.
 */
export function intArg(client: Client, args: CommandArgs, i: number, message?: string): number | null {
  const n = longLongArg(client, args, i, message);
  if (n === null) return null;
  if (typeof n === "bigint" || n < -2147483648 || n > 2147483647) {
    client.writer.error(message ?? INT_OUT_OF_RANGE);
    return null;
  }
  return n;
}

const INT_OUT_OF_RANGE = "ERR value is out of range, value must between -2147483648 and 2147483647";

/** Writes an int64 reply (number or bigint). */
export function replyLongLong(client: Client, n: number | bigint): void {
  if (typeof n === "bigint") client.writer.bigInteger(n);
  else client.writer.integer(n);
}

/** True when argument `i` has exactly the same bytes as argument `j`. */
export function sameArg(args: CommandArgs, i: number, j: number): boolean {
  const len = args.lengths[i]!;
  if (len !== args.lengths[j]) return false;
  const a = args.offsets[i]!;
  const b = args.offsets[j]!;
  const buf = args.buffer;
  for (let k = 0; k < len; k++) if (buf[a + k] !== buf[b + k]) return false;
  return true;
}

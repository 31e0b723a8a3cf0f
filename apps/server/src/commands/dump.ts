import {
  type Database,
  dumpValue,
  LLONG_MAX,
  loadDumpPayload,
  PayloadStatus,
  RemovalReason,
  ValueLoad,
} from "@nedis/keyspace";
import { BAD_DATA_FORMAT_ERROR, DUMP_PAYLOAD_ERROR, RdbOutput, RdbReader } from "@nedis/rdb";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import { type CommandArgs, defineCommand } from "./CommandSpec.js";
import { Errors } from "./support/errors.js";
import { ANY_TYPE, keyChanged, lookupReadOrReply, reserveStringOrReply } from "./support/keyArgs.js";
import { getLongLongFromObjectOrReply } from "./support/numbers.js";

/**
 * DUMP and RESTORE (Redis's cluster.c): values travel as Redis's own DUMP payload (RDB value
 * encoding, RDB version, CRC64; `@nedis/rdb`), so they move between nedis and Redis both ways.
 * Each value type saves and loads itself through the keyspace's registry; a payload of a Redis
 * type nedis does not hold yet is refused.
 */

const out = new RdbOutput(256);
const reader = new RdbReader();
const load = new ValueLoad();
const LRU_CLOCK_MAX = 0xffffff;

/** DUMP key */
function dump(server: ServerContext, client: Client, args: CommandArgs): void {
  const db = server.keyspace.db(client.db);
  const ref = lookupReadOrReply(client, db, args, 1, ANY_TYPE);
  if (ref < 0) return;
  out.reset();
  dumpValue(db, ref, out, { compress: server.config.bool("rdbcompression") });
  client.writer.bulk(out.buffer, 0, out.length);
}

interface RestoreOptions {
  replace: boolean;
  absttl: boolean;
  /** Seconds, or -1n when not given (bigint: Redis's int64 arithmetic on it wraps). */
  idle: bigint;
  freq: number;
}

/** RESTORE's options, in Redis's order of checks; null after replying an error. */
function restoreOptions(client: Client, args: CommandArgs): RestoreOptions | null {
  const o: RestoreOptions = { replace: false, absttl: false, idle: -1n, freq: -1 };
  for (let j = 4; j < args.argc; j++) {
    const more = args.argc - j - 1;
    if (args.argEquals(j, "replace")) {
      o.replace = true;
    } else if (args.argEquals(j, "absttl")) {
      o.absttl = true;
    } else if (args.argEquals(j, "idletime") && more >= 1 && o.freq === -1) {
      const idle = getLongLongFromObjectOrReply(client, args, ++j);
      if (idle === null) return null;
      if (idle < 0) return (client.writer.error("ERR Invalid IDLETIME value, must be >= 0"), null);
      o.idle = BigInt(idle);
    } else if (args.argEquals(j, "freq") && more >= 1 && o.idle === -1n) {
      const freq = getLongLongFromObjectOrReply(client, args, ++j);
      if (freq === null) return null;
      if (freq < 0 || freq > 255) return (client.writer.error("ERR Invalid FREQ value, must be >= 0 and <= 255"), null);
      o.freq = Number(freq);
    } else {
      return (client.writer.error(Errors.syntax), null);
    }
  }
  return o;
}

/** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
function restore(server: ServerContext, client: Client, args: CommandArgs): void {
  const options = restoreOptions(client, args);
  if (options === null) return;
  const ks = server.keyspace;
  const db = ks.db(client.db);
  const keyOff = args.offsets[1]!;
  const keyLen = args.lengths[1]!;
  if (!options.replace && db.lookupWrite(args.buffer, keyOff, keyLen) >= 0) {
    return client.writer.error(Errors.busyKey);
  }
  const ttl = getLongLongFromObjectOrReply(client, args, 2);
  if (ttl === null) return;
  if (ttl < 0) return client.writer.error("ERR Invalid TTL value, must be >= 0");
  const pStart = args.offsets[3]!;
  load.host = ks;
  const status = loadDumpPayload(args.buffer, pStart, pStart + args.lengths[3]!, reader, load);
  if (status === PayloadStatus.BadChecksum) return client.writer.error(DUMP_PAYLOAD_ERROR);
  if (status === PayloadStatus.BadFormat) return client.writer.error(BAD_DATA_FORMAT_ERROR);
  if (status === PayloadStatus.UnsupportedType)
    return client.writer.error("ERR RESTORE of this data type is not supported yet");
  const now = ks.now();
  const deadline = restoreDeadline(ttl, options.absttl, now);
  if (deadline !== 0 && deadline <= now) {
    // Already expired: like Redis, the key is not created (a replaced one counts as deleted).
    load.discard(ks.pool);
    if (options.replace && db.delete(args.buffer, keyOff, keyLen)) {
      keyChanged(ks, client.db, args, 1, "g", "del");
      if (server.propagation.active) server.propagation.replaceWith(client.db, "DEL", args.argView(1));
    }
    return client.writer.raw(SharedReplies.ok);
  }
  // The replaced key goes first, so its memory counts as free for the reserve.
  if (options.replace) db.delete(args.buffer, keyOff, keyLen, RemovalReason.Overwritten);
  if (!reserveStringOrReply(client, ks, db, keyLen, load.valueBytes, deadline !== 0, deadline !== 0)) {
    load.discard(ks.pool);
    return;
  }
  // The lookup primes the index with the key's hash for the insert (the key is absent here).
  db.lookupWrite(args.buffer, keyOff, keyLen);
  const ref = load.commit(db, args.buffer, keyOff, keyLen, deadline, true);
  setAccessData(server, db, ref, options);
  keyChanged(ks, client.db, args, 1, "g", "restore");
  client.writer.raw(SharedReplies.ok);
  // A relative TTL propagates as the absolute deadline plus ABSTTL (cluster.c).
  if (server.propagation.active && deadline !== 0 && !options.absttl)
    server.propagation.replaceWith(client.db, ...withAbsoluteTtl(args, deadline));
}

/** RESTORE's arguments with the deadline in place of the TTL, ABSTTL appended. */
function withAbsoluteTtl(args: CommandArgs, deadline: number | bigint): (Uint8Array | string)[] {
  const argv: (Uint8Array | string)[] = [];
  for (let j = 0; j < args.argc; j++) argv.push(j === 2 ? String(deadline) : args.argView(j));
  argv.push("ABSTTL");
  return argv;
}

/**
 * The key's absolute deadline in ms (0: none), exact beyond 2^53 (a number would round
 * 9223372036854775807 up past int64). A relative TTL whose sum overflows int64 wraps negative in
 * Redis, so the key counts as already expired (-1 here).
 */
function restoreDeadline(ttl: number | bigint, absttl: boolean, now: number): number | bigint {
  if (ttl === 0) return 0;
  if (absttl) return typeof ttl === "bigint" || ttl > Number.MAX_SAFE_INTEGER ? BigInt(ttl) : ttl;
  const sum = BigInt(ttl) + BigInt(now);
  if (sum > LLONG_MAX) return -1;
  return sum > BigInt(Number.MAX_SAFE_INTEGER) ? sum : Number(sum);
}

/**
 * Redis's `objectSetLRUOrLFU`: IDLETIME under LRU policies, FREQ under LFU ones. Like Redis
 * 7.0, the idle time is taken from the cached LRU clock (the one OBJECT IDLETIME reads), in C's
 * int64 arithmetic, and an underflow gets LRU_CLOCK_MAX added before the 24-bit field keeps the
 * low bits.
 */
function setAccessData(server: ServerContext, db: Database, ref: number, o: RestoreOptions): void {
  const ks = server.keyspace;
  if (ks.lfu) {
    if (o.freq >= 0) db.setLruField(ref, ((ks.lfuMinutes << 8) | o.freq) >>> 0);
  } else if (o.idle >= 0n) {
    const idle = BigInt.asIntN(64, o.idle * 1000n) / 1000n;
    let abs = BigInt.asIntN(64, BigInt(ks.lruClock) - idle);
    if (abs < 0n) abs += BigInt(LRU_CLOCK_MAX);
    db.setLruField(ref, Number(BigInt.asUintN(24, abs)));
  }
}

export const dumpCommands = [
  defineCommand({
    name: "dump",
    handler: dump,
  }),
  defineCommand({
    name: "restore",
    handler: restore,
  }),
];

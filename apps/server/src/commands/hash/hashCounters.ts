import {
  BEYOND_SAFE,
  type Database,
  HashReader,
  hashCreate,
  hashSet,
  LLONG_MAX,
  LLONG_MIN,
  ObjectType,
  parseLongLong,
  parseLongLongBig,
} from "@nedis/keyspace";
import {
  addLongDouble,
  formatLongDouble,
  isFiniteLongDouble,
  type LongDouble,
  parseLongDouble,
  writeDecimal,
} from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { keyChanged, lookupWriteOrReply, NO_REPLY, reserveOrReply, WRONG_TYPE } from "../support/keyArgs.js";
import { getLongDoubleFromObjectOrReply, getLongLongFromObjectOrReply, replyLongLong } from "../support/numbers.js";

/** HINCRBY and HINCRBYFLOAT (Redis's `hincrbyCommand`, `hincrbyfloatCommand`). */

const reader = new HashReader();
const digits = new Uint8Array(24);
/** Room a counter write may take: the field, up to 5 KiB of long-double digits, entry overhead. */
const COUNTER_VALUE_ROOM = 5200;
/** Redis adds the increment to 0 for a new field (so `-0` gives `0`). */
const LONG_DOUBLE_ZERO = parseLongDouble("0") as LongDouble;

/**
 * The hash at key argument 1 for a counter write, after the reserve; -2 after replying (OOM or
 * WRONGTYPE), -1 when absent.
 */
function counterHash(server: ServerContext, client: Client, args: CommandArgs): number {
  const ks = server.keyspace;
  const db = ks.db(client.db);
  if (ks.maxmemory !== 0) {
    const charge = args.lengths[1]! + args.lengths[2]! + COUNTER_VALUE_ROOM + db.growthCharge(1, 0);
    if (!reserveOrReply(client, ks, charge)) return WRONG_TYPE;
  }
  return lookupWriteOrReply(client, db, args, 1, ObjectType.Hash, NO_REPLY);
}

/** Stores `value[0, len)` as field argument 2 of the hash at `ref` (-1: creates the key). */
function storeCounter(db: Database, ref: number, args: CommandArgs, value: Uint8Array, len: number): void {
  const buf = args.buffer;
  const f = args.offsets[2]!;
  const fLen = args.lengths[2]!;
  if (ref < 0) hashCreate(db, buf, args.offsets[1]!, args.lengths[1]!, buf, f, fLen, value, 0, len, false);
  else hashSet(db, ref, buf, f, fLen, value, 0, len);
}

export const hashCounterCommands = [
  /** HINCRBY key field increment */
  defineCommand({
    name: "hincrby",
    handler(server, client, args) {
      const incr = getLongLongFromObjectOrReply(client, args, 3);
      if (incr === null) return;
      const db = server.keyspace.db(client.db);
      const ref = counterHash(server, client, args);
      if (ref === WRONG_TYPE) return;
      let current: number | bigint = 0;
      if (ref >= 0 && reader.get(db, ref, args.buffer, args.offsets[2]!, args.lengths[2]!)) {
        const end = reader.valueOff + reader.valueLen;
        const n = parseLongLong(reader.valueBuf, reader.valueOff, end);
        if (Number.isNaN(n)) return client.writer.error("ERR hash value is not an integer");
        current = n === BEYOND_SAFE ? (parseLongLongBig(reader.valueBuf, reader.valueOff, end) as bigint) : n;
      }
      let value: number | bigint;
      if (typeof current === "number" && typeof incr === "number" && Number.isSafeInteger(current + incr)) {
        value = current + incr;
      } else {
        const sum = BigInt(current) + BigInt(incr);
        if (sum > LLONG_MAX || sum < LLONG_MIN) return client.writer.error("ERR increment or decrement would overflow");
        value = Number.isSafeInteger(Number(sum)) && BigInt(Number(sum)) === sum ? Number(sum) : sum;
      }
      storeCounter(db, ref, args, digits, writeDecimal(digits, 0, value));
      keyChanged(server.keyspace, client.db, args, 1, "h", "hincrby");
      replyLongLong(client, value);
    },
  }),
  /** HINCRBYFLOAT key field increment */
  defineCommand({
    name: "hincrbyfloat",
    handler(server, client, args) {
      const incr = getLongDoubleFromObjectOrReply(client, args, 3);
      if (incr === null) return;
      if (!isFiniteLongDouble(incr)) return client.writer.error("ERR value is NaN or Infinity");
      const db = server.keyspace.db(client.db);
      const ref = counterHash(server, client, args);
      if (ref === WRONG_TYPE) return;
      let sum = addLongDouble(LONG_DOUBLE_ZERO, incr);
      if (ref >= 0 && reader.get(db, ref, args.buffer, args.offsets[2]!, args.lengths[2]!)) {
        const current = parseLongDouble(reader.valueBuf.subarray(reader.valueOff, reader.valueOff + reader.valueLen));
        if (current === null) return client.writer.error("ERR hash value is not a float");
        sum = addLongDouble(current, incr);
      }
      if (!isFiniteLongDouble(sum)) return client.writer.error("ERR increment would produce NaN or Infinity");
      const text = Buffer.from(formatLongDouble(sum), "latin1");
      storeCounter(db, ref, args, text, text.length);
      keyChanged(server.keyspace, client.db, args, 1, "h", "hincrbyfloat");
      client.writer.bulk(text);
      // Propagated as HSET key field <result> (t_hash.c): no float math redone on reload.
      const prop = server.propagation;
      if (prop.active) prop.replaceWith(client.db, "HSET", args.argView(1), args.argView(2), text);
    },
  }),
];

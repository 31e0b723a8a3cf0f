import {
  BEYOND_SAFE,
  type Database,
  Encoding,
  type Keyspace,
  LLONG_MAX,
  LLONG_MIN,
  ObjectType,
  parseLongLong,
  parseLongLongBig,
  StringEncodingMode,
  stringRewriteSameLength,
  writeInt,
} from "@nedis/keyspace";
import { incrByFloat } from "@nedis/resp-codec";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import { type CommandArgs, defineCommand } from "./CommandSpec.js";
import { Errors } from "./support/errors.js";
import { keyChanged, lookupWriteOrReply, NO_REPLY, reserveStringOrReply, WRONG_TYPE } from "./support/keyArgs.js";
import { getLongLongFromObjectOrReply, replyLongLong } from "./support/numbers.js";

const scratch = new Uint8Array(24);

/** Redis's `incrDecrCommand`: adds `incr` to the integer at key argument 1. */
function incrDecr(server: ServerContext, client: Client, args: CommandArgs, incr: number | bigint): void {
  const ks = server.keyspace;
  const db = ks.db(client.db);
  if (!reserveStringOrReply(client, ks, db, args.lengths[1]!, 20, true, false)) return;
  const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.String, NO_REPLY);
  if (ref === WRONG_TYPE) return;
  let current: number | bigint = 0;
  if (ref >= 0) {
    db.loadValue(ref);
    const n = parseLongLong(db.valueBuf, db.valueOff, db.valueOff + db.valueLen);
    if (Number.isNaN(n)) {
      client.writer.error(Errors.notInteger);
      return;
    }
    current = n === BEYOND_SAFE ? (parseLongLongBig(db.valueBuf, db.valueOff, db.valueOff + db.valueLen) as bigint) : n;
  }
  let value: number | bigint;
  if (typeof current === "number" && typeof incr === "number" && Number.isSafeInteger(current + incr)) {
    value = current + incr;
  } else {
    const sum = BigInt(current) + BigInt(incr);
    if (sum > LLONG_MAX || sum < LLONG_MIN) {
      client.writer.error("ERR increment or decrement would overflow");
      return;
    }
    value = Number.isSafeInteger(Number(sum)) && BigInt(Number(sum)) === sum ? Number(sum) : sum;
  }
  writeInteger(ks, db, ref, args.buffer, args.offsets[1]!, args.lengths[1]!, value);
  keyChanged(ks, db.id, args, 1, "$", "incrby");
  replyLongLong(client, value);
}

/** Stores an integer at the key: rewritten in place when the digit count is unchanged. */
function writeInteger(
  ks: Keyspace,
  db: Database,
  ref: number,
  key: Uint8Array,
  off: number,
  len: number,
  value: number | bigint,
): void {
  let digits: Uint8Array = scratch;
  let n: number;
  if (typeof value === "number") {
    n = writeInt(value, scratch, 0);
  } else {
    digits = Buffer.from(value.toString(), "latin1");
    n = digits.length;
  }
  if (ref < 0) {
    db.insertString(key, off, len, digits, 0, n, StringEncodingMode.Auto);
    return;
  }
  if (db.valueLen === n) {
    // Same length: the digits are rewritten where they are (db.loadValue ran for this ref).
    stringRewriteSameLength(db, ref, digits, n, ks.shareable(Encoding.Int, digits, 0, n));
    return;
  }
  db.overwriteString(ref, digits, 0, n, StringEncodingMode.Auto, true);
}

/** INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT. */
export const stringCounterCommands = [
  /** INCR key */
  defineCommand({
    name: "incr",
    handler: (server, client, args) => incrDecr(server, client, args, 1),
  }),
  /** DECR key */
  defineCommand({
    name: "decr",
    handler: (server, client, args) => incrDecr(server, client, args, -1),
  }),
  /** INCRBY key increment */
  defineCommand({
    name: "incrby",
    handler(server, client, args) {
      const incr = getLongLongFromObjectOrReply(client, args, 2);
      if (incr !== null) incrDecr(server, client, args, incr);
    },
  }),
  /** DECRBY key decrement */
  defineCommand({
    name: "decrby",
    handler(server, client, args) {
      const decr = getLongLongFromObjectOrReply(client, args, 2);
      if (decr === null) return;
      if (decr === LLONG_MIN) {
        client.writer.error("ERR decrement would overflow");
        return;
      }
      incrDecr(server, client, args, typeof decr === "bigint" ? -decr : -decr);
    },
  }),
  /** INCRBYFLOAT key increment */
  defineCommand({
    name: "incrbyfloat",
    handler(server, client, args) {
      const ks = server.keyspace;
      const db = ks.db(client.db);
      if (!reserveStringOrReply(client, ks, db, args.lengths[1]!, 64, true, false)) return;
      const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.String, NO_REPLY);
      if (ref === WRONG_TYPE) return;
      let current: Uint8Array | null = null;
      if (ref >= 0) {
        db.loadValue(ref);
        current = db.valueBuf.subarray(db.valueOff, db.valueOff + db.valueLen);
      }
      const result = incrByFloat(current, args.argView(2));
      if (!result.ok) {
        client.writer.error(result.error);
        return;
      }
      const text = Buffer.from(result.text, "latin1");
      if (ref >= 0) db.overwriteString(ref, text, 0, text.length, StringEncodingMode.NoInt, true);
      else
        db.insertString(
          args.buffer,
          args.offsets[1]!,
          args.lengths[1]!,
          text,
          0,
          text.length,
          StringEncodingMode.NoInt,
        );
      keyChanged(ks, db.id, args, 1, "$", "incrbyfloat");
      client.writer.bulk(text);
      // Propagated as SET key <result> KEEPTTL: replicas and reloads never redo the float math.
      const prop = server.propagation;
      if (prop.active) prop.replaceWith(db.id, "SET", args.argView(1), text, "KEEPTTL");
    },
  }),
];

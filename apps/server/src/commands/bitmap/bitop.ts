import { Arena } from "@nedis/allocators/arena";
import { BitOp, bitopFirst, bitopNext, type Database, Encoding, ObjectType } from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { BitErrors, Errors } from "../support/errors.js";
import { keyChanged, lookupReadOrReply, NO_REPLY, reserveStringOrReply, WRONG_TYPE } from "../support/keyArgs.js";

/**
 * BITOP (Redis's `bitopCommand`): the result is built in one arena block, source by source
 * straight from their pool bytes, then stored as the destination's raw string value; no ref is
 * held across another key's lookup.
 */

/** The result's scratch, reset after each BITOP (no cap: the 512 MB cap bounds the sources). */
const scratch = new Arena({ maxBytes: 0 });

/** The first source argument. */
const FIRST_SOURCE = 3;

/**
 * The longest source's length, looking each source up for reading (hits, misses, expiry) unless
 * `again` (after a reserve: only what eviction left); -1 after replying WRONGTYPE.
 */
function longestSource(client: Client, db: Database, args: CommandArgs, again: boolean): number {
  let longest = 0;
  for (let j = FIRST_SOURCE; j < args.argc; j++) {
    const ref = again
      ? db.find(args.buffer, args.offsets[j]!, args.lengths[j]!)
      : lookupReadOrReply(client, db, args, j, ObjectType.String, NO_REPLY);
    if (ref === WRONG_TYPE) return -1;
    if (ref >= 0) longest = Math.max(longest, db.valueLength(ref));
  }
  return longest;
}

/** Argument 1 as a {@link BitOp}, or -1. */
function parseBitOp(args: CommandArgs): number {
  if (args.argEquals(1, "and")) return BitOp.And;
  if (args.argEquals(1, "or")) return BitOp.Or;
  if (args.argEquals(1, "xor")) return BitOp.Xor;
  if (args.argEquals(1, "not")) return BitOp.Not;
  return -1;
}

/**
 * Builds the result of `op` over the sources (`length` bytes) in the scratch block, source by
 * source, and stores it as the destination's raw string (Redis's `setKey`: any old type and TTL go).
 */
function storeBitop(db: Database, args: CommandArgs, op: BitOp, length: number): void {
  const buf = args.buffer;
  const at = scratch.alloc(length, 8); // aligned: NOT and the word loops start at once
  const out = scratch.buffer;
  for (let j = FIRST_SOURCE; j < args.argc; j++) {
    // Looked up already (expired or WRONGTYPE handled): a plain find, no stats twice.
    const ref = db.find(buf, args.offsets[j]!, args.lengths[j]!);
    let src = out;
    let start = 0;
    let end = 0;
    if (ref >= 0) {
      db.loadValue(ref);
      src = db.valueBuf;
      start = db.valueOff;
      end = start + db.valueLen;
    }
    if (j === FIRST_SOURCE) bitopFirst(out, at, length, src, start, end, op);
    else bitopNext(out, at, length, src, start, end, op);
  }
  const destOff = args.offsets[2]!;
  const destLen = args.lengths[2]!;
  const dest = db.lookupWrite(buf, destOff, destLen);
  if (dest >= 0) db.overwriteValue(dest, out, at, length, ObjectType.String, Encoding.Raw, false);
  else db.insertValue(buf, destOff, destLen, out, at, length, ObjectType.String, Encoding.Raw);
}

export const bitopCommands = [
  /** BITOP AND | OR | XOR | NOT destkey key [key ...] */
  defineCommand({
    name: "bitop",
    handler(server, client, args) {
      const op = parseBitOp(args) as BitOp | -1;
      if (op === -1) {
        client.writer.error(Errors.syntax);
        return;
      }
      if (op === BitOp.Not && args.argc !== 4) {
        client.writer.error(BitErrors.bitopNotOneKey);
        return;
      }
      const ks = server.keyspace;
      const db = ks.db(client.db);
      const buf = args.buffer;
      const destOff = args.offsets[2]!;
      const destLen = args.lengths[2]!;
      let length = longestSource(client, db, args, false);
      if (length < 0) return;
      if (length > 0 && ks.maxmemory !== 0) {
        if (!reserveStringOrReply(client, ks, db, destLen, length, false, false)) return;
        length = longestSource(client, db, args, true);
      }
      if (length === 0) {
        if (db.delete(buf, destOff, destLen)) keyChanged(ks, db.id, args, 2, "g", "del");
        client.writer.integer(0);
        return;
      }
      try {
        storeBitop(db, args, op, length);
      } finally {
        scratch.reset();
      }
      keyChanged(ks, db.id, args, 2, "$", "set");
      client.writer.integer(length);
    },
  }),
];

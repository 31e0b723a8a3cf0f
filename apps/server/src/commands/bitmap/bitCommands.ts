import {
  BIT_CHANGED,
  bitpos,
  getBit,
  ObjectType,
  popcount,
  popcountByte,
  stringInsertBit,
  stringSetBit,
} from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import { defineCommand } from "../CommandSpec.js";
import { BitErrors, Errors } from "../support/errors.js";
import {
  keyChanged,
  lookupReadOrReply,
  lookupWriteOrReply,
  NO_REPLY,
  reserveStringOrReply,
  WRONG_TYPE,
} from "../support/keyArgs.js";
import { getLongFromObjectOrReply, getLongLongFromObjectOrReply } from "../support/numbers.js";
import { normaliseRange, parseBitOffset, parseBitUnit, range } from "./bitArgs.js";

/**
 * SETBIT, GETBIT, BITCOUNT and BITPOS (Redis's `bitops.c`): bits of string values, read straight
 * from their pool bytes and written in place through the keyspace's bit edits.
 */
export const bitCommands = [
  /** SETBIT key offset value */
  defineCommand({
    name: "setbit",
    handler(server, client, args) {
      const offset = parseBitOffset(server, client, args, 2);
      if (offset < 0) return;
      const on = getLongFromObjectOrReply(client, args, 3, BitErrors.bitValue);
      if (on === null) return;
      if (on !== 0 && on !== 1) {
        client.writer.error(BitErrors.bitValue);
        return;
      }
      const ks = server.keyspace;
      const db = ks.db(client.db);
      const buf = args.buffer;
      const keyOff = args.offsets[1]!;
      const keyLen = args.lengths[1]!;
      const needed = Math.floor(offset / 8) + 1;
      if (ks.maxmemory !== 0) {
        // The charge depends on the current length: look up, reserve (which may evict), look up again.
        const found = db.lookupWrite(buf, keyOff, keyLen);
        const current = found >= 0 && db.typeAt(found) === ObjectType.String ? db.valueLength(found) : 0;
        if (needed > current && !reserveStringOrReply(client, ks, db, keyLen, needed, true, false)) return;
      }
      const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.String, NO_REPLY);
      if (ref === WRONG_TYPE) return;
      let result: number;
      if (ref < 0) {
        stringInsertBit(db, buf, keyOff, keyLen, offset, on);
        result = BIT_CHANGED;
      } else {
        result = stringSetBit(db, ref, offset, on);
      }
      if (result & BIT_CHANGED) keyChanged(ks, db.id, args, 1, "$", "setbit");
      client.writer.raw(result & 1 ? SharedReplies.one : SharedReplies.zero);
    },
  }),
  /** GETBIT key offset */
  defineCommand({
    name: "getbit",
    handler(server, client, args) {
      const offset = parseBitOffset(server, client, args, 2);
      if (offset < 0) return;
      const db = server.keyspace.db(client.db);
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.String, SharedReplies.zero);
      if (ref < 0) return;
      db.loadValue(ref);
      const bit = getBit(db.valueBuf, db.valueOff, db.valueOff + db.valueLen, offset);
      client.writer.raw(bit ? SharedReplies.one : SharedReplies.zero);
    },
  }),
  /** BITCOUNT key [start end [BYTE | BIT]] */
  defineCommand({
    name: "bitcount",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.String, SharedReplies.zero);
      if (ref < 0) return;
      const argc = args.argc;
      const strlen = db.valueLength(ref);
      let isBit = false;
      if (argc === 4 || argc === 5) {
        const start = getLongLongFromObjectOrReply(client, args, 2);
        if (start === null) return;
        const end = getLongLongFromObjectOrReply(client, args, 3);
        if (end === null) return;
        if (start < 0 && end < 0 && start > end) {
          client.writer.raw(SharedReplies.zero);
          return;
        }
        if (argc === 5) {
          const unit = parseBitUnit(args, 4);
          if (unit < 0) {
            client.writer.error(Errors.syntax);
            return;
          }
          isBit = unit === 1;
        }
        normaliseRange(strlen, start, end, isBit);
      } else if (argc === 2) {
        range.start = 0;
        range.end = strlen - 1;
        range.firstMask = 0;
        range.lastMask = 0;
      } else {
        client.writer.error(Errors.syntax);
        return;
      }
      if (range.start > range.end) {
        client.writer.raw(SharedReplies.zero);
        return;
      }
      db.loadValue(ref);
      const base = db.valueOff;
      const bytes = db.valueBuf;
      let count = popcount(bytes, base + range.start, base + range.end + 1);
      if (range.firstMask !== 0) count -= popcountByte(bytes[base + range.start]! & range.firstMask);
      if (range.lastMask !== 0) count -= popcountByte(bytes[base + range.end]! & range.lastMask);
      client.writer.integer(count);
    },
  }),
  /** BITPOS key bit [start [end [BYTE | BIT]]] */
  defineCommand({
    name: "bitpos",
    handler(server, client, args) {
      const bit = getLongFromObjectOrReply(client, args, 2);
      if (bit === null) return;
      if (bit !== 0 && bit !== 1) {
        client.writer.error(BitErrors.bitposBit);
        return;
      }
      const db = server.keyspace.db(client.db);
      // A missing key is an endless run of zeros.
      const ref = lookupReadOrReply(
        client,
        db,
        args,
        1,
        ObjectType.String,
        bit ? SharedReplies.minusOne : SharedReplies.zero,
      );
      if (ref < 0) return;
      const strlen = db.valueLength(ref);
      const argc = args.argc;
      let endGiven = false;
      if (argc >= 4 && argc <= 6) {
        const start = getLongLongFromObjectOrReply(client, args, 3);
        if (start === null) return;
        let isBit = false;
        if (argc === 6) {
          const unit = parseBitUnit(args, 5);
          if (unit < 0) {
            client.writer.error(Errors.syntax);
            return;
          }
          isBit = unit === 1;
        }
        let end: number | bigint;
        if (argc >= 5) {
          const parsed = getLongLongFromObjectOrReply(client, args, 4);
          if (parsed === null) return;
          end = parsed;
          endGiven = true;
        } else {
          end = isBit ? strlen * 8 + 7 : strlen - 1;
        }
        normaliseRange(strlen, start, end, isBit);
      } else if (argc === 3) {
        range.start = 0;
        range.end = strlen - 1;
        range.firstMask = 0;
        range.lastMask = 0;
      } else {
        client.writer.error(Errors.syntax);
        return;
      }
      if (range.start > range.end) {
        client.writer.raw(SharedReplies.minusOne);
        return;
      }
      db.loadValue(ref);
      client.writer.integer(bitposInRange(db.valueBuf, db.valueOff, bit, endGiven));
    },
  }),
];

/** One byte of scratch for BITPOS's masked edge bytes. */
const edge = new Uint8Array(1);

/**
 * BITPOS over the normalised {@link range} of the value at `bytes[base…]` (Redis's
 * `bitposCommand` after parsing): the edge bytes of a BIT range are searched with the bits
 * outside the range forced to the opposite of `bit`.
 */
function bitposInRange(bytes: Uint8Array, base: number, bit: number, endGiven: boolean): number {
  let start = range.start;
  const end = range.end;
  const firstMask = range.firstMask;
  const lastMask = range.lastMask;
  let count = end - start + 1;
  let pos: number;
  if (firstMask !== 0) {
    let byte = bit ? bytes[base + start]! & ~firstMask : bytes[base + start]! | firstMask;
    if (lastMask !== 0 && count === 1) byte = bit ? byte & ~lastMask : byte | lastMask;
    edge[0] = byte;
    pos = bitpos(edge, 0, 1, bit);
    if (count === 1 || (pos !== -1 && pos !== 8)) return bitposResult(pos, start, count, bit, endGiven);
    start++;
    count--;
  }
  const middle = count - (lastMask !== 0 ? 1 : 0);
  if (middle > 0) {
    pos = bitpos(bytes, base + start, base + start + middle, bit);
    if (count === middle || (pos !== -1 && pos !== middle * 8)) return bitposResult(pos, start, count, bit, endGiven);
    start += middle;
    count -= middle;
  }
  edge[0] = bit ? bytes[base + end]! & ~lastMask : bytes[base + end]! | lastMask;
  pos = bitpos(edge, 0, 1, bit);
  return bitposResult(pos, start, count, bit, endGiven);
}

/** BITPOS's answer for `pos` found in the last `count` bytes searched, from byte `start`. */
function bitposResult(pos: number, start: number, count: number, bit: number, endGiven: boolean): number {
  // With an explicit end, a 0 past the range is not in it.
  if (endGiven && bit === 0 && pos === count * 8) return -1;
  return pos === -1 ? -1 : pos + start * 8;
}

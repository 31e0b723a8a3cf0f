import { ARENA_EXHAUSTED, Arena } from "@nedis/allocators/arena";
import { type FieldTable, HashReader, hashLength, hashTableOf, LLONG_MAX, ObjectType } from "@nedis/keyspace";
import { globMatchRange } from "@nedis/pubsub";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { parseCursor } from "../keys.js";
import { Errors, rangeError } from "../support/errors.js";
import { lookupReadOrReply, WRONG_TYPE } from "../support/keyArgs.js";
import { getLongFromObjectOrReply, getLongLongFromObjectOrReply } from "../support/numbers.js";

/** HRANDFIELD and HSCAN: the hash commands that read a random part or a cursor's worth. */

const reader = new HashReader();
const EMPTY_SCAN = Buffer.from("*2\r\n$1\r\n0\r\n*0\r\n");
const EMPTY = new Uint8Array(0);
const LONG_MAX_HALF = LLONG_MAX / 2n;
/**
 * Redis stops an HRANDFIELD with a huge negative count once the client is scheduled to close
 * for its output (CLIENT_CLOSE_ASAP); nedis drops the connection past this many reply bytes,
 * before the process itself runs out of memory.
 */
const MAX_REPLY_BYTES = 128 * 1024 * 1024;

/** Writes the pair in `reader`'s registers as HRANDFIELD does (a [field, value] pair in RESP3). */
function replyPair(client: Client, withValues: boolean): void {
  const w = client.writer;
  if (withValues && w.protocol === 3) w.arrayHeader(2);
  w.bulk(reader.fieldBuf, reader.fieldOff, reader.fieldOff + reader.fieldLen);
  if (withValues) w.bulk(reader.valueBuf, reader.valueOff, reader.valueOff + reader.valueLen);
}

/** Redis's `hrandfieldWithCountCommand`: its cases, with selection sampling for unique picks. */
function randomFields(server: ServerContext, client: Client, args: CommandArgs, l: number, withValues: boolean): void {
  const db = server.keyspace.db(client.db);
  const ref = lookupReadOrReply(client, db, args, 1, ObjectType.Hash, SharedReplies.emptyArray);
  if (ref < 0) return;
  const w = client.writer;
  const size = hashLength(db, ref);
  const unique = l >= 0;
  const count = Math.abs(l);
  if (count === 0) return w.raw(SharedReplies.emptyArray);
  const flat = withValues && w.protocol === 2 ? 2 : 1;
  // CASE 1: repeats allowed (or one field): independent uniform picks.
  if (!unique || count === 1) {
    w.arrayHeader(count * flat);
    const picks = reader.openRandom(db, ref);
    for (let i = 0; i < count; i++) {
      if ((i & 4095) === 4095 && w.length > MAX_REPLY_BYTES) {
        client.closed = true;
        client.socket.destroy();
        return;
      }
      picks.nextRandom();
      replyPair(client, withValues);
    }
    return;
  }
  // CASE 2: at least the whole hash: all of it.
  if (count >= size) {
    w.arrayHeader(size * flat);
    const r = reader.open(db, ref);
    while (r.next()) replyPair(client, withValues);
    return;
  }
  w.arrayHeader(count * flat);
  const table = hashTableOf(db, ref);
  if (table !== null && count * 3 <= size) {
    // CASE 4 on a table: random slots until `count` distinct ones.
    const seen = new Set<number>();
    while (seen.size < count) {
      const slot = reader.random(db, ref);
      if (seen.has(slot)) continue;
      seen.add(slot);
      replyPair(client, withValues);
    }
    return;
  }
  // CASE 3, and a listpack's CASE 4 (lpRandomPairsUnique): one pass keeping each pair with
  // probability needed / remaining (Knuth's selection sampling), so `count` distinct pairs.
  let needed = count;
  let remaining = size;
  const r = reader.open(db, ref);
  while (needed > 0 && r.next()) {
    if (Math.random() * remaining < needed) {
      replyPair(client, withValues);
      needed--;
    }
    remaining--;
  }
}

/**
 * HSCAN's pairs from a table bucket walk, copied into an arena (the reply is written after the
 * walk, once the next cursor is known): `(buffer, offset, length)` per field and value, in
 * reused arrays, and the arena reset after the reply — no object per element.
 */
const scanArena = new Arena({ blockSize: 256 * 1024 });
const scannedBufs: Uint8Array[] = [];
const scannedOffs: number[] = [];
const scannedLens: number[] = [];
let scanned = 0;

function keep(source: Uint8Array, off: number, len: number): void {
  let at = scanArena.copy(source, off, off + len);
  let buf = scanArena.buffer;
  if (at === ARENA_EXHAUSTED) {
    buf = source.slice(off, off + len);
    at = 0;
  }
  scannedBufs[scanned] = buf;
  scannedOffs[scanned] = at;
  scannedLens[scanned] = len;
  scanned++;
}

const collect = (table: FieldTable): void => {
  keep(table.fieldBuf, table.fieldOff, table.fieldLen);
  keep(table.valueBuf, table.valueOff, table.valueLen);
};

export const hashRandomCommands = [
  /** HRANDFIELD key [count [WITHVALUES]] */
  defineCommand({
    name: "hrandfield",
    handler(server, client, args) {
      if (args.argc >= 3) {
        const n = getLongLongFromObjectOrReply(client, args, 2);
        if (n === null) return;
        if (n < -LLONG_MAX) return client.writer.error(rangeError(-LLONG_MAX, LLONG_MAX));
        if (args.argc > 4 || (args.argc === 4 && !args.argEquals(3, "withvalues")))
          return client.writer.error(Errors.syntax);
        const withValues = args.argc === 4;
        if (withValues && (n < -LONG_MAX_HALF || n > LONG_MAX_HALF)) return client.writer.error(Errors.outOfRange);
        randomFields(server, client, args, Number(n), withValues);
        return;
      }
      const db = server.keyspace.db(client.db);
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.Hash, null);
      if (ref < 0) return;
      reader.random(db, ref);
      replyPair(client, false);
    },
  }),
  /** HSCAN key cursor [MATCH pattern] [COUNT count] */
  defineCommand({
    name: "hscan",
    handler(server, client, args) {
      let cursor = parseCursor(client, args, 2);
      if (cursor < 0) return;
      const db = server.keyspace.db(client.db);
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.Hash, EMPTY_SCAN);
      if (ref === WRONG_TYPE || ref < 0) return;
      let count = 10;
      let patternIndex = -1;
      for (let i = 3; i < args.argc; ) {
        const remaining = args.argc - i;
        if (args.argEquals(i, "count") && remaining >= 2) {
          const n = getLongFromObjectOrReply(client, args, i + 1);
          if (n === null) return;
          if (n < 1) return client.writer.error(Errors.syntax);
          count = Number(n);
          i += 2;
        } else if (args.argEquals(i, "match") && remaining >= 2) {
          patternIndex = i + 1;
          i += 2;
        } else {
          return client.writer.error(Errors.syntax);
        }
      }
      const pattern = args.buffer;
      const pStart = patternIndex < 0 ? 0 : args.offsets[patternIndex]!;
      const pEnd = patternIndex < 0 ? 0 : pStart + args.lengths[patternIndex]!;
      const usePattern = patternIndex >= 0 && !(pEnd - pStart === 1 && pattern[pStart] === 0x2a);
      const w = client.writer;
      const table = hashTableOf(db, ref);
      if (table === null) {
        // A listpack is returned whole with cursor 0, so the pairs go straight to the reply.
        w.arrayHeader(2);
        w.bulkString("0");
        const header = w.deferLength();
        let n = 0;
        const r = reader.open(db, ref);
        while (r.next()) {
          if (usePattern && !globMatchRange(pattern, pStart, pEnd, r.fieldBuf, r.fieldOff, r.fieldOff + r.fieldLen))
            continue;
          w.bulk(r.fieldBuf, r.fieldOff, r.fieldOff + r.fieldLen);
          w.bulk(r.valueBuf, r.valueOff, r.valueOff + r.valueLen);
          n += 2;
        }
        w.setDeferredArrayLength(header, n);
        return;
      }
      // A table walk: the next cursor is known (and written first) only after the walk.
      scanned = 0;
      let iterations = count * 10;
      do {
        cursor = table.scan(cursor, collect);
      } while (cursor !== 0 && iterations-- > 0 && scanned < count);
      w.arrayHeader(2);
      w.bulkString(String(cursor));
      const header = w.deferLength();
      let kept = 0;
      for (let i = 0; i < scanned; i += 2) {
        const fieldBuf = scannedBufs[i]!;
        const fieldOff = scannedOffs[i]!;
        const fieldEnd = fieldOff + scannedLens[i]!;
        if (usePattern && !globMatchRange(pattern, pStart, pEnd, fieldBuf, fieldOff, fieldEnd)) continue;
        w.bulk(fieldBuf, fieldOff, fieldEnd);
        w.bulk(scannedBufs[i + 1]!, scannedOffs[i + 1]!, scannedOffs[i + 1]! + scannedLens[i + 1]!);
        kept += 2;
      }
      w.setDeferredArrayLength(header, kept);
      scannedBufs.fill(EMPTY, 0, scanned);
      scanned = 0;
      scanArena.reset();
    },
  }),
];

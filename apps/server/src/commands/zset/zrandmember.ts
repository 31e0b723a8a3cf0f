import { type Database, ObjectType, ZSetCursor, zset } from "@nedis/keyspace";
import { globMatchRange } from "@nedis/pubsub";
import { formatDouble } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { lookupReadOrReply } from "../support/keyArgs.js";
import { getLongFromObjectOrReply, getRangeLongFromObjectOrReply, LONG_MAX } from "../support/numbers.js";
import { replyElement } from "./zsetArgs.js";

const cursor = new ZSetCursor();
const EMPTY_ARRAY = Buffer.from("*0\r\n");
const EMPTY_SCAN = Buffer.from("*2\r\n$1\r\n0\r\n*0\r\n");
/** `-LONG_MAX/2 .. LONG_MAX/2`: the count range with WITHSCORES. */
const HALF_LONG = 4611686018427387903n;
/** A reply this large ends a repeating ZRANDMEMBER and its client. */
const REPLY_GUARD_BYTES = 1 << 30;

/**
 * Redis's `zrandmemberWithCountCommand`: a negative count may repeat elements, a positive one
 * returns distinct elements (the whole zset when it has no more). Elements are drawn by rank,
 * so no temporary copy of the zset is made; which elements come out, and in what order, is
 * random on both servers.
 */
function zrandmemberWithCount(client: Client, db: Database, ref: number, l: number, withScores: boolean): void {
  const w = client.writer;
  const size = zset.zsetLength(db, ref);
  const unique = l >= 0;
  let count = unique ? l : -l;
  if (count === 0) {
    w.raw(EMPTY_ARRAY);
    return;
  }
  cursor.open(db, ref);
  const pairs = withScores && w.protocol === 2 ? 2 : 1;
  if (!unique || count === 1) {
    w.arrayHeader(count * pairs);
    while (count-- > 0) {
      cursor.seekRank(Math.floor(Math.random() * size));
      replyElement(client, cursor.memberBuf, cursor.memberOff, cursor.memberLen, cursor.score, withScores);
      if ((count & 1023) === 0 && w.length > REPLY_GUARD_BYTES) {
        // Redis stops once the client is past its output limit and closes it (CLIENT_CLOSE_ASAP):
        // a count like -2^63 must not grow one reply until the process runs out of memory.
        client.closeAfterReply = true;
        break;
      }
    }
    return;
  }
  if (count >= size) {
    w.arrayHeader(size * pairs);
    for (let ok = cursor.seekRank(0); ok; ok = cursor.step(false)) {
      replyElement(client, cursor.memberBuf, cursor.memberOff, cursor.memberLen, cursor.score, withScores);
    }
    return;
  }
  w.arrayHeader(count * pairs);
  const picked = new Uint8Array(size);
  if (count * 3 > size) {
    // Most of the zset: drop random ranks until `count` remain, reply the rest in order.
    for (let left = size; left > count; ) {
      const rank = Math.floor(Math.random() * size);
      if (picked[rank] === 0) {
        picked[rank] = 1;
        left--;
      }
    }
    let rank = 0;
    for (let ok = cursor.seekRank(0); ok; ok = cursor.step(false), rank++) {
      if (picked[rank] === 0)
        replyElement(client, cursor.memberBuf, cursor.memberOff, cursor.memberLen, cursor.score, withScores);
    }
    return;
  }
  for (let added = 0; added < count; ) {
    const rank = Math.floor(Math.random() * size);
    if (picked[rank] === 1) continue;
    picked[rank] = 1;
    added++;
    cursor.seekRank(rank);
    replyElement(client, cursor.memberBuf, cursor.memberOff, cursor.memberLen, cursor.score, withScores);
  }
}

/** Redis's `parseScanCursorOrReply` (`strtoul` rules); -1 after replying `ERR invalid cursor`. */
function parseCursor(client: Client, args: CommandArgs, i: number): number {
  const text = args.argString(i);
  if (text === "") return 0;
  if (!/^[+-]?\d+$/.test(text) || BigInt(text.replace(/^[+-]/, "")) > 18446744073709551615n) {
    client.writer.error("ERR invalid cursor");
    return -1;
  }
  let value = BigInt(text);
  if (value < 0n) value = (18446744073709551616n + value) & 18446744073709551615n;
  return Number(value & 0xffffffffn);
}

/** ZRANDMEMBER, ZSCAN. */
export const zrandCommands = [
  /** ZRANDMEMBER key [count [WITHSCORES]] */
  defineCommand({
    name: "zrandmember",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const w = client.writer;
      if (args.argc >= 3) {
        const l = getRangeLongFromObjectOrReply(client, args, 2, -LONG_MAX, LONG_MAX);
        if (l === null) return;
        if (args.argc > 4 || (args.argc === 4 && !args.argEquals(3, "withscores"))) {
          w.error(Errors.syntax);
          return;
        }
        const withScores = args.argc === 4;
        if (withScores) {
          const exact = getLongFromObjectOrReply(client, args, 2) as number | bigint;
          if (BigInt(exact) < -HALF_LONG || BigInt(exact) > HALF_LONG) {
            w.error("ERR value is out of range");
            return;
          }
        }
        const ref = lookupReadOrReply(client, db, args, 1, ObjectType.ZSet, EMPTY_ARRAY);
        if (ref < 0) return;
        zrandmemberWithCount(client, db, ref, l, withScores);
        return;
      }
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.ZSet, null);
      if (ref < 0) return;
      cursor.open(db, ref);
      cursor.seekRank(Math.floor(Math.random() * zset.zsetLength(db, ref)));
      w.bulk(cursor.memberBuf, cursor.memberOff, cursor.memberOff + cursor.memberLen);
    },
  }),
  /** ZSCAN key cursor [MATCH pattern] [COUNT count] */
  defineCommand({
    name: "zscan",
    handler(server, client, args) {
      let scanCursor = parseCursor(client, args, 2);
      if (scanCursor < 0) return;
      const db = server.keyspace.db(client.db);
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.ZSet, EMPTY_SCAN);
      if (ref < 0) return;
      const w = client.writer;
      let count = 10;
      let pattern = -1;
      for (let i = 3; i < args.argc; i += 2) {
        const left = args.argc - i;
        if (args.argEquals(i, "count") && left >= 2) {
          const n = getLongFromObjectOrReply(client, args, i + 1);
          if (n === null) return;
          if (n < 1) {
            w.error(Errors.syntax);
            return;
          }
          count = Number(n);
        } else if (args.argEquals(i, "match") && left >= 2) {
          pattern = i + 1;
        } else {
          w.error(Errors.syntax);
          return;
        }
      }
      const pBuf = args.buffer;
      const pStart = pattern < 0 ? 0 : args.offsets[pattern]!;
      const pEnd = pattern < 0 ? 0 : pStart + args.lengths[pattern]!;
      const matchAll = pattern < 0 || (pEnd - pStart === 1 && pBuf[pStart] === 0x2a);
      const items: Buffer[] = [];
      const keep = (buf: Uint8Array, off: number, len: number, score: string): void => {
        if (!matchAll && !globMatchRange(pBuf, pStart, pEnd, buf, off, off + len)) return;
        items.push(Buffer.from(buf.subarray(off, off + len)), Buffer.from(score, "latin1"));
      };
      if (zset.isListpack(db, ref)) {
        let member: Buffer | null = null;
        zset.forEachListpackEntry(db, ref, (buf, off, len) => {
          if (member === null) member = Buffer.from(buf.subarray(off, off + len));
          else {
            keep(member, 0, member.length, Buffer.from(buf.subarray(off, off + len)).toString("latin1"));
            member = null;
          }
        });
        scanCursor = 0;
      } else {
        const dict = zset.zsetObject(db, ref).dict;
        let iterations = count * 20;
        const before = () => items.length;
        const target = count * 2;
        do {
          scanCursor = dict.scan(scanCursor, (t) => {
            keep(t.fieldBuf, t.fieldOff, t.fieldLen, formatDouble(zset.readScore(t.valueBuf, t.valueOff)));
          });
        } while (scanCursor !== 0 && iterations-- > 0 && before() < target);
      }
      w.arrayHeader(2);
      w.bulkString(String(scanCursor >>> 0));
      w.arrayHeader(items.length);
      for (const item of items) w.bulk(item);
    },
  }),
];

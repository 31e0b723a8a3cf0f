import { type Database, type Keyspace, ObjectType, ZSetCursor, zset } from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { keyChanged } from "../support/keyArgs.js";
import { getPositiveLongFromObjectOrReply, getRangeLongFromObjectOrReply, LONG_MAX } from "../support/numbers.js";
import { deleteEmptied } from "./zsetArgs.js";

/** Pop from the lowest scores (ZPOPMIN) or the highest (ZPOPMAX). */
export const ZSET_MIN = 0;
export const ZSET_MAX = 1;

const cursor = new ZSetCursor();
const EVENTS = ["zpopmin", "zpopmax"] as const;

/**
 * The pop of Redis's `genericZpopCommand` once a key is chosen: pops up to `count` elements
 * (at least 1) from the zset at `ref` (key argument `k`) at `where`, replies them — flat, or as
 * `[member, score]` pairs when `nested`, after the key when `emitKey` — and sends the events.
 * BZPOPMIN, BZPOPMAX and BZMPOP serve a ready key with it.
 */
export function zsetPopAndReply(
  ks: Keyspace,
  client: Client,
  db: Database,
  ref: number,
  args: CommandArgs,
  k: number,
  where: number,
  count: number,
  emitKey: boolean,
  nested: boolean,
): void {
  const w = client.writer;
  const length = zset.zsetLength(db, ref);
  const n = count > length ? length : count;
  const key = args.buffer;
  const keyOff = args.offsets[k]!;
  const keyLen = args.lengths[k]!;
  if (!nested && !emitKey) w.arrayHeader(n * 2);
  else if (nested && !emitKey) w.arrayHeader(n);
  else if (!nested) {
    w.arrayHeader(n * 2 + 1);
    w.bulk(key, keyOff, keyOff + keyLen);
  } else {
    w.arrayHeader(2);
    w.bulk(key, keyOff, keyOff + keyLen);
    w.arrayHeader(n);
  }
  zsetPopped.keyIndex = k;
  zsetPopped.count = n;
  const max = where === ZSET_MAX;
  cursor.open(db, ref);
  let ok = cursor.seekRank(max ? length - 1 : 0);
  for (let i = 0; ok && i < n; i++) {
    if (nested) w.arrayHeader(2);
    w.bulk(cursor.memberBuf, cursor.memberOff, cursor.memberOff + cursor.memberLen);
    w.double(cursor.score);
    // No step past the last one popped: it would load a member that is not replied.
    if (i + 1 < n) ok = cursor.step(max);
  }
  if (max) zset.zsetRemoveRangeByRank(db, ref, length - n, length - 1);
  else zset.zsetRemoveRangeByRank(db, ref, 0, n - 1);
  keyChanged(ks, db.id, args, k, "z", EVENTS[where]!);
  if (n === length) {
    deleteEmptied(ks, db, ref);
    ks.notify("g", "del", db.id, key, keyOff, keyLen);
  }
}

/** What the last {@link zsetPopAndReply} popped (keyIndex 0: nothing), for propagation. */
export const zsetPopped = { keyIndex: 0, count: 0 };

/**
 * ZMPOP, BZMPOP (`withCount`) and BZPOPMIN/MAX propagate as ZPOPMIN|ZPOPMAX key [count] (t_zset.c),
 * the count being what was popped.
 */
export function propagateZpop(
  server: ServerContext,
  client: Client,
  args: CommandArgs,
  where: number,
  withCount: boolean,
): void {
  const prop = server.propagation;
  if (!prop.active || zsetPopped.keyIndex === 0) return;
  const name = where === ZSET_MAX ? "ZPOPMAX" : "ZPOPMIN";
  const key = args.argView(zsetPopped.keyIndex);
  if (withCount) prop.replaceWith(client.db, name, key, String(zsetPopped.count));
  else prop.replaceWith(client.db, name, key);
}

/**
 * Redis's `genericZpopCommand`: the first existing key of arguments `first..first+keys-1`
 * (WRONGTYPE stops the search), popped with {@link zsetPopAndReply}; without one, an empty
 * array (or a null array for ZMPOP). `count` -1 is a plain single pop.
 */
function zpopGeneric(
  ks: Keyspace,
  client: Client,
  args: CommandArgs,
  first: number,
  keys: number,
  where: number,
  emitKey: boolean,
  count: number,
  nested: boolean,
  nilWhenEmpty: boolean,
): void {
  const db = ks.db(client.db);
  const w = client.writer;
  for (let k = first; k < first + keys; k++) {
    const ref = db.lookupWrite(args.buffer, args.offsets[k]!, args.lengths[k]!);
    if (ref < 0) continue;
    if (db.typeAt(ref) !== ObjectType.ZSet) {
      w.error(Errors.wrongType);
      return;
    }
    if (count === 0) {
      w.arrayHeader(0);
      return;
    }
    zsetPopAndReply(ks, client, db, ref, args, k, where, count === -1 ? 1 : count, emitKey, nested);
    return;
  }
  if (nilWhenEmpty) w.nullArray();
  else w.arrayHeader(0);
}

/** ZPOPMIN / ZPOPMAX key [count] */
function zpopMinMax(ks: Keyspace, client: Client, args: CommandArgs, where: number): void {
  if (args.argc > 3) {
    client.writer.error(Errors.syntax);
    return;
  }
  let count = -1;
  if (args.argc === 3) {
    const c = getPositiveLongFromObjectOrReply(client, args, 2);
    if (c === null) return;
    count = c;
  }
  zpopGeneric(ks, client, args, 1, 1, where, false, count, client.writer.protocol === 3 && count !== -1, false);
}

/**
 * ZMPOP's arguments from `numkeys` (`zmpopGenericCommand`): the keys, MIN | MAX, COUNT. Returns
 * `[first key, keys, where, count]`, or null after replying an error. BZMPOP shares it.
 */
export function parseZmpop(
  client: Client,
  args: CommandArgs,
  numkeysIdx: number,
): [number, number, number, number] | null {
  const w = client.writer;
  const numkeys = getRangeLongFromObjectOrReply(
    client,
    args,
    numkeysIdx,
    1,
    LONG_MAX,
    "ERR numkeys should be greater than 0",
  );
  if (numkeys === null) return null;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= args.argc) {
    w.error(Errors.syntax);
    return null;
  }
  let where: number;
  if (args.argEquals(whereIdx, "min")) where = ZSET_MIN;
  else if (args.argEquals(whereIdx, "max")) where = ZSET_MAX;
  else {
    w.error(Errors.syntax);
    return null;
  }
  let count = -1;
  for (let j = whereIdx + 1; j < args.argc; j++) {
    const more = args.argc - 1 - j;
    if (count === -1 && args.argEquals(j, "count") && more > 0) {
      j++;
      const c = getRangeLongFromObjectOrReply(client, args, j, 1, LONG_MAX, "ERR count should be greater than 0");
      if (c === null) return null;
      count = c;
    } else {
      w.error(Errors.syntax);
      return null;
    }
  }
  return [numkeysIdx + 1, numkeys, where, count === -1 ? 1 : count];
}

/** ZPOPMIN, ZPOPMAX, ZMPOP. */
export const zpopCommands = [
  /** ZPOPMIN key [count] */
  defineCommand({
    name: "zpopmin",
    handler(server, client, args) {
      zpopMinMax(server.keyspace, client, args, ZSET_MIN);
    },
  }),
  /** ZPOPMAX key [count] */
  defineCommand({
    name: "zpopmax",
    handler(server, client, args) {
      zpopMinMax(server.keyspace, client, args, ZSET_MAX);
    },
  }),
  /** ZMPOP numkeys key [key ...] MIN | MAX [COUNT count] */
  defineCommand({
    name: "zmpop",
    handler(server, client, args) {
      const parsed = parseZmpop(client, args, 1);
      if (parsed === null) return;
      const [first, keys, where, count] = parsed;
      zsetPopped.keyIndex = 0;
      zpopGeneric(server.keyspace, client, args, first, keys, where, true, count, true, true);
      propagateZpop(server, client, args, where, true);
    },
  }),
];

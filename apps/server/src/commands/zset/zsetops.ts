import {
  type Database,
  type Keyspace,
  ObjectType,
  setTypeForEach,
  ZSetCursor,
  type ZSetObject,
  zset,
} from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { reserveOrReply } from "../support/keyArgs.js";
import {
  getDoubleFromObjectOrReply,
  getLongFromObjectOrReply,
  getPositiveLongFromObjectOrReply,
} from "../support/numbers.js";
import { newResult, replyElement, storeResult } from "./zsetArgs.js";

const UNION = 0;
const INTER = 1;
const DIFF = 2;
const SUM = 0;
const MIN = 1;
const MAX = 2;
const STORE_EVENTS = ["zunionstore", "zinterstore", "zdiffstore"] as const;
const NAMES = ["zunion", "zinter", "zdiff"] as const;

const cursor = new ZSetCursor();

/**
 * One input of a set operation (Redis's `zsetopsrc`): a zset key's ref (-1: missing), or the
 * members of a set key copied into a temporary zset of scores 1; its weight and size.
 */
interface Source {
  ref: number;
  set: ZSetObject | null;
  weight: number;
  length: number;
}

/** Opens the cursor on a source (which must not be empty). */
function openSource(db: Database, source: Source): void {
  if (source.set !== null) cursor.openObject(source.set);
  else cursor.open(db, source.ref);
}

/** The score of a member in a source, NaN when absent. */
function scoreIn(db: Database, source: Source, buf: Uint8Array, off: number, len: number): number {
  if (source.set !== null) return source.set.score(buf, off, len);
  return source.ref < 0 ? Number.NaN : zset.zsetScore(db, source.ref, buf, off, len);
}

/** The members of the set at `ref` as a temporary zset of scores 1 (Redis's `zuiNext` over a set). */
function setAsZset(ks: Keyspace, db: Database, ref: number): ZSetObject {
  const members = newResult(ks);
  setMembersSink.target = members;
  setTypeForEach(db, ref, setMembersSink);
  setMembersSink.target = null;
  return members;
}

const setMembersSink = {
  target: null as ZSetObject | null,
  member(buf: Uint8Array, off: number, len: number): void {
    (this.target as ZSetObject).insert(1, buf, off, len);
  },
};

/** `zunionInterAggregate` */
function aggregate(target: number, value: number, how: number): number {
  if (how === SUM) {
    const sum = target + value;
    return sum !== sum ? 0 : sum;
  }
  if (how === MIN) return value < target ? value : target;
  return value > target ? value : target;
}

/**
 * Redis's `zunionInterDiffGenericCommand`: ZUNION, ZINTER, ZDIFF (`dst` 0), their STORE forms
 * (`dst` the destination argument) and ZINTERCARD (`cardinalityOnly`). The result is built in a
 * {@link ZSetObject} in the pool — no JS object per element — then replied or stored.
 */
function zsetOpGeneric(
  server: ServerContext,
  client: Client,
  args: CommandArgs,
  dst: number,
  numkeysIdx: number,
  op: number,
  cardinalityOnly: boolean,
): void {
  const w = client.writer;
  const n = getLongFromObjectOrReply(client, args, numkeysIdx);
  if (n === null) return;
  if (n < 1) {
    const name = cardinalityOnly ? "zintercard" : dst !== 0 ? `${NAMES[op]}store` : NAMES[op]!;
    w.error(`ERR at least 1 input key is needed for '${name}' command`);
    return;
  }
  if (n > args.argc - (numkeysIdx + 1)) {
    w.error(Errors.syntax);
    return;
  }
  const setnum = Number(n);
  const ks = server.keyspace;
  const db = ks.db(client.db);
  const sources: Source[] = [];
  for (let i = 0, j = numkeysIdx + 1; i < setnum; i++, j++) {
    const ref = db.lookupRead(args.buffer, args.offsets[j]!, args.lengths[j]!);
    if (ref >= 0 && db.typeAt(ref) !== ObjectType.ZSet && db.typeAt(ref) !== ObjectType.Set) {
      w.error(Errors.wrongType);
      return;
    }
    sources.push({ ref: ref < 0 ? -1 : 0, set: null, weight: 1, length: 0 });
  }
  let how = SUM;
  let withScores = false;
  let limit = 0;
  for (let j = numkeysIdx + 1 + setnum; j < args.argc; ) {
    const remaining = args.argc - j;
    if (op !== DIFF && !cardinalityOnly && remaining >= setnum + 1 && args.argEquals(j, "weights")) {
      j++;
      for (let i = 0; i < setnum; i++, j++) {
        const weight = getDoubleFromObjectOrReply(client, args, j, "ERR weight value is not a float");
        if (weight === null) return;
        sources[i]!.weight = weight;
      }
    } else if (op !== DIFF && !cardinalityOnly && remaining >= 2 && args.argEquals(j, "aggregate")) {
      j++;
      if (args.argEquals(j, "sum")) how = SUM;
      else if (args.argEquals(j, "min")) how = MIN;
      else if (args.argEquals(j, "max")) how = MAX;
      else {
        w.error(Errors.syntax);
        return;
      }
      j++;
    } else if (remaining >= 1 && dst === 0 && !cardinalityOnly && args.argEquals(j, "withscores")) {
      j++;
      withScores = true;
    } else if (cardinalityOnly && remaining >= 2 && args.argEquals(j, "limit")) {
      j++;
      const l = getPositiveLongFromObjectOrReply(client, args, j, "ERR LIMIT can't be negative");
      if (l === null) return;
      limit = l;
      j++;
    } else {
      w.error(Errors.syntax);
      return;
    }
  }
  if (dst !== 0 && !reserveOrReply(client, ks, 256)) return;
  // The lookups above may have expired keys (moving refs): find each again, now stable.
  for (let i = 0, j = numkeysIdx + 1; i < setnum; i++, j++) {
    const source = sources[i]!;
    if (source.ref < 0) continue;
    source.ref = db.find(args.buffer, args.offsets[j]!, args.lengths[j]!);
    if (source.ref >= 0 && db.typeAt(source.ref) === ObjectType.Set) {
      source.set = setAsZset(ks, db, source.ref);
      source.length = source.set.length;
    } else {
      source.length = source.ref < 0 ? 0 : zset.zsetLength(db, source.ref);
    }
  }
  if (op !== DIFF) sources.sort((a, b) => a.length - b.length);
  const result = newResult(ks);
  let cardinality = 0;
  if (op === INTER) cardinality = inter(db, sources, result, how, cardinalityOnly, limit);
  else if (op === UNION) union(db, sources, result, how);
  else diff(db, sources, result);
  for (const source of sources) source.set?.free();
  if (dst !== 0) {
    w.integer(storeResult(ks, db, args, dst, result, STORE_EVENTS[op]!));
    return;
  }
  if (cardinalityOnly) {
    w.integer(cardinality);
  } else {
    const list = result.list;
    w.arrayHeader(withScores && w.protocol === 2 ? list.length * 2 : list.length);
    for (let node = list.first(); node !== 0; node = list.next(node)) {
      const page = list.member(node);
      replyElement(client, page, list.memberOff, list.memberLen, list.score(node), withScores);
    }
  }
  result.free();
}

function inter(
  db: Database,
  sources: Source[],
  result: ZSetObject,
  how: number,
  countOnly: boolean,
  limit: number,
): number {
  const first = sources[0]!;
  if (first.length === 0) return 0;
  let cardinality = 0;
  openSource(db, first);
  for (let ok = cursor.seekRank(0); ok; ok = cursor.step(false)) {
    let score = first.weight * cursor.score;
    if (score !== score) score = 0;
    let j = 1;
    for (; j < sources.length; j++) {
      const source = sources[j]!;
      const value = scoreIn(db, source, cursor.memberBuf, cursor.memberOff, cursor.memberLen);
      if (value !== value) break;
      score = aggregate(score, value * source.weight, how);
    }
    if (j < sources.length) continue;
    if (countOnly) {
      cardinality++;
      if (limit !== 0 && cardinality >= limit) break;
    } else {
      result.insert(score, cursor.memberBuf, cursor.memberOff, cursor.memberLen);
    }
  }
  return cardinality;
}

function union(db: Database, sources: Source[], result: ZSetObject, how: number): void {
  for (const source of sources) {
    if (source.length === 0) continue;
    openSource(db, source);
    for (let ok = cursor.seekRank(0); ok; ok = cursor.step(false)) {
      let score = source.weight * cursor.score;
      if (score !== score) score = 0;
      const buf = cursor.memberBuf;
      const off = cursor.memberOff;
      const len = cursor.memberLen;
      const existing = result.score(buf, off, len);
      if (existing !== existing) result.insert(score, buf, off, len);
      else {
        const next = aggregate(existing, score, how);
        if (next !== existing) result.update(existing, next, buf, off, len);
      }
    }
  }
}

function diff(db: Database, sources: Source[], result: ZSetObject): void {
  const first = sources[0]!;
  if (first.length === 0) return;
  openSource(db, first);
  for (let ok = cursor.seekRank(0); ok; ok = cursor.step(false)) {
    let found = false;
    for (let j = 1; j < sources.length && !found; j++) {
      const source = sources[j]!;
      if (source.ref === first.ref && source.set === null && first.set === null) found = true;
      else if (source.length > 0) {
        const s = scoreIn(db, source, cursor.memberBuf, cursor.memberOff, cursor.memberLen);
        found = s === s;
      }
    }
    if (!found) result.insert(cursor.score, cursor.memberBuf, cursor.memberOff, cursor.memberLen);
  }
}

/** ZUNION, ZINTER, ZDIFF, ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE, ZINTERCARD. */
export const zsetOpCommands = [
  /** ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] */
  defineCommand({
    name: "zunionstore",
    handler(server, client, args) {
      zsetOpGeneric(server, client, args, 1, 2, UNION, false);
    },
  }),
  /** ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] */
  defineCommand({
    name: "zinterstore",
    handler(server, client, args) {
      zsetOpGeneric(server, client, args, 1, 2, INTER, false);
    },
  }),
  /** ZDIFFSTORE destination numkeys key [key ...] */
  defineCommand({
    name: "zdiffstore",
    handler(server, client, args) {
      zsetOpGeneric(server, client, args, 1, 2, DIFF, false);
    },
  }),
  /** ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES] */
  defineCommand({
    name: "zunion",
    handler(server, client, args) {
      zsetOpGeneric(server, client, args, 0, 1, UNION, false);
    },
  }),
  /** ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES] */
  defineCommand({
    name: "zinter",
    handler(server, client, args) {
      zsetOpGeneric(server, client, args, 0, 1, INTER, false);
    },
  }),
  /** ZDIFF numkeys key [key ...] [WITHSCORES] */
  defineCommand({
    name: "zdiff",
    handler(server, client, args) {
      zsetOpGeneric(server, client, args, 0, 1, DIFF, false);
    },
  }),
  /** ZINTERCARD numkeys key [key ...] [LIMIT limit] */
  defineCommand({
    name: "zintercard",
    handler(server, client, args) {
      zsetOpGeneric(server, client, args, 0, 1, INTER, true);
    },
  }),
];

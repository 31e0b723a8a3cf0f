import {
  type Database,
  newSetValue,
  ObjectType,
  picked,
  type SetValue,
  setTypeForEach,
  setTypeLoadPicked,
  setTypeRandom,
  setTypeRebuild,
  setTypeRemovePicked,
  setTypeSize,
} from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { keyChanged, keyEvent, lookupReadOrReply, lookupWriteOrReply, NO_REPLY } from "../support/keyArgs.js";
import { getPositiveLongFromObjectOrReply, getRangeLongFromObjectOrReply, LONG_MAX } from "../support/numbers.js";
import { bulkTo, removeIfEmpty } from "./setSupport.js";

/**
 * SPOP and SRANDMEMBER (t_set.c's spopWithCountCommand and srandmemberWithCountCommand, with
 * their cases). Random members come from the type API's uniform pick; unique samples are
 * collected in a temporary set in the pool, not in JS objects.
 */

/** Redis's SPOP_MOVE_STRATEGY_MUL: popping more than this ratio of what stays rebuilds the set. */
const SPOP_MOVE_STRATEGY_MUL = 5;

/** Redis's SRANDMEMBER_SUB_STRATEGY_MUL: above this ratio, sample what to leave out instead. */
const SRANDMEMBER_SUB_STRATEGY_MUL = 3;

/** The member just picked, as a view (valid until the next pick). */
const pickedView = (): Uint8Array => picked.buf.subarray(picked.off, picked.off + picked.len);

/** SPOP key [count] */
function spop(server: ServerContext, client: Client, args: CommandArgs): void {
  if (args.argc === 3) return spopWithCount(server, client, args);
  if (args.argc > 3) return client.writer.error(Errors.syntax);
  const ks = server.keyspace;
  const db = ks.db(client.db);
  const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.Set, null);
  if (ref < 0) return;
  keyEvent(ks, client.db, args, 1, "s", "spop");
  const token = setTypeRandom(db, ref);
  client.writer.bulk(picked.buf, picked.off, picked.off + picked.len);
  // Propagated as SREM key member: the random choice is not made again (t_set.c).
  const prop = server.propagation;
  if (prop.active) prop.replaceWith(client.db, "SREM", args.argView(1), pickedView());
  setTypeRemovePicked(db, ref, token);
  if (removeIfEmpty(ks, db, ref)) keyEvent(ks, client.db, args, 1, "g", "del");
  ks.signalModifiedKey(client.db, args.buffer, args.offsets[1]!, args.lengths[1]!);
}

/** SPOP key count */
function spopWithCount(server: ServerContext, client: Client, args: CommandArgs): void {
  const count = getPositiveLongFromObjectOrReply(client, args, 2);
  if (count === null) return;
  const ks = server.keyspace;
  const db = ks.db(client.db);
  const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.Set, NO_REPLY);
  if (ref === -2) return;
  const w = client.writer;
  if (ref < 0 || count === 0) return w.setHeader(0);
  const size = setTypeSize(db, ref);
  keyEvent(ks, client.db, args, 1, "s", "spop");
  if (count >= size) {
    // The whole set, then the key goes (Redis counts one change per member).
    w.setHeader(size);
    setTypeForEach(db, ref, bulkTo(client));
    db.deleteRef(ref);
    ks.dirty += size - 1;
    keyChanged(ks, client.db, args, 1, "g", "del");
    if (server.propagation.active) server.propagation.replaceWith(client.db, "DEL", args.argView(1));
    return;
  }
  // Popping one at a time gives the uniform sample of both of Redis's strategies; its case 3
  // (most of the set popped) rebuilds the set from the members it keeps, which may make an intset.
  w.setHeader(count);
  // Each popped member propagates as its own SREM (MULTI/EXEC around them), as Redis 7.0 does.
  const prop = server.propagation;
  prop.prevent();
  for (let i = 0; i < count; i++) {
    const token = setTypeRandom(db, ref);
    w.bulk(picked.buf, picked.off, picked.off + picked.len);
    if (prop.active) prop.replaceWith(client.db, "SREM", args.argView(1), pickedView());
    setTypeRemovePicked(db, ref, token);
  }
  if ((size - count) * SPOP_MOVE_STRATEGY_MUL <= count) setTypeRebuild(db, ref);
  ks.signalModifiedKey(client.db, args.buffer, args.offsets[1]!, args.lengths[1]!);
}

/** SRANDMEMBER key [count] */
function srandmember(server: ServerContext, client: Client, args: CommandArgs): void {
  if (args.argc === 3) return srandmemberWithCount(server, client, args);
  if (args.argc > 3) return client.writer.error(Errors.syntax);
  const db = server.keyspace.db(client.db);
  const ref = lookupReadOrReply(client, db, args, 1, ObjectType.Set, null);
  if (ref < 0) return;
  setTypeRandom(db, ref);
  client.writer.bulk(picked.buf, picked.off, picked.off + picked.len);
}

/** SRANDMEMBER key count: a negative count allows repeats. */
function srandmemberWithCount(server: ServerContext, client: Client, args: CommandArgs): void {
  const l = getRangeLongFromObjectOrReply(client, args, 2, -LONG_MAX, LONG_MAX);
  if (l === null) return;
  const unique = l >= 0;
  const count = Math.abs(l);
  const db = server.keyspace.db(client.db);
  const ref = lookupReadOrReply(client, db, args, 1, ObjectType.Set, SharedReplies.emptyArray);
  if (ref < 0) return;
  const w = client.writer;
  if (count === 0) return w.raw(SharedReplies.emptyArray);
  const size = setTypeSize(db, ref);
  // Case 1: repeats allowed (or one member): independent draws.
  if (!unique || count === 1) {
    w.arrayHeader(count);
    for (let i = 0; i < count; i++) {
      setTypeRandom(db, ref);
      w.bulk(picked.buf, picked.off, picked.off + picked.len);
    }
    return;
  }
  // Case 2: the whole set.
  if (count >= size) {
    w.arrayHeader(size);
    setTypeForEach(db, ref, bulkTo(client));
    return;
  }
  w.arrayHeader(count);
  if (count * SRANDMEMBER_SUB_STRATEGY_MUL <= size) {
    // Case 4: draw until `count` distinct members, told apart by their token (intset index or
    // table slot, fixed while the set does not change), then reply them.
    const tokens = drawUniqueTokens(db, ref, count);
    for (let i = 0; i < count; i++) {
      setTypeLoadPicked(db, ref, tokens[i]!);
      w.bulk(picked.buf, picked.off, picked.off + picked.len);
    }
    return;
  }
  // Case 3: most of the set is asked for: draw the members to leave out, reply the others.
  const sample = newSetValue(db);
  try {
    drawUnique(db, ref, sample, size - count);
    leaveOut.sample = sample;
    leaveOut.sink = bulkTo(client);
    setTypeForEach(db, ref, leaveOut);
  } finally {
    leaveOut.sample = null;
    sample.discard();
  }
}

/** Adds random members of the set at `ref` to `sample` until it holds `n`. */
function drawUnique(db: Database, ref: number, sample: SetValue, n: number): void {
  while (sample.count < n) {
    setTypeRandom(db, ref);
    sample.add(picked.buf, picked.off, picked.len);
  }
}

/** Open-addressing set of tokens (+1, 0 = empty) and the tokens in draw order, reused. */
let tokenSlots = new Int32Array(64);
let tokenList = new Int32Array(32);

/** Draws random members of the set at `ref` until `n` distinct ones; returns their tokens. */
function drawUniqueTokens(db: Database, ref: number, n: number): Int32Array {
  let capacity = tokenSlots.length;
  while (capacity < n * 2) capacity *= 2;
  if (capacity !== tokenSlots.length) tokenSlots = new Int32Array(capacity);
  else tokenSlots.fill(0);
  if (tokenList.length < n) tokenList = new Int32Array(capacity);
  const mask = capacity - 1;
  let found = 0;
  while (found < n) {
    const token = setTypeRandom(db, ref);
    let i = Math.imul(token, 0x9e3779b1) & mask;
    for (;;) {
      const t = tokenSlots[i]!;
      if (t === 0) {
        tokenSlots[i] = token + 1;
        tokenList[found++] = token;
        break;
      }
      if (t === token + 1) break;
      i = (i + 1) & mask;
    }
  }
  return tokenList;
}

/** Passes on the members not in {@link sample}. */
const leaveOut = {
  sample: null as SetValue | null,
  sink: null as ReturnType<typeof bulkTo> | null,
  member(buf: Uint8Array, off: number, len: number): void {
    if (!(this.sample as SetValue).has(buf, off, len)) this.sink?.member(buf, off, len);
  },
};

export const setRandomCommands = [
  defineCommand({ name: "spop", handler: spop }),
  defineCommand({ name: "srandmember", handler: srandmember }),
];

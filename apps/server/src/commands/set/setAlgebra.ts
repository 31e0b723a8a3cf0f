import {
  type Database,
  type Keyspace,
  type MemberSink,
  newSetValue,
  ObjectType,
  RemovalReason,
  type SetValue,
  setTypeForEach,
  setTypeIsMember,
  setTypeSize,
} from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors, SetErrors } from "../support/errors.js";
import { keyChanged, reserveOrReply } from "../support/keyArgs.js";
import { getPositiveLongFromObjectOrReply, getRangeLongFromObjectOrReply, LONG_MAX } from "../support/numbers.js";
import { bulkTo } from "./setSupport.js";

/**
 * SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE (t_set.c's
 * sinterGenericCommand and sunionDiffGenericCommand). An intersection streams the smallest set's
 * members that every other set holds; unions, differences and stored results are built in a
 * detached set (an intset, or a table in the pool) that becomes the destination's value as is.
 */

/** The sets of the current command: refs (-1: missing key) and sizes, reused. */
let refs = new Int32Array(16);
let sizes = new Float64Array(16);

/**
 * Looks up keys `args[from, to)` (Redis's `lookupKeyRead` each, in order, WRONGTYPE at the first
 * key of another type) and fills {@link refs}. A lookup may expire a key, which kills refs taken
 * before it, so refs are taken again afterwards without side effects. False after WRONGTYPE.
 */
function lookupSets(client: Client, db: Database, args: CommandArgs, from: number, to: number): boolean {
  const n = to - from;
  if (refs.length < n) {
    refs = new Int32Array(n);
    sizes = new Float64Array(n);
  }
  const buf = args.buffer;
  for (let i = from; i < to; i++) {
    const ref = db.lookupRead(buf, args.offsets[i]!, args.lengths[i]!);
    if (ref >= 0 && db.typeAt(ref) !== ObjectType.Set) {
      client.writer.error(Errors.wrongType);
      return false;
    }
  }
  findSets(db, args, from, to);
  return true;
}

/** Fills {@link refs} and {@link sizes} for keys `args[from, to)` without side effects. */
function findSets(db: Database, args: CommandArgs, from: number, to: number): void {
  const buf = args.buffer;
  for (let i = from; i < to; i++) {
    const ref = db.find(buf, args.offsets[i]!, args.lengths[i]!);
    refs[i - from] = ref;
    sizes[i - from] = ref < 0 ? 0 : setTypeSize(db, ref);
  }
}

/** Which sources bound a stored result's size. */
const Bound = { All: 0, First: 1, Smallest: 2 } as const;
type Bound = (typeof Bound)[keyof typeof Bound];

/**
 * A *STORE's reserve before it builds its result (`reserveOrReply`): what the sources it copies
 * from hold (all for SUNIONSTORE, the first for SDIFFSTORE, the smallest for SINTERSTORE).
 * Eviction may remove keys, so the sources are found again. False after OOM.
 */
function reserveStoreOrReply(
  ks: Keyspace,
  client: Client,
  db: Database,
  args: CommandArgs,
  from: number,
  to: number,
  bound: Bound,
): boolean {
  if (ks.maxmemory === 0) return true;
  const n = bound === Bound.First ? 1 : to - from;
  let bytes = 0;
  for (let j = 0; j < n; j++) {
    const ref = refs[j]!;
    const owned = ref < 0 ? 0 : ks.memoryUsageOf(db, ref);
    if (bound === Bound.Smallest) bytes = j === 0 ? owned : Math.min(bytes, owned);
    else bytes += owned;
  }
  if (!reserveOrReply(client, ks, bytes)) return false;
  findSets(db, args, from, to);
  return true;
}

/** Sorts the first `n` sets by size, smallest first (few keys: insertion sort, no allocation). */
function sortBySize(n: number): void {
  for (let i = 1; i < n; i++) {
    const r = refs[i]!;
    const s = sizes[i]!;
    let j = i - 1;
    for (; j >= 0 && sizes[j]! > s; j--) {
      refs[j + 1] = refs[j]!;
      sizes[j + 1] = sizes[j]!;
    }
    refs[j + 1] = r;
    sizes[j + 1] = s;
  }
}

/** Tests each member of the first set against the others; passes on those all of them hold. */
const intersect = {
  db: null as Database | null,
  n: 0,
  limit: 0,
  found: 0,
  out: null as MemberSink | null,
  member(buf: Uint8Array, off: number, len: number): void {
    const db = this.db as Database;
    const first = refs[0]!;
    for (let j = 1; j < this.n; j++) {
      const ref = refs[j]!;
      if (ref !== first && !setTypeIsMember(db, ref, buf, off, len)) return;
    }
    this.found++;
    this.out?.member(buf, off, len);
    // SINTERCARD's LIMIT stops the walk (the visitors restore their state on the way out).
    if (this.found === this.limit) throw LIMIT_REACHED;
  },
};

/** Thrown by {@link intersect} to end a walk at SINTERCARD's LIMIT. */
const LIMIT_REACHED = new Error("SINTERCARD limit reached");

/** Passes on each member of the first set that no other set holds (Redis's diff algorithm 1). */
const subtract = {
  db: null as Database | null,
  n: 0,
  out: null as SetValue | null,
  member(buf: Uint8Array, off: number, len: number): void {
    const db = this.db as Database;
    const first = refs[0]!;
    for (let j = 1; j < this.n; j++) {
      const ref = refs[j]!;
      if (ref < 0) continue;
      if (ref === first || setTypeIsMember(db, ref, buf, off, len)) return;
    }
    (this.out as SetValue).add(buf, off, len);
  },
};

const addTo = {
  out: null as SetValue | null,
  member(buf: Uint8Array, off: number, len: number): void {
    (this.out as SetValue).add(buf, off, len);
  },
};

/** Mode of {@link sinterGeneric}. */
const Reply = { Members: 0, Cardinality: 1, Store: 2 } as const;
type Reply = (typeof Reply)[keyof typeof Reply];

function sinterGeneric(
  server: ServerContext,
  client: Client,
  args: CommandArgs,
  from: number,
  to: number,
  mode: Reply,
  limit: number,
): void {
  const ks = server.keyspace;
  const db = ks.db(client.db);
  if (!lookupSets(client, db, args, from, to)) return;
  if (mode === Reply.Store && !reserveStoreOrReply(ks, client, db, args, from, to, Bound.Smallest)) return;
  const n = to - from;
  const w = client.writer;
  let empty = false;
  for (let j = 0; j < n; j++) if (refs[j]! < 0) empty = true;
  if (empty) {
    if (mode === Reply.Store) return storeResult(server, client, args, null, "sinterstore");
    if (mode === Reply.Cardinality) return w.raw(SharedReplies.zero);
    return w.setHeader(0);
  }
  sortBySize(n);
  intersect.db = db;
  intersect.n = n;
  intersect.limit = limit;
  intersect.found = 0;
  if (mode === Reply.Members) {
    const header = w.deferLength();
    intersect.out = bulkTo(client);
    setTypeForEach(db, refs[0]!, intersect);
    w.setDeferredSetLength(header, intersect.found);
  } else if (mode === Reply.Cardinality) {
    intersect.out = null;
    try {
      setTypeForEach(db, refs[0]!, intersect);
    } catch (err) {
      if (err !== LIMIT_REACHED) throw err;
    }
    w.integer(intersect.found);
  } else {
    const result = newSetValue(db);
    addTo.out = result;
    intersect.out = addTo;
    try {
      setTypeForEach(db, refs[0]!, intersect);
    } catch (err) {
      result.discard();
      throw err;
    }
    storeResult(server, client, args, result, "sinterstore");
  }
  intersect.db = null;
  intersect.out = null;
}

function sunionDiffGeneric(
  server: ServerContext,
  client: Client,
  args: CommandArgs,
  from: number,
  to: number,
  store: boolean,
  union: boolean,
): void {
  const ks = server.keyspace;
  const db = ks.db(client.db);
  if (!lookupSets(client, db, args, from, to)) return;
  if (store && !reserveStoreOrReply(ks, client, db, args, from, to, union ? Bound.All : Bound.First)) return;
  const n = to - from;
  const result = newSetValue(db);
  try {
    if (union) {
      addTo.out = result;
      for (let j = 0; j < n; j++) if (refs[j]! >= 0) setTypeForEach(db, refs[j]!, addTo);
    } else if (refs[0]! >= 0) {
      subtract.db = db;
      subtract.n = n;
      subtract.out = result;
      setTypeForEach(db, refs[0]!, subtract);
    }
  } catch (err) {
    result.discard();
    throw err;
  } finally {
    addTo.out = null;
    subtract.db = null;
    subtract.out = null;
  }
  if (store) return storeResult(server, client, args, result, union ? "sunionstore" : "sdiffstore");
  client.writer.setHeader(result.count);
  result.forEach(bulkTo(client));
  result.discard();
}

/**
 * The *STORE epilogue: a non-empty `result` replaces the destination (`setKey`: the old value and
 * its TTL go) and replies its size; an empty one deletes the destination (`del`) and replies 0.
 */
function storeResult(
  server: ServerContext,
  client: Client,
  args: CommandArgs,
  result: SetValue | null,
  event: string,
): void {
  const ks = server.keyspace;
  const db = ks.db(client.db);
  const buf = args.buffer;
  const off = args.offsets[1]!;
  const len = args.lengths[1]!;
  const count = result === null ? 0 : result.count;
  if (result === null || count === 0) {
    result?.discard();
    client.writer.raw(SharedReplies.zero);
    if (db.delete(buf, off, len)) keyChanged(ks, client.db, args, 1, "g", "del");
    return;
  }
  db.delete(buf, off, len, RemovalReason.Overwritten);
  db.lookupWrite(buf, off, len);
  result.writeTo(db.newKeyWriter(buf, off, len, ObjectType.Set, 0));
  client.writer.integer(count);
  keyChanged(ks, client.db, args, 1, "s", event);
}

export const setAlgebraCommands = [
  /** SINTER key [key ...] */
  defineCommand({
    name: "sinter",
    handler: (server, client, args) => sinterGeneric(server, client, args, 1, args.argc, Reply.Members, 0),
  }),
  /** SINTERCARD numkeys key [key ...] [LIMIT limit] */
  defineCommand({
    name: "sintercard",
    handler(server, client, args) {
      const numkeys = getRangeLongFromObjectOrReply(client, args, 1, 1, LONG_MAX, SetErrors.numkeysNotPositive);
      if (numkeys === null) return;
      if (numkeys > args.argc - 2) return client.writer.error(SetErrors.tooManyKeys);
      let limit = 0;
      for (let j = 2 + numkeys; j < args.argc; j++) {
        if (args.argEquals(j, "limit") && j < args.argc - 1) {
          const l = getPositiveLongFromObjectOrReply(client, args, ++j, SetErrors.negativeLimit);
          if (l === null) return;
          limit = l;
        } else {
          return client.writer.error(Errors.syntax);
        }
      }
      sinterGeneric(server, client, args, 2, 2 + numkeys, Reply.Cardinality, limit);
    },
  }),
  /** SINTERSTORE destination key [key ...] */
  defineCommand({
    name: "sinterstore",
    handler: (server, client, args) => sinterGeneric(server, client, args, 2, args.argc, Reply.Store, 0),
  }),
  /** SUNION key [key ...] */
  defineCommand({
    name: "sunion",
    handler: (server, client, args) => sunionDiffGeneric(server, client, args, 1, args.argc, false, true),
  }),
  /** SUNIONSTORE destination key [key ...] */
  defineCommand({
    name: "sunionstore",
    handler: (server, client, args) => sunionDiffGeneric(server, client, args, 2, args.argc, true, true),
  }),
  /** SDIFF key [key ...] */
  defineCommand({
    name: "sdiff",
    handler: (server, client, args) => sunionDiffGeneric(server, client, args, 1, args.argc, false, false),
  }),
  /** SDIFFSTORE destination key [key ...] */
  defineCommand({
    name: "sdiffstore",
    handler: (server, client, args) => sunionDiffGeneric(server, client, args, 2, args.argc, true, false),
  }),
];

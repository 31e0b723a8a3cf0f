import {
  type Database,
  HLL_DENSE_SIZE,
  HLL_INVALID,
  HLL_REGISTERS,
  hllAdd,
  hllCount,
  hllCountHistogram,
  hllCreate,
  hllDecode,
  hllInsert,
  hllIsDense,
  hllIsValid,
  hllMergeInto,
  hllRegisters,
  hllSelfTest,
  hllStoreMerged,
  hllToDense,
  hllUnshare,
  ObjectType,
} from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import { type CommandArgs, defineCommand } from "./CommandSpec.js";
import { HllErrors } from "./support/errors.js";
import {
  keyChanged,
  lookupReadOrReply,
  lookupWriteOrReply,
  MISSING,
  NO_REPLY,
  reserveStringOrReply,
  WRONG_TYPE,
} from "./support/keyArgs.js";
import { replyLongLong } from "./support/numbers.js";

/**
 * HyperLogLog commands (Redis's hyperloglog.c). HLLs are strings holding Redis's own bytes;
 * the keyspace's hll* API edits them through the value-changing gateway. PFCOUNT of several
 * keys and PFMERGE merge into one reused register array (one byte per register), never into a
 * key.
 */

/** Merged registers of PFCOUNT (several keys) and PFMERGE: reused, the handlers are synchronous. */
const merged = new Uint8Array(HLL_REGISTERS);
/** The histogram of {@link merged}, kept by the merge for PFCOUNT (one pass fewer over the registers). */
const mergedHistogram = new Int32Array(64);
/** PFDEBUG GETREG's registers. */
const registers = new Uint8Array(HLL_REGISTERS);

/** `hll-sparse-max-bytes`: the size past which a sparse HLL becomes dense. */
function sparseMaxBytes(server: ServerContext): number {
  return server.config.number("hll-sparse-max-bytes");
}

/**
 * Reserves room for key argument `i` to become a dense HLL unless it already is one (a sparse
 * HLL may be promoted half-way through the command). False after replying OOM.
 */
function reserveDenseOrReply(
  server: ServerContext,
  client: Client,
  db: Database,
  args: CommandArgs,
  i: number,
): boolean {
  const ks = server.keyspace;
  if (ks.maxmemory === 0) return true;
  const found = db.lookupWrite(args.buffer, args.offsets[i]!, args.lengths[i]!);
  if (found >= 0 && db.typeAt(found) === ObjectType.String && db.valueLength(found) === HLL_DENSE_SIZE) return true;
  return reserveStringOrReply(client, ks, db, args.lengths[i]!, HLL_DENSE_SIZE, true, false);
}

/**
 * Redis's `isHLLObjectOrReply` after the type check: false after replying when the string at
 * `ref` is not an HLL.
 */
function isHllOrReply(client: Client, db: Database, ref: number): boolean {
  if (hllIsValid(db, ref)) return true;
  client.writer.error(HllErrors.notHll);
  return false;
}

/**
 * Merges the HLLs of key arguments `[from, argc)` into {@link merged} (missing keys count as
 * empty), and their histogram into {@link mergedHistogram} when `counting`. Returns 1 when one
 * of them is dense, 0 otherwise, or -1 after replying an error.
 */
function mergeKeysOrReply(client: Client, db: Database, args: CommandArgs, from: number, counting: boolean): number {
  merged.fill(0);
  const histogram = counting ? mergedHistogram : null;
  if (histogram !== null) {
    histogram.fill(0);
    histogram[0] = HLL_REGISTERS;
  }
  let dense = 0;
  let first = true;
  for (let j = from; j < args.argc; j++) {
    const ref = lookupReadOrReply(client, db, args, j, ObjectType.String, NO_REPLY);
    if (ref === WRONG_TYPE) return -1;
    if (ref === MISSING) continue;
    if (!isHllOrReply(client, db, ref)) return -1;
    if (hllIsDense(db, ref)) dense = 1;
    const merges = hllMergeInto(db, ref, merged, first, histogram);
    first = false;
    if (!merges) {
      client.writer.error(HllErrors.corrupt);
      return -1;
    }
  }
  return dense;
}

/** PFADD, PFCOUNT, PFMERGE, PFSELFTEST, PFDEBUG. */
export const hyperloglogCommands = [
  /** PFADD key [element [element ...]] */
  defineCommand({
    name: "pfadd",
    handler(server, client, args) {
      const ks = server.keyspace;
      const db = ks.db(client.db);
      if (!reserveDenseOrReply(server, client, db, args, 1)) return;
      const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.String, NO_REPLY);
      if (ref === WRONG_TYPE) return;
      const created = ref < 0;
      const buf = args.buffer;
      const maxBytes = sparseMaxBytes(server);
      let updated: number;
      if (created) {
        updated = hllInsert(
          db,
          buf,
          args.offsets[1]!,
          args.lengths[1]!,
          buf,
          args.offsets,
          args.lengths,
          2,
          args.argc,
          maxBytes,
        );
      } else {
        if (!isHllOrReply(client, db, ref)) return;
        updated = hllAdd(db, ref, buf, args.offsets, args.lengths, 2, args.argc, maxBytes);
      }
      if (updated === HLL_INVALID) {
        client.writer.error(HllErrors.corrupt);
        return;
      }
      if (created || updated > 0) {
        keyChanged(ks, db.id, args, 1, "$", "pfadd");
        client.writer.raw(SharedReplies.one);
      } else client.writer.raw(SharedReplies.zero);
    },
  }),
  /** PFCOUNT key [key ...] */
  defineCommand({
    name: "pfcount",
    handler(server, client, args) {
      const ks = server.keyspace;
      const db = ks.db(client.db);
      if (args.argc > 2) {
        if (mergeKeysOrReply(client, db, args, 1, true) < 0) return;
        client.writer.integer(hllCountHistogram(mergedHistogram));
        return;
      }
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.String, SharedReplies.zero);
      if (ref < 0 || !isHllOrReply(client, db, ref)) return;
      const before = ks.dirty;
      const card = hllCount(db, ref);
      if (card === HLL_INVALID) {
        client.writer.error(HllErrors.corrupt);
        return;
      }
      // A recomputed cache is a change of the string: Redis signals it (and counts it in dirty).
      if (ks.dirty !== before) ks.signalModifiedKey(db.id, args.buffer, args.offsets[1]!, args.lengths[1]!);
      replyLongLong(client, card);
    },
  }),
  /** PFMERGE destkey [sourcekey [sourcekey ...]] */
  defineCommand({
    name: "pfmerge",
    handler(server, client, args) {
      const ks = server.keyspace;
      const db = ks.db(client.db);
      // The destination is the first source: its registers are kept, and it is validated.
      const dense = mergeKeysOrReply(client, db, args, 1, false);
      if (dense < 0) return;
      if (!reserveDenseOrReply(server, client, db, args, 1)) return;
      const buf = args.buffer;
      let ref = db.lookupWrite(buf, args.offsets[1]!, args.lengths[1]!);
      const created = ref < 0;
      if (created) ref = hllCreate(db, buf, args.offsets[1]!, args.lengths[1]!);
      if (!hllStoreMerged(db, ref, merged, dense === 1, sparseMaxBytes(server), created)) {
        client.writer.error(HllErrors.corrupt);
        return;
      }
      // Redis emits "pfadd" for PFMERGE too ("in theory a mass-add of elements").
      keyChanged(ks, db.id, args, 1, "$", "pfadd");
      client.writer.raw(SharedReplies.ok);
    },
  }),
  /** PFSELFTEST */
  defineCommand({
    name: "pfselftest",
    handler(server, client) {
      const failure = hllSelfTest(sparseMaxBytes(server));
      if (failure === null) client.writer.raw(SharedReplies.ok);
      else client.writer.error(failure);
    },
  }),
  /** PFDEBUG subcommand key (arity 3: Redis's per-subcommand arity check is unreachable) */
  defineCommand({
    name: "pfdebug",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = lookupWriteOrReply(client, db, args, 2, ObjectType.String, NO_REPLY);
      if (ref === WRONG_TYPE) return;
      if (ref === MISSING) {
        client.writer.error(HllErrors.noSuchKey);
        return;
      }
      if (!isHllOrReply(client, db, ref)) return;
      hllUnshare(db, ref);
      const name = args.argString(1);
      const sub = name.toLowerCase();
      if (sub !== "getreg" && sub !== "decode" && sub !== "encoding" && sub !== "todense") {
        client.writer.error(`ERR Unknown PFDEBUG subcommand '${name}'`);
        return;
      }
      if (sub === "getreg" || sub === "todense") {
        // GETREG converts too (Redis counts the change to propagate it).
        const converted = hllToDense(db, ref);
        if (converted === HLL_INVALID) {
          client.writer.error(HllErrors.corrupt);
          return;
        }
        if (sub === "todense") {
          client.writer.raw(converted === 1 ? SharedReplies.one : SharedReplies.zero);
          return;
        }
        hllRegisters(db, ref, registers);
        client.writer.arrayHeader(HLL_REGISTERS);
        for (let j = 0; j < HLL_REGISTERS; j++) client.writer.integer(registers[j]!);
      } else if (sub === "decode") {
        const decoded = hllDecode(db, ref);
        if (decoded === null) client.writer.error(HllErrors.notSparse);
        else client.writer.bulkString(decoded);
      } else {
        client.writer.simple(hllIsDense(db, ref) ? "dense" : "sparse");
      }
    },
  }),
];

import { Arena } from "@nedis/allocators/arena";
import { type Database, ObjectType } from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { keyChanged } from "../support/keyArgs.js";
import { getLongFromObjectOrReply } from "../support/numbers.js";
import { SortVector } from "./SortVector.js";
import { found, loadSortInput, loadSortRange, lookupPattern, sortInputLength, storeSortResult } from "./sortInputs.js";
import { parseSortPattern, type SortPattern } from "./sortPattern.js";
import { sortWeight } from "./strtod.js";

// One scratch arena and two vectors for every SORT: released after each command.
const arena = new Arena({ maxBytes: 0 });
const vector = new SortVector(arena);
const output = new SortVector(arena);

/** Parsed options of one SORT (sort.c's locals). */
interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: number;
  limitCount: number;
  dontsort: boolean;
  sortby: SortPattern | null;
  store: number;
  gets: SortPattern[];
}

/** sort.c's option loop; null after replying the error. */
function parseSortOptions(
  server: ServerContext,
  client: Client,
  args: CommandArgs,
  readonly: boolean,
): SortOptions | null {
  const o: SortOptions = {
    desc: false,
    alpha: false,
    limitStart: 0,
    limitCount: -1,
    dontsort: false,
    sortby: null,
    store: -1,
    gets: [],
  };
  let fullKeyAccess: boolean | undefined;
  const mayReadAnyKey = (): boolean => {
    if (fullKeyAccess === undefined) {
      fullKeyAccess = server.auth.hasUnrestrictedKeyAccess(client, client.lastContainer!, client.lastCommand!, args);
    }
    return fullKeyAccess;
  };
  for (let j = 2; j < args.argc; j++) {
    const left = args.argc - j - 1;
    const word = args.argString(j).toLowerCase();
    if (word === "asc") o.desc = false;
    else if (word === "desc") o.desc = true;
    else if (word === "alpha") o.alpha = true;
    else if (word === "limit" && left >= 2) {
      const start = getLongFromObjectOrReply(client, args, j + 1);
      if (start === null) return null;
      const count = getLongFromObjectOrReply(client, args, j + 2);
      if (count === null) return null;
      o.limitStart = Number(start);
      o.limitCount = Number(count);
      j += 2;
    } else if (!readonly && word === "store" && left >= 1) {
      o.store = ++j;
    } else if (word === "by" && left >= 1) {
      const p = parseSortPattern(args.buffer, args.offsets[j + 1]!, args.offsets[j + 1]! + args.lengths[j + 1]!);
      o.sortby = p;
      if (p.star < 0) o.dontsort = true;
      else if (!mayReadAnyKey()) {
        client.writer.error("ERR BY option of SORT denied due to insufficient ACL permissions.");
        return null;
      }
      j++;
    } else if (word === "get" && left >= 1) {
      if (!mayReadAnyKey()) {
        client.writer.error("ERR GET option of SORT denied due to insufficient ACL permissions.");
        return null;
      }
      o.gets.push(parseSortPattern(args.buffer, args.offsets[j + 1]!, args.offsets[j + 1]! + args.lengths[j + 1]!));
      j++;
    } else {
      client.writer.error(Errors.syntax);
      return null;
    }
  }
  return o;
}

/** SORT / SORT_RO (sort.c's `sortCommandGeneric`). */
function sortGeneric(server: ServerContext, client: Client, args: CommandArgs, readonly: boolean): void {
  const o = parseSortOptions(server, client, args, readonly);
  if (o === null) return;
  const db = server.keyspace.db(client.db);
  const ref = db.lookupRead(args.buffer, args.offsets[1]!, args.lengths[1]!);
  const type = ref < 0 ? ObjectType.List : db.typeAt(ref);
  if (type !== ObjectType.List && type !== ObjectType.Set && type !== ObjectType.ZSet) {
    client.writer.error(Errors.wrongType);
    return;
  }
  // A set has no order of its own: with STORE, or in a script, sort it so replicas (and the
  // script's effects) agree.
  if (o.dontsort && type === ObjectType.Set && (o.store >= 0 || client.isScript)) {
    o.dontsort = false;
    o.alpha = true;
    o.sortby = null;
  }
  const mark = arena.mark();
  try {
    const count = ref < 0 ? 0 : sortInputLength(db, ref);
    let start = Math.min(Math.max(o.limitStart, 0), count);
    const limitCount = Math.min(Math.max(o.limitCount, -1), count);
    let end = limitCount < 0 ? count - 1 : start + limitCount - 1;
    if (start >= count) {
      start = count - 1;
      end = count - 2;
    }
    if (end >= count) end = count - 1;
    vector.clear();
    if (ref >= 0 && o.dontsort && type !== ObjectType.Set && (start !== 0 || end !== count - 1)) {
      // Native order, LIMIT applied while loading.
      if (end >= start) loadSortRange(db, ref, start, end - start + 1, o.desc, vector);
      end -= start;
      start = 0;
    } else if (ref >= 0 && o.dontsort && type !== ObjectType.Set) {
      loadSortRange(db, ref, 0, count, o.desc, vector);
    } else if (ref >= 0) {
      loadSortInput(db, ref, vector);
    }
    let conversionError = false;
    let order: Uint32Array | null = null;
    if (!o.dontsort) {
      conversionError = weigh(db, o, vector);
      order = vector.sortedOrder(o.alpha, o.sortby !== null, o.desc, o.store < 0);
    }
    const rows = end - start + 1;
    const outputLength = o.gets.length > 0 ? o.gets.length * rows : rows;
    if (conversionError) {
      client.writer.error("ERR One or more scores can't be converted into double");
      return;
    }
    if (o.store < 0) {
      const w = client.writer;
      w.arrayHeader(outputLength);
      for (let j = start; j <= end; j++) {
        const e = order === null ? j : order[j]!;
        if (o.gets.length === 0)
          w.bulk(vector.bufferOf(e), vector.offsetOf(e), vector.offsetOf(e) + vector.lengthOf(e));
        for (const get of o.gets) {
          if (lookupPattern(db, get, vector.bufferOf(e), vector.offsetOf(e), vector.lengthOf(e))) {
            w.bulk(found.buf, found.off, found.off + found.len);
          } else {
            w.nullBulk();
          }
        }
      }
      return;
    }
    output.clear();
    for (let j = start; j <= end; j++) {
      const e = order === null ? j : order[j]!;
      if (o.gets.length === 0) output.push(vector.bufferOf(e), vector.offsetOf(e), vector.lengthOf(e));
      for (const get of o.gets) {
        if (lookupPattern(db, get, vector.bufferOf(e), vector.offsetOf(e), vector.lengthOf(e))) {
          output.push(found.buf, found.off, found.len);
        } else {
          output.push(EMPTY, 0, 0);
        }
      }
    }
    storeSorted(server, client, db, args, o.store, outputLength);
  } finally {
    vector.clear();
    output.clear();
    arena.release(mark);
  }
}

const EMPTY = new Uint8Array(0);

/** Fills the weights (numeric) or comparison values (ALPHA BY); true on a value that is not a double. */
function weigh(db: Database, o: SortOptions, v: SortVector): boolean {
  let error = false;
  for (let j = 0; j < v.length; j++) {
    let buf = v.bufferOf(j);
    let off = v.offsetOf(j);
    let len = v.lengthOf(j);
    if (o.sortby !== null) {
      if (!lookupPattern(db, o.sortby, buf, off, len)) continue;
      buf = found.buf;
      off = found.off;
      len = found.len;
    }
    if (o.alpha) {
      if (o.sortby !== null) v.setCompare(j, buf, off, len);
    } else {
      const score = sortWeight(buf, off, off + len);
      if (score !== score) error = true;
      else v.scores[j] = score;
    }
  }
  return error;
}

/** STORE: the result replaces the destination as a list (deleted when empty); replies its length. */
function storeSorted(
  server: ServerContext,
  client: Client,
  db: Database,
  args: CommandArgs,
  i: number,
  outputLength: number,
): void {
  const key = args.buffer;
  const off = args.offsets[i]!;
  const len = args.lengths[i]!;
  if (outputLength > 0) {
    storeSortResult(db, key, off, len, output);
    // Redis counts one change per stored element (the key's insert counted one).
    db.host.dirty += outputLength - 1;
    keyChanged(server.keyspace, db.id, args, i, "l", "sortstore");
  } else if (db.delete(key, off, len)) {
    keyChanged(server.keyspace, db.id, args, i, "g", "del");
  }
  client.writer.integer(outputLength);
}

export const sortCommands = [
  /** SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] [STORE destination] */
  defineCommand({
    name: "sort",
    handler(server, client, args) {
      sortGeneric(server, client, args, false);
    },
  }),
  /** SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] */
  defineCommand({
    name: "sort_ro",
    handler(server, client, args) {
      sortGeneric(server, client, args, true);
    },
  }),
];

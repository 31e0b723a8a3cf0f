import { type Database, type Keyspace, ObjectType, StringEncodingMode } from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../net/Client.js";
import { deleteCommand } from "../propagation/deleteCommand.js";
import type { Propagator } from "../propagation/Propagator.js";
import { type CommandArgs, defineCommand } from "./CommandSpec.js";
import { setExpireDeadline } from "./expireTime.js";
import { lcsCommands } from "./lcs.js";
import { stringCounterCommands } from "./stringCounters.js";
import { stringRangeCommands } from "./stringRanges.js";
import { Errors } from "./support/errors.js";
import {
  keyChanged,
  keyEvent,
  lookupReadOrReply,
  reserveOrReply,
  reserveStringOrReply,
  WRONG_TYPE,
} from "./support/keyArgs.js";

// Redis's OBJ_* flags of SET and GETEX options (t_string.c).
const NX = 1;
const XX = 2;
const EX = 4;
const PX = 8;
const KEEPTTL = 16;
const GET = 32;
const EXAT = 64;
const PXAT = 128;
const PERSIST = 256;
const TIMES = EX | PX | EXAT | PXAT;
/** Below every flag bit: {@link parseExtendedOptions} packs the expire argument's index above it. */
const FLAG_MASK = 511;
const INDEX_UNIT = 512;

/** The flags of a packed {@link parseExtendedOptions} result. */
const optionFlags = (options: number): number => options & FLAG_MASK;
/** The expire argument's index of a packed result (0: none). Exact at any size: 512 divides 2^32. */
const expireArgOf = (options: number): number => (options - (options & FLAG_MASK)) / INDEX_UNIT;

/**
 * Redis's `parseExtendedStringArgumentsOrReply`: the options of SET (`forSet`) or GETEX, with
 * its exact conflict rules (e.g. NX after XX is a syntax error, EX twice is allowed). Returns
 * the flags plus the index of the argument holding the expire time times {@link INDEX_UNIT}
 * (read back with {@link optionFlags} and {@link expireArgOf}), or -1 after replying a syntax
 * error. One integer, so SET allocates nothing for it.
 */
function parseExtendedOptions(client: Client, args: CommandArgs, forSet: boolean): number {
  let flags = 0;
  let expireIndex = 0;
  for (let j = forSet ? 3 : 2; j < args.argc; j++) {
    const hasNext = j < args.argc - 1;
    const len = args.lengths[j]!;
    if (forSet && len === 2 && args.argEquals(j, "nx") && (flags & XX) === 0) flags |= NX;
    else if (forSet && len === 2 && args.argEquals(j, "xx") && (flags & NX) === 0) flags |= XX;
    else if (forSet && len === 3 && args.argEquals(j, "get")) flags |= GET;
    else if (forSet && len === 7 && args.argEquals(j, "keepttl") && (flags & (PERSIST | TIMES)) === 0) flags |= KEEPTTL;
    else if (!forSet && len === 7 && args.argEquals(j, "persist") && (flags & (TIMES | KEEPTTL)) === 0)
      flags |= PERSIST;
    else if (
      len === 2 &&
      args.argEquals(j, "ex") &&
      (flags & (KEEPTTL | PERSIST | EXAT | PX | PXAT)) === 0 &&
      hasNext
    ) {
      flags |= EX;
      expireIndex = ++j;
    } else if (
      len === 2 &&
      args.argEquals(j, "px") &&
      (flags & (KEEPTTL | PERSIST | EX | EXAT | PXAT)) === 0 &&
      hasNext
    ) {
      flags |= PX;
      expireIndex = ++j;
    } else if (
      len === 4 &&
      args.argEquals(j, "exat") &&
      (flags & (KEEPTTL | PERSIST | EX | PX | PXAT)) === 0 &&
      hasNext
    ) {
      flags |= EXAT;
      expireIndex = ++j;
    } else if (
      len === 4 &&
      args.argEquals(j, "pxat") &&
      (flags & (KEEPTTL | PERSIST | EX | EXAT | PX)) === 0 &&
      hasNext
    ) {
      flags |= PXAT;
      expireIndex = ++j;
    } else {
      client.writer.error(Errors.syntax);
      return -1;
    }
  }
  return flags + expireIndex * INDEX_UNIT;
}

/** Redis's `getGenericCommand`: replies the value or nil; false after a WRONGTYPE error. */
function replyValue(db: Database, client: Client, args: CommandArgs, keyIndex: number): boolean {
  const ref = lookupReadOrReply(client, db, args, keyIndex, ObjectType.String);
  if (ref === WRONG_TYPE) return false;
  if (ref >= 0) replyStringAt(db, client, ref);
  return true;
}

/** The string value at `ref` as a bulk reply. */
function replyStringAt(db: Database, client: Client, ref: number): void {
  db.loadValue(ref);
  client.writer.bulk(db.valueBuf, db.valueOff, db.valueOff + db.valueLen);
}

/**
 * Stores a string value under key argument `k` (Redis's `setKey`), keeping or replacing the TTL.
 * `ref` is the key's lookup that just happened (-1: absent, and `db.lastHash` is its hash), or
 * undefined to look it up here.
 */
function storeString(
  ks: Keyspace,
  db: Database,
  args: CommandArgs,
  k: number,
  v: number,
  keepTtl: boolean,
  deadline: number | bigint,
  ref?: number,
): void {
  const buf = args.buffer;
  if (ref === undefined) ref = db.lookupWrite(buf, args.offsets[k]!, args.lengths[k]!);
  if (ref >= 0)
    db.overwriteString(ref, buf, args.offsets[v]!, args.lengths[v]!, StringEncodingMode.Auto, keepTtl, deadline);
  else
    db.insertString(
      buf,
      args.offsets[k]!,
      args.lengths[k]!,
      buf,
      args.offsets[v]!,
      args.lengths[v]!,
      StringEncodingMode.Auto,
      deadline,
    );
  ks.signalModifiedKey(db.id, buf, args.offsets[k]!, args.lengths[k]!);
}

/**
 * Redis's `setGenericCommand`, serving SET, SETNX, SETEX and PSETEX: `ok`/`abort` are the
 * replies when the write happens or is skipped by NX/XX (null: `+OK` / nil).
 */
function setGeneric(
  prop: Propagator,
  client: Client,
  ks: Keyspace,
  args: CommandArgs,
  flags: number,
  expireArg: number,
  unitSeconds: boolean,
  command: string,
  ok: Uint8Array | null,
  abort: Uint8Array | null,
  keyArg = 1,
  valueArg = 2,
): void {
  const db = ks.db(client.db);
  let deadline: number | bigint = 0;
  if (expireArg > 0) {
    const d = setExpireDeadline(client, args, expireArg, unitSeconds, (flags & (EX | PX)) !== 0, command, ks.now());
    if (d === null) return;
    deadline = d;
  }
  const volatile = expireArg > 0 || (flags & KEEPTTL) !== 0;
  if (!reserveStringOrReply(client, ks, db, args.lengths[keyArg]!, args.lengths[valueArg]!, volatile, volatile)) return;
  if ((flags & GET) !== 0 && !replyValue(db, client, args, keyArg)) return;
  const ref = db.lookupWrite(args.buffer, args.offsets[keyArg]!, args.lengths[keyArg]!);
  const found = ref >= 0;
  if (((flags & NX) !== 0 && found) || ((flags & XX) !== 0 && !found)) {
    if ((flags & GET) === 0) {
      if (abort === null) client.writer.nullBulk();
      else client.writer.raw(abort);
    }
    return;
  }
  storeString(ks, db, args, keyArg, valueArg, (flags & KEEPTTL) !== 0, deadline, ref);
  keyEvent(ks, db.id, args, keyArg, "$", "set");
  if (expireArg > 0) keyEvent(ks, db.id, args, keyArg, "g", "expire");
  if ((flags & GET) === 0) client.writer.raw(ok ?? SharedReplies.ok);
  // Propagated as SET key value PXAT <ms> with an expire, without GET otherwise (t_string.c).
  if (prop.active && expireArg > 0)
    prop.replaceWith(db.id, "SET", args.argView(keyArg), args.argView(valueArg), "PXAT", String(deadline));
  else if (prop.active && (flags & GET) !== 0) prop.replaceWith(db.id, ...withoutGet(args));
}

/** SET's arguments without its GET options (how Redis propagates SET … GET). */
function withoutGet(args: CommandArgs): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let j = 0; j < args.argc; j++) if (j < 3 || !args.argEquals(j, "get")) out.push(args.argView(j));
  return out;
}

/** MSET / MSETNX (`msetGenericCommand`). */
function msetGeneric(client: Client, ks: Keyspace, args: CommandArgs, nx: boolean, name: string): void {
  if (args.argc % 2 === 0) {
    client.writer.error(`ERR wrong number of arguments for '${name}' command`);
    return;
  }
  const db = ks.db(client.db);
  const buf = args.buffer;
  if (ks.maxmemory !== 0) {
    let charge = db.growthCharge((args.argc - 1) / 2, 0);
    for (let j = 1; j < args.argc; j += 2) charge += ks.stringCharge(args.lengths[j]!, args.lengths[j + 1]!, true);
    if (!reserveOrReply(client, ks, charge)) return;
  }
  if (nx) {
    for (let j = 1; j < args.argc; j += 2) {
      if (db.lookupWrite(buf, args.offsets[j]!, args.lengths[j]!) >= 0) {
        client.writer.raw(SharedReplies.zero);
        return;
      }
    }
  }
  for (let j = 1; j < args.argc; j += 2) {
    storeString(ks, db, args, j, j + 1, false, 0);
    keyEvent(ks, db.id, args, j, "$", "set");
  }
  client.writer.raw(nx ? SharedReplies.one : SharedReplies.ok);
}

const OVERWRITE_FLAGS = ["OW", "update"] as const;
const GET_FLAGS = ["RW", "access", "update"] as const;

/**
 * Redis's `setGetKeys`: SET's key is overwritten, or also read when GET is given (its key spec
 * has variable flags, so ACL and COMMAND GETKEYSANDFLAGS ask this).
 */
function setGetKeys(args: CommandArgs, first: number): { index: number; flags: readonly string[] }[] {
  for (let i = first + 3; i < args.argc; i++)
    if (args.argEquals(i, "get")) return [{ index: first + 1, flags: GET_FLAGS }];
  return [{ index: first + 1, flags: OVERWRITE_FLAGS }];
}

/** String commands (Redis's `t_string.c`). */
export const stringCommands = [
  /** SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL] */
  defineCommand({
    name: "set",
    getKeys: setGetKeys,
    handler(server, client, args) {
      let flags = 0;
      let expireArg = 0;
      if (args.argc > 3) {
        const options = parseExtendedOptions(client, args, true);
        if (options < 0) return;
        flags = optionFlags(options);
        expireArg = expireArgOf(options);
      }
      setGeneric(
        server.propagation,
        client,
        server.keyspace,
        args,
        flags,
        expireArg,
        (flags & (EX | EXAT)) !== 0,
        "set",
        null,
        null,
      );
    },
  }),
  /** SETNX key value */
  defineCommand({
    name: "setnx",
    handler(server, client, args) {
      setGeneric(
        server.propagation,
        client,
        server.keyspace,
        args,
        NX,
        0,
        false,
        "setnx",
        SharedReplies.one,
        SharedReplies.zero,
      );
    },
  }),
  /** SETEX key seconds value */
  defineCommand({
    name: "setex",
    handler(server, client, args) {
      setGeneric(server.propagation, client, server.keyspace, args, EX, 2, true, "setex", null, null, 1, 3);
    },
  }),
  /** PSETEX key milliseconds value */
  defineCommand({
    name: "psetex",
    handler(server, client, args) {
      setGeneric(server.propagation, client, server.keyspace, args, PX, 2, false, "psetex", null, null, 1, 3);
    },
  }),
  /** GET key */
  defineCommand({
    name: "get",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const ref = lookupReadOrReply(client, db, args, 1, ObjectType.String);
      if (ref >= 0) replyStringAt(db, client, ref);
    },
  }),
  /** GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST] */
  defineCommand({
    name: "getex",
    handler(server, client, args) {
      const ks = server.keyspace;
      const options = parseExtendedOptions(client, args, false);
      if (options < 0) return;
      const flags = optionFlags(options);
      const expireArg = expireArgOf(options);
      const db = ks.db(client.db);
      let ref = lookupReadOrReply(client, db, args, 1, ObjectType.String);
      if (ref < 0) return;
      let deadline: number | bigint = 0;
      if (expireArg > 0) {
        const d = setExpireDeadline(
          client,
          args,
          expireArg,
          (flags & (EX | EXAT)) !== 0,
          (flags & (EX | PX)) !== 0,
          "getex",
          ks.now(),
        );
        if (d === null) return;
        deadline = d;
      }
      replyStringAt(db, client, ref);
      // GETEX is never propagated as is: DEL/UNLINK, PEXPIREAT or PERSIST (t_string.c).
      const prop = server.propagation;
      if ((flags & (EXAT | PXAT)) !== 0 && deadline <= ks.now()) {
        db.deleteRef(ref);
        keyChanged(ks, db.id, args, 1, "g", "del");
        if (prop.active) prop.replaceWith(db.id, deleteCommand(server, "lazyfree-lazy-expire"), args.argView(1));
      } else if (expireArg > 0) {
        ref = db.setExpire(ref, deadline);
        keyChanged(ks, db.id, args, 1, "g", "expire");
        if (prop.active) prop.replaceWith(db.id, "PEXPIREAT", args.argView(1), String(deadline));
      } else if ((flags & PERSIST) !== 0 && db.removeExpire(ref)) {
        keyChanged(ks, db.id, args, 1, "g", "persist");
        if (prop.active) prop.replaceWith(db.id, "PERSIST", args.argView(1));
      }
    },
  }),
  /** GETDEL key */
  defineCommand({
    name: "getdel",
    handler(server, client, args) {
      const ks = server.keyspace;
      const db = ks.db(client.db);
      if (!replyValue(db, client, args, 1)) return;
      if (!db.delete(args.buffer, args.offsets[1]!, args.lengths[1]!)) return;
      keyChanged(ks, db.id, args, 1, "g", "del");
      const prop = server.propagation;
      if (prop.active) prop.replaceWith(db.id, deleteCommand(server, "lazyfree-lazy-user-del"), args.argView(1));
    },
  }),
  /** GETSET key value */
  defineCommand({
    name: "getset",
    handler(server, client, args) {
      const ks = server.keyspace;
      const db = ks.db(client.db);
      if (!reserveStringOrReply(client, ks, db, args.lengths[1]!, args.lengths[2]!, false, false)) return;
      if (!replyValue(db, client, args, 1)) return;
      storeString(ks, db, args, 1, 2, false, 0);
      keyEvent(ks, db.id, args, 1, "$", "set");
      if (server.propagation.active) server.propagation.replaceWith(db.id, "SET", args.argView(1), args.argView(2));
    },
  }),
  /** MSET key value [key value ...] */
  defineCommand({
    name: "mset",
    handler(server, client, args) {
      msetGeneric(client, server.keyspace, args, false, "mset");
    },
  }),
  /** MSETNX key value [key value ...] */
  defineCommand({
    name: "msetnx",
    handler(server, client, args) {
      msetGeneric(client, server.keyspace, args, true, "msetnx");
    },
  }),
  /** MGET key [key ...] */
  defineCommand({
    name: "mget",
    handler(server, client, args) {
      const db = server.keyspace.db(client.db);
      const w = client.writer;
      w.arrayHeader(args.argc - 1);
      for (let j = 1; j < args.argc; j++) {
        // MGET answers nil for a key of another type, never WRONGTYPE.
        const ref = db.lookupRead(args.buffer, args.offsets[j]!, args.lengths[j]!);
        if (ref < 0 || db.typeAt(ref) !== ObjectType.String) w.nullBulk();
        else replyStringAt(db, client, ref);
      }
    },
  }),
  ...stringCounterCommands,
  ...stringRangeCommands,
  ...lcsCommands,
];

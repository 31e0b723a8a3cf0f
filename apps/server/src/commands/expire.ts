import { Lookup } from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../net/Client.js";
import { deleteCommand } from "../propagation/deleteCommand.js";
import type { ServerContext } from "../ServerContext.js";
import { type CommandArgs, defineCommand } from "./CommandSpec.js";
import { compareLongLong, expireDeadline } from "./expireTime.js";
import { ANY_TYPE, keyChanged, lookupReadOrReply, lookupWriteOrReply } from "./support/keyArgs.js";
import { replyLongLong } from "./support/numbers.js";

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/** Redis's `parseExtendedExpireArgumentsOrReply`: NX XX GT LT; -1 after replying an error. */
function parseExpireFlags(client: Client, args: CommandArgs): number {
  let flags = 0;
  for (let j = 3; j < args.argc; j++) {
    if (args.argEquals(j, "nx")) flags |= EXPIRE_NX;
    else if (args.argEquals(j, "xx")) flags |= EXPIRE_XX;
    else if (args.argEquals(j, "gt")) flags |= EXPIRE_GT;
    else if (args.argEquals(j, "lt")) flags |= EXPIRE_LT;
    else {
      // Redis formats the option with %s: the C string ends at the first NUL byte.
      const option = args.argString(j);
      const nul = option.indexOf("\0");
      client.writer.error(`ERR Unsupported option ${nul < 0 ? option : option.slice(0, nul)}`);
      return -1;
    }
  }
  if ((flags & EXPIRE_NX) !== 0 && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) !== 0) {
    client.writer.error("ERR NX and XX, GT or LT options at the same time are not compatible");
    return -1;
  }
  if ((flags & EXPIRE_GT) !== 0 && (flags & EXPIRE_LT) !== 0) {
    client.writer.error("ERR GT and LT options at the same time are not compatible");
    return -1;
  }
  return flags;
}

/**
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (`expireGenericCommand`). `relative`: the time is added
 * to now. A deadline not in the future deletes the key (replied 1, event `del`).
 */
function expireGeneric(
  server: ServerContext,
  client: Client,
  args: CommandArgs,
  relative: boolean,
  unitSeconds: boolean,
  name: string,
): void {
  const flags = parseExpireFlags(client, args);
  if (flags < 0) return;
  const ks = server.keyspace;
  const now = ks.now();
  const when = expireDeadline(client, args, 2, unitSeconds, relative ? now : 0, name);
  if (when === null) return;
  const db = ks.db(client.db);
  let ref = lookupWriteOrReply(client, db, args, 1, ANY_TYPE, SharedReplies.zero);
  if (ref < 0) return;
  if (flags !== 0) {
    let current: number | bigint = db.expireAt(ref);
    if (current > Number.MAX_SAFE_INTEGER) current = db.expireAtBig(ref);
    const none = current === -1;
    if ((flags & EXPIRE_NX) !== 0 && !none) return void client.writer.raw(SharedReplies.zero);
    if ((flags & EXPIRE_XX) !== 0 && none) return void client.writer.raw(SharedReplies.zero);
    // No TTL counts as an infinite one: GT always fails, LT always passes.
    if ((flags & EXPIRE_GT) !== 0 && (none || compareLongLong(when, current) <= 0))
      return void client.writer.raw(SharedReplies.zero);
    if ((flags & EXPIRE_LT) !== 0 && !none && compareLongLong(when, current) >= 0)
      return void client.writer.raw(SharedReplies.zero);
  }
  const prop = server.propagation;
  if (when <= now) {
    db.deleteRef(ref);
    keyChanged(ks, db.id, args, 1, "g", "del");
    // Propagated as an explicit DEL (UNLINK under lazyfree-lazy-expire), as expire.c does.
    if (prop.active) prop.replaceWith(db.id, deleteCommand(server, "lazyfree-lazy-expire"), args.argView(1));
  } else {
    ref = db.setExpire(ref, when);
    keyChanged(ks, db.id, args, 1, "g", "expire");
    // Propagated as PEXPIREAT <absolute ms>, the flags kept.
    if (prop.active && name !== "pexpireat") prop.replaceWith(db.id, ...asPexpireat(args, when));
  }
  client.writer.raw(SharedReplies.one);
}

/** `PEXPIREAT key <when> [flags]`: how EXPIRE, PEXPIRE and EXPIREAT propagate. */
function asPexpireat(args: CommandArgs, when: number | bigint): (Uint8Array | string)[] {
  const argv: (Uint8Array | string)[] = ["PEXPIREAT", args.argView(1), String(when)];
  for (let j = 3; j < args.argc; j++) argv.push(args.argView(j));
  return argv;
}

/** TTL, PTTL, EXPIRETIME, PEXPIRETIME (`ttlGenericCommand`). */
function ttlGeneric(
  server: ServerContext,
  client: Client,
  args: CommandArgs,
  outputMs: boolean,
  outputAbsolute: boolean,
): void {
  const ks = server.keyspace;
  const db = ks.db(client.db);
  const ref = lookupReadOrReply(client, db, args, 1, ANY_TYPE, SharedReplies.minusTwo, Lookup.NoTouch);
  if (ref < 0) return;
  const expire = db.expireAt(ref);
  if (expire === -1) {
    client.writer.integer(-1);
    return;
  }
  if (expire > Number.MAX_SAFE_INTEGER) {
    let ttl = outputAbsolute ? db.expireAtBig(ref) : db.expireAtBig(ref) - BigInt(ks.now());
    if (ttl < 0n) ttl = 0n;
    replyLongLong(client, outputMs ? ttl : (ttl + 500n) / 1000n);
    return;
  }
  let ttl = outputAbsolute ? expire : expire - ks.now();
  if (ttl < 0) ttl = 0;
  client.writer.integer(outputMs ? ttl : Math.floor((ttl + 500) / 1000));
}

/** Key expiry (Redis's `expire.c`). */
export const expireCommands = [
  /** EXPIRE key seconds [NX | XX | GT | LT] */
  defineCommand({
    name: "expire",
    handler: (server, client, args) => expireGeneric(server, client, args, true, true, "expire"),
  }),
  /** PEXPIRE key milliseconds [NX | XX | GT | LT] */
  defineCommand({
    name: "pexpire",
    handler: (server, client, args) => expireGeneric(server, client, args, true, false, "pexpire"),
  }),
  /** EXPIREAT key unix-time-seconds [NX | XX | GT | LT] */
  defineCommand({
    name: "expireat",
    handler: (server, client, args) => expireGeneric(server, client, args, false, true, "expireat"),
  }),
  /** PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT] */
  defineCommand({
    name: "pexpireat",
    handler: (server, client, args) => expireGeneric(server, client, args, false, false, "pexpireat"),
  }),
  /** TTL key */
  defineCommand({
    name: "ttl",
    handler: (server, client, args) => ttlGeneric(server, client, args, false, false),
  }),
  /** PTTL key */
  defineCommand({
    name: "pttl",
    handler: (server, client, args) => ttlGeneric(server, client, args, true, false),
  }),
  /** EXPIRETIME key */
  defineCommand({
    name: "expiretime",
    handler: (server, client, args) => ttlGeneric(server, client, args, false, true),
  }),
  /** PEXPIRETIME key */
  defineCommand({
    name: "pexpiretime",
    handler: (server, client, args) => ttlGeneric(server, client, args, true, true),
  }),
  /** PERSIST key */
  defineCommand({
    name: "persist",
    handler(server, client, args) {
      const ks = server.keyspace;
      const db = ks.db(client.db);
      const ref = db.lookupWrite(args.buffer, args.offsets[1]!, args.lengths[1]!);
      if (ref >= 0 && db.removeExpire(ref)) {
        keyChanged(ks, db.id, args, 1, "g", "persist");
        client.writer.raw(SharedReplies.one);
      } else {
        client.writer.raw(SharedReplies.zero);
      }
    },
  }),
];

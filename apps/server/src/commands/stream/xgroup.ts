import { ObjectType, stream } from "@nedis/keyspace";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { replyHelp, replySubcommandSyntaxError } from "../help.js";
import { Errors, StreamErrors } from "../support/errors.js";
import { keyEvent, lookupReadOrReply, lookupWriteOrReply, NO_REPLY, reserveOrReply } from "../support/keyArgs.js";
import { getLongLongFromObjectOrReply } from "../support/numbers.js";
import { createStream, parseIdOrReply, recharge, streamOf } from "./streamArgs.js";

const HELP = [
  "CREATE <key> <groupname> <id|$> [option]",
  "    Create a new consumer group. Options are:",
  "    * MKSTREAM",
  "      Create the empty stream if it does not exist.",
  "    * ENTRIESREAD entries_read",
  "      Set the group's entries_read counter (internal use).",
  "CREATECONSUMER <key> <groupname> <consumer>",
  "    Create a new consumer in the specified group.",
  "DELCONSUMER <key> <groupname> <consumer>",
  "    Remove the specified consumer.",
  "DESTROY <key> <groupname>",
  "    Remove the specified group.",
  "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
  "    Set the current group ID and entries_read counter.",
];

const isDollar = (args: CommandArgs, i: number): boolean =>
  args.lengths[i] === 1 && args.buffer[args.offsets[i]!] === 0x24;

/** Redis's `xgroupCommand`, one subcommand (`sub`, lowercase) at a time. */
function xgroup(server: ServerContext, client: Client, args: CommandArgs, sub: string): void {
  const w = client.writer;
  const ks = server.keyspace;
  const db = ks.db(client.db);
  let mkstream = false;
  let entriesRead = stream.ENTRIES_READ_INVALID;
  for (let i = 5; i < args.argc; ) {
    if (sub === "create" && args.argEquals(i, "mkstream")) {
      mkstream = true;
      i++;
    } else if ((sub === "create" || sub === "setid") && args.argEquals(i, "entriesread") && i + 1 < args.argc) {
      const n = getLongLongFromObjectOrReply(client, args, i + 1);
      if (n === null) return;
      if (n < 0 && n !== -1) {
        w.error("ERR value for ENTRIESREAD must be positive or -1");
        return;
      }
      entriesRead = BigInt(n);
      i += 2;
    } else {
      replySubcommandSyntaxError(client, "XGROUP", args.argString(1));
      return;
    }
  }
  if (mkstream && !reserveOrReply(client, ks, 256 + args.lengths[2]!)) return;
  let ref = lookupWriteOrReply(client, db, args, 2, ObjectType.Stream, NO_REPLY);
  if (ref === -2) return;
  const groupName = args.argView(3);
  let group: stream.ConsumerGroup | undefined;
  if (!mkstream) {
    if (ref < 0) {
      w.error(
        "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
      );
      return;
    }
    group = streamOf(db, ref).groups?.get(groupName);
    if (group === undefined && sub !== "create" && sub !== "destroy") {
      w.error(`NOGROUP No such consumer group '${args.argString(3)}' for key name '${args.argString(2)}'`);
      return;
    }
  }
  switch (sub) {
    case "create": {
      if (args.argc < 5 || args.argc > 8) break;
      let id: stream.StreamId | null;
      if (isDollar(args, 4)) id = ref >= 0 ? streamOf(db, ref).lastId : stream.zeroStreamId();
      else id = parseIdOrReply(client, args, 4, 0, true);
      if (id === null) return;
      if (ref < 0) {
        ref = createStream(db, args, 2);
        ks.dirty--; // Redis counts the group, not the new key
        ks.signalModifiedKey(client.db, args.buffer, args.offsets[2]!, args.lengths[2]!);
      }
      const s = streamOf(db, ref);
      if (s.groups?.get(groupName) !== undefined) {
        w.error(StreamErrors.busyGroup);
        return;
      }
      db.modify(ref);
      s.groups ??= new stream.ConsumerGroups();
      s.groups.create(groupName, id, entriesRead);
      recharge(db, ref);
      w.raw(SharedReplies.ok);
      keyEvent(ks, client.db, args, 2, "t", "xgroup-create");
      return;
    }
    case "setid": {
      if (args.argc !== 5 && args.argc !== 7) break;
      const s = streamOf(db, ref);
      const id = isDollar(args, 4) ? s.lastId : parseIdOrReply(client, args, 4, 0, false);
      if (id === null) return;
      db.modify(ref);
      const g = group as stream.ConsumerGroup;
      g.lastId = id;
      g.entriesRead = entriesRead;
      w.raw(SharedReplies.ok);
      keyEvent(ks, client.db, args, 2, "t", "xgroup-setid");
      return;
    }
    case "destroy": {
      if (args.argc !== 4) break;
      if (group === undefined) {
        w.raw(SharedReplies.zero);
        return;
      }
      db.modify(ref);
      streamOf(db, ref).groups?.delete(groupName);
      recharge(db, ref);
      w.raw(SharedReplies.one);
      keyEvent(ks, client.db, args, 2, "t", "xgroup-destroy");
      // XREADGROUP clients blocked on it get their NOGROUP error.
      server.blocking.signalKeyAsReady(client.db, args.buffer, args.offsets[2]!, args.lengths[2]!);
      return;
    }
    case "createconsumer": {
      if (args.argc !== 5) break;
      const g = group as stream.ConsumerGroup;
      if (g.consumer(args.argView(4)) !== undefined) {
        w.integer(0);
        return;
      }
      db.modify(ref);
      g.createConsumer(args.argView(4), Date.now());
      recharge(db, ref);
      w.integer(1);
      keyEvent(ks, client.db, args, 2, "t", "xgroup-createconsumer");
      return;
    }
    case "delconsumer": {
      if (args.argc !== 5) break;
      const g = group as stream.ConsumerGroup;
      const consumer = g.consumer(args.argView(4));
      let pending = 0;
      if (consumer !== undefined) {
        db.modify(ref);
        pending = g.deleteConsumer(consumer);
        recharge(db, ref);
        keyEvent(ks, client.db, args, 2, "t", "xgroup-delconsumer");
      }
      w.integer(pending);
      return;
    }
  }
  replySubcommandSyntaxError(client, "XGROUP", args.argString(1));
}

/** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
function xsetid(server: ServerContext, client: Client, args: CommandArgs): void {
  const w = client.writer;
  const id = parseIdOrReply(client, args, 2, 0, true);
  if (id === null) return;
  let entriesAdded = -1n;
  let maxDeleted: stream.StreamId = stream.zeroStreamId();
  for (let i = 3; i < args.argc; ) {
    const more = args.argc - 1 - i;
    if (args.argEquals(i, "entriesadded") && more > 0) {
      const n = getLongLongFromObjectOrReply(client, args, i + 1);
      if (n === null) return;
      if (n < 0) {
        w.error("ERR entries_added must be positive");
        return;
      }
      entriesAdded = BigInt(n);
      i += 2;
    } else if (args.argEquals(i, "maxdeletedid") && more > 0) {
      const m = parseIdOrReply(client, args, i + 1, 0, true);
      if (m === null) return;
      if (stream.compareStreamId(id, m) < 0) {
        w.error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
        return;
      }
      maxDeleted = m;
      i += 2;
    } else {
      w.error(Errors.syntax);
      return;
    }
  }
  const ks = server.keyspace;
  const db = ks.db(client.db);
  const ref = lookupWriteOrReply(client, db, args, 1, ObjectType.Stream, NO_REPLY);
  if (ref === -1) w.error(Errors.noSuchKey);
  if (ref < 0) return;
  const s = streamOf(db, ref);
  if (s.length > 0) {
    if (stream.compareStreamId(id, stream.streamLastValidId(s)) < 0) {
      w.error(StreamErrors.setIdSmaller);
      return;
    }
    if (entriesAdded !== -1n && BigInt(s.length) > entriesAdded) {
      w.error("ERR The entries_added specified in XSETID is smaller than the target stream length");
      return;
    }
  }
  db.modify(ref);
  s.lastId = id;
  if (entriesAdded !== -1n) s.entriesAdded = stream.u64(entriesAdded);
  if (!stream.isZeroStreamId(maxDeleted)) s.maxDeletedId = maxDeleted;
  w.raw(SharedReplies.ok);
  keyEvent(ks, client.db, args, 1, "t", "xsetid");
}

/** XACK key group id [id ...] */
function xack(server: ServerContext, client: Client, args: CommandArgs): void {
  const ks = server.keyspace;
  const db = ks.db(client.db);
  const ref = lookupReadOrReply(client, db, args, 1, ObjectType.Stream, NO_REPLY);
  if (ref === -2) return;
  const group = ref >= 0 ? streamOf(db, ref).groups?.get(args.argView(2)) : undefined;
  if (group === undefined) {
    client.writer.raw(SharedReplies.zero);
    return;
  }
  const ids: stream.StreamId[] = [];
  for (let j = 3; j < args.argc; j++) {
    const id = parseIdOrReply(client, args, j, 0, true);
    if (id === null) return;
    ids.push(id);
  }
  let acknowledged = 0;
  const before = ks.dirty;
  for (const id of ids) {
    const at = group.pel.find(id);
    if (at < 0) continue;
    if (acknowledged === 0) db.modify(ref);
    group.ackAt(at);
    acknowledged++;
  }
  ks.dirty = before + acknowledged;
  client.writer.integer(acknowledged);
}

const sub = (name: string) =>
  defineCommand({ name, handler: (server, client, args) => xgroup(server, client, args, name) });

/** XGROUP (CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER, HELP), XSETID, XACK. */
export const xgroupCommands = [
  defineCommand({
    name: "xgroup",
    handler: () => {},
    subcommands: [
      /** XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read] */
      sub("create"),
      /** XGROUP SETID key group id|$ [ENTRIESREAD entries-read] */
      sub("setid"),
      /** XGROUP DESTROY key group */
      sub("destroy"),
      /** XGROUP CREATECONSUMER key group consumer */
      sub("createconsumer"),
      /** XGROUP DELCONSUMER key group consumer */
      sub("delconsumer"),
      /** XGROUP HELP */
      defineCommand({ name: "help", handler: (_server, client) => replyHelp(client, "XGROUP", HELP) }),
    ],
  }),
  defineCommand({ name: "xsetid", handler: xsetid }),
  defineCommand({ name: "xack", handler: xack }),
];

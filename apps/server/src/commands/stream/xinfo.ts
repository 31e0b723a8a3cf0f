import { ObjectType, stream } from "@nedis/keyspace";
import type { ReplyWriter } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { replyHelp, replySubcommandSyntaxError } from "../help.js";
import { Errors } from "../support/errors.js";
import { lookupReadOrReply, NO_REPLY } from "../support/keyArgs.js";
import { getLongLongFromObjectOrReply } from "../support/numbers.js";
import { replyEntry, replyId, streamOf } from "./streamArgs.js";
import { replyRange } from "./xrange.js";

const HELP = [
  "CONSUMERS <key> <groupname>",
  "    Show consumers of <groupname>.",
  "GROUPS <key>",
  "    Show the stream consumer groups.",
  "STREAM <key> [FULL [COUNT <count>]",
  "    Show information about the stream.",
];

const iterator = new stream.StreamIterator();

/** The stream at argument 2, or null after replying "no such key" / WRONGTYPE. */
function streamOrReply(server: ServerContext, client: Client, args: CommandArgs): stream.StreamObject | null {
  const db = server.keyspace.db(client.db);
  const ref = lookupReadOrReply(client, db, args, 2, ObjectType.Stream, NO_REPLY);
  if (ref === -1) client.writer.error(Errors.noSuchKey);
  return ref < 0 ? null : streamOf(db, ref);
}

function replyEntriesRead(w: ReplyWriter, g: stream.ConsumerGroup): void {
  if (g.entriesRead === stream.ENTRIES_READ_INVALID) w.nullBulk();
  else w.integer(Number(g.entriesRead));
}

function replyLag(w: ReplyWriter, s: stream.StreamObject, g: stream.ConsumerGroup): void {
  const lag = stream.streamGroupLag(s, g);
  if (lag === null) w.nullBulk();
  else w.integer(Number(lag));
}

/** The first (or last) entry as `[id, fields]`, or nil. */
function replyEdgeEntry(w: ReplyWriter, s: stream.StreamObject, last: boolean): void {
  const it = iterator.begin(s, null, null, last);
  if (it.next()) replyEntry(w, it);
  else w.nullBulk();
}

/** XINFO STREAM key [FULL [COUNT count]] (`xinfoReplyWithStreamInfo`) */
function xinfoStream(server: ServerContext, client: Client, args: CommandArgs): void {
  const w = client.writer;
  const optc = args.argc - 3;
  let full = false;
  let count = 10;
  if (optc > 0) {
    if ((optc !== 1 && optc !== 3) || !args.argEquals(3, "full") || (optc === 3 && !args.argEquals(4, "count"))) {
      replySubcommandSyntaxError(client, "XINFO", args.argString(1));
      return;
    }
    full = true;
    if (optc === 3) {
      const n = getLongLongFromObjectOrReply(client, args, 5);
      if (n === null) return;
      count = n < 0 ? 10 : Number(n);
    }
  }
  const s = streamOrReply(server, client, args);
  if (s === null) return;
  w.mapHeader(full ? 9 : 10);
  w.bulkString("length");
  w.integer(s.length);
  w.bulkString("radix-tree-keys");
  w.integer(s.nodeCount);
  w.bulkString("radix-tree-nodes");
  w.integer(s.raxNodeCount());
  w.bulkString("last-generated-id");
  replyId(w, s.lastId);
  w.bulkString("max-deleted-entry-id");
  replyId(w, s.maxDeletedId);
  w.bulkString("entries-added");
  w.integer(Number(s.entriesAdded));
  w.bulkString("recorded-first-entry-id");
  replyId(w, s.firstId);
  if (!full) {
    w.bulkString("groups");
    w.integer(s.groups?.size ?? 0);
    w.bulkString("first-entry");
    replyEdgeEntry(w, s, false);
    w.bulkString("last-entry");
    replyEdgeEntry(w, s, true);
    return;
  }
  w.bulkString("entries");
  replyRange(client, s, null, null, count, false);
  w.bulkString("groups");
  const groups = s.groups?.inOrder() ?? [];
  w.arrayHeader(groups.length);
  for (const g of groups) {
    const pel = g.pel;
    w.mapHeader(7);
    w.bulkString("name");
    w.bulk(g.name);
    w.bulkString("last-delivered-id");
    replyId(w, g.lastId);
    w.bulkString("entries-read");
    replyEntriesRead(w, g);
    w.bulkString("lag");
    replyLag(w, s, g);
    w.bulkString("pel-count");
    w.integer(pel.length);
    w.bulkString("pending");
    const shown = count === 0 ? pel.length : Math.min(count, pel.length);
    w.arrayHeader(shown);
    for (let i = 0; i < shown; i++) {
      w.arrayHeader(4);
      replyId(w, pel.idAt(i));
      w.bulk(g.slots[pel.owner[i]!]?.name ?? new Uint8Array(0));
      w.integer(pel.deliveryTime[i]!);
      w.integer(pel.deliveryCount[i]!);
    }
    const consumers = g.consumersInOrder();
    w.bulkString("consumers");
    w.arrayHeader(consumers.length);
    for (const c of consumers) {
      w.mapHeader(4);
      w.bulkString("name");
      w.bulk(c.name);
      w.bulkString("seen-time");
      w.integer(c.seenTime);
      w.bulkString("pel-count");
      w.integer(c.pending);
      w.bulkString("pending");
      const token = w.deferLength();
      let n = 0;
      for (let i = 0; i < pel.length && (count === 0 || n < count); i++) {
        if (pel.owner[i] !== c.slot) continue;
        w.arrayHeader(3);
        replyId(w, pel.idAt(i));
        w.integer(pel.deliveryTime[i]!);
        w.integer(pel.deliveryCount[i]!);
        n++;
      }
      w.setDeferredArrayLength(token, n);
    }
  }
}

/** XINFO GROUPS key */
function xinfoGroups(server: ServerContext, client: Client, args: CommandArgs): void {
  const s = streamOrReply(server, client, args);
  if (s === null) return;
  const w = client.writer;
  const groups = s.groups?.inOrder() ?? [];
  w.arrayHeader(groups.length);
  for (const g of groups) {
    w.mapHeader(6);
    w.bulkString("name");
    w.bulk(g.name);
    w.bulkString("consumers");
    w.integer(g.consumerCount);
    w.bulkString("pending");
    w.integer(g.pel.length);
    w.bulkString("last-delivered-id");
    replyId(w, g.lastId);
    w.bulkString("entries-read");
    replyEntriesRead(w, g);
    w.bulkString("lag");
    replyLag(w, s, g);
  }
}

/** XINFO CONSUMERS key group */
function xinfoConsumers(server: ServerContext, client: Client, args: CommandArgs): void {
  const s = streamOrReply(server, client, args);
  if (s === null) return;
  const w = client.writer;
  const g = s.groups?.get(args.argView(3));
  if (g === undefined) {
    w.error(`NOGROUP No such consumer group '${args.argString(3)}' for key name '${args.argString(2)}'`);
    return;
  }
  const now = Date.now();
  const consumers = g.consumersInOrder();
  w.arrayHeader(consumers.length);
  for (const c of consumers) {
    w.mapHeader(3);
    w.bulkString("name");
    w.bulk(c.name);
    w.bulkString("pending");
    w.integer(c.pending);
    w.bulkString("idle");
    w.integer(Math.max(0, now - c.seenTime));
  }
}

/** XINFO STREAM | GROUPS | CONSUMERS | HELP. */
export const xinfoCommands = [
  defineCommand({
    name: "xinfo",
    handler: () => {},
    subcommands: [
      /** XINFO STREAM key [FULL [COUNT count]] */
      defineCommand({ name: "stream", handler: xinfoStream }),
      /** XINFO GROUPS key */
      defineCommand({ name: "groups", handler: xinfoGroups }),
      /** XINFO CONSUMERS key group */
      defineCommand({ name: "consumers", handler: xinfoConsumers }),
      /** XINFO HELP */
      defineCommand({ name: "help", handler: (_server, client) => replyHelp(client, "XINFO", HELP) }),
    ],
  }),
];

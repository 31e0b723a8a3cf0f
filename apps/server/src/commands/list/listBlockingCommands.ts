import { type Keyspace, ListEnd, listTypeLength, listTypePop, ObjectType } from "@nedis/keyspace";
import { BlockKind, registerBlockKind } from "../../blocking/BlockState.js";
import { getTimeoutOrReply } from "../../blocking/timeout.js";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { moveCommand, mpopArgs, mpopGeneric, mpopPopped, parseMpop, propagateMpop } from "./listMoveCommands.js";
import { listElementsRemoved, listPositionOrReply, replyListValue } from "./listSupport.js";

// A list key wakes list waiters while it has elements (an existing list always has).
registerBlockKind(BlockKind.List, { type: ObjectType.List, hasData: (db, ref) => listTypeLength(db, ref) > 0 });

/**
 * BLPOP / BRPOP's serving half of `blockingPopGenericCommand`: pops one element from the first
 * non-empty list among key arguments `1..argc-2`, replying `[key, element]`. False when every
 * key is missing (nothing replied); true when it replied (the pop or WRONGTYPE).
 */
function popFirstNonEmpty(client: Client, ks: Keyspace, args: CommandArgs, where: ListEnd): boolean {
  const db = ks.db(client.db);
  const buf = args.buffer;
  for (let j = 1; j < args.argc - 1; j++) {
    const off = args.offsets[j]!;
    const len = args.lengths[j]!;
    const ref = db.lookupWrite(buf, off, len);
    if (ref < 0) continue;
    if (db.typeAt(ref) !== ObjectType.List) {
      client.writer.error(Errors.wrongType);
      return true;
    }
    db.modify(ref);
    listTypePop(db, ref, where);
    client.writer.arrayHeader(2);
    client.writer.bulk(buf, off, off + len);
    replyListValue(client);
    listElementsRemoved(ks, db, buf, off, len, where, ref, 1);
    poppedKeyIndex = j;
    return true;
  }
  return false;
}

/** The key argument {@link popFirstNonEmpty} popped from (0: none). */
let poppedKeyIndex = 0;

/** BLPOP / BRPOP key [key ...] timeout; a pop propagates as LPOP / RPOP key (t_list.c). */
function blockingPop(server: ServerContext, client: Client, args: CommandArgs, where: ListEnd): void {
  const deadline = getTimeoutOrReply(client, args, args.argc - 1);
  if (deadline < 0) return;
  poppedKeyIndex = 0;
  if (popFirstNonEmpty(client, server.keyspace, args, where)) {
    const prop = server.propagation;
    if (prop.active && poppedKeyIndex > 0)
      prop.replaceWith(client.db, where === ListEnd.Head ? "LPOP" : "RPOP", args.argView(poppedKeyIndex));
    return;
  }
  if (!server.blocking.blockOrDeny(server, client, args, BlockKind.List, 1, args.argc - 2, 1, deadline))
    client.writer.nullArray();
}

const endName = (end: ListEnd): string => (end === ListEnd.Head ? "left" : "right");

/** BLMOVE / BRPOPLPUSH: LMOVE when the source exists, else block on it. */
function blockingMove(
  server: ServerContext,
  client: Client,
  args: CommandArgs,
  from: ListEnd,
  to: ListEnd,
  timeoutArg: number,
): void {
  const deadline = getTimeoutOrReply(client, args, timeoutArg);
  if (deadline < 0) return;
  const dirty = server.keyspace.dirty;
  if (moveCommand(client, server.keyspace, args, from, to)) {
    // Propagated as LMOVE (BLMOVE) or RPOPLPUSH (BRPOPLPUSH) when it moved an element.
    const prop = server.propagation;
    if (prop.active && server.keyspace.dirty !== dirty) {
      // Served after blocking, Redis names the ends itself (lowercase); at once, as they were sent.
      const served = client.blocked !== null;
      if (timeoutArg === 5)
        prop.replaceWith(
          client.db,
          "LMOVE",
          args.argView(1),
          args.argView(2),
          served ? endName(from) : args.argView(3),
          served ? endName(to) : args.argView(4),
        );
      else prop.replaceWith(client.db, "RPOPLPUSH", args.argView(1), args.argView(2));
    }
    return;
  }
  if (!server.blocking.blockOrDeny(server, client, args, BlockKind.List, 1, 1, 1, deadline)) client.writer.nullBulk();
}

/** Blocking list commands (t_list.c); the waiting itself is `blocking/`. */
export const listBlockingCommands = [
  /** BLPOP key [key ...] timeout */
  defineCommand({
    name: "blpop",
    handler(server, client, args) {
      blockingPop(server, client, args, ListEnd.Head);
    },
  }),
  /** BRPOP key [key ...] timeout */
  defineCommand({
    name: "brpop",
    handler(server, client, args) {
      blockingPop(server, client, args, ListEnd.Tail);
    },
  }),
  /** BLMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout */
  defineCommand({
    name: "blmove",
    handler(server, client, args) {
      const from = listPositionOrReply(client, args, 3);
      if (from === -1) return;
      const to = listPositionOrReply(client, args, 4);
      if (to === -1) return;
      blockingMove(server, client, args, from, to, 5);
    },
  }),
  /** BRPOPLPUSH source destination timeout */
  defineCommand({
    name: "brpoplpush",
    handler(server, client, args) {
      blockingMove(server, client, args, ListEnd.Tail, ListEnd.Head, 3);
    },
  }),
  /** BLMPOP timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count] */
  defineCommand({
    name: "blmpop",
    handler(server, client, args) {
      if (!parseMpop(client, args, 2)) return;
      const { numkeys, where, count } = mpopArgs;
      const deadline = getTimeoutOrReply(client, args, 1);
      if (deadline < 0) return;
      mpopPopped.keyIndex = 0;
      if (mpopGeneric(client, server.keyspace, args, 3, numkeys, where, count))
        return propagateMpop(server, client, args, where);
      if (!server.blocking.blockOrDeny(server, client, args, BlockKind.List, 3, 2 + numkeys, 1, deadline))
        client.writer.nullArray();
    },
  }),
];

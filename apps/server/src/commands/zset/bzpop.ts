import { type Keyspace, ObjectType, zset } from "@nedis/keyspace";
import { BlockKind, registerBlockKind } from "../../blocking/BlockState.js";
import { getTimeoutOrReply } from "../../blocking/timeout.js";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { parseZmpop, propagateZpop, ZSET_MAX, ZSET_MIN, zsetPopAndReply, zsetPopped } from "./zpop.js";

// A sorted set key wakes BZPOPMIN/BZPOPMAX/BZMPOP waiters while it has members (an existing one always has).
registerBlockKind(BlockKind.ZSet, { type: ObjectType.ZSet, hasData: (db, ref) => zset.zsetLength(db, ref) > 0 });

/**
 * Redis's `blockingGenericZpopCommand` once the timeout is parsed: pops from the first existing
 * key of arguments `first..first+keys-1` (WRONGTYPE stops the search), else blocks the client on
 * them — or, where blocking is denied (MULTI), replies a null array as a timeout would. The same
 * handler serves the client when a key becomes ready.
 */
function blockingZpop(
  server: ServerContext,
  client: Client,
  args: CommandArgs,
  first: number,
  keys: number,
  where: number,
  count: number,
  nested: boolean,
  deadline: number,
): void {
  const ks: Keyspace = server.keyspace;
  const db = ks.db(client.db);
  for (let k = first; k < first + keys; k++) {
    const ref = db.lookupWrite(args.buffer, args.offsets[k]!, args.lengths[k]!);
    if (ref < 0) continue;
    if (db.typeAt(ref) !== ObjectType.ZSet) {
      client.writer.error(Errors.wrongType);
      return;
    }
    zsetPopped.keyIndex = 0;
    zsetPopAndReply(ks, client, db, ref, args, k, where, count, true, nested);
    propagateZpop(server, client, args, where, nested);
    return;
  }
  if (!server.blocking.blockOrDeny(server, client, args, BlockKind.ZSet, first, first + keys - 1, 1, deadline))
    client.writer.nullArray();
}

/** BZPOPMIN / BZPOPMAX key [key ...] timeout: `[key, member, score]`. */
function bzpopMinMax(server: ServerContext, client: Client, args: CommandArgs, where: number): void {
  const deadline = getTimeoutOrReply(client, args, args.argc - 1);
  if (deadline < 0) return;
  blockingZpop(server, client, args, 1, args.argc - 2, where, 1, false, deadline);
}

/** The blocking sorted-set pops (t_zset.c); the waiting itself is `blocking/`. */
export const bzpopCommands = [
  /** BZPOPMIN key [key ...] timeout */
  defineCommand({
    name: "bzpopmin",
    handler(server, client, args) {
      bzpopMinMax(server, client, args, ZSET_MIN);
    },
  }),
  /** BZPOPMAX key [key ...] timeout */
  defineCommand({
    name: "bzpopmax",
    handler(server, client, args) {
      bzpopMinMax(server, client, args, ZSET_MAX);
    },
  }),
  /** BZMPOP timeout numkeys key [key ...] MIN | MAX [COUNT count] */
  defineCommand({
    name: "bzmpop",
    handler(server, client, args) {
      const parsed = parseZmpop(client, args, 2);
      if (parsed === null) return;
      const [first, keys, where, count] = parsed;
      const deadline = getTimeoutOrReply(client, args, 1);
      if (deadline < 0) return;
      blockingZpop(server, client, args, first, keys, where, count, true, deadline);
    },
  }),
];

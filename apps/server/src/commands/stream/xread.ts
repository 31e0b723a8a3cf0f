import { ObjectType, stream } from "@nedis/keyspace";
import { BlockKind, registerBlockKind } from "../../blocking/BlockState.js";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors, StreamErrors } from "../support/errors.js";
import { keyEvent, lookupReadOrReply, NO_REPLY } from "../support/keyArgs.js";
import { getLongLongFromObjectOrReply } from "../support/numbers.js";
import { parseIdOrReply, streamOf } from "./streamArgs.js";
import { replyConsumerHistory, replyGroupRange } from "./streamGroupRange.js";
import { NO_BYTES, propagateConsumerCreation } from "./streamPropagate.js";
import { replyRange } from "./xrange.js";

// A stream key wakes XREAD/XREADGROUP waiters; whether there is something after a waiter's ID
// is for its own re-run to find (it stays blocked when there is not).
registerBlockKind(BlockKind.Stream, { type: ObjectType.Stream, hasData: () => true });

/** XREAD_BLOCKED_DEFAULT_COUNT: what a served blocked reader without COUNT gets at most. */
const BLOCKED_DEFAULT_COUNT = 1000;
const GREATEST: stream.StreamId = { ms: stream.U64_MAX, seq: stream.U64_MAX };

/** The IDs a blocked XREAD resolved (`$` as the last ID when it blocked), per client. */
const blockedIds = new WeakMap<Client, stream.StreamId[]>();

/** `getTimeoutFromObjectOrReply` in milliseconds: the deadline (0: forever), -1 after an error. */
function blockDeadlineOrReply(client: Client, args: CommandArgs, i: number): number {
  const n = getLongLongFromObjectOrReply(client, args, i, "ERR timeout is not an integer or out of range");
  if (n === null) return -1;
  if (n < 0) {
    client.writer.error("ERR timeout is negative");
    return -1;
  }
  return n === 0 ? 0 : Date.now() + Number(n);
}

const isArg = (args: CommandArgs, i: number, c: number): boolean =>
  args.lengths[i] === 1 && args.buffer[args.offsets[i]!] === c;

/** Redis's `xreadCommand`: XREAD and XREADGROUP. */
function xreadGeneric(server: ServerContext, client: Client, args: CommandArgs, xreadgroup: boolean): void {
  const w = client.writer;
  let deadline = -1;
  let count = 0;
  let streamsArg = 0;
  let streamsCount = 0;
  let groupArg = 0;
  let noack = false;
  for (let i = 1; i < args.argc; i++) {
    const more = args.argc - i - 1;
    if (args.argEquals(i, "block") && more > 0) {
      if (client.isScript) {
        w.error(`ERR ${args.argString(0)} command is not allowed with BLOCK option from scripts`);
        return;
      }
      i++;
      deadline = blockDeadlineOrReply(client, args, i);
      if (deadline < 0) return;
    } else if (args.argEquals(i, "count") && more > 0) {
      i++;
      const n = getLongLongFromObjectOrReply(client, args, i);
      if (n === null) return;
      count = n < 0 ? 0 : Number(n);
    } else if (args.argEquals(i, "streams") && more > 0) {
      streamsArg = i + 1;
      streamsCount = args.argc - streamsArg;
      if (streamsCount % 2 !== 0) {
        w.error(StreamErrors.unbalanced);
        return;
      }
      streamsCount /= 2;
      break;
    } else if (args.argEquals(i, "group") && more >= 2) {
      if (!xreadgroup) {
        w.error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
        return;
      }
      groupArg = i + 1;
      i += 2;
    } else if (args.argEquals(i, "noack")) {
      if (!xreadgroup) {
        w.error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
        return;
      }
      noack = true;
    } else {
      w.error(Errors.syntax);
      return;
    }
  }
  if (streamsArg === 0) {
    w.error(Errors.syntax);
    return;
  }
  if (xreadgroup && groupArg === 0) {
    w.error("ERR Missing GROUP option for XREADGROUP");
    return;
  }
  const retry = client.blocked !== null;
  const ks = server.keyspace;
  const db = ks.db(client.db);
  const stored = retry ? blockedIds.get(client) : undefined;
  const ids: stream.StreamId[] = [];
  const groups: (stream.ConsumerGroup | null)[] = [];
  const groupName = groupArg > 0 ? args.argView(groupArg) : null;
  for (let j = 0; j < streamsCount; j++) {
    const keyIdx = streamsArg + j;
    const idIdx = keyIdx + streamsCount;
    const ref = lookupReadOrReply(client, db, args, keyIdx, ObjectType.Stream, NO_REPLY);
    if (ref === -2) return;
    const s = ref >= 0 ? streamOf(db, ref) : null;
    let group: stream.ConsumerGroup | null = null;
    if (groupName !== null) {
      group = s?.groups?.get(groupName) ?? null;
      if (group === null) {
        if (retry) w.error("NOGROUP the consumer group this client was blocked on no longer exists");
        else
          w.error(
            `NOGROUP No such key '${args.argString(keyIdx)}' or consumer group '${args.argString(groupArg)}' in XREADGROUP with GROUP option`,
          );
        return;
      }
    }
    groups.push(group);
    if (isArg(args, idIdx, 0x24)) {
      if (xreadgroup) {
        w.error(
          "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
        );
        return;
      }
      ids.push(stored?.[j] ?? (s !== null ? s.lastId : stream.zeroStreamId()));
      continue;
    }
    if (isArg(args, idIdx, 0x3e)) {
      if (!xreadgroup) {
        w.error(
          "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
        );
        return;
      }
      ids.push(GREATEST);
      continue;
    }
    const id = parseIdOrReply(client, args, idIdx, 0, true);
    if (id === null) return;
    ids.push(id);
  }

  const served = retry && count === 0 ? BLOCKED_DEFAULT_COUNT : count;
  // XREADGROUP propagates its effects (XCLAIM, XGROUP), never its text (preventCommandPropagation).
  if (xreadgroup) server.propagation.prevent();
  const prop = xreadgroup && server.propagation.active ? server.propagation : null;
  const resp3 = client.resp === 3;
  let token = -1;
  let n = 0;
  for (let j = 0; j < streamsCount; j++) {
    const keyIdx = streamsArg + j;
    const ref = db.find(args.buffer, args.offsets[keyIdx]!, args.lengths[keyIdx]!);
    if (ref < 0) continue;
    const s = streamOf(db, ref);
    let gt = ids[j]!;
    const group = groups[j] ?? null;
    let history = false;
    let serve = false;
    if (group !== null) {
      if (gt !== GREATEST) {
        serve = true;
        history = true;
      } else if (s.length > 0 && stream.compareStreamId(stream.streamLastValidId(s), group.lastId) > 0) {
        serve = true;
        gt = group.lastId;
      }
    } else if (s.length > 0 && stream.compareStreamId(stream.streamLastValidId(s), gt) > 0) serve = true;
    if (!serve) continue;
    if (n++ === 0) token = w.deferLength();
    const start = stream.incrStreamId(gt) ?? stream.zeroStreamId();
    if (!resp3) w.arrayHeader(2);
    w.bulk(args.buffer, args.offsets[keyIdx]!, args.offsets[keyIdx]! + args.lengths[keyIdx]!);
    if (group === null) {
      replyRange(client, s, start, null, served, false);
      // Served from the wait table, Redis replies for the one key that became ready.
      if (retry) break;
      continue;
    }
    db.modify(ref);
    const consumerName = args.argView(groupArg + 1);
    const key = prop !== null ? args.argView(keyIdx) : NO_BYTES;
    let consumer = group.consumer(consumerName);
    if (consumer === undefined) {
      consumer = group.createConsumer(consumerName, Date.now()) as stream.StreamConsumer;
      db.modify(ref);
      keyEvent(ks, client.db, args, keyIdx, "t", "xgroup-createconsumer");
      // Without NOACK the XCLAIMs create the consumer on replay; with it nothing would.
      if (noack && prop !== null) propagateConsumerCreation(prop, client.db, key, groupName!, consumerName);
    } else consumer.seenTime = Date.now();
    if (history) replyConsumerHistory(client, s, start, served, group, consumer);
    else replyGroupRange(client, s, start, served, group, consumer, noack, prop, key, groupName!);
    db.host.values.recharge(db.outOfLineId(ref));
    if (retry) break;
  }
  if (n > 0) {
    if (resp3) w.setDeferredMapLength(token, n);
    else w.setDeferredArrayLength(token, n);
    blockedIds.delete(client);
    return;
  }
  if (deadline !== -1) {
    if (retry) return; // still nothing after its IDs: stays blocked
    const last = streamsArg + streamsCount - 1;
    if (server.blocking.blockOrDeny(server, client, args, BlockKind.Stream, streamsArg, last, 1, deadline)) {
      blockedIds.set(client, ids);
      return;
    }
  }
  w.nullArray();
}

/** XREAD, XREADGROUP. */
export const xreadCommands = [
  /** XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...] */
  defineCommand({ name: "xread", handler: (server, client, args) => xreadGeneric(server, client, args, false) }),
  /** XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...] */
  defineCommand({ name: "xreadgroup", handler: (server, client, args) => xreadGeneric(server, client, args, true) }),
];

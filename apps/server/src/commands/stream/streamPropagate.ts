import { stream } from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import type { Propagator } from "../../propagation/Propagator.js";
import type { CommandArgs } from "../CommandSpec.js";
import type { AddTrimArgs } from "./streamArgs.js";

/**
 * What stream commands propagate in place of their text (t_stream.c): XADD/XTRIM with the
 * generated ID and the exact trim threshold, and the consumer-group effects of XREADGROUP,
 * XCLAIM and XAUTOCLAIM as idempotent XCLAIM / XGROUP commands, so an AOF replay or a replica
 * reaches the same state.
 */

type StreamId = stream.StreamId;

/** Stands for a key or group name nothing will propagate (no argument view made). */
export const NO_BYTES = new Uint8Array(0);
type StreamCG = stream.ConsumerGroup;

export function idText(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

/**
 * XADD / XTRIM after the change (`rewriteClientCommandArgument`): a `~` trim becomes `=` with
 * the stream's resulting length or first ID (`streamRewriteApproxSpecifier` +
 * `streamRewriteTrimArgument`); a generated ID (`*`, `ms-*`) replaces the ID argument.
 */
export function propagateAddOrTrim(
  prop: Propagator,
  client: Client,
  args: CommandArgs,
  parsed: AddTrimArgs,
  s: stream.StreamObject,
  addedId: StreamId | null,
): void {
  const rewriteTrim = parsed.approx && parsed.strategy !== stream.TRIM_NONE;
  const rewriteId = addedId !== null && (parsed.id === null || !parsed.seqGiven);
  if (!rewriteTrim && !rewriteId) return;
  const argv: (Uint8Array | string)[] = new Array(args.argc);
  for (let i = 0; i < args.argc; i++) argv[i] = args.argView(i);
  if (rewriteTrim) {
    argv[parsed.trimArgPos - 1] = "=";
    argv[parsed.trimArgPos] =
      parsed.strategy === stream.TRIM_MAXLEN ? String(s.length) : idText(stream.streamGetEdgeId(s, true, false));
  }
  if (rewriteId) argv[parsed.idPos] = idText(addedId!);
  prop.replaceWith(client.db, ...argv);
}

/**
 * `streamPropagateXCLAIM`: a pending entry created or changed, as an XCLAIM that works
 * idempotently: `XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n FORCE JUSTID LASTID id`;
 * `at` is the entry's slot in the group's PEL, `id` its ID as XCLAIM was given it (or formatted).
 */
export function propagateXclaim(
  prop: Propagator,
  db: number,
  key: Uint8Array,
  group: StreamCG,
  groupName: Uint8Array,
  at: number,
  id: Uint8Array | string,
): void {
  const pel = group.pel;
  prop.replaceWith(
    db,
    "XCLAIM",
    key,
    groupName,
    group.slots[pel.owner[at]!]!.name,
    "0",
    id,
    "TIME",
    String(pel.deliveryTime[at]),
    "RETRYCOUNT",
    String(pel.deliveryCount[at]),
    "FORCE",
    "JUSTID",
    "LASTID",
    idText(group.lastId),
  );
}

/** `streamPropagateGroupID`: `XGROUP SETID key group id ENTRIESREAD n`. */
export function propagateGroupId(
  prop: Propagator,
  db: number,
  key: Uint8Array,
  group: StreamCG,
  groupName: Uint8Array,
): void {
  prop.replaceWith(
    db,
    "XGROUP",
    "SETID",
    key,
    groupName,
    idText(group.lastId),
    "ENTRIESREAD",
    String(group.entriesRead),
  );
}

/** `streamPropagateConsumerCreation`: `XGROUP CREATECONSUMER key group consumer`. */
export function propagateConsumerCreation(
  prop: Propagator,
  db: number,
  key: Uint8Array,
  groupName: Uint8Array,
  consumerName: Uint8Array,
): void {
  prop.replaceWith(db, "XGROUP", "CREATECONSUMER", key, groupName, consumerName);
}

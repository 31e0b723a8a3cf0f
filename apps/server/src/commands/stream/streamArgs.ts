import { type Database, Encoding, ObjectType, stream } from "@nedis/keyspace";
import type { ReplyWriter } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import type { CommandArgs } from "../CommandSpec.js";
import { Errors, StreamErrors } from "../support/errors.js";
import { getLongLongFromObjectOrReply } from "../support/numbers.js";

type StreamId = stream.StreamId;
type StreamObject = stream.StreamObject;

/**
 * What every stream command shares (t_stream.c's helpers): ID parsing with Redis's errors, the
 * XADD/XTRIM trimming options, and entry replies written straight from the node listpacks.
 */

/** `streamGenericParseIDOrReply` on argument `i`; null after replying the error. */
export function parseIdOrReply(
  client: Client,
  args: CommandArgs,
  i: number,
  missingSeq: stream.U64,
  strict: boolean,
  allowAutoSeq = false,
): StreamId | null {
  const id = stream.parseStreamId(args.buffer, args.offsets[i]!, args.lengths[i]!, missingSeq, strict, allowAutoSeq);
  if (id === null) client.writer.error(StreamErrors.invalidId);
  return id;
}

/**
 * `streamParseIntervalIDOrReply`: a range bound, `(` making it exclusive (then strict); sets
 * {@link intervalExclusive}.
 */
export function parseIntervalOrReply(
  client: Client,
  args: CommandArgs,
  i: number,
  missingSeq: stream.U64,
): StreamId | null {
  const off = args.offsets[i]!;
  const len = args.lengths[i]!;
  intervalExclusive = len > 1 && args.buffer[off] === 0x28;
  const id = intervalExclusive
    ? stream.parseStreamId(args.buffer, off + 1, len - 1, missingSeq, true)
    : stream.parseStreamId(args.buffer, off, len, missingSeq, false);
  if (id === null) client.writer.error(StreamErrors.invalidId);
  return id;
}
export let intervalExclusive = false;

/** The stream of a key's ref. */
export function streamOf(db: Database, ref: number): StreamObject {
  return db.objectAt(ref) as StreamObject;
}

/** Adds an empty stream under key argument `i` (its lookup just missed). */
export function createStream(db: Database, args: CommandArgs, i: number): number {
  const object = new stream.StreamObject(db.host.pool, db.host.memory);
  return db.insertOutOfLine(
    args.buffer,
    args.offsets[i]!,
    args.lengths[i]!,
    object,
    ObjectType.Stream,
    Encoding.Stream,
  );
}

/** Re-charges the stream's heap arrays after a change. */
export function recharge(db: Database, ref: number): void {
  db.host.values.recharge(db.outOfLineId(ref));
}

const idText = new Uint8Array(stream.STREAM_ID_MAX_TEXT);

/** `<ms>-<seq>` as a bulk string (its digits written into a scratch buffer: no string made). */
export function replyId(w: ReplyWriter, id: StreamId): void {
  w.bulk(idText, 0, stream.writeStreamId(id, idText, 0));
}

/** A listpack element as a bulk string. */
export function replyElement(w: ReplyWriter, page: Uint8Array, p: number): void {
  stream.loadElement(page, p);
  w.bulk(stream.elementBytes, stream.elementStart, stream.elementEnd);
}

/** The entry the iterator stands on: `[id, [field, value, …]]`. */
export function replyEntry(w: ReplyWriter, it: stream.StreamIterator): void {
  w.arrayHeader(2);
  replyId(w, it.id);
  const n = it.numFields;
  w.arrayHeader(n * 2);
  for (let i = 0; i < n; i++) {
    it.nextField();
    replyElement(w, it.page, it.fieldP);
    replyElement(w, it.page, it.valueP);
  }
}

/** What XADD / XTRIM parsed (`streamAddTrimArgs`). */
export interface AddTrimArgs extends stream.StreamTrimArgs {
  id: StreamId | null;
  seqGiven: boolean;
  noMkStream: boolean;
  /** Where the ID argument is (XADD). */
  idPos: number;
  /** Where the MAXLEN/MINID threshold is (`trim_strategy_arg_idx`): rewritten for propagation. */
  trimArgPos: number;
}

const ZERO_ID = stream.zeroStreamId();
const addTrimArgs: AddTrimArgs = {
  strategy: stream.TRIM_NONE,
  approx: false,
  limit: 0,
  maxlen: 0,
  minid: ZERO_ID,
  id: null,
  seqGiven: true,
  noMkStream: false,
  idPos: 0,
  trimArgPos: 0,
};

/** `streamParseAddOrTrimArgsOrReply`: null after replying an error (the result is reused). */
export function parseAddOrTrimOrReply(
  client: Client,
  args: CommandArgs,
  xadd: boolean,
  nodeMaxEntries: number,
): AddTrimArgs | null {
  const w = client.writer;
  // One object for every call: handlers run to completion and nothing keeps it.
  const parsed = addTrimArgs;
  parsed.strategy = stream.TRIM_NONE;
  parsed.approx = false;
  parsed.limit = 0;
  parsed.maxlen = 0;
  parsed.minid = ZERO_ID;
  parsed.id = null;
  parsed.seqGiven = true;
  parsed.noMkStream = false;
  parsed.idPos = 0;
  parsed.trimArgPos = 0;
  let limitGiven = false;
  let i = 2;
  for (; i < args.argc; i++) {
    const more = args.argc - 1 - i;
    if (xadd && args.lengths[i] === 1 && args.buffer[args.offsets[i]!] === 0x2a) break;
    if (args.argEquals(i, "maxlen") && more > 0) {
      if (parsed.strategy !== stream.TRIM_NONE) {
        w.error(StreamErrors.maxlenMinidTogether);
        return null;
      }
      parsed.approx = false;
      if (more >= 2 && isSymbol(args, i + 1, 0x7e)) {
        parsed.approx = true;
        i++;
      } else if (more >= 2 && isSymbol(args, i + 1, 0x3d)) i++;
      const n = getLongLongFromObjectOrReply(client, args, i + 1);
      if (n === null) return null;
      if (n < 0) {
        w.error("ERR The MAXLEN argument must be >= 0.");
        return null;
      }
      parsed.maxlen = Number(n);
      parsed.trimArgPos = i + 1;
      i++;
      parsed.strategy = stream.TRIM_MAXLEN;
    } else if (args.argEquals(i, "minid") && more > 0) {
      if (parsed.strategy !== stream.TRIM_NONE) {
        w.error(StreamErrors.maxlenMinidTogether);
        return null;
      }
      parsed.approx = false;
      if (more >= 2 && isSymbol(args, i + 1, 0x7e)) {
        parsed.approx = true;
        i++;
      } else if (more >= 2 && isSymbol(args, i + 1, 0x3d)) i++;
      const id = parseIdOrReply(client, args, i + 1, 0, true);
      if (id === null) return null;
      parsed.minid = id;
      parsed.trimArgPos = i + 1;
      i++;
      parsed.strategy = stream.TRIM_MINID;
    } else if (args.argEquals(i, "limit") && more > 0) {
      const n = getLongLongFromObjectOrReply(client, args, i + 1);
      if (n === null) return null;
      if (n < 0) {
        w.error("ERR The LIMIT argument must be >= 0.");
        return null;
      }
      parsed.limit = Number(n);
      limitGiven = true;
      i++;
    } else if (xadd && args.argEquals(i, "nomkstream")) {
      parsed.noMkStream = true;
    } else if (xadd) {
      const id = parseIdOrReply(client, args, i, 0, true, true);
      if (id === null) return null;
      parsed.seqGiven = !stream.parsedAutoSeq;
      parsed.id = id;
      break;
    } else {
      w.error(Errors.syntax);
      return null;
    }
  }
  parsed.idPos = i;
  if (parsed.limit !== 0 && parsed.strategy === stream.TRIM_NONE) {
    w.error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    return null;
  }
  if (!xadd && parsed.strategy === stream.TRIM_NONE) {
    w.error("ERR syntax error, XTRIM must be called with a trimming strategy");
    return null;
  }
  if (client.id === -1) {
    // The AOF client (Redis's mustObeyClient): the threshold was rewritten to the exact one.
    parsed.limit = 0;
  } else if (limitGiven) {
    if (!parsed.approx) {
      w.error("ERR syntax error, LIMIT cannot be used without the special ~ option");
      return null;
    }
  } else if (parsed.approx) {
    let limit = 100 * nodeMaxEntries;
    if (limit <= 0) limit = 10000;
    if (limit > 1000000) limit = 1000000;
    parsed.limit = limit;
  } else parsed.limit = 0;
  return parsed;
}

function isSymbol(args: CommandArgs, i: number, c: number): boolean {
  return args.lengths[i] === 1 && args.buffer[args.offsets[i]!] === c;
}

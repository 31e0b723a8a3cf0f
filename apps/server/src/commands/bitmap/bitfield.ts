import {
  BitfieldOverflow,
  bitfieldResult,
  checkSignedBitfieldOverflow,
  checkUnsignedBitfieldOverflow,
  getSignedBitfield,
  getUnsignedBitfield,
  ObjectType,
  stringGrowZero,
  stringInsertZeros,
  stringSetBitfield,
} from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { BitErrors, Errors } from "../support/errors.js";
import {
  keyChanged,
  lookupReadOrReply,
  lookupWriteOrReply,
  NO_REPLY,
  reserveStringOrReply,
  WRONG_TYPE,
} from "../support/keyArgs.js";
import { getLongLongFromObjectOrReply, replyLongLong } from "../support/numbers.js";
import { parseBitfieldType, parseBitOffset, SIGNED } from "./bitArgs.js";

/**
 * BITFIELD and BITFIELD_RO (Redis's `bitfieldGeneric`): every operation is parsed first (so a bad
 * one leaves the value untouched), into reused typed arrays rather than an object per operation;
 * then the value grows once to the farthest bit written and the operations run in order.
 */

const GET = 0;
const SET = 1;
const INCRBY = 2;

/** The parsed operations, column by column (grown to the longest command seen). */
let opKind = new Uint8Array(16);
let opOverflow = new Uint8Array(16);
let opType = new Uint8Array(16);
let opOffset = new Float64Array(16);
let opValue = new BigInt64Array(16);

function ensureOps(count: number): void {
  if (count <= opKind.length) return;
  opKind = new Uint8Array(count);
  opOverflow = new Uint8Array(count);
  opType = new Uint8Array(count);
  opOffset = new Float64Array(count);
  opValue = new BigInt64Array(count);
}

/** Highest bit a write of the last {@link parseOps} reaches, or -1 when it has only GETs. */
let highestWrite = -1;

/** Parses the operations from argument 2 on; their count, or -1 after replying an error. */
function parseOps(server: ServerContext, client: Client, args: CommandArgs): number {
  const argc = args.argc;
  ensureOps(argc);
  let count = 0;
  let overflow: BitfieldOverflow = BitfieldOverflow.Wrap;
  highestWrite = -1;
  for (let j = 2; j < argc; j++) {
    const remaining = argc - j - 1;
    let kind: number;
    if (remaining >= 2 && args.argEquals(j, "get")) kind = GET;
    else if (remaining >= 3 && args.argEquals(j, "set")) kind = SET;
    else if (remaining >= 3 && args.argEquals(j, "incrby")) kind = INCRBY;
    else if (remaining >= 1 && args.argEquals(j, "overflow")) {
      j++;
      if (args.argEquals(j, "wrap")) overflow = BitfieldOverflow.Wrap;
      else if (args.argEquals(j, "sat")) overflow = BitfieldOverflow.Sat;
      else if (args.argEquals(j, "fail")) overflow = BitfieldOverflow.Fail;
      else {
        client.writer.error(BitErrors.bitfieldOverflow);
        return -1;
      }
      continue;
    } else {
      client.writer.error(Errors.syntax);
      return -1;
    }
    const type = parseBitfieldType(client, args, j + 1);
    if (type < 0) return -1;
    const bits = type & ~SIGNED;
    const offset = parseBitOffset(server, client, args, j + 2, bits);
    if (offset < 0) return -1;
    let value = 0n;
    if (kind !== GET) {
      highestWrite = Math.max(highestWrite, offset + bits - 1);
      const parsed = getLongLongFromObjectOrReply(client, args, j + 3);
      if (parsed === null) return -1;
      value = BigInt(parsed);
    }
    opKind[count] = kind;
    opOverflow[count] = overflow;
    opType[count] = type;
    opOffset[count] = offset;
    opValue[count] = value;
    count++;
    j += kind === GET ? 2 : 3;
  }
  return count;
}

/** Reads operation `i`'s field from the value at `ref` (-1: a missing key, all zeros). */
function readField(server: ServerContext, client: Client, ref: number, i: number): bigint {
  if (ref < 0) return 0n;
  const db = server.keyspace.db(client.db);
  db.loadValue(ref);
  const type = opType[i]!;
  const bits = type & ~SIGNED;
  const end = db.valueOff + db.valueLen;
  return type & SIGNED
    ? getSignedBitfield(db.valueBuf, db.valueOff, end, opOffset[i]!, bits)
    : getUnsignedBitfield(db.valueBuf, db.valueOff, end, opOffset[i]!, bits);
}

/** BITFIELD (`readOnly` false) and BITFIELD_RO. */
function bitfieldGeneric(server: ServerContext, client: Client, args: CommandArgs, readOnly: boolean): void {
  const count = parseOps(server, client, args);
  if (count < 0) return;
  const ks = server.keyspace;
  const db = ks.db(client.db);
  let ref: number;
  let grew = false;
  if (highestWrite < 0) {
    ref = lookupReadOrReply(client, db, args, 1, ObjectType.String, NO_REPLY);
    if (ref === WRONG_TYPE) return;
  } else {
    if (readOnly) {
      client.writer.error(BitErrors.bitfieldReadOnly);
      return;
    }
    const buf = args.buffer;
    const keyOff = args.offsets[1]!;
    const keyLen = args.lengths[1]!;
    const needed = Math.floor(highestWrite / 8) + 1;
    if (ks.maxmemory !== 0) {
      const found = db.lookupWrite(buf, keyOff, keyLen);
      const current = found >= 0 && db.typeAt(found) === ObjectType.String ? db.valueLength(found) : 0;
      if (needed > current && !reserveStringOrReply(client, ks, db, keyLen, needed, true, false)) return;
    }
    ref = lookupWriteOrReply(client, db, args, 1, ObjectType.String, NO_REPLY);
    if (ref === WRONG_TYPE) return;
    if (ref < 0) {
      ref = stringInsertZeros(db, buf, keyOff, keyLen, needed);
      grew = true;
    } else {
      grew = stringGrowZero(db, ref, needed);
    }
  }
  const w = client.writer;
  w.arrayHeader(count);
  // The key-added or modify gateway counted the first change already when the value grew.
  let changing = grew;
  let changes = 0;
  for (let i = 0; i < count; i++) {
    const kind = opKind[i]!;
    const old = readField(server, client, ref, i);
    if (kind === GET) {
      replyLongLong(client, narrow(old));
      continue;
    }
    const type = opType[i]!;
    const bits = type & ~SIGNED;
    const overflow = opOverflow[i] as BitfieldOverflow;
    const value = opValue[i]!;
    const incr = kind === INCRBY;
    const code =
      type & SIGNED
        ? checkSignedBitfieldOverflow(incr ? old : value, incr ? value : 0n, bits, overflow)
        : checkUnsignedBitfieldOverflow(incr ? old : value, incr ? value : 0n, bits, overflow);
    if (code !== 0 && overflow === BitfieldOverflow.Fail) {
      w.nullBulk();
      continue;
    }
    const next = bitfieldResult.value;
    replyLongLong(client, narrow(incr ? next : old));
    if (next !== old) {
      stringSetBitfield(db, ref, opOffset[i]!, bits, next, changing);
      changing = true;
    }
    if (grew || next !== old) changes++;
  }
  if (changes > 0) {
    ks.dirty += changes - 1;
    keyChanged(ks, db.id, args, 1, "$", "setbit");
  }
}

/** An int64 bigint as a number when that is exact (the writer's fast path). */
function narrow(n: bigint): number | bigint {
  return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
}

export const bitfieldCommands = [
  /** BITFIELD key [GET encoding offset | [OVERFLOW WRAP | SAT | FAIL] SET encoding offset value | INCRBY encoding offset increment ...] */
  defineCommand({
    name: "bitfield",
    handler(server, client, args) {
      bitfieldGeneric(server, client, args, false);
    },
  }),
  /** BITFIELD_RO key [GET encoding offset ...] */
  defineCommand({
    name: "bitfield_ro",
    handler(server, client, args) {
      bitfieldGeneric(server, client, args, true);
    },
  }),
];

import type { Database, Keyspace, ObjectType } from "@nedis/keyspace";
import type { Client } from "../../net/Client.js";
import type { CommandArgs } from "../CommandSpec.js";
import { Errors } from "./errors.js";

/**
 * The prologue and epilogue every keyspace handler shares, modelled on Redis's db.c and
 * object.c: look key argument `i` up for reading or writing (`lookupKeyReadOrReply`,
 * `lookupKeyWriteOrReply`) and check its type (`checkType`), reserve memory before a mutation,
 * then signal the modified key and emit its event. Plain functions over `(client, db, args, i)`:
 * no closure and no object per call, so GET, SET, INCR and MGET stay allocation-free.
 *
 * ```ts
 * const ref = lookupReadOrReply(client, db, args, 1, ObjectType.String); // GET
 * if (ref < 0) return; // nil or WRONGTYPE already replied
 * ```
 */

/** Returned for an absent key, after replying the `missing` reply (if any). */
export const MISSING = -1;
/** Returned after replying WRONGTYPE: the key holds another type. */
export const WRONG_TYPE = -2;
/** The `type` argument when any type will do (no WRONGTYPE check). */
export const ANY_TYPE = -1;
/** The `missing` argument when an absent key needs no reply (the handler creates it or answers itself). */
export const NO_REPLY: Uint8Array = new Uint8Array(0);

/**
 * Redis's `lookupKeyReadWithFlags` + `checkType` on key argument `i`: the key's ref when it
 * exists and holds `type` (or `ANY_TYPE`); else {@link MISSING} after replying `missing` (null:
 * nil in the client's protocol) or {@link WRONG_TYPE} after replying WRONGTYPE. `flags` are
 * keyspace `Lookup` flags.
 */
export function lookupReadOrReply(
  client: Client,
  db: Database,
  args: CommandArgs,
  i: number,
  type: ObjectType | typeof ANY_TYPE,
  missing: Uint8Array | null = null,
  flags = 0,
): number {
  return checkTypeOrReply(
    client,
    db,
    db.lookupRead(args.buffer, args.offsets[i]!, args.lengths[i]!, flags),
    type,
    missing,
  );
}

/**
 * Redis's `lookupKeyWrite` + `checkType`: as {@link lookupReadOrReply}, with write semantics
 * (no hit/miss stats, no `keymiss` event). For a key the command creates, pass {@link NO_REPLY}.
 */
export function lookupWriteOrReply(
  client: Client,
  db: Database,
  args: CommandArgs,
  i: number,
  type: ObjectType | typeof ANY_TYPE,
  missing: Uint8Array | null,
  flags = 0,
): number {
  return checkTypeOrReply(
    client,
    db,
    db.lookupWrite(args.buffer, args.offsets[i]!, args.lengths[i]!, flags),
    type,
    missing,
  );
}

/** The reply half of the lookups (Redis's `checkType` and the `reply` of `lookupKey*OrReply`). */
function checkTypeOrReply(
  client: Client,
  db: Database,
  ref: number,
  type: ObjectType | typeof ANY_TYPE,
  missing: Uint8Array | null,
): number {
  if (ref < 0) {
    if (missing === null) client.writer.nullBulk();
    else if (missing !== NO_REPLY) client.writer.raw(missing);
    return MISSING;
  }
  if (type !== ANY_TYPE && db.typeAt(ref) !== type) {
    client.writer.error(Errors.wrongType);
    return WRONG_TYPE;
  }
  return ref;
}

/**
 * The "reserve before mutate" step (`performEvictions` then `shared.oomerr`, for the bytes this
 * command is about to allocate): true when `bytes` fit (evicting if needed), else false after
 * replying OOM. Run it before the key is looked up for writing: eviction may remove that key.
 */
export function reserveOrReply(client: Client, ks: Keyspace, bytes: number): boolean {
  // A script's commands were let through (or refused) by the script's own OOM rule, once,
  // before its first write: past that, as in Redis, a write may go over maxmemory.
  if (ks.maxmemory === 0 || ks.reserve(bytes) || client.isScript) return true;
  client.writer.error(Errors.oom);
  return false;
}

/**
 * {@link reserveOrReply} for one string key of `keyLen` bytes holding `valueLen` bytes:
 * `volatile` charges room for a TTL, `newExpiry` an entry in the expiry index.
 */
export function reserveStringOrReply(
  client: Client,
  ks: Keyspace,
  db: Database,
  keyLen: number,
  valueLen: number,
  volatile: boolean,
  newExpiry: boolean,
): boolean {
  if (ks.maxmemory === 0) return true;
  return reserveOrReply(
    client,
    ks,
    ks.stringCharge(keyLen, valueLen, volatile) + db.growthCharge(1, newExpiry ? 1 : 0),
  );
}

/** Signals a modified key (WATCH, tracking: `signalModifiedKey`) and emits its keyspace event. */
export function keyChanged(ks: Keyspace, db: number, args: CommandArgs, i: number, type: string, event: string): void {
  const off = args.offsets[i]!;
  const len = args.lengths[i]!;
  ks.signalModifiedKey(db, args.buffer, off, len);
  ks.notify(type, event, db, args.buffer, off, len);
}

/** Emits a keyspace event for key argument `i` (no signal). */
export function keyEvent(ks: Keyspace, db: number, args: CommandArgs, i: number, type: string, event: string): void {
  ks.notify(type, event, db, args.buffer, args.offsets[i]!, args.lengths[i]!);
}

/** True when argument `i` has exactly the same bytes as argument `j`. */
export function sameArg(args: CommandArgs, i: number, j: number): boolean {
  const len = args.lengths[i]!;
  if (len !== args.lengths[j]) return false;
  const a = args.offsets[i]!;
  const b = args.offsets[j]!;
  const buf = args.buffer;
  for (let k = 0; k < len; k++) if (buf[a + k] !== buf[b + k]) return false;
  return true;
}

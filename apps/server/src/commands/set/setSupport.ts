import { type Database, type Keyspace, type MemberSink, setTypeSize } from "@nedis/keyspace";
import type { ReplyWriter } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import type { CommandArgs } from "../CommandSpec.js";
import { reserveOrReply } from "../support/keyArgs.js";

/** What the set commands share: a reply sink for members, memory reserves, emptied-key removal. */

/** Writes each member it receives as a bulk string to {@link writer}. */
export const bulkSink = {
  writer: null as ReplyWriter | null,
  count: 0,
  member(buf: Uint8Array, off: number, len: number): void {
    (this.writer as ReplyWriter).bulk(buf, off, off + len);
    this.count++;
  },
} satisfies MemberSink & { writer: ReplyWriter | null; count: number };

/** Aims {@link bulkSink} at `client`'s reply and zeroes its count. */
export function bulkTo(client: Client): typeof bulkSink {
  bulkSink.writer = client.writer;
  bulkSink.count = 0;
  return bulkSink;
}

/**
 * Reserves what adding members `args[from, to)` may allocate (a table entry each: the member, its
 * header and a slot), plus a new key when `newKey` (`reserveOrReply`). False after replying OOM.
 */
export function reserveMembersOrReply(
  client: Client,
  ks: Keyspace,
  db: Database,
  args: CommandArgs,
  keyIndex: number,
  from: number,
  to: number,
): boolean {
  if (ks.maxmemory === 0) return true;
  let bytes = ks.stringCharge(args.lengths[keyIndex]!, 16, false) + db.growthCharge(1, 0);
  for (let i = from; i < to; i++) bytes += ks.chargeFor(args.lengths[i]! + 4) + 24;
  return reserveOrReply(client, ks, bytes);
}

/**
 * Deletes the set at `ref` when it has no member left (`dbDelete`; the caller sends the `del`
 * event after its own) and tells whether it did. The removal is part of the command's counted
 * change (Redis counts the members removed only), so the delete's own change is taken back.
 */
export function removeIfEmpty(ks: Keyspace, db: Database, ref: number): boolean {
  if (setTypeSize(db, ref) !== 0) return false;
  db.deleteRef(ref);
  ks.dirty--;
  return true;
}

import {
  digestValue,
  ENCODING_NAMES,
  estimateIdleTimeMs,
  Meta,
  mixDigest,
  StringEncodingMode,
  serializedLength,
  u32be,
  valueTypeOf,
  xorDigest,
} from "@nedis/keyspace";
import { RdbOutput } from "@nedis/rdb";
import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import type { CommandArgs } from "./CommandSpec.js";
import { objectRefcount } from "./object.js";
import { Errors } from "./support/errors.js";
import { reserveStringOrReply } from "./support/keyArgs.js";
import { getPositiveLongFromObjectOrReply } from "./support/numbers.js";

/**
 * The DEBUG subcommands that read or fill the keyspace (Redis's debug.c): POPULATE, DIGEST,
 * DIGEST-VALUE and OBJECT. Digests use Redis's exact algorithm (each value type mixes itself in
 * through the keyspace's registry), so equal datasets give equal digests on nedis and on Redis.
 */

const hex = (d: Uint8Array) => Buffer.from(d).toString("hex");

/** DEBUG DIGEST: one digest of every database's keys, values and expires. */
export function debugDigest(server: ServerContext, client: Client): void {
  const ks = server.keyspace;
  const final = new Uint8Array(20);
  const now = ks.now();
  for (const db of ks.databases) {
    if (db.size === 0) continue;
    mixDigest(final, u32be(db.id));
    const keys: Buffer[] = [];
    db.index.forEach((handle, meta) => {
      if (now > db.deadlineOfEntry(handle, meta) && db.deadlineOfEntry(handle, meta) !== -1) return;
      keys.push(db.keyCopy(handle));
    });
    for (const key of keys) {
      const digest = new Uint8Array(20);
      mixDigest(digest, key);
      const ref = db.find(key, 0, key.length);
      if (ref < 0) continue;
      digestValue(db, ref, digest);
      xorDigest(final, digest);
    }
  }
  client.writer.simple(hex(final));
}

/** DEBUG DIGEST-VALUE key [key ...]: the value digest of each key, zeros for a missing key. */
export function debugDigestValue(server: ServerContext, client: Client, args: CommandArgs): void {
  const db = server.keyspace.db(client.db);
  const digests: string[] = [];
  for (let i = 2; i < args.argc; i++) {
    const digest = new Uint8Array(20);
    const ref = db.lookupRead(args.buffer, args.offsets[i]!, args.lengths[i]!, 0);
    if (ref >= 0) digestValue(db, ref, digest);
    digests.push(hex(digest));
  }
  client.writer.arrayHeader(digests.length);
  for (const d of digests) client.writer.simple(d);
}

/** DEBUG POPULATE count [prefix] [size]: `prefix:N` → `value:N` (padded with NULs to `size`), skipping existing keys. */
export function debugPopulate(server: ServerContext, client: Client, args: CommandArgs): void {
  // getPositiveLongFromObjectOrReply: one text for a negative and for a non-numeric value.
  const count = getPositiveLongFromObjectOrReply(client, args, 2);
  if (count === null) return;
  const size = args.argc === 5 ? getPositiveLongFromObjectOrReply(client, args, 4) : 0;
  if (size === null) return;
  const prefix = args.argc >= 4 ? args.argString(3) : "key";
  const ks = server.keyspace;
  const db = ks.db(client.db);
  for (let j = 0; j < count; j++) {
    const key = Buffer.from(`${prefix}:${j}`, "latin1");
    const text = Buffer.from(`value:${j}`, "latin1");
    const value = size === 0 ? text : Buffer.alloc(size);
    if (size !== 0) text.copy(value, 0, 0, Math.min(size, text.length));
    if (!reserveStringOrReply(client, ks, db, key.length, value.length, false, false)) return;
    if (db.lookupWrite(key, 0, key.length) >= 0) continue;
    db.insertString(key, 0, key.length, value, 0, value.length, StringEncodingMode.NoInt);
    ks.signalModifiedKey(client.db, key, 0, key.length);
  }
  client.writer.raw(SharedReplies.ok);
}

const rdbScratch = new RdbOutput(64);

/** DEBUG OBJECT key: Redis's one-line description (the key is found without expiring it, as dictFind). */
export function debugObject(server: ServerContext, client: Client, args: CommandArgs): void {
  const ks = server.keyspace;
  const db = ks.db(client.db);
  const ref = db.find(args.buffer, args.offsets[2]!, args.lengths[2]!);
  if (ref < 0) return client.writer.error(Errors.noSuchKey);
  const serialized = serializedLength(db, ref, rdbScratch, { compress: server.config.bool("rdbcompression") });
  const lru = db.metaAt(ref) & Meta.LRU_MASK;
  client.writer.simple(
    `Value at:0x${db.handleAt(ref).toString(16)} refcount:${objectRefcount(server, client.db, ref)} ` +
      `encoding:${ENCODING_NAMES[db.encodingAt(ref)] ?? "unknown"} serializedlength:${serialized} ` +
      `lru:${lru} lru_seconds_idle:${Math.floor(estimateIdleTimeMs(ks.lruClock, lru) / 1000)}` +
      (valueTypeOf(db.typeAt(ref)).debugFields?.(db, ref, ks.limits) ?? ""),
  );
}

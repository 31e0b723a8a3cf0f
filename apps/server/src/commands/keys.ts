import { type Database, Lookup, Meta, typeName } from "@nedis/keyspace";
import { globMatchRange } from "@nedis/pubsub";
import type { Client } from "../net/Client.js";
import { type CommandArgs, defineCommand } from "./CommandSpec.js";
import { Errors } from "./support/errors.js";
import { getLongFromObjectOrReply } from "./support/numbers.js";

const ULONG_MAX = 18446744073709551615n;

/**
 * Redis's `parseScanCursorOrReply` (`strtoul` over the whole argument): an optional sign, decimal
 * digits, no leading space, nothing after; `-n` wraps modulo 2^64 and the empty string is 0.
 * Only the low 32 bits matter to the index (its tables stay below 2^31 buckets). -1 after
 * replying `ERR invalid cursor`.
 */
export function parseCursor(client: Client, args: CommandArgs, i: number): number {
  const buf = args.buffer;
  const start = args.offsets[i]!;
  const end = start + args.lengths[i]!;
  let p = start;
  let negative = false;
  const first = buf[p];
  const invalid = () => {
    client.writer.error("ERR invalid cursor");
    return -1;
  };
  if (p === end) return 0;
  if (first === 0x20 || (first !== undefined && first >= 0x09 && first <= 0x0d)) return invalid();
  if (first === 0x2b || first === 0x2d) {
    negative = first === 0x2d;
    p++;
  }
  if (p === end) return invalid();
  let value = 0n;
  for (; p < end; p++) {
    const d = buf[p]! - 0x30;
    if (d < 0 || d > 9) return invalid();
    value = value * 10n + BigInt(d);
    if (value > ULONG_MAX) return invalid();
  }
  if (negative) value = (ULONG_MAX + 1n - value) & ULONG_MAX;
  return Number(value & 0xffffffffn);
}

/** KEYS and SCAN's TYPE filter compare type names case-insensitively, like `strcasecmp`. */
function typeNameOf(db: Database, ref: number): string {
  return ref < 0 ? "none" : typeName(db.typeAt(ref));
}

/** KEYS, SCAN. */
export const keysCommands = [
  /** KEYS pattern: every key matching the glob, skipping (not deleting) expired ones. */
  defineCommand({
    name: "keys",
    handler(server, client, args) {
      const ks = server.keyspace;
      const db = ks.db(client.db);
      const pattern = args.buffer;
      const pStart = args.offsets[1]!;
      const pEnd = pStart + args.lengths[1]!;
      const all = pEnd - pStart === 1 && pattern[pStart] === 0x2a;
      const now = ks.now();
      // Expired keys are skipped, not deleted (the walk must not change the table). The count is
      // known at the end: the array's length is deferred (Redis's addReplyDeferredLen).
      const w = client.writer;
      const header = w.deferLength();
      let count = 0;
      db.index.forEach((handle, meta) => {
        if (meta >= Meta.VOLATILE && now > db.deadlineOfEntry(handle, meta)) return;
        db.loadKey(handle);
        if (!all && !globMatchRange(pattern, pStart, pEnd, db.keyBuf, db.keyOff, db.keyOff + db.keyLen)) return;
        w.bulk(db.keyBuf, db.keyOff, db.keyOff + db.keyLen);
        count++;
      });
      w.setDeferredArrayLength(header, count);
    },
  }),
  /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
  defineCommand({
    name: "scan",
    handler(server, client, args) {
      let cursor = parseCursor(client, args, 1);
      if (cursor < 0) return;
      let count = 10;
      let patternIndex = -1;
      let typeName: string | null = null;
      for (let i = 2; i < args.argc; ) {
        const remaining = args.argc - i;
        if (args.argEquals(i, "count") && remaining >= 2) {
          const n = getLongFromObjectOrReply(client, args, i + 1);
          if (n === null) return;
          if (n < 1) {
            client.writer.error(Errors.syntax);
            return;
          }
          count = Number(n);
          i += 2;
        } else if (args.argEquals(i, "match") && remaining >= 2) {
          patternIndex = i + 1;
          i += 2;
        } else if (args.argEquals(i, "type") && remaining >= 2) {
          typeName = args.argString(i + 1).toLowerCase();
          i += 2;
        } else {
          client.writer.error(Errors.syntax);
          return;
        }
      }
      const ks = server.keyspace;
      const db = ks.db(client.db);
      const pattern = args.buffer;
      const pStart = patternIndex < 0 ? 0 : args.offsets[patternIndex]!;
      const pEnd = patternIndex < 0 ? 0 : pStart + args.lengths[patternIndex]!;
      const usePattern = patternIndex >= 0 && !(pEnd - pStart === 1 && pattern[pStart] === 0x2a);
      const keys: Buffer[] = [];
      let visited = 0;
      const emit = (handle: number): void => {
        visited++;
        db.loadKey(handle);
        if (usePattern && !globMatchRange(pattern, pStart, pEnd, db.keyBuf, db.keyOff, db.keyOff + db.keyLen)) return;
        keys.push(Buffer.from(db.keyBuf.subarray(db.keyOff, db.keyOff + db.keyLen)));
      };
      let iterations = count * 10;
      do {
        cursor = db.index.scan(cursor, emit);
      } while (cursor !== 0 && iterations-- > 0 && visited < count);
      // Filter by type (a lookup, as Redis does) and drop keys past their deadline (expiring them).
      let kept = 0;
      for (const key of keys) {
        if (typeName !== null) {
          const ref = db.lookupRead(key, 0, key.length, Lookup.NoTouch);
          if (typeNameOf(db, ref) !== typeName) continue;
        }
        if (db.lookupWrite(key, 0, key.length, Lookup.NoTouch) < 0) continue;
        keys[kept++] = key;
      }
      const w = client.writer;
      w.arrayHeader(2);
      w.bulkString(String(cursor));
      w.arrayHeader(kept);
      for (let i = 0; i < kept; i++) w.bulk(keys[i]!);
    },
  }),
];

import { Encoding, ObjectType, setTypeForEach, setTypeScan } from "@nedis/keyspace";
import { globMatchRange } from "@nedis/pubsub";
import type { Client } from "../../net/Client.js";
import type { ServerContext } from "../../ServerContext.js";
import { type CommandArgs, defineCommand } from "../CommandSpec.js";
import { Errors } from "../support/errors.js";
import { lookupReadOrReply } from "../support/keyArgs.js";
import { getLongFromObjectOrReply } from "../support/numbers.js";

const ULONG_MAX = 18446744073709551615n;
const EMPTY_SCAN = Buffer.from("*2\r\n$1\r\n0\r\n*0\r\n");

/**
 * Redis's `parseScanCursorOrReply` (`strtoul` over the whole argument), as SCAN parses it: an
 * optional sign, decimal digits, nothing else; `-n` wraps modulo 2^64. Only the low 32 bits
 * reach the table (its cursors stay below 2^31). -1 after replying `ERR invalid cursor`.
 */
function parseCursor(client: Client, args: CommandArgs, i: number): number {
  const buf = args.buffer;
  const start = args.offsets[i]!;
  const end = start + args.lengths[i]!;
  if (start === end) return 0;
  let p = start;
  const first = buf[p]!;
  const negative = first === 0x2d;
  if (first === 0x2b || negative) p++;
  let value = 0n;
  let valid = p < end;
  for (; valid && p < end; p++) {
    const d = buf[p]! - 0x30;
    if (d < 0 || d > 9) valid = false;
    else value = value * 10n + BigInt(d);
    if (value > ULONG_MAX) valid = false;
  }
  if (!valid) {
    client.writer.error("ERR invalid cursor");
    return -1;
  }
  if (negative) value = (ULONG_MAX + 1n - value) & ULONG_MAX;
  return Number(value & 0xffffffffn);
}

/** The members one SSCAN call collects: bytes packed in one buffer, with their ends. */
const found = {
  bytes: new Uint8Array(1024),
  ends: new Int32Array(64),
  count: 0,
  length: 0,
  member(buf: Uint8Array, off: number, len: number): void {
    if (this.length + len > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.length + len, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    if (this.count === this.ends.length) {
      const grown = new Int32Array(this.ends.length * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.bytes.set(buf.subarray(off, off + len), this.length);
    this.length += len;
    this.ends[this.count++] = this.length;
  },
};

/** SSCAN key cursor [MATCH pattern] [COUNT count] */
function sscan(server: ServerContext, client: Client, args: CommandArgs): void {
  let cursor = parseCursor(client, args, 2);
  if (cursor < 0) return;
  const db = server.keyspace.db(client.db);
  const ref = lookupReadOrReply(client, db, args, 1, ObjectType.Set, EMPTY_SCAN);
  if (ref < 0) return;
  let count = 10;
  let patternIndex = -1;
  for (let i = 3; i < args.argc; ) {
    const more = args.argc - i - 1;
    if (args.argEquals(i, "count") && more >= 1) {
      const n = getLongFromObjectOrReply(client, args, i + 1);
      if (n === null) return;
      if (n < 1) return client.writer.error(Errors.syntax);
      count = Number(n);
      i += 2;
    } else if (args.argEquals(i, "match") && more >= 1) {
      patternIndex = i + 1;
      i += 2;
    } else {
      return client.writer.error(Errors.syntax);
    }
  }
  found.count = 0;
  found.length = 0;
  if (db.encodingAt(ref) === Encoding.IntSet) {
    // A small encoding is returned whole, with cursor 0 (Redis's scanGenericCommand).
    setTypeForEach(db, ref, found);
    cursor = 0;
  } else {
    let iterations = count * 10;
    do {
      cursor = setTypeScan(db, ref, cursor, found);
    } while (cursor !== 0 && iterations-- > 0 && found.count < count);
  }
  const pattern = args.buffer;
  const pStart = patternIndex < 0 ? 0 : args.offsets[patternIndex]!;
  const pEnd = patternIndex < 0 ? 0 : pStart + args.lengths[patternIndex]!;
  const usePattern = patternIndex >= 0 && !(pEnd - pStart === 1 && pattern[pStart] === 0x2a);
  const w = client.writer;
  w.arrayHeader(2);
  w.bulkString(String(cursor));
  const header = w.deferLength();
  let kept = 0;
  let start = 0;
  for (let i = 0; i < found.count; i++) {
    const end = found.ends[i]!;
    if (!usePattern || globMatchRange(pattern, pStart, pEnd, found.bytes, start, end)) {
      w.bulk(found.bytes, start, end);
      kept++;
    }
    start = end;
  }
  w.setDeferredArrayLength(header, kept);
}

export const setScanCommands = [defineCommand({ name: "sscan", handler: sscan })];

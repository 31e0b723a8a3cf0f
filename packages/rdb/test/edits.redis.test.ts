/**
 * The same commands against a real redis-server and against listpacks / intsets we edit in
 * place (as the keyspace will): the listpack or intset inside Redis's DUMP must equal ours byte
 * for byte after every command, and Redis must RESTORE our bytes.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRedisServer, type RedisServer, type Reply, startRedis } from "../../../test-support/redisServer.js";
import { RdbType } from "../src/constants.js";
import { beginDumpPayload, writeDumpFooter } from "../src/dumpPayload.js";
import { intsetAdd, intsetAddSize, intsetBlobLen, intsetLen, intsetNew, intsetRemove } from "../src/intset/index.js";
import {
  LP_AFTER,
  LP_BEFORE,
  lpAppend,
  lpBytes,
  lpDeleteRange,
  lpDeleteRangeWithEntry,
  lpFind,
  lpFirst,
  lpInsert,
  lpInsertSize,
  lpLength,
  lpNew,
  lpNext,
  lpPrepend,
  lpReplace,
  lpReplaceSize,
  lpSeek,
} from "../src/listpack/index.js";
import { RdbOutput } from "../src/RdbOutput.js";
import { RdbReader } from "../src/RdbReader.js";
import { writeLength, writeString } from "../src/stringEncoding.js";
import { hex, latin1 } from "./utils/bytes.js";
import { int64, listpackString } from "./utils/encodingBoundaries.js";

/** An allocation the test owns, as the keyspace owns a kv-pool entry: grown by copying. */
class Slot {
  bytes = new Uint8Array(16);
  off = 3;
  /** Makes room for `size` bytes at `off` (moving `used` bytes; positions move with `off`). */
  ensure(size: number, used: number): void {
    if (this.off + size <= this.bytes.length) return;
    const grown = new Uint8Array(size + 40);
    const newOff = 3 + (size % 5);
    grown.set(this.bytes.subarray(this.off, this.off + used), newOff);
    this.bytes = grown;
    this.off = newOff;
  }
  lp(): Uint8Array {
    return this.bytes.slice(this.off, this.off + lpBytes(this.bytes, this.off));
  }
}

/** The listpack / intset blob inside a DUMP payload of a list, hash or set. */
function blobOf(payload: Buffer): Uint8Array {
  const reader = new RdbReader(payload);
  const type = reader.readObjectType();
  if (type === RdbType.ListQuicklist2) {
    expect(reader.readLength()).toBe(1); // one node
    expect(reader.readLength()).toBe(2); // packed
  }
  return reader.readStringCopy();
}

function payloadOf(type: RdbType, blob: Uint8Array): Uint8Array {
  const out = new RdbOutput(64);
  const start = beginDumpPayload(out, type);
  if (type === RdbType.ListQuicklist2) {
    writeLength(out, 1);
    writeLength(out, 2);
  }
  writeString(out, blob, 0, blob.length);
  writeDumpFooter(out, start);
  return out.view().slice();
}

const text = (r: Reply): string =>
  r instanceof Error ? `-${r.message}` : Buffer.isBuffer(r) ? r.toString("latin1") : String(r);
const short = listpackString.filter((s) => s.length <= 64);
const field = fc.constantFrom("f", "g", "1", "012", "-5", "9223372036854775808", "", "x".repeat(40)).map(latin1);

describe.skipIf(!hasRedisServer)("in-place edits against a real redis-server", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  async function expectSame(key: string, type: RdbType, ours: Uint8Array, empty: boolean): Promise<void> {
    const dumped = await redis.call("DUMP", key);
    if (empty) {
      expect(dumped).toBeNull();
      return;
    }
    expect(hex(blobOf(dumped as Buffer))).toBe(hex(ours));
    const payload = payloadOf(type, ours);
    expect(text(await redis.call("RESTORE", `${key}:copy`, "0", payload, "REPLACE"))).toBe("OK");
  }

  it("lists: RPUSH, LPUSH, LINSERT, LSET, LREM, LPOP, RPOP", async () => {
    const op = fc.tuple(
      fc.constantFrom("RPUSH", "LPUSH", "LINSERT", "LSET", "LREM", "LPOP", "RPOP"),
      short,
      fc.nat(),
      fc.boolean(),
    );
    for (const [run, ops] of fc
      .sample(fc.array(op, { minLength: 1, maxLength: 40 }), { numRuns: 12, seed: 7 })
      .entries()) {
      const key = `l${run}`;
      const slot = new Slot();
      lpNew(slot.bytes, slot.off);
      for (const [cmd, v, at, before] of ops) {
        const b = slot.bytes;
        const n = lpLength(b, slot.off);
        const rel = n === 0 ? -1 : lpSeek(b, slot.off, at % n) - slot.off;
        if (cmd === "RPUSH" || cmd === "LPUSH") {
          await redis.call(cmd, key, v);
          slot.ensure(lpInsertSize(b, slot.off, v, 0, v.length), lpBytes(b, slot.off));
          (cmd === "RPUSH" ? lpAppend : lpPrepend)(slot.bytes, slot.off, v, 0, v.length);
        } else if (n === 0) {
          continue;
        } else if (cmd === "LINSERT") {
          // The pivot is an existing element, found again by value as Redis does.
          const pivotAt = lpSeek(b, slot.off, at % n);
          const pivot = await redis.call("LINDEX", key, String(at % n));
          expect(text(await redis.call("LINSERT", key, before ? "BEFORE" : "AFTER", pivot as Buffer, v))).toBe(
            String(n + 1),
          );
          const p = lpFind(b, slot.off, lpFirst(b, slot.off), pivot as Buffer, 0, (pivot as Buffer).length, 0);
          expect(p).toBeLessThanOrEqual(pivotAt);
          const pRel = p - slot.off; // positions move with the listpack when it is reallocated
          slot.ensure(lpInsertSize(b, slot.off, v, 0, v.length), lpBytes(b, slot.off));
          lpInsert(slot.bytes, slot.off, slot.off + pRel, before ? LP_BEFORE : LP_AFTER, v, 0, v.length);
        } else if (cmd === "LSET") {
          await redis.call("LSET", key, String((at % n) - n), v);
          slot.ensure(lpReplaceSize(b, slot.off, slot.off + rel, v, 0, v.length), lpBytes(b, slot.off));
          lpReplace(slot.bytes, slot.off, slot.off + rel, v, 0, v.length);
        } else if (cmd === "LREM") {
          const target = (await redis.call("LINDEX", key, String(at % n))) as Buffer;
          expect(await redis.call("LREM", key, "1", target)).toBe(1);
          const p = lpFind(b, slot.off, lpFirst(b, slot.off), target, 0, target.length, 0);
          lpDeleteRangeWithEntry(b, slot.off, p, 1);
        } else {
          const count = 1 + (at % 3);
          await redis.call(cmd, key, String(count));
          expect(lpDeleteRange(b, slot.off, cmd === "LPOP" ? 0 : -Math.min(count, n), count)).toBe(Math.min(count, n));
        }
        await expectSame(key, RdbType.ListQuicklist2, slot.lp(), lpLength(slot.bytes, slot.off) === 0);
      }
    }
  });

  it("hashes: HSET of new and existing fields, HDEL (fields found with lpFind, skip 1)", async () => {
    const op = fc.tuple(fc.constantFrom("HSET", "HSET", "HDEL"), field, short);
    for (const [run, ops] of fc
      .sample(fc.array(op, { minLength: 1, maxLength: 40 }), { numRuns: 12, seed: 8 })
      .entries()) {
      const key = `h${run}`;
      const slot = new Slot();
      lpNew(slot.bytes, slot.off);
      for (const [cmd, f, v] of ops) {
        await redis.call(cmd, key, f, ...(cmd === "HSET" ? [v] : []));
        const b = slot.bytes;
        const first = lpFirst(b, slot.off);
        const p = first < 0 ? -1 : lpFind(b, slot.off, first, f, 0, f.length, 1);
        if (cmd === "HDEL") {
          if (p >= 0) lpDeleteRangeWithEntry(b, slot.off, p, 2);
        } else if (p >= 0) {
          const valueRel = lpNext(b, slot.off, p) - slot.off;
          slot.ensure(lpReplaceSize(b, slot.off, slot.off + valueRel, v, 0, v.length), lpBytes(b, slot.off));
          lpReplace(slot.bytes, slot.off, slot.off + valueRel, v, 0, v.length);
        } else {
          slot.ensure(
            lpInsertSize(b, slot.off, f, 0, f.length) +
              lpInsertSize(b, slot.off, v, 0, v.length) -
              lpBytes(b, slot.off),
            lpBytes(b, slot.off),
          );
          lpAppend(slot.bytes, slot.off, f, 0, f.length);
          lpAppend(slot.bytes, slot.off, v, 0, v.length);
        }
        if (lpLength(slot.bytes, slot.off) > 0)
          expect(text(await redis.call("OBJECT", "ENCODING", key))).toBe("listpack");
        await expectSame(key, RdbType.HashListpack, slot.lp(), lpLength(slot.bytes, slot.off) === 0);
      }
    }
  });

  it("intsets: SADD and SREM across the int16 / int32 / int64 encodings", async () => {
    const op = fc.tuple(fc.constantFrom("SADD", "SADD", "SREM"), int64, fc.nat());
    for (const [run, ops] of fc
      .sample(fc.array(op, { minLength: 1, maxLength: 40 }), { numRuns: 12, seed: 9 })
      .entries()) {
      const key = `s${run}`;
      const slot = new Slot();
      intsetNew(slot.bytes, slot.off);
      const members: bigint[] = [];
      for (const [cmd, raw, pick] of ops) {
        const value = cmd === "SREM" && members.length > 0 && pick % 2 === 0 ? members[pick % members.length]! : raw;
        const reply = await redis.call(cmd, key, value.toString());
        const used = intsetBlobLen(slot.bytes, slot.off);
        let changed: boolean;
        if (cmd === "SADD") {
          slot.ensure(intsetAddSize(slot.bytes, slot.off, value), used);
          changed = intsetAdd(slot.bytes, slot.off, value);
          if (changed) members.push(value);
        } else {
          changed = intsetRemove(slot.bytes, slot.off, value);
          if (changed) members.splice(members.indexOf(value), 1);
        }
        expect(reply).toBe(changed ? 1 : 0);
        const blob = slot.bytes.slice(slot.off, slot.off + intsetBlobLen(slot.bytes, slot.off));
        if (intsetLen(slot.bytes, slot.off) === 0) {
          // Redis deletes the emptied key and starts a new int16 intset on the next SADD.
          intsetNew(slot.bytes, slot.off);
        }
        await expectSame(key, RdbType.SetIntset, blob, members.length === 0);
      }
    }
  });
});

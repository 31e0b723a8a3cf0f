import { crc64, RdbOutput, RdbReader, RdbType, writeLength, writeString } from "@nedis/rdb";
import { describe, expect, it } from "vitest";
import { listTypeNext, listTypeSeek, listValue, loadDumpPayload, PayloadStatus, ValueLoad } from "../../src/index.js";
import { b, manualKeyspace } from "../utils/fixtures.js";

/** A ziplist of short strings and small integers, as Redis ≤ 6.2 wrote them. */
function ziplist(items: (string | number)[]): Buffer {
  const entries: Buffer[] = [];
  let prev = 0;
  for (const item of items) {
    let body: Buffer;
    if (typeof item === "number") {
      if (item >= 0 && item <= 12) body = Buffer.from([0xf1 + item]);
      else {
        body = Buffer.alloc(3);
        body[0] = 0xc0;
        body.writeInt16LE(item, 1);
      }
    } else {
      const s = Buffer.from(item, "latin1");
      body = Buffer.concat([Buffer.from([s.length]), s]);
    }
    const entry = Buffer.concat([Buffer.from([prev]), body]);
    entries.push(entry);
    prev = entry.length;
  }
  const all = Buffer.concat(entries);
  const head = Buffer.alloc(10);
  const total = 10 + all.length + 1;
  head.writeUInt32LE(total, 0);
  head.writeUInt32LE(entries.length === 0 ? 10 : 10 + all.length - entries[entries.length - 1]!.length, 4);
  head.writeUInt16LE(items.length, 8);
  return Buffer.concat([head, all, Buffer.from([0xff])]);
}

function payload(type: number, write: (out: RdbOutput) => void): Uint8Array {
  const out = new RdbOutput();
  out.writeByte(type);
  write(out);
  out.writeByte(9); // RDB version 9, little-endian
  out.writeByte(0);
  const body = out.view().slice();
  const crc = crc64(body, 0, body.length);
  const tail = Buffer.alloc(8);
  tail.writeBigUInt64LE(BigInt.asUintN(64, crc));
  return Buffer.concat([body, tail]);
}

function restore(p: Uint8Array): string[] | PayloadStatus {
  const { ks } = manualKeyspace();
  const db = ks.db(0);
  const load = new ValueLoad();
  load.host = ks;
  const status = loadDumpPayload(p, 0, p.length, new RdbReader(), load);
  if (status !== PayloadStatus.Ok) return status;
  const key = b("k");
  db.lookupWrite(key, 0, key.length);
  const ref = load.commit(db, key, 0, key.length, 0, false);
  const out: string[] = [];
  if (listTypeSeek(db, ref, 0, true))
    while (listTypeNext())
      out.push(Buffer.from(listValue.bytes.subarray(listValue.start, listValue.end)).toString("latin1"));
  return out;
}

describe("RESTORE of Redis ≤ 6.2 list payloads", () => {
  const items = ["a", 3, "hello", -300, 12, "x".repeat(40)];
  const text = ["a", "3", "hello", "-300", "12", "x".repeat(40)];

  it("loads LIST_ZIPLIST", () => {
    const zl = ziplist(items);
    expect(restore(payload(RdbType.ListZiplist, (out) => writeString(out, zl, 0, zl.length, false)))).toEqual(text);
  });

  it("loads LIST_QUICKLIST ziplist nodes, skipping empty ones", () => {
    const a = ziplist(items.slice(0, 3));
    const empty = ziplist([]);
    const c = ziplist(items.slice(3));
    const p = payload(RdbType.ListQuicklist, (out) => {
      writeLength(out, 3);
      for (const zl of [a, empty, c]) writeString(out, zl, 0, zl.length, false);
    });
    expect(restore(p)).toEqual(text);
  });

  it("refuses damaged ziplists", () => {
    const zl = ziplist(items);
    for (const at of [0, 4, 8, 10, 11, 13, zl.length - 1]) {
      const bad = Buffer.from(zl);
      bad[at] = bad[at]! ^ 0x41;
      const p = payload(RdbType.ListZiplist, (out) => writeString(out, bad, 0, bad.length, false));
      expect(restore(p), `byte ${at}`).toBe(PayloadStatus.BadFormat);
    }
    const only = ziplist([]);
    expect(restore(payload(RdbType.ListZiplist, (out) => writeString(out, only, 0, only.length, false)))).toBe(
      PayloadStatus.BadFormat,
    );
  });
});

import { RdbOutput, RdbReader } from "@nedis/rdb";
import { lpBytes } from "@nedis/rdb/listpack";
import { describe, expect, it } from "vitest";
import { dumpValue, Encoding, loadDumpPayload, ObjectType, PayloadStatus, stream, ValueLoad } from "../../src/index.js";
import { b, manualKeyspace } from "../utils/fixtures.js";

// Closed nodes are packed into shared segments (NodeSegments): these cover a node leaving its
// segment when a counter grows, and segments freed as trimming removes their nodes.
const KEY = b("s");
const value = b("fieldvalue");
const args: stream.FieldArgs = { buffer: value, offsets: [0, 5], lengths: [5, 5] };

function filled(entries: number, perNode: number) {
  const { ks } = manualKeyspace();
  ks.limits.streamNodeMaxEntries = perNode;
  ks.limits.streamNodeMaxBytes = 0;
  const db = ks.db(0);
  const base = db.host.memory.used;
  const s = new stream.StreamObject(db.host.pool, db.host.memory);
  const ref = db.insertOutOfLine(KEY, 0, KEY.length, s, ObjectType.Stream, Encoding.Stream);
  for (let i = 1; i <= entries; i++) {
    expect(stream.streamAppendItem(s, args, 0, 1, { ms: i, seq: 0 }, true, 0, ks.limits)).toBe(stream.APPEND_OK);
  }
  return { ks, db, ref, s, base };
}

function ids(s: stream.StreamObject): number[] {
  const out: number[] = [];
  const it = new stream.StreamIterator().begin(s, null, null, false);
  while (it.next()) {
    it.nextField();
    out.push(Number(it.id.ms));
  }
  return out;
}

describe("stream node segments", () => {
  it("pack closed nodes, and a node whose counter grows gets its own allocation back", () => {
    const { ks, db, ref, s } = filled(200 * 12, 200);
    expect(s.nodeCount).toBe(12);
    const sealed = [...Array(s.nodeCount).keys()].filter((i) => s.inSegment(i));
    expect(sealed.length).toBeGreaterThan(0);
    const node = sealed[0]!;
    const first = Number(s.masters.ms(node));
    // 128 deletions take the node's deleted counter from a 1-byte to a 2-byte integer.
    for (let k = 0; k < 130; k++) expect(stream.streamDeleteItem(s, { ms: first + k, seq: 0 })).toBe(true);
    expect(s.inSegment(node)).toBe(false);
    const expected = Array.from({ length: 2400 }, (_, i) => i + 1).filter((id) => id < first || id >= first + 130);
    expect(ids(s)).toEqual(expected);
    // A DUMP round trip (the nodes' bytes as they are) keeps every entry.
    const out = new RdbOutput();
    dumpValue(db, ref, out, { compress: false });
    const payload = out.buffer.slice(0, out.length);
    const load = new ValueLoad();
    load.host = ks;
    expect(loadDumpPayload(payload, 0, payload.length, new RdbReader(), load)).toBe(PayloadStatus.Ok);
    const copy = load.commit(db, b("copy"), 0, 4, 0, false);
    const loaded = db.objectAt(copy) as stream.StreamObject;
    expect(ids(loaded)).toEqual(expected);
    // A loaded stream packs its closed nodes too; its last node stays apart (it may grow).
    expect(loaded.inSegment(0)).toBe(true);
    expect(loaded.inSegment(loaded.nodeCount - 1)).toBe(false);
    let listpacks = 0;
    for (let i = 0; i < loaded.nodeCount; i++) listpacks += lpBytes(loaded.page(i), loaded.offset(i));
    expect(loaded.nodeBytes()).toBeLessThan(listpacks * 1.1);
  });

  it("are freed as trimming removes their nodes", () => {
    const { db, s, base } = filled(100 * 40, 100);
    expect(s.nodeBytes()).toBeGreaterThan(0);
    const trim: stream.StreamTrimArgs = {
      strategy: stream.TRIM_MAXLEN,
      approx: false,
      limit: 0,
      maxlen: 0,
      minid: { ms: 0, seq: 0 },
    };
    expect(stream.streamTrim(s, trim)).toBe(4000);
    expect(s.nodeCount).toBe(0);
    expect(s.nodeBytes()).toBe(0);
    expect(db.host.memory.used).toBeLessThanOrEqual(base + 1024);
  });
});

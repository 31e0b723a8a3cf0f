import { crc64, RdbOutput, RdbReader } from "@nedis/rdb";
import fc from "fast-check";
import { describe, it } from "vitest";
import { dumpValue, Encoding, loadDumpPayload, ObjectType, PayloadStatus, stream, ValueLoad } from "../../src/index.js";
import { b, manualKeyspace } from "../utils/fixtures.js";

/**
 * Untrusted RESTORE payloads: any byte flipped in a stream's DUMP (the CRC rewritten so it
 * passes) is refused as a bad format or loads a stream every operation can walk — never a throw.
 */
describe("RESTORE of mutated stream payloads", () => {
  it("refuses or loads, never throws", () => {
    const { ks } = manualKeyspace();
    ks.limits.streamNodeMaxEntries = 4;
    const db = ks.db(0);
    const key = b("src");
    db.lookupWrite(key, 0, key.length);
    const ref = db.insertOutOfLine(
      key,
      0,
      key.length,
      new stream.StreamObject(db.host.pool, db.host.memory),
      ObjectType.Stream,
      Encoding.Stream,
    );
    const s = db.objectAt(ref) as stream.StreamObject;
    for (let i = 1; i <= 10; i++) {
      const fields = i % 3 === 0 ? ["a", String(i), "b", "x"] : ["a", `v${i}`];
      const bufs = fields.map((f) => b(f));
      const offsets: number[] = [];
      let at = 0;
      for (const x of bufs) {
        offsets.push(at);
        at += x.length;
      }
      stream.streamAppendItem(
        s,
        { buffer: Buffer.concat(bufs), offsets, lengths: bufs.map((x) => x.length) },
        0,
        fields.length / 2,
        { ms: i, seq: 0 },
        true,
        0,
        ks.limits,
      );
    }
    stream.streamDeleteItem(s, { ms: 2, seq: 0 });
    s.groups = new stream.ConsumerGroups();
    const g = s.groups.create(b("g"), { ms: 5, seq: 0 }, 5n)!;
    const c = g.createConsumer(b("alice"), 1000)!;
    g.deliver({ ms: 3, seq: 0 }, c, 1000);
    const out = new RdbOutput();
    dumpValue(db, ref, out, { compress: false });
    const original = out.view().slice();
    const load = new ValueLoad();
    load.host = ks;
    const reader = new RdbReader();
    const it = new stream.StreamIterator();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }), (edits) => {
        const payload = original.slice();
        const body = payload.length - 10;
        for (const [at, v] of edits) payload[at % body] = v;
        const crc = crc64(payload, 0, payload.length - 8);
        new DataView(payload.buffer).setBigUint64(payload.length - 8, BigInt.asUintN(64, crc), true);
        const status = loadDumpPayload(payload, 0, payload.length, reader, load);
        if (status === PayloadStatus.Ok && load.type !== ObjectType.Stream) load.discard(ks.pool);
        if (status !== PayloadStatus.Ok || load.type !== ObjectType.Stream) return;
        const dst = b("dst");
        db.delete(dst, 0, dst.length);
        db.lookupWrite(dst, 0, dst.length);
        load.commit(db, dst, 0, dst.length, 0, false);
        const r = db.lookupWrite(dst, 0, dst.length);
        const loaded = db.objectAt(r) as stream.StreamObject;
        for (const rev of [false, true]) {
          it.begin(loaded, null, null, rev);
          while (it.next()) for (let i = 0; i < it.numFields; i++) it.nextField();
        }
        stream.streamTrim(loaded, {
          strategy: stream.TRIM_MAXLEN,
          approx: false,
          limit: 0,
          maxlen: 2,
          minid: { ms: 0, seq: 0 },
        });
        db.deleteRef(r);
      }),
      { numRuns: 3000 },
    );
  });
});

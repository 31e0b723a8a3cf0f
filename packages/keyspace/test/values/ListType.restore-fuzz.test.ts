import { crc64, RdbOutput, RdbReader } from "@nedis/rdb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dumpValue,
  ListEnd,
  listTypeCreate,
  listTypeLength,
  listTypeNext,
  listTypePop,
  listTypePush,
  listTypeSeek,
  loadDumpPayload,
  ObjectType,
  PayloadStatus,
  ValueLoad,
} from "../../src/index.js";
import { b, manualKeyspace } from "../utils/fixtures.js";

/**
 * Untrusted RESTORE payloads: any byte flipped in a list's DUMP (the CRC rewritten so it passes)
 * is either refused as a bad format or loads a list that every operation can walk — never a throw.
 */
describe("RESTORE of mutated list payloads", () => {
  it("refuses or loads, never throws", () => {
    const { ks } = manualKeyspace({ limits: { listMaxListpackSize: 4 } });
    const db = ks.db(0);
    const payloads: Uint8Array[] = [];
    for (const n of [3, 20]) {
      const key = b(`src${n}`);
      db.lookupWrite(key, 0, key.length);
      const ref = listTypeCreate(db, key, 0, key.length);
      for (let i = 0; i < n; i++) {
        const e = b(i % 3 === 0 ? String(i * 1000) : `element-${i}`);
        listTypePush(db, ref, ListEnd.Tail, e, 0, e.length);
      }
      const out = new RdbOutput();
      dumpValue(db, db.lookupWrite(key, 0, key.length), out, { compress: false });
      payloads.push(out.view().slice());
    }
    const load = new ValueLoad();
    // As RESTORE does: a flipped type byte may make it a hash, which builds in the keyspace's pool.
    load.host = ks;
    const reader = new RdbReader();
    fc.assert(
      fc.property(
        fc.nat(1),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }),
        (which, edits) => {
          const payload = payloads[which]!.slice();
          const body = payload.length - 10;
          for (const [at, v] of edits) payload[at % body] = v;
          const crc = crc64(payload, 0, payload.length - 8);
          new DataView(payload.buffer).setBigUint64(payload.length - 8, BigInt.asUintN(64, crc), true);
          const status = loadDumpPayload(payload, 0, payload.length, reader, load);
          // A flipped type byte may make it another type's valid payload: only lists are walked here.
          if (status === PayloadStatus.Ok && load.type !== ObjectType.List) load.discard(ks.pool);
          if (status !== PayloadStatus.Ok || load.type !== ObjectType.List) return;
          const key = b("dst");
          db.delete(key, 0, key.length);
          db.lookupWrite(key, 0, key.length);
          load.commit(db, key, 0, key.length, 0, false);
          const ref = db.lookupWrite(key, 0, key.length);
          const n = listTypeLength(db, ref);
          let seen = 0;
          if (listTypeSeek(db, ref, 0, true)) while (listTypeNext()) seen++;
          expect(seen).toBe(n);
          const e = b("more");
          db.modify(ref);
          listTypePush(db, ref, ListEnd.Head, e, 0, e.length);
          while (listTypePop(db, ref, ListEnd.Tail)) {}
          expect(listTypeLength(db, ref)).toBe(0);
          db.deleteRef(ref);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

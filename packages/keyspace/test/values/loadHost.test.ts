import {
  crc64,
  ListpackBuilder,
  QuicklistContainer,
  RdbOutput,
  RdbReader,
  RdbType,
  writeBinaryDouble,
  writeLength,
  writeQuicklistNode,
  writeString,
} from "@nedis/rdb";
import { describe, expect, it } from "vitest";
import { Encoding, type Keyspace, loadDumpPayload, PayloadStatus, ValueLoad } from "../../src/index.js";
import { b, manualKeyspace } from "../utils/fixtures.js";

/**
 * List, set and zset payloads are built in the target keyspace's pool at load (no staging): the
 * encoding follows the keyspace's limits as Redis 7.0's `rdbLoadObject`, a refused payload
 * leaves the pool as it was, and a load without a keyspace is a programming error.
 */

function payload(type: number, write: (out: RdbOutput) => void): Uint8Array {
  const out = new RdbOutput(64);
  out.writeByte(type);
  write(out);
  out.writeByte(10);
  out.writeByte(0);
  const bytes = out.buffer.slice(0, out.length + 8);
  new DataView(bytes.buffer).setBigUint64(out.length, crc64(bytes, 0, out.length), true);
  return bytes;
}

function zsetPayload(members: string[]): Uint8Array {
  return payload(RdbType.Zset2, (out) => {
    writeLength(out, members.length);
    members.forEach((m, i) => {
      writeString(out, b(m), 0, m.length, false);
      writeBinaryDouble(out, i);
    });
  });
}

function setPayload(members: string[]): Uint8Array {
  return payload(RdbType.Set, (out) => {
    writeLength(out, members.length);
    for (const m of members) writeString(out, b(m), 0, m.length, false);
  });
}

/** A LIST_QUICKLIST_2 of `nodes` listpack nodes, then a node with an invalid container. */
function badListPayload(nodes: number): Uint8Array {
  return payload(RdbType.ListQuicklist2, (out) => {
    writeLength(out, nodes + 1);
    for (let n = 0; n < nodes; n++) {
      const builder = new ListpackBuilder();
      builder.begin();
      for (let i = 0; i < 100; i++) builder.appendString(b(`element-${n}-${i}`), 0, `element-${n}-${i}`.length);
      const lp = builder.finish();
      writeQuicklistNode(out, QuicklistContainer.Packed, lp, 0, lp.length, false);
    }
    writeLength(out, 7);
    writeString(out, b("x"), 0, 1, false);
  });
}

function restore(ks: Keyspace, bytes: Uint8Array): { status: PayloadStatus; encoding?: number } {
  const load = new ValueLoad();
  load.host = ks;
  const status = loadDumpPayload(bytes, 0, bytes.length, new RdbReader(), load);
  if (status !== PayloadStatus.Ok) return { status };
  const db = ks.db(0);
  const key = b("k");
  const old = db.lookupWrite(key, 0, key.length);
  if (old >= 0) db.deleteRef(old);
  db.lookupWrite(key, 0, key.length);
  const ref = load.commit(db, key, 0, key.length, 0, true);
  return { status, encoding: db.encodingAt(ref) };
}

const names = (n: number, prefix = "m"): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const ints = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i * 3));

describe("loads build in the keyspace's pool", () => {
  it("a zset gets its encoding from the configured limits at load", () => {
    const { ks } = manualKeyspace();
    expect(restore(ks, zsetPayload(names(200))).encoding).toBe(Encoding.SkipList);
    ks.limits.zsetMaxListpackEntries = 1000;
    expect(restore(ks, zsetPayload(names(200))).encoding).toBe(Encoding.ListPack);
    ks.limits.zsetMaxListpackValue = 3;
    expect(restore(ks, zsetPayload(["a", "bb", "cccc"])).encoding).toBe(Encoding.SkipList);
  });

  it("a set gets its encoding from the configured limits at load", () => {
    const { ks } = manualKeyspace();
    expect(restore(ks, setPayload(ints(600))).encoding).toBe(Encoding.HashTable);
    ks.limits.setMaxIntsetEntries = 1000;
    expect(restore(ks, setPayload(ints(600))).encoding).toBe(Encoding.IntSet);
    ks.limits.setMaxIntsetEntries = 10;
    expect(restore(ks, setPayload(ints(11))).encoding).toBe(Encoding.HashTable);
  });

  it("a refused payload frees what it allocated in the pool", () => {
    const { ks } = manualKeyspace();
    const before = ks.pool.usedBytes;
    const used = ks.usedMemory;
    const cases = [
      zsetPayload([...names(300), "m7"]),
      setPayload([...names(600), "m9"]),
      setPayload([...ints(600), "0"]),
      badListPayload(5),
    ];
    for (const bytes of cases) {
      expect(restore(ks, bytes).status).toBe(PayloadStatus.BadFormat);
      expect(ks.pool.usedBytes).toBe(before);
      expect(ks.usedMemory).toBe(used);
    }
  });

  it("a load without a keyspace throws", () => {
    for (const bytes of [zsetPayload(names(3)), setPayload(names(3)), badListPayload(1)]) {
      const load = new ValueLoad();
      expect(() => loadDumpPayload(bytes, 0, bytes.length, new RdbReader(), load)).toThrow(/without a keyspace/);
    }
  });
});

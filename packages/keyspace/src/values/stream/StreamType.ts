import type { KvPool } from "@nedis/allocators/kv-pool";
import { type RdbOutput, type RdbReader, RdbType } from "@nedis/rdb";
import { Encoding, ObjectType } from "../../types.js";
import { mixDigest } from "../digest.js";
import type { CommandSink, OutOfLineValue, RdbSaveOptions, ValueReader, ValueType, ValueWriter } from "../ValueType.js";
import { StreamIterator } from "./StreamIterator.js";
import { StreamObject } from "./StreamObject.js";
import { elementBytes, elementCopy, elementEnd, elementStart, loadElement } from "./streamFields.js";
import { formatStreamId } from "./streamId.js";
import { duplicateStream, loadStream, saveStream } from "./streamRdb.js";

const text = new TextEncoder();
const it = new StreamIterator();

function streamAt(db: ValueReader, ref: number): StreamObject {
  return db.objectAt(ref) as StreamObject;
}

/**
 * Streams (Redis's OBJ_STREAM, encoding `stream`): always out of line, a {@link StreamObject}
 * of pool listpack nodes. Saved as STREAM_LISTPACKS_2 with the node bytes as they are.
 */
export const StreamType: ValueType = {
  type: ObjectType.Stream,
  name: "stream",
  rdbTypes: [RdbType.StreamListpacks2, RdbType.StreamListpacks],
  outOfLineEncodings: [Encoding.Stream],

  free(object: OutOfLineValue, _pool: KvPool): void {
    if (object instanceof StreamObject) object.free();
  },

  ownedBytes(db: ValueReader, ref: number, _samples: number): number {
    const s = streamAt(db, ref);
    return s.memoryUsage() + s.nodeBytes();
  },

  duplicate(db: ValueReader, ref: number, into: ValueWriter): void {
    const host = into.host;
    if (host === null) throw new Error("keyspace: a stream is copied without a keyspace");
    into.outOfLine(duplicateStream(streamAt(db, ref), host), Encoding.Stream);
  },

  rdbType(_db: ValueReader, _ref: number): RdbType {
    return RdbType.StreamListpacks2;
  },

  rdbSave(db: ValueReader, ref: number, out: RdbOutput, options: RdbSaveOptions): void {
    saveStream(streamAt(db, ref), out, options);
  },

  rdbLoad(rdbType: RdbType, reader: RdbReader, into: ValueWriter): void {
    loadStream(reader, into, rdbType === RdbType.StreamListpacks2);
  },

  rewrite(db: ValueReader, ref: number, key: Uint8Array, emit: CommandSink): void {
    const s = streamAt(db, ref);
    const bulk = (v: string | bigint | number): Uint8Array => text.encode(String(v));
    if (s.length > 0) {
      it.begin(s, null, null, false);
      while (it.next()) {
        const args: Uint8Array[] = [bulk("XADD"), key, bulk(formatStreamId(it.id))];
        for (let i = 0; i < it.numFields; i++) {
          it.nextField();
          args.push(elementCopy(it.page, it.fieldP), elementCopy(it.page, it.valueP));
        }
        emit(args);
      }
    } else {
      emit([bulk("XADD"), key, bulk("MAXLEN"), bulk("0"), bulk("0-1"), bulk("x"), bulk("y")]);
    }
    emit([
      bulk("XSETID"),
      key,
      bulk(formatStreamId(s.lastId)),
      bulk("ENTRIESADDED"),
      bulk(s.entriesAdded),
      bulk("MAXDELETEDID"),
      bulk(formatStreamId(s.maxDeletedId)),
    ]);
    if (s.groups === null) return;
    for (const g of s.groups.inOrder()) {
      emit([
        bulk("XGROUP"),
        bulk("CREATE"),
        key,
        g.name,
        bulk(formatStreamId(g.lastId)),
        bulk("ENTRIESREAD"),
        bulk(g.entriesRead),
      ]);
      const pel = g.pel;
      for (const c of g.consumersInOrder()) {
        if (c.pending === 0) {
          emit([bulk("XGROUP"), bulk("CREATECONSUMER"), key, g.name, c.name]);
          continue;
        }
        for (let i = 0; i < pel.length; i++) {
          if (pel.owner[i] !== c.slot) continue;
          emit([
            bulk("XCLAIM"),
            key,
            g.name,
            c.name,
            bulk("0"),
            bulk(formatStreamId(pel.idAt(i))),
            bulk("TIME"),
            bulk(pel.deliveryTime[i]!),
            bulk("RETRYCOUNT"),
            bulk(pel.deliveryCount[i]!),
            bulk("JUSTID"),
            bulk("FORCE"),
          ]);
        }
      }
    }
  },

  digest(db: ValueReader, ref: number, digest: Uint8Array): void {
    it.begin(streamAt(db, ref), null, null, false);
    while (it.next()) {
      mixDigest(digest, text.encode(`${it.id.ms}.${it.id.seq}`));
      for (let i = 0; i < it.numFields; i++) {
        it.nextField();
        loadElement(it.page, it.fieldP);
        mixDigest(digest, elementBytes.subarray(elementStart, elementEnd));
        loadElement(it.page, it.valueP);
        mixDigest(digest, elementBytes.subarray(elementStart, elementEnd));
      }
    }
  },
};

import type { KvPool } from "@nedis/allocators/kv-pool";
import {
  QuicklistContainer,
  RdbFormatError,
  type RdbOutput,
  type RdbReader,
  RdbType,
  writeLength,
  writeQuicklistNode,
} from "@nedis/rdb";
import { lpLength, lpValidateIntegrity } from "@nedis/rdb/listpack";
import { Encoding, ObjectType } from "../../types.js";
import { mixDigest } from "../digest.js";
import type { CommandSink, OutOfLineValue, RdbSaveOptions, ValueReader, ValueType, ValueWriter } from "../ValueType.js";
import { listValue } from "./ListValue.js";
import { HeapNodeAllocator } from "./listAllocators.js";
import { ListQuicklist, listTypeNext, listTypeSeek } from "./listRead.js";

const RPUSH = new TextEncoder().encode("RPUSH");
/** AOF_REWRITE_ITEMS_PER_CMD. */
const REWRITE_BATCH = 64;
/** Bytes Redis's objectComputeSize adds per quicklist node (sizeof(quicklistNode)). */
const NODE_OVERHEAD = 32;

/**
 * Lists (Redis 7.0's quicklist objects). Small lists are one listpack inside the entry
 * (`ListPackInline`), saved as a one-node LIST_QUICKLIST_2 exactly as Redis DUMPs its one-node
 * quicklist; large ones a {@link ListQuicklist} whose nodes are Redis's node for node. The type
 * API is in `listOps.ts`.
 */
export const ListType: ValueType = {
  type: ObjectType.List,
  name: "list",
  rdbTypes: [RdbType.ListQuicklist2, RdbType.List],
  outOfLineEncodings: [Encoding.QuickList],

  free(object: OutOfLineValue, _pool: KvPool): void {
    (object as ListQuicklist).free();
  },

  ownedBytes(db: ValueReader, ref: number): number {
    if (db.rawEncodingAt(ref) === Encoding.ListPackInline) return 0;
    const ql = db.objectAt(ref) as ListQuicklist;
    let bytes = ql.memoryUsage();
    for (let i = 0; i < ql.nodeCount; i++) bytes += ql.nodeSize(i) + NODE_OVERHEAD;
    return bytes;
  },

  duplicate(db: ValueReader, ref: number, into: ValueWriter): void {
    db.loadValue(ref);
    if (db.rawEncodingAt(ref) === Encoding.ListPackInline) {
      into.inline(db.valueBuf, db.valueOff, db.valueLen, Encoding.ListPackInline);
      return;
    }
    const src = db.objectAt(ref) as ListQuicklist;
    const alloc = src.allocator instanceof HeapNodeAllocator ? new HeapNodeAllocator() : src.allocator;
    const copy = new ListQuicklist(alloc, src.fill);
    for (let i = 0; i < src.nodeCount; i++) {
      const page = src.nodePage(i);
      const off = src.nodeOffset(i);
      if (src.nodeIsPlain(i)) copy.appendPlainNode(page, off, src.nodeSize(i));
      else copy.appendListpackNode(page, off, src.nodeSize(i));
    }
    into.outOfLine(copy, Encoding.QuickList);
  },

  rdbType(): RdbType {
    return RdbType.ListQuicklist2;
  },

  rdbSave(db: ValueReader, ref: number, out: RdbOutput, options: RdbSaveOptions): void {
    db.loadValue(ref);
    if (db.rawEncodingAt(ref) === Encoding.ListPackInline) {
      writeLength(out, 1);
      writeQuicklistNode(
        out,
        QuicklistContainer.Packed,
        db.valueBuf,
        db.valueOff,
        db.valueOff + db.valueLen,
        options.compress,
      );
      return;
    }
    const ql = db.objectAt(ref) as ListQuicklist;
    writeLength(out, ql.nodeCount);
    for (let i = 0; i < ql.nodeCount; i++) {
      const off = ql.nodeOffset(i);
      const container = ql.nodeIsPlain(i) ? QuicklistContainer.Plain : QuicklistContainer.Packed;
      writeQuicklistNode(out, container, ql.nodePage(i), off, off + ql.nodeSize(i), options.compress);
    }
  },

  rdbLoad(rdbType: RdbType, reader: RdbReader, into: ValueWriter): void {
    // Staged on the heap (no pool here); the nodes move into the pool on the first write.
    const ql = new ListQuicklist(new HeapNodeAllocator());
    const n = reader.readLength();
    if (rdbType === RdbType.List) {
      for (let i = 0; i < n; i++) {
        reader.readString();
        ql.pushTail(reader.stringBytes, reader.stringStart, reader.stringEnd - reader.stringStart);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const container = reader.readLength();
        if (container !== QuicklistContainer.Plain && container !== QuicklistContainer.Packed)
          throw new RdbFormatError("Quicklist integrity check failed.");
        reader.readString();
        const bytes = reader.stringBytes;
        const start = reader.stringStart;
        const len = reader.stringEnd - start;
        if (container === QuicklistContainer.Plain) {
          ql.appendPlainNode(bytes, start, len);
          continue;
        }
        // Untrusted bytes: validated deeply, always (a bad node must never reach a command).
        if (!lpValidateIntegrity(bytes, start, len)) throw new RdbFormatError("Listpack integrity check failed.");
        // Redis silently skips empty listpacks.
        if (lpLength(bytes, start) === 0) continue;
        ql.appendListpackNode(bytes, start, len);
      }
    }
    if (ql.length === 0) throw new RdbFormatError("Empty list");
    if (ql.nodeCount === 1 && !ql.nodeIsPlain(0)) {
      into.inline(ql.nodePage(0), ql.nodeOffset(0), ql.nodeSize(0), Encoding.ListPackInline);
      ql.free();
      return;
    }
    into.outOfLine(ql, Encoding.QuickList);
  },

  rewrite(db: ValueReader, ref: number, key: Uint8Array, emit: CommandSink): void {
    if (!listTypeSeek(db, ref, 0, true)) return;
    let batch: Uint8Array[] = [RPUSH, key];
    while (listTypeNext()) {
      batch.push(listValue.bytes.slice(listValue.start, listValue.end));
      if (batch.length === REWRITE_BATCH + 2) {
        emit(batch);
        batch = [RPUSH, key];
      }
    }
    if (batch.length > 2) emit(batch);
  },

  digest(db: ValueReader, ref: number, digest: Uint8Array): void {
    if (!listTypeSeek(db, ref, 0, true)) return;
    while (listTypeNext()) mixDigest(digest, listValue.bytes.subarray(listValue.start, listValue.end));
  },
};

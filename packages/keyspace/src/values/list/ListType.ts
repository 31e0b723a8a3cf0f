import type { KvPool } from "@nedis/allocators/kv-pool";
import {
  QuicklistContainer,
  RdbFormatError,
  RdbOutput,
  type RdbReader,
  RdbType,
  writeDecimal,
  writeLength,
  writeQuicklistNode,
} from "@nedis/rdb";
import { ListpackBuilder, lpLength, lpValidateIntegrity } from "@nedis/rdb/listpack";
import { Encoding, ObjectType } from "../../types.js";
import { mixDigest } from "../digest.js";
import type { EncodingLimits } from "../EncodingLimits.js";
import type {
  CommandSink,
  OutOfLineValue,
  RdbSaveOptions,
  ValueHost,
  ValueReader,
  ValueType,
  ValueWriter,
} from "../ValueType.js";
import { listValue } from "./ListValue.js";
import { poolAllocator } from "./listAllocators.js";
import { ListQuicklist, listTypeNext, listTypeSeek } from "./listRead.js";
import { readZiplist } from "./ziplist.js";

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
  rdbTypes: [RdbType.ListQuicklist2, RdbType.List, RdbType.ListQuicklist, RdbType.ListZiplist],
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
    // `quicklistDup`: the same nodes and fill, in the target keyspace's pool.
    const copy = new ListQuicklist(poolAllocator(hostOf(into).memory), src.fill);
    try {
      for (let i = 0; i < src.nodeCount; i++) {
        const page = src.nodePage(i);
        const off = src.nodeOffset(i);
        if (src.nodeIsPlain(i)) copy.appendPlainNode(page, off, src.nodeSize(i));
        else copy.appendListpackNode(page, off, src.nodeSize(i));
      }
    } catch (err) {
      copy.free();
      throw err;
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
    // Built in the keyspace's pool with its `list-max-listpack-size`, as Redis's `quicklistNew`.
    const host = hostOf(into);
    const ql = new ListQuicklist(poolAllocator(host.memory), host.limits.listMaxListpackSize);
    try {
      loadNodes(rdbType, reader, ql);
    } catch (err) {
      // A refused payload frees what it allocated in the pool.
      loading = null;
      ql.free();
      throw err;
    }
    if (ql.length === 0) {
      ql.free();
      throw new RdbFormatError("Empty list");
    }
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

  // debug.c's quicklist fields; an inline list is a one-node quicklist of the current fill.
  debugFields(db: ValueReader, ref: number, limits: EncodingLimits): string {
    let nodes = 1;
    let count: number;
    let bytes: number;
    let fill = limits.listMaxListpackSize;
    if (db.rawEncodingAt(ref) === Encoding.ListPackInline) {
      db.loadValue(ref);
      count = lpLength(db.valueBuf, db.valueOff);
      bytes = db.valueLen;
    } else {
      const ql = db.objectAt(ref) as ListQuicklist;
      nodes = ql.nodeCount;
      count = ql.length;
      fill = ql.fill;
      bytes = 0;
      for (let i = 0; i < nodes; i++) bytes += ql.nodeSize(i);
    }
    return ` ql_nodes:${nodes} ql_avg_node:${(count / nodes).toFixed(2)} ql_listpack_max:${fill} ql_compressed:0 ql_uncompressed_size:${bytes}`;
  },
};

// Decoding of old ziplist payloads (see rdbLoad): one builder and a digits scratch, reused.
const nodeOutput = new RdbOutput(256);
const nodeBuilder = new ListpackBuilder(nodeOutput);
const digits = new Uint8Array(24);
let loading: ListQuicklist | null = null;

function appendElement(bytes: Uint8Array, start: number, end: number, value: number | bigint): void {
  if (start >= 0) nodeBuilder.appendString(bytes, start, end);
  else nodeBuilder.appendInteger(value);
}

function pushElement(bytes: Uint8Array, start: number, end: number, value: number | bigint): void {
  const ql = loading as ListQuicklist;
  if (start >= 0) ql.pushTail(bytes, start, end - start);
  else ql.pushTail(digits, 0, writeDecimal(digits, 0, value));
}

/** The keyspace a list is built for; a caller without one has no pool for the nodes. */
function hostOf(into: ValueWriter): ValueHost {
  const host = into.host;
  if (host === null) throw new Error("keyspace: a list value is built without a keyspace");
  return host;
}

/** Reads the nodes or elements of a list payload of RDB type `rdbType` into `ql`. */
function loadNodes(rdbType: RdbType, reader: RdbReader, ql: ListQuicklist): void {
  const n = rdbType === RdbType.ListZiplist ? 0 : reader.readLength();
  if (rdbType === RdbType.List) {
    for (let i = 0; i < n; i++) {
      reader.readString();
      ql.pushTail(reader.stringBytes, reader.stringStart, reader.stringEnd - reader.stringStart);
    }
  } else if (rdbType === RdbType.ListZiplist) {
    // One ziplist blob: its elements are pushed as Redis's quicklistPushTail would.
    reader.readString();
    loading = ql;
    readZiplist(reader.stringBytes, reader.stringStart, reader.stringEnd - reader.stringStart, pushElement);
    loading = null;
  } else if (rdbType === RdbType.ListQuicklist) {
    // Redis ≤ 6.2 nodes: each ziplist becomes one listpack node with the same elements.
    for (let i = 0; i < n; i++) {
      reader.readString();
      nodeOutput.reset();
      const builder = nodeBuilder.begin();
      readZiplist(reader.stringBytes, reader.stringStart, reader.stringEnd - reader.stringStart, appendElement);
      if (builder.count === 0) continue;
      const lp = builder.finish();
      ql.appendListpackNode(lp, 0, lp.length);
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
      if (len === 0) throw new RdbFormatError("Empty quicklist node");
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
}

import { RdbFormatError, type RdbOutput, type RdbReader, writeLength, writeString } from "@nedis/rdb";
import { lpBytes, lpFirst, lpGetInteger, lpNext, validateListpack } from "@nedis/rdb/listpack";
import { Encoding } from "../../types.js";
import type { RdbSaveOptions, ValueHost, ValueWriter } from "../ValueType.js";
import { ConsumerGroups } from "./ConsumerGroups.js";
import { StreamObject } from "./StreamObject.js";
import { STREAM_ITEM_FLAG_SAMEFIELDS } from "./streamAppend.js";
import { compareStreamId, decodeStreamId, encodeStreamId, type StreamId, type U64, u64, u64Big } from "./streamId.js";

/**
 * A stream as RDB_TYPE_STREAM_LISTPACKS_2 holds it (rdb.c): the nodes (16-byte master ID key,
 * listpack bytes as they are), the metadata, then the consumer groups with their PELs and
 * consumers. Loads build the object in the target keyspace's pool.
 */

const key = new Uint8Array(16);

/** `rdbSaveLen` of a u64. */
function writeLength64(out: RdbOutput, n: U64): void {
  if (typeof n === "number") {
    writeLength(out, n);
    return;
  }
  out.writeByte(0x81);
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n, false);
  out.writeBytes(b, 0, 8);
}

/** `rdbLoadLen` of a u64. */
function readLength64(reader: RdbReader): U64 {
  if (reader.bytes[reader.offset] === 0x81) {
    reader.readByte();
    const at = reader.skip(8);
    return u64(new DataView(reader.bytes.buffer, reader.bytes.byteOffset + at, 8).getBigUint64(0, false));
  }
  return reader.readLength();
}

/** `rdbSaveMillisecondTime`: 8 bytes little endian. */
function writeMillis(out: RdbOutput, ms: number): void {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt(Math.trunc(ms)), true);
  out.writeBytes(b, 0, 8);
}

function writeId(out: RdbOutput, id: StreamId): void {
  writeLength64(out, id.ms);
  writeLength64(out, id.seq);
}

function readId(reader: RdbReader): StreamId {
  const ms = readLength64(reader);
  return { ms, seq: readLength64(reader) };
}

/** Writes the stream after its type byte. */
export function saveStream(s: StreamObject, out: RdbOutput, options: RdbSaveOptions): void {
  writeLength(out, s.nodeCount);
  for (let i = 0; i < s.nodeCount; i++) {
    encodeStreamId(s.masterId(i), key, 0);
    writeString(out, key, 0, 16, false);
    const page = s.page(i);
    const off = s.offset(i);
    writeString(out, page, off, off + lpBytes(page, off), options.compress);
  }
  writeLength(out, s.length);
  writeId(out, s.lastId);
  writeId(out, s.firstId);
  writeId(out, s.maxDeletedId);
  writeLength64(out, s.entriesAdded);
  const groups = s.groups;
  if (groups === null) {
    writeLength(out, 0);
    return;
  }
  writeLength(out, groups.size);
  for (const g of groups.inOrder()) {
    writeString(out, g.name, 0, g.name.length, options.compress);
    writeId(out, g.lastId);
    writeLength64(out, u64(BigInt.asUintN(64, g.entriesRead)));
    const pel = g.pel;
    writeLength(out, pel.length);
    for (let i = 0; i < pel.length; i++) {
      encodeStreamId(pel.idAt(i), key, 0);
      out.writeBytes(key, 0, 16);
      writeMillis(out, pel.deliveryTime[i] as number);
      writeLength(out, pel.deliveryCount[i] as number);
    }
    const consumers = g.consumersInOrder();
    writeLength(out, consumers.length);
    for (const c of consumers) {
      writeString(out, c.name, 0, c.name.length, options.compress);
      writeMillis(out, c.seenTime);
      writeLength(out, c.pending);
      for (let i = 0; i < pel.length; i++) {
        if (pel.owner[i] !== c.slot) continue;
        encodeStreamId(pel.idAt(i), key, 0);
        out.writeBytes(key, 0, 16);
      }
    }
  }
}

/** Reads a stream (RDB_TYPE_STREAM_LISTPACKS_2) into `into`; throws RdbFormatError when invalid. */
export function loadStream(reader: RdbReader, into: ValueWriter, v2: boolean): void {
  const host: ValueHost | null = into.host;
  if (host === null) throw new Error("keyspace: a stream is built without a keyspace");
  const s = new StreamObject(host.pool, host.memory);
  try {
    const nodes = reader.readLength();
    let previous: StreamId | null = null;
    for (let i = 0; i < nodes; i++) {
      reader.readString();
      if (reader.stringEnd - reader.stringStart !== 16)
        throw new RdbFormatError("Stream node key entry is not the size of a stream ID");
      const master = decodeStreamId(reader.stringBytes, reader.stringStart);
      reader.readString();
      const bytes = reader.stringBytes;
      const start = reader.stringStart;
      const len = reader.stringEnd - start;
      if (len < 7 || lpBytes(bytes, start) !== len || validateListpack(bytes, start, start + len) < 0)
        throw new RdbFormatError("Stream listpack integrity check failed.");
      if (lpFirst(bytes, start) < 0) throw new RdbFormatError("Empty listpack inside stream");
      validateMasterEntry(bytes, start);
      if (previous !== null && compareStreamId(previous, master) >= 0)
        throw new RdbFormatError("Listpack re-added with existing key");
      previous = master;
      const handle = host.memory.alloc(len);
      host.pool.pageOf(handle).set(bytes.subarray(start, start + len), host.pool.offsetOf(handle));
      s.pushNode(handle, master);
    }
    s.packClosed();
    s.length = reader.readLength();
    s.lastId = readId(reader);
    if (v2) {
      s.firstId = readId(reader);
      s.maxDeletedId = readId(reader);
      s.entriesAdded = readLength64(reader);
    } else {
      s.entriesAdded = s.length;
    }
    if (s.length > 0 && s.nodeCount === 0) throw new RdbFormatError("Stream length inconsistent with rax entries");
    const groupCount = reader.readLength();
    if (groupCount > 0) s.groups = new ConsumerGroups();
    const now = Date.now();
    for (let g = 0; g < groupCount; g++) {
      const name = readCopy(reader);
      const lastId = readId(reader);
      const entriesRead = v2 ? BigInt.asIntN(64, u64Big(readLength64(reader))) : -1n;
      const group = s.groups!.create(name, lastId, entriesRead);
      if (group === null) throw new RdbFormatError("Duplicated consumer group name");
      const pelSize = reader.readLength();
      const pel = group.pel;
      for (let i = 0; i < pelSize; i++) {
        const at = reader.skip(16);
        const id = decodeStreamId(reader.bytes, at);
        const time = reader.readInt64LEAsNumber();
        const count = reader.readLength();
        const slot = pel.find(id);
        if (slot >= 0) throw new RdbFormatError("Duplicated global PEL entry loading stream consumer group");
        pel.insertAt(-slot - 1, id, time, count, -1);
      }
      const consumers = reader.readLength();
      for (let c = 0; c < consumers; c++) {
        const cname = readCopy(reader);
        const consumer = group.createConsumer(cname, now);
        if (consumer === null) throw new RdbFormatError("Duplicate stream consumer detected.");
        consumer.seenTime = reader.readInt64LEAsNumber();
        const owned = reader.readLength();
        for (let i = 0; i < owned; i++) {
          const at = reader.skip(16);
          const slot = pel.find(decodeStreamId(reader.bytes, at));
          if (slot < 0) throw new RdbFormatError("Consumer entry not found in group global PEL");
          if (pel.owner[slot] !== -1)
            throw new RdbFormatError("Duplicated consumer PEL entry loading a stream consumer group");
          pel.owner[slot] = consumer.slot;
          consumer.pending++;
        }
      }
      for (let i = 0; i < pel.length; i++)
        if (pel.owner[i] === -1) throw new RdbFormatError("Stream PEL NACK missing a consumer");
    }
  } catch (err) {
    s.free();
    throw err;
  }
  into.outOfLine(s, Encoding.Stream);
}

/**
 * `streamValidateListpackIntegrity` (deep): the master entry, then every entry's flags, ID
 * deltas, fields, values and lp-count, with nothing left over — so iteration in either
 * direction never walks off a node, whatever a payload holds.
 */
function validateMasterEntry(bytes: Uint8Array, start: number): void {
  const elements: number[] = [];
  for (let p = lpFirst(bytes, start); p >= 0; p = lpNext(bytes, start, p)) elements.push(p);
  let i = 0;
  const fail = (): never => {
    throw new RdbFormatError("Stream listpack integrity check failed.");
  };
  const int = (): number => {
    const p = elements[i++];
    if (p === undefined) return fail();
    const v = lpGetInteger(bytes, p);
    return Number.isNaN(v) ? fail() : v;
  };
  const count = int();
  const deleted = int();
  const masterFields = int();
  if (count < 0 || deleted < 0 || masterFields < 0) fail();
  i += masterFields;
  if (int() !== 0) fail();
  for (let e = count + deleted; e > 0; e--) {
    const flags = int();
    int();
    int();
    let fields = masterFields;
    let extra = 3;
    if ((flags & STREAM_ITEM_FLAG_SAMEFIELDS) === 0) {
      fields = int();
      if (fields < 0) fail();
      i += fields;
      extra += fields + 1;
    }
    i += fields;
    if (int() !== fields + extra) fail();
  }
  if (i !== elements.length) fail();
}

/** COPY: a deep copy of every node and group (`streamDup`). */
export function duplicateStream(s: StreamObject, host: ValueHost): StreamObject {
  const copy = new StreamObject(host.pool, host.memory);
  for (let i = 0; i < s.nodeCount; i++) {
    const page = s.page(i);
    const off = s.offset(i);
    const len = lpBytes(page, off);
    const handle = host.memory.alloc(len);
    host.pool.pageOf(handle).set(page.subarray(off, off + len), host.pool.offsetOf(handle));
    copy.pushNode(handle, s.masterId(i));
  }
  copy.packClosed();
  copy.length = s.length;
  copy.lastId = s.lastId;
  copy.firstId = s.firstId;
  copy.maxDeletedId = s.maxDeletedId;
  copy.entriesAdded = s.entriesAdded;
  if (s.groups !== null) {
    copy.groups = new ConsumerGroups();
    for (const g of s.groups.inOrder()) {
      const cg = copy.groups.create(g.name, g.lastId, g.entriesRead)!;
      const slotMap = new Map<number, number>();
      for (const c of g.consumersInOrder()) {
        const nc = cg.createConsumer(c.name, c.seenTime)!;
        nc.pending = c.pending;
        slotMap.set(c.slot, nc.slot);
      }
      const pel = g.pel;
      for (let i = 0; i < pel.length; i++)
        cg.pel.insertAt(i, pel.idAt(i), pel.deliveryTime[i]!, pel.deliveryCount[i]!, slotMap.get(pel.owner[i]!)!);
    }
  }
  return copy;
}

/** A string read into its own bytes (the reader's may be a view of the payload). */
function readCopy(reader: RdbReader): Uint8Array {
  reader.readString();
  return new Uint8Array(reader.stringBytes.subarray(reader.stringStart, reader.stringEnd));
}

/**
 * A plain model of a DUMP payload's value, decoded with the package's readers and re-encoded
 * with its writers, so tests can prove that decoding then encoding a Redis payload gives back
 * Redis's exact bytes.
 */
import { QuicklistContainer, RdbStringEncoding, RdbType } from "../../src/constants.js";
import { beginDumpPayload, openDumpPayload, writeDumpFooter } from "../../src/dumpPayload.js";
import { IntsetView, writeIntset } from "../../src/intset/intsetFormat.js";
import { ListpackBuilder } from "../../src/listpack/ListpackBuilder.js";
import { ListpackReader } from "../../src/listpack/ListpackReader.js";
import { lzfCompress } from "../../src/lzf.js";
import { writeBinaryDouble, writeQuicklistNode } from "../../src/objectEncoding.js";
import { RdbOutput } from "../../src/RdbOutput.js";
import { RdbReader } from "../../src/RdbReader.js";
import { writeLength, writeLzfBlob, writeString } from "../../src/stringEncoding.js";

/** A listpack entry: bytes for strings, a bigint for integers. */
export type Entry = Uint8Array | bigint;

export interface QuicklistNode {
  container: QuicklistContainer;
  /** True when Redis saved the node as it was compressed in memory (rdbSaveLzfBlob). */
  compressedInMemory: boolean;
  entries: Entry[];
  /** The element of a plain node. */
  plain?: Uint8Array;
}

export type DumpModel =
  | { type: typeof RdbType.String; value: Uint8Array }
  | { type: typeof RdbType.HashListpack | typeof RdbType.ZsetListpack; entries: Entry[] }
  | { type: typeof RdbType.ListQuicklist2; nodes: QuicklistNode[] }
  | { type: typeof RdbType.SetIntset; values: bigint[] }
  | { type: typeof RdbType.Set; members: Uint8Array[] }
  | { type: typeof RdbType.Hash; pairs: [Uint8Array, Uint8Array][] }
  | { type: typeof RdbType.Zset2; members: [Uint8Array, number][] };

export function readListpack(bytes: Uint8Array, start = 0, end = bytes.length): Entry[] {
  const reader = new ListpackReader().reset(bytes, start, end);
  const entries: Entry[] = [];
  while (reader.next())
    entries.push(reader.isInteger ? reader.bigInteger() : bytes.slice(reader.stringStart, reader.stringEnd));
  return entries;
}

/** Builds a listpack from entries the way Redis would from their string forms (lpAppend). */
export function buildListpack(entries: Entry[]): Uint8Array {
  const builder = new ListpackBuilder().begin();
  for (const e of entries) {
    if (typeof e === "bigint") builder.appendInteger(e);
    else builder.appendString(e, 0, e.length);
  }
  return builder.finish().slice();
}

/** Decodes a (verified) DUMP payload of the types Redis 7.0 writes for small and large values. */
export function decodeDump(payload: Uint8Array): DumpModel {
  const reader = new RdbReader();
  const type = openDumpPayload(reader, payload);
  switch (type) {
    case RdbType.String:
      return { type, value: reader.readStringCopy() };
    case RdbType.HashListpack:
    case RdbType.ZsetListpack:
      return { type, entries: readListpack(reader.readStringCopy()) };
    case RdbType.SetIntset: {
      const view = new IntsetView(reader.readStringCopy());
      return { type, values: Array.from({ length: view.length }, (_, i) => view.getBigInt(i)) };
    }
    case RdbType.ListQuicklist2: {
      const nodes: QuicklistNode[] = [];
      for (let n = reader.readLength(); n > 0; n--) {
        const container = reader.readLength() as QuicklistContainer;
        const blob = reader.readStringCopy();
        const compressedInMemory = reader.stringEncoding === RdbStringEncoding.Lzf;
        if (container === QuicklistContainer.Plain)
          nodes.push({ container, compressedInMemory, entries: [], plain: blob });
        else nodes.push({ container, compressedInMemory, entries: readListpack(blob) });
      }
      return { type, nodes };
    }
    case RdbType.Set: {
      const members: Uint8Array[] = [];
      for (let n = reader.readLength(); n > 0; n--) members.push(reader.readStringCopy());
      return { type, members };
    }
    case RdbType.Hash: {
      const pairs: [Uint8Array, Uint8Array][] = [];
      for (let n = reader.readLength(); n > 0; n--) pairs.push([reader.readStringCopy(), reader.readStringCopy()]);
      return { type, pairs };
    }
    case RdbType.Zset2: {
      const members: [Uint8Array, number][] = [];
      for (let n = reader.readLength(); n > 0; n--) members.push([reader.readStringCopy(), reader.readBinaryDouble()]);
      return { type, members };
    }
    default:
      throw new Error(`decodeDump: type ${type} not modelled`);
  }
}

/**
 * Encodes a model as a DUMP payload. Quicklist nodes that Redis had compressed in memory are
 * compressed the way quicklist.c does (output limited to the node size) and saved as a blob.
 */
export function encodeDump(model: DumpModel): Uint8Array {
  const out = new RdbOutput(64);
  const start = beginDumpPayload(out, model.type);
  const putBytes = (b: Uint8Array): void => writeString(out, b, 0, b.length);
  switch (model.type) {
    case RdbType.String:
      putBytes(model.value);
      break;
    case RdbType.HashListpack:
    case RdbType.ZsetListpack:
      putBytes(buildListpack(model.entries));
      break;
    case RdbType.SetIntset: {
      const blob = new RdbOutput(16);
      writeIntset(blob, model.values);
      putBytes(blob.view());
      break;
    }
    case RdbType.ListQuicklist2:
      writeLength(out, model.nodes.length);
      for (const node of model.nodes) {
        const bytes = node.container === QuicklistContainer.Plain ? node.plain! : buildListpack(node.entries);
        if (node.compressedInMemory) {
          const packed = new Uint8Array(bytes.length);
          const n = lzfCompress(bytes, 0, bytes.length, packed, 0, bytes.length);
          writeLength(out, node.container);
          writeLzfBlob(out, packed, 0, n, bytes.length);
        } else {
          writeQuicklistNode(out, node.container, bytes, 0, bytes.length);
        }
      }
      break;
    case RdbType.Set:
      writeLength(out, model.members.length);
      model.members.forEach(putBytes);
      break;
    case RdbType.Hash:
      writeLength(out, model.pairs.length);
      for (const [f, v] of model.pairs) {
        putBytes(f);
        putBytes(v);
      }
      break;
    case RdbType.Zset2:
      writeLength(out, model.members.length);
      for (const [m, score] of model.members) {
        putBytes(m);
        writeBinaryDouble(out, score);
      }
      break;
  }
  writeDumpFooter(out, start);
  return out.view().slice();
}

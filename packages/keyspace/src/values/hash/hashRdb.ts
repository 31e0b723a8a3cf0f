import {
  ListpackBuilder,
  lpSkip as lpNextOf,
  RdbFormatError,
  type RdbOutput,
  type RdbReader,
  RdbType,
  validateListpack,
  writeLength,
  writeString,
} from "@nedis/rdb";
import { Encoding } from "../../types.js";
import type { ValueHost, ValueReader, ValueWriter } from "../ValueType.js";
import type { FieldTable } from "./FieldTable.js";
import { HashReader } from "./HashReader.js";
import { newHashTable } from "./HashType.js";
import { ElementView, lpAtEnd, lpHead } from "./hashListpack.js";
import { ziplistToListpack } from "./hashZiplist.js";
import { zipmapToListpack } from "./hashZipmap.js";

/**
 * Hashes in RDB files and DUMP payloads (Redis's rdb.c): a listpack hash is saved as its own
 * bytes (`RDB_TYPE_HASH_LISTPACK`), so DUMP equals Redis's byte for byte; a hashtable as a count
 * and field/value strings (`RDB_TYPE_HASH`). Loading validates untrusted bytes and converts
 * as Redis 7.0's `rdbLoadObject` does.
 */

const reader = new HashReader();

/** Writes the hash at `ref` after its type byte. */
export function saveHash(db: ValueReader, ref: number, out: RdbOutput, compress: boolean): void {
  if (db.rawEncodingAt(ref) === Encoding.HashTable) {
    writeLength(out, (db.objectAt(ref) as FieldTable).count);
    const r = reader.open(db, ref);
    while (r.next()) {
      writeString(out, r.fieldBuf, r.fieldOff, r.fieldOff + r.fieldLen, compress);
      writeString(out, r.valueBuf, r.valueOff, r.valueOff + r.valueLen, compress);
    }
    return;
  }
  db.loadValue(ref);
  writeString(out, db.valueBuf, db.valueOff, db.valueOff + db.valueLen, compress);
}

function hostOf(into: ValueWriter): ValueHost {
  const host = into.host;
  if (host === null) throw new Error("keyspace: a hash value is loaded without a keyspace");
  return host;
}

/** Reads a hash of RDB type `rdbType` into `into`; throws `RdbFormatError` for invalid bytes. */
export function loadHash(rdbType: RdbType, r: RdbReader, into: ValueWriter): void {
  if (rdbType === RdbType.HashListpack) loadListpack(r, into);
  else if (rdbType === RdbType.HashZiplist) loadZiplist(r, into);
  else if (rdbType === RdbType.HashZipmap) loadZipmap(r, into);
  else if (rdbType === RdbType.Hash) loadPairs(r, into);
  else throw new RdbFormatError(`Unknown hash RDB type ${rdbType}`);
}

const fieldView = new ElementView();
const valueView = new ElementView();

function loadListpack(r: RdbReader, into: ValueWriter): void {
  r.readString();
  acceptListpack(r.stringBytes, r.stringStart, r.stringEnd, into);
}

const ziplistBuilder = new ListpackBuilder();

/** `RDB_TYPE_HASH_ZIPLIST` (Redis ≤ 6.2): converted to a listpack, then loaded as one. */
function loadZiplist(r: RdbReader, into: ValueWriter): void {
  r.readString();
  ziplistBuilder.out.reset();
  ziplistBuilder.begin();
  ziplistToListpack(r.stringBytes, r.stringStart, r.stringEnd, ziplistBuilder);
  const lp = ziplistBuilder.finish();
  acceptListpack(lp, 0, lp.length, into);
}

/**
 * `RDB_TYPE_HASH_ZIPMAP` (Redis ≤ 2.4): converted to a listpack; unlike the other packed types
 * it also becomes a hashtable when a field or value passes `hash-max-listpack-value`.
 */
function loadZipmap(r: RdbReader, into: ValueWriter): void {
  r.readString();
  ziplistBuilder.out.reset();
  ziplistBuilder.begin();
  const longest = zipmapToListpack(r.stringBytes, r.stringStart, r.stringEnd, ziplistBuilder);
  const lp = ziplistBuilder.finish();
  acceptListpack(lp, 0, lp.length, into, longest > hostOf(into).limits.hashMaxListpackValue);
}

/**
 * Checks an untrusted hash listpack (integrity, an even count, no field twice, not empty) and
 * writes it into `into`: as it is, or as a hashtable past `hash-max-listpack-entries`.
 */
function acceptListpack(bytes: Uint8Array, start: number, end: number, into: ValueWriter, toTable = false): void {
  const count = validateListpack(bytes, start, end);
  if (count < 0 || (count & 1) !== 0) throw new RdbFormatError("Hash listpack integrity check failed.");
  if (count === 0) throw new RdbFormatError("Empty hash");
  // lpPairsValidateIntegrityAndDups: no field twice.
  const seen = new Set<string>();
  const latin1 = new TextDecoder("latin1");
  let p = lpHead(start);
  for (let i = 0; !lpAtEnd(bytes, p); i++) {
    if ((i & 1) === 0) {
      fieldView.read(bytes, p);
      const name = latin1.decode(fieldView.buf.subarray(fieldView.off, fieldView.off + fieldView.len));
      if (seen.has(name)) throw new RdbFormatError("Hash listpack with duplicate fields");
      seen.add(name);
    }
    p = lpNextOf(bytes, p);
  }
  const host = hostOf(into);
  if (!toTable && count >>> 1 <= host.limits.hashMaxListpackEntries) {
    into.inline(bytes, start, end - start, Encoding.ListPack);
    return;
  }
  const table = newHashTable(host);
  p = lpHead(start);
  while (!lpAtEnd(bytes, p)) {
    fieldView.read(bytes, p);
    p = lpNextOf(bytes, p);
    valueView.read(bytes, p);
    p = lpNextOf(bytes, p);
    table.set(fieldView.buf, fieldView.off, fieldView.len, valueView.buf, valueView.off, valueView.len);
  }
  into.outOfLine(table, Encoding.HashTable);
}

const builder = new ListpackBuilder();
let fieldCopy = new Uint8Array(64);

/** `RDB_TYPE_HASH`: a listpack while the pairs fit (as Redis), else a hashtable. */
function loadPairs(r: RdbReader, into: ValueWriter): void {
  const n = r.readLength();
  if (n === 0) throw new RdbFormatError("Empty hash");
  const host = hostOf(into);
  const limits = host.limits;
  let table: FieldTable | null = n > limits.hashMaxListpackEntries ? newHashTable(host) : null;
  const seen = table === null ? new Set<string>() : null;
  const latin1 = new TextDecoder("latin1");
  builder.out.reset();
  builder.begin();
  try {
    for (let i = 0; i < n; i++) {
      r.readString();
      const fieldLen = r.stringEnd - r.stringStart;
      if (fieldCopy.length < fieldLen) fieldCopy = new Uint8Array(Math.max(fieldLen, fieldCopy.length * 2));
      fieldCopy.set(r.stringBytes.subarray(r.stringStart, r.stringEnd), 0);
      r.readString();
      const value = r.stringBytes;
      const valueOff = r.stringStart;
      const valueLen = r.stringEnd - valueOff;
      if (table === null && (fieldLen > limits.hashMaxListpackValue || valueLen > limits.hashMaxListpackValue)) {
        table = listpackToTable(host, builder.finish());
      }
      if (table !== null) {
        if (!table.set(fieldCopy, 0, fieldLen, value, valueOff, valueLen))
          throw new RdbFormatError("Duplicate hash fields detected");
        continue;
      }
      const name = latin1.decode(fieldCopy.subarray(0, fieldLen));
      if (seen?.has(name)) throw new RdbFormatError("Duplicate hash fields detected");
      seen?.add(name);
      builder.appendString(fieldCopy, 0, fieldLen);
      builder.appendString(value, valueOff, valueOff + valueLen);
    }
  } catch (err) {
    table?.free();
    throw err;
  }
  if (table !== null) {
    into.outOfLine(table, Encoding.HashTable);
    return;
  }
  const lp = builder.finish();
  into.inline(lp, 0, lp.length, Encoding.ListPack);
}

function listpackToTable(host: ValueHost, lp: Uint8Array): FieldTable {
  const table = newHashTable(host);
  let p = lpHead(0);
  while (!lpAtEnd(lp, p)) {
    fieldView.read(lp, p);
    p = lpNextOf(lp, p);
    valueView.read(lp, p);
    p = lpNextOf(lp, p);
    table.set(fieldView.buf, fieldView.off, fieldView.len, valueView.buf, valueView.off, valueView.len);
  }
  return table;
}

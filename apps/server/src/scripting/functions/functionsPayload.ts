import { RdbOutput, RdbReader, writeString } from "@nedis/rdb";
import { crc64 } from "../../observe/crc64.js";
import type { FunctionLibraries, FunctionLibrary } from "./FunctionLibraries.js";

/** Redis 7.0's RDB_VERSION, written in the footer of dump payloads. */
const RDB_VERSION = 10;
/** RDB_OPCODE_FUNCTION2: one library's code. */
export const OPCODE_FUNCTION2 = 245;
/** RDB_OPCODE_FUNCTION: 7.0 release candidates' record (name, engine, description, code). */
export const OPCODE_FUNCTION_PRE_GA = 246;

/** `rdbSaveFunctions`: one FUNCTION2 record per library, its code as an RDB string. */
export function writeFunctionRecords(out: RdbOutput, libraries: Iterable<FunctionLibrary>, compress: boolean): void {
  for (const library of libraries) {
    out.writeByte(OPCODE_FUNCTION2);
    writeString(out, library.code, 0, library.code.length, compress);
  }
}

/** FUNCTION DUMP: the records, the RDB version (2 bytes LE), then the CRC-64 of all before it. */
export function functionsDumpPayload(libraries: Iterable<FunctionLibrary>, compress: boolean): Uint8Array {
  const out = new RdbOutput(256);
  writeFunctionRecords(out, libraries, compress);
  out.writeUint16LE(RDB_VERSION);
  const body = out.view();
  const payload = new Uint8Array(body.length + 8);
  payload.set(body);
  payload.set(crc64(body), body.length);
  return payload;
}

/** `verifyDumpPayload`: a footer with a version Redis 7.0 reads and, unless skipped, a matching CRC-64. */
export function validDumpPayload(payload: Uint8Array, skipChecksum: boolean): boolean {
  if (payload.length < 10) return false;
  const footer = payload.length - 10;
  if ((payload[footer]! | (payload[footer + 1]! << 8)) > RDB_VERSION) return false;
  if (skipChecksum) return true;
  const crc = crc64(payload, 0, payload.length - 8);
  for (let i = 0; i < 8; i++) if (crc[i] !== payload[footer + 2 + i]) return false;
  return true;
}

/**
 * The library code of the record of `type` at the reader (`rdbFunctionLoad`'s reading half): a
 * pre-GA record is turned into `#!<engine> name=<name>\n<code>` as Redis does. Returns the error
 * text when the record is cut short.
 */
export function readLibraryCode(reader: RdbReader, type: number): Buffer | { error: string } {
  const read = (error: string): Buffer | { error: string } => {
    try {
      return Buffer.from(reader.readStringCopy());
    } catch {
      return { error };
    }
  };
  if (type === OPCODE_FUNCTION2) return read("Failed loading library payload");
  const name = read("Failed loading library name");
  if (!Buffer.isBuffer(name)) return name;
  const engine = read("Failed loading engine name");
  if (!Buffer.isBuffer(engine)) return engine;
  let hasDescription: number;
  try {
    hasDescription = reader.readLength();
  } catch {
    return { error: "Failed loading library description indicator" };
  }
  if (hasDescription !== 0) {
    const description = read("Failed loading library description");
    if (!Buffer.isBuffer(description)) return description;
  }
  const blob = read("Failed loading library blob");
  if (!Buffer.isBuffer(blob)) return blob;
  return Buffer.concat([Buffer.from("#!"), engine, Buffer.from(" name="), name, Buffer.from("\n"), blob]);
}

/**
 * FUNCTION RESTORE's reading: every record before the 10-byte footer, each created in `into`
 * (a fresh context). Returns the error text (without ERR), or null.
 */
export function restoreFunctionRecords(payload: Uint8Array, into: FunctionLibraries): string | null {
  // Like Redis's rio over the whole buffer, a record may run into the footer.
  const reader = new RdbReader(payload);
  while (payload.length - reader.offset > 10) {
    const type = reader.readByte();
    if (type !== OPCODE_FUNCTION2 && type !== OPCODE_FUNCTION_PRE_GA) return "given type is not a function";
    const code = readLibraryCode(reader, type);
    if (!Buffer.isBuffer(code)) return code.error;
    const created = into.create(code, false, 0);
    if ("error" in created) return created.error;
  }
  return null;
}

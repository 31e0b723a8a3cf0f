import type { KvPool } from "@nedis/allocators/kv-pool";
import { type RdbOutput, type RdbReader, RdbType, writeString } from "@nedis/rdb";
import { isLongLong } from "../../strings/int64.js";
import { EMBSTR_SIZE_LIMIT, Encoding, ObjectType } from "../../types.js";
import { mixDigest } from "../digest.js";
import type { CommandSink, OutOfLineValue, RdbSaveOptions, ValueReader, ValueType, ValueWriter } from "../ValueType.js";

const SET = new TextEncoder().encode("SET");

/**
 * Strings (Redis's `t_string.c` objects): always inline, the entry's value bytes are the
 * string. Encodings as Redis reports them: `int` for canonical int64 text, `embstr` up to 44
 * bytes, `raw` beyond (and after in-place edits); `SharedInt` marks the small integers Redis
 * would share.
 */
export const StringType: ValueType = {
  type: ObjectType.String,
  name: "string",
  rdbTypes: [RdbType.String],
  outOfLineEncodings: [],

  free(_object: OutOfLineValue, _pool: KvPool): void {
    // Strings are never out of line: their bytes go with their entry.
  },

  ownedBytes(): number {
    return 0;
  },

  duplicate(db: ValueReader, ref: number, into: ValueWriter): void {
    // COPY duplicates the value (Redis's dupStringObject): the encoding, never a shared integer.
    db.loadValue(ref);
    into.inline(db.valueBuf, db.valueOff, db.valueLen, db.encodingAt(ref));
  },

  rdbType(): RdbType {
    return RdbType.String;
  },

  rdbSave(db: ValueReader, ref: number, out: RdbOutput, options: RdbSaveOptions): void {
    db.loadValue(ref);
    writeString(out, db.valueBuf, db.valueOff, db.valueOff + db.valueLen, options.compress);
  },

  rdbLoad(_rdbType: number, reader: RdbReader, into: ValueWriter): void {
    reader.readString();
    const bytes = reader.stringBytes;
    const start = reader.stringStart;
    const len = reader.stringEnd - start;
    // rdbLoadObject then tryObjectEncoding: int for canonical integers, embstr or raw.
    into.inline(bytes, start, len, stringEncodingOf(bytes, start, len, true));
  },

  rewrite(db: ValueReader, ref: number, key: Uint8Array, emit: CommandSink): void {
    db.loadValue(ref);
    emit([SET, key, db.valueBuf.subarray(db.valueOff, db.valueOff + db.valueLen)]);
  },

  digest(db: ValueReader, ref: number, digest: Uint8Array): void {
    db.loadValue(ref);
    mixDigest(digest, db.valueBuf.subarray(db.valueOff, db.valueOff + db.valueLen));
  },
};

/** The encoding Redis gives a string value: int (if `allowInt`), embstr or raw. */
export function stringEncodingOf(value: Uint8Array, off: number, len: number, allowInt: boolean): Encoding {
  if (allowInt && len <= 20 && isLongLong(value, off, off + len)) return Encoding.Int;
  return len <= EMBSTR_SIZE_LIMIT ? Encoding.EmbStr : Encoding.Raw;
}

/**
 * Whether an `int` value is one of Redis's shared integers (0–9999: a canonical int of at most
 * four digits and no sign), given that the policy allows sharing.
 */
export function isSharedIntegerText(value: Uint8Array, off: number, len: number): boolean {
  return len <= 4 && value[off] !== 0x2d;
}

/** How a string value chooses its encoding. */
export const StringEncodingMode = {
  /** `tryObjectEncoding`: int for canonical int64 text, else embstr (≤ 44 bytes) or raw. */
  Auto: 0,
  /** `createStringObject`: embstr (≤ 44 bytes) or raw, never int (INCRBYFLOAT results). */
  NoInt: 1,
  /** Always raw (APPEND, SETRANGE results). */
  Raw: 2,
} as const;
export type StringEncodingMode = (typeof StringEncodingMode)[keyof typeof StringEncodingMode];

/** The encoding Redis would give a string value created in `mode`. */
export function chooseEncoding(mode: StringEncodingMode, value: Uint8Array, off: number, len: number): Encoding {
  if (mode === StringEncodingMode.Raw) return Encoding.Raw;
  return stringEncodingOf(value, off, len, mode === StringEncodingMode.Auto);
}

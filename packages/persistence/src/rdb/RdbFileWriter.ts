import {
  Crc64,
  RDB_VERSION,
  RdbOpcode,
  RdbOutput,
  type RdbType,
  writeIntegerString,
  writeLength,
  writeString,
} from "@nedis/rdb";
import type { RdbSink } from "./RdbSink.js";

/** Options of an RDB file (redis.conf's `rdbcompression` and `rdbchecksum`). */
export interface RdbWriteOptions {
  /** LZF-compress strings longer than 20 bytes when it saves room. */
  compress: boolean;
  /** Append the CRC-64 of the file; 0 when off (Redis skips the check on load then). */
  checksum: boolean;
}

/** The aux fields Redis 7.0 writes at the start of a file (`rdbSaveInfoAuxFields`). */
export interface RdbAuxFields {
  redisVersion: string;
  /** Unix seconds. */
  ctime: number;
  usedMemory: number;
  /** True for the RDB preamble of an AOF base file. */
  aofBase: boolean;
  /** The code of each function library, saved after the aux fields (`rdbSaveFunctions`). */
  functionLibraries?: readonly Uint8Array[];
}

const FLUSH_AT = 1 << 20;
const encoder = new TextEncoder();

/**
 * Writes an RDB file (format 10, Redis 7.0) to a sink in chunks of about 1 MiB, computing the
 * CRC-64 as it goes, so a file of millions of keys never sits in one buffer. The caller writes
 * the header, then per database {@link selectDb} and its keys (each value's bytes come from the
 * value type's `rdbSave`, writing into {@link out}), then {@link finish}.
 */
export class RdbFileWriter {
  /** The pending bytes; value encoders append here between {@link beginKey} and {@link endKey}. */
  readonly out = new RdbOutput(FLUSH_AT + (64 << 10));
  readonly options: RdbWriteOptions;
  /** Bytes handed to the sink so far (plus `out.length` pending). */
  flushed = 0;
  private readonly crc = new Crc64();
  private readonly sink: RdbSink;

  constructor(sink: RdbSink, options: RdbWriteOptions) {
    this.sink = sink;
    this.options = options;
  }

  /** Bytes written so far, pending included. */
  get size(): number {
    return this.flushed + this.out.length;
  }

  /** `REDIS0010`, the aux fields in Redis 7.0's order, then the function libraries (FUNCTION2 records). */
  writeHeader(aux: RdbAuxFields): void {
    const out = this.out;
    out.writeBytes(encoder.encode(`REDIS${String(RDB_VERSION).padStart(4, "0")}`));
    this.auxString("redis-ver", aux.redisVersion);
    this.auxInteger("redis-bits", 64);
    this.auxInteger("ctime", aux.ctime);
    this.auxInteger("used-mem", aux.usedMemory);
    this.auxInteger("aof-base", aux.aofBase ? 1 : 0);
    for (const code of aux.functionLibraries ?? []) {
      out.writeByte(RdbOpcode.Function2);
      writeString(out, code, 0, code.length, this.options.compress);
    }
  }

  /** An aux field whose value is text. */
  auxString(name: string, value: string): void {
    const out = this.out;
    out.writeByte(RdbOpcode.Aux);
    const n = encoder.encode(name);
    writeString(out, n, 0, n.length, false);
    const v = encoder.encode(value);
    writeString(out, v, 0, v.length, false);
  }

  /** An aux field whose value is an integer (saved as Redis's `rdbSaveAuxFieldStrInt` does). */
  auxInteger(name: string, value: number): void {
    const out = this.out;
    out.writeByte(RdbOpcode.Aux);
    const n = encoder.encode(name);
    writeString(out, n, 0, n.length, false);
    writeIntegerString(out, value);
  }

  /** SELECTDB, then RESIZEDB with the database's key and volatile-key counts. */
  selectDb(db: number, keys: number, expires: number): void {
    const out = this.out;
    out.writeByte(RdbOpcode.SelectDb);
    writeLength(out, db);
    out.writeByte(RdbOpcode.ResizeDb);
    writeLength(out, keys);
    writeLength(out, expires);
  }

  /** SELECTDB alone (a key copied out of walk order into another database's section). */
  switchDb(db: number): void {
    this.out.writeByte(RdbOpcode.SelectDb);
    writeLength(this.out, db);
  }

  /**
   * Starts a key: [EXPIRETIME_MS] [IDLE seconds | FREQ counter] (-1: none), the type byte and
   * the key. The value follows through the value type's `rdbSave` into {@link out}.
   */
  beginKey(
    key: Uint8Array,
    keyOff: number,
    keyLen: number,
    rdbType: RdbType,
    expireAt: number | bigint,
    idleSeconds: number,
    freq: number,
  ): void {
    const out = this.out;
    if (expireAt !== -1 && expireAt !== -1n) {
      out.writeByte(RdbOpcode.ExpireTimeMs);
      writeInt64LE(out, expireAt);
    }
    if (idleSeconds >= 0) {
      out.writeByte(RdbOpcode.Idle);
      writeLength(out, idleSeconds);
    } else if (freq >= 0) {
      out.writeByte(RdbOpcode.Freq);
      out.writeByte(freq);
    }
    out.writeByte(rdbType);
    writeString(out, key, keyOff, keyOff + keyLen, this.options.compress);
  }

  /** Ends a key: hands the pending bytes to the sink once a chunk's worth has gathered. */
  endKey(): void {
    if (this.out.length >= FLUSH_AT) this.flush();
  }

  /** EOF and the checksum (zeros when `rdbchecksum no`); everything goes to the sink. */
  finish(): void {
    const out = this.out;
    out.writeByte(RdbOpcode.Eof);
    this.crc.update(out.buffer, 0, out.length);
    out.reserve(8);
    if (this.options.checksum) this.crc.writeLE(out.buffer, out.length);
    else out.buffer.fill(0, out.length, out.length + 8);
    out.length += 8;
    this.emit();
  }

  /** The checksum so far (after {@link finish}: the file's). */
  checksum(): bigint {
    return this.crc.value();
  }

  /** Hands the pending bytes to the sink. */
  flush(): void {
    if (this.out.length === 0) return;
    this.crc.update(this.out.buffer, 0, this.out.length);
    this.emit();
  }

  private emit(): void {
    const out = this.out;
    this.sink.write(out.buffer, 0, out.length);
    this.flushed += out.length;
    out.reset();
  }
}

/** Appends a 64-bit little-endian integer (millisecond deadlines; bigint beyond 2^53). */
function writeInt64LE(out: RdbOutput, value: number | bigint): void {
  out.reserve(8);
  const b = out.buffer;
  if (typeof value === "number" && value >= 0) {
    const lo = value % 0x100000000;
    const hi = (value - lo) / 0x100000000;
    for (let i = 0; i < 4; i++) b[out.length++] = (lo >>> (8 * i)) & 0xff;
    for (let i = 0; i < 4; i++) b[out.length++] = (hi >>> (8 * i)) & 0xff;
    return;
  }
  let v = BigInt.asUintN(64, BigInt(value));
  for (let i = 0; i < 8; i++) {
    b[out.length++] = Number(v & 0xffn);
    v >>= 8n;
  }
}

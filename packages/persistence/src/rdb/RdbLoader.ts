import { Keyspace, RemovalReason, ValueLoad, valueTypeForRdb } from "@nedis/keyspace";
import { isRdbObjectType, RDB_VERSION, RdbFormatError, RdbOpcode, RdbReader, RdbType } from "@nedis/rdb";
import { type RdbByteSource, RdbWindow } from "./RdbSource.js";

/** Why a file could not be loaded; `offset` is where in the file the problem was found. */
export class RdbLoadError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "RdbLoadError";
  }
}

/** Options of {@link loadRdb}. */
export interface RdbLoadOptions {
  /** Unix ms used to drop keys already expired (a master's load); -1 keeps every key. */
  now: number;
  /** `rdbchecksum`: verify the CRC-64 at the end (a stored 0 is never checked, as in Redis). */
  verifyChecksum: boolean;
  /** Parse and validate only: nothing is added to `ks` (DEBUG RELOAD checks before flushing). */
  verifyOnly?: boolean;
  /** DEBUG RELOAD MERGE: a key already present is replaced instead of being an error. */
  replaceExisting?: boolean;
  /**
   * Creates a function library from its code (a FUNCTION2 record, or a release candidate's record
   * turned into `#!<engine> name=<name>\n<code>`); returns the error text, or null. Without it a
   * file holding libraries is refused. Not called with `verifyOnly`.
   */
  loadFunction?: (code: Buffer) => string | null;
  /** Initial read window in bytes (default 4 MiB; it doubles for a larger record). */
  windowSize?: number;
}

/** What a load found. */
export interface RdbLoadResult {
  version: number;
  keysLoaded: number;
  /** Keys skipped because they were already past their deadline. */
  keysExpired: number;
  /** The aux fields (`redis-ver`, `ctime`, …) as text. */
  aux: Map<string, string>;
  /** Bytes of the RDB, through its checksum: where an AOF's commands start after an RDB preamble. */
  bytesRead: number;
}

const EOF_MESSAGE = "Unexpected EOF reading RDB data";
const decoder = new TextDecoder();

/** RDB object types with no value type in this build, by name (for the error a user sees). */
function rdbTypeName(type: number): string {
  if (type === RdbType.StreamListpacks || type === RdbType.StreamListpacks2) return "stream";
  if (type === RdbType.Module2 || type === RdbType.ModulePreGa) return "module";
  return `type ${type}`;
}

/**
 * Loads an RDB file (versions 1–10) into `ks` (Redis's `rdbLoadRio`): keys are added without
 * keyspace events or ready-key signals (`dbAddRDBLoad`), expired ones are skipped, the checksum
 * is verified. Throws {@link RdbLoadError} on anything malformed; keys already added stay, so a
 * server loads into an empty keyspace (or verifies first with `verifyOnly`).
 */
export function loadRdb(source: RdbByteSource, ks: Keyspace, options: RdbLoadOptions): RdbLoadResult {
  const verifyOnly = options.verifyOnly === true;
  // Values are decoded against a throwaway keyspace when verifying, so `ks` is never touched.
  const host = verifyOnly ? new Keyspace({ timers: false, databases: ks.databases.length }) : ks;
  const savedAdded = ks.onKeyAdded;
  const savedNotify = ks.onNotify;
  const dirty = ks.dirty;
  ks.onKeyAdded = null;
  ks.onNotify = null;
  try {
    return new Loader(source, host, options, verifyOnly).run();
  } finally {
    ks.onKeyAdded = savedAdded;
    ks.onNotify = savedNotify;
    ks.dirty = dirty;
    if (verifyOnly) host.close();
  }
}

class Loader {
  private readonly window: RdbWindow;
  private reader = new RdbReader();
  private readonly load = new ValueLoad();
  private key = new Uint8Array(256);
  private dbIndex = 0;
  private expireAt: number | bigint = -1;
  private idle = -1;
  private freq = -1;
  private readonly result: RdbLoadResult = { version: 0, keysLoaded: 0, keysExpired: 0, aux: new Map(), bytesRead: 0 };

  constructor(
    source: RdbByteSource,
    private readonly ks: Keyspace,
    private readonly options: RdbLoadOptions,
    private readonly verifyOnly: boolean,
  ) {
    this.window = new RdbWindow(source, options.windowSize);
    this.load.host = ks;
  }

  run(): RdbLoadResult {
    this.readHeader();
    for (;;) {
      const mark = this.reader.offset;
      try {
        if (this.record()) {
          this.result.bytesRead = this.window.base + this.reader.offset;
          return this.result;
        }
      } catch (err) {
        this.load.discard(this.ks.pool);
        if (err instanceof RdbFormatError && err.message === EOF_MESSAGE && !this.window.atEnd) {
          this.window.refill(mark);
          this.reader.reset(this.window.bytes, 0, this.window.length);
          continue;
        }
        throw this.wrap(err, mark);
      }
    }
  }

  private wrap(err: unknown, at: number): unknown {
    if (err instanceof RdbLoadError) return err;
    if (err instanceof RdbFormatError) {
      const message =
        err.message === EOF_MESSAGE ? "Short read or OOM loading DB. Unrecoverable error, aborting now." : err.message;
      return new RdbLoadError(message, this.window.base + at);
    }
    return err;
  }

  private readHeader(): void {
    const w = this.window;
    const b = w.bytes;
    this.reader.reset(b, 0, w.length);
    const magic = w.length >= 9 ? decoder.decode(b.subarray(0, 5)) : "";
    if (magic !== "REDIS") throw new RdbLoadError("Wrong signature trying to load DB from file", 0);
    const digits = decoder.decode(b.subarray(5, 9));
    const version = /^\d{4}$/.test(digits) ? Number(digits) : -1;
    if (version < 1 || version > RDB_VERSION) throw new RdbLoadError(`Can't handle RDB format version ${digits}`, 5);
    this.result.version = version;
    this.reader.offset = 9;
  }

  /** Reads one opcode or key; true after EOF. */
  private record(): boolean {
    const r = this.reader;
    const type = r.readByte();
    switch (type) {
      case RdbOpcode.ExpireTime:
        this.expireAt = r.readUint32LE() * 1000;
        return false;
      case RdbOpcode.ExpireTimeMs:
        this.expireAt = this.readMs();
        return false;
      case RdbOpcode.Idle:
        this.idle = r.readLength();
        return false;
      case RdbOpcode.Freq:
        this.freq = r.readByte();
        return false;
      case RdbOpcode.SelectDb: {
        const db = r.readLength();
        if (db >= this.ks.databases.length)
          throw new RdbLoadError(
            `FATAL: Data file was created with a Redis server configured to handle more than ${this.ks.databases.length} databases. Exiting`,
            this.window.base + r.offset,
          );
        this.dbIndex = db;
        return false;
      }
      case RdbOpcode.ResizeDb:
        r.readLength();
        r.readLength();
        return false;
      case RdbOpcode.Aux: {
        r.readString();
        const name = decoder.decode(r.stringBytes.subarray(r.stringStart, r.stringEnd));
        r.readString();
        this.result.aux.set(name, decoder.decode(r.stringBytes.subarray(r.stringStart, r.stringEnd)));
        return false;
      }
      case RdbOpcode.ModuleAux:
        throw new RdbLoadError(
          "The RDB file contains AUX module data (MODULE_AUX) I can't load: nedis has no modules",
          this.window.base + r.offset - 1,
        );
      case RdbOpcode.Function:
      case RdbOpcode.Function2:
        this.functionLibrary(type);
        return false;
      case RdbOpcode.Eof:
        this.checkChecksum();
        return true;
    }
    this.keyValue(type);
    return false;
  }

  /** `rdbFunctionLoad`: one library record, read whole before the library is created. */
  private functionLibrary(type: number): void {
    const r = this.reader;
    const at = this.window.base + r.offset - 1;
    const load = this.options.loadFunction;
    if (load === undefined) {
      throw new RdbLoadError(
        "The RDB file contains a function library (FUNCTION2), which this loader was given no engine for",
        at,
      );
    }
    let code: Buffer;
    if (type === RdbOpcode.Function2) code = Buffer.from(r.readStringCopy());
    else {
      const name = r.readStringCopy();
      const engine = r.readStringCopy();
      if (r.readLength() !== 0) r.readString();
      const blob = r.readStringCopy();
      code = Buffer.concat([Buffer.from("#!"), engine, Buffer.from(" name="), name, Buffer.from("\n"), blob]);
    }
    if (this.verifyOnly) return;
    const error = load(code);
    if (error !== null) throw new RdbLoadError(`Failed loading library, ${error}`, at);
  }

  private readMs(): number | bigint {
    const r = this.reader;
    const at = r.skip(8);
    const b = r.bytes;
    const lo = (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
    const hi = b[at + 4]! | (b[at + 5]! << 8) | (b[at + 6]! << 16) | (b[at + 7]! << 24) | 0;
    const value = hi * 0x100000000 + lo;
    if (Number.isSafeInteger(value)) return value;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  private keyValue(type: number): void {
    const r = this.reader;
    const at = this.window.base + r.offset - 1;
    if (!isRdbObjectType(type)) throw new RdbLoadError(`Unknown RDB encoding type ${type}`, at);
    const valueType = valueTypeForRdb(type);
    if (valueType === undefined)
      throw new RdbLoadError(
        `The RDB file contains a ${rdbTypeName(type)} value (RDB type ${type}), which nedis cannot load yet`,
        at,
      );
    r.readString();
    const keyLen = r.stringEnd - r.stringStart;
    if (this.key.length < keyLen) this.key = new Uint8Array(Math.max(keyLen, this.key.length * 2));
    this.key.set(r.stringBytes.subarray(r.stringStart, r.stringEnd));
    const load = this.load;
    valueType.rdbLoad(type, r, load.begin(valueType.type));
    const expireAt = this.expireAt;
    const idle = this.idle;
    const freq = this.freq;
    this.expireAt = -1;
    this.idle = -1;
    this.freq = -1;
    const key = this.key;
    if (this.options.now >= 0 && expireAt !== -1 && expireAt < this.options.now) {
      load.discard(this.ks.pool);
      this.result.keysExpired++;
      return;
    }
    const ks = this.ks;
    const db = ks.databases[this.dbIndex]!;
    if (db.find(key, 0, keyLen) >= 0) {
      if (this.options.replaceExisting === true && !this.verifyOnly) {
        db.delete(key, 0, keyLen, RemovalReason.Overwritten);
        db.find(key, 0, keyLen);
      } else {
        load.discard(ks.pool);
        throw new RdbLoadError(
          `RDB has duplicated key '${decoder.decode(key.subarray(0, keyLen))}' in DB ${this.dbIndex}`,
          at,
        );
      }
    }
    if (this.verifyOnly) {
      load.discard(ks.pool);
      this.result.keysLoaded++;
      return;
    }
    const ref = load.commit(db, key, 0, keyLen, expireAt === -1 ? 0 : expireAt, true);
    if (ks.lfu) {
      if (freq >= 0) db.setLruField(ref, ((ks.lfuMinutes << 8) | freq) >>> 0);
    } else if (idle >= 0) {
      let abs = ks.lruClock - idle;
      if (abs < 0) abs += 0xffffff;
      db.setLruField(ref, abs & 0xffffff);
    }
    this.result.keysLoaded++;
  }

  private checkChecksum(): void {
    if (this.result.version < 5) return;
    const r = this.reader;
    const w = this.window;
    const crcEnd = r.offset;
    const at = r.skip(8);
    if (!this.options.verifyChecksum) return;
    const b = r.bytes;
    let stored = 0;
    for (let i = 0; i < 8; i++) stored |= b[at + i]!;
    if (stored === 0) return;
    w.crc.update(b, 0, crcEnd);
    if (!w.crc.equalsLE(b, at)) {
      const expected = Buffer.from(b.subarray(at, at + 8)).readBigUInt64LE(0);
      throw new RdbLoadError(
        `Wrong RDB checksum expected: (${expected.toString(16)}) got (${w.crc.value().toString(16)}). Aborting now.`,
        w.base + at,
      );
    }
  }
}

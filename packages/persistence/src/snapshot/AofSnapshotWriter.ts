import { type CommandSink, type Database, valueTypeOf } from "@nedis/keyspace";
import { RespCommandBuffer } from "../aof/RespCommandBuffer.js";
import type { RdbSink } from "../rdb/RdbSink.js";
import type { SnapshotVisitor } from "./KeyspaceSnapshot.js";

const FLUSH_AT = 1 << 20;
const FUNCTION = Buffer.from("FUNCTION");
const LOAD = Buffer.from("LOAD");

/**
 * An AOF rewrite's visitor (`aof-use-rdb-preamble no`): writes the commands that rebuild each
 * key a snapshot hands it, as Redis's `rewriteAppendOnlyFileRio` does — the function libraries
 * first (`rewriteFunctions`), a SELECT per database, each key through its value type's
 * `rewrite`, then PEXPIREAT for a key with a deadline. A key copied out of walk order (before
 * its first change) may belong to another database, so a SELECT goes before it.
 */
export class AofSnapshotWriter implements SnapshotVisitor {
  /** Keys written so far. */
  keys = 0;
  private selected = -1;
  private readonly out = new RespCommandBuffer(FLUSH_AT + 64 * 1024);
  private keyScratch = new Uint8Array(256);
  private readonly emit: CommandSink = (args) => {
    const out = this.out;
    out.arrayHeader(args.length);
    for (const a of args) out.bulk(a, 0, a.length);
    if (out.length >= FLUSH_AT) this.flush();
  };

  constructor(
    private readonly sink: RdbSink,
    functionLibraries: readonly Uint8Array[] = [],
  ) {
    for (const code of functionLibraries) this.emit([FUNCTION, LOAD, code]);
  }

  beginDb(db: number): void {
    this.select(db);
  }

  key(originDb: number, reader: Database, ref: number): void {
    if (originDb !== this.selected) this.select(originDb);
    reader.loadKey(reader.handleAt(ref));
    const len = reader.keyLen;
    if (this.keyScratch.length < len) this.keyScratch = new Uint8Array(Math.max(len, this.keyScratch.length * 2));
    this.keyScratch.set(reader.keyBuf.subarray(reader.keyOff, reader.keyOff + len));
    // A view of the scratch: the type's rewrite and the emit copy it before the next key.
    const key = this.keyScratch.subarray(0, len);
    valueTypeOf(reader.typeAt(ref)).rewrite(reader, ref, key, this.emit);
    const deadline = reader.expireAt(ref);
    if (deadline !== -1) this.out.command(["PEXPIREAT", key, String(deadline)]);
    this.keys++;
  }

  /** Writes what is still buffered; call once the snapshot is done. */
  finish(): void {
    this.flush();
  }

  private select(db: number): void {
    this.out.command(["SELECT", String(db)]);
    this.selected = db;
  }

  private flush(): void {
    if (this.out.length === 0) return;
    this.sink.write(this.out.bytes, 0, this.out.length);
    this.out.clear();
  }
}

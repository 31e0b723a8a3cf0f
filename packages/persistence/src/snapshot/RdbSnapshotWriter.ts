import type { Database, Keyspace } from "@nedis/keyspace";
import type { RdbFileWriter } from "../rdb/RdbFileWriter.js";
import { type AccessData, accessDataOf, writeKeyAt } from "../rdb/writeKey.js";
import type { SnapshotVisitor } from "./KeyspaceSnapshot.js";

/**
 * BGSAVE's visitor: writes each key a snapshot hands it into an RDB file. A key copied out of
 * walk order (before its first change) may belong to another database than the one being
 * walked, so a SELECTDB goes before it and the walk's database is selected again after.
 */
export class RdbSnapshotWriter implements SnapshotVisitor {
  private selected = -1;
  private readonly access: AccessData;

  constructor(
    private readonly ks: Keyspace,
    readonly writer: RdbFileWriter,
  ) {
    this.access = accessDataOf(ks);
  }

  beginDb(db: number, keys: number, expires: number): void {
    this.writer.selectDb(db, keys, expires);
    this.selected = db;
  }

  key(originDb: number, reader: Database, ref: number): void {
    if (originDb !== this.selected) {
      this.writer.switchDb(originDb);
      this.selected = originDb;
    }
    writeKeyAt(this.writer, this.ks, reader, ref, this.access);
  }
}

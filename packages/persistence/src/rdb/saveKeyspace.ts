import type { Keyspace } from "@nedis/keyspace";
import type { RdbAuxFields, RdbFileWriter } from "./RdbFileWriter.js";
import { accessDataOf, writeKeyAt } from "./writeKey.js";

/**
 * SAVE (Redis's `rdbSaveRio`): the whole keyspace in one synchronous pass, header to checksum.
 * Each database's incremental resize is finished first, so every record is in the main table
 * and its slot is its ref.
 */
export function saveKeyspace(ks: Keyspace, writer: RdbFileWriter, aux: RdbAuxFields): number {
  writer.writeHeader(aux);
  const access = accessDataOf(ks);
  let keys = 0;
  for (const db of ks.databases) {
    if (db.size === 0) continue;
    while (db.index.migrate(1 << 16));
    writer.selectDb(db.id, db.size, db.expires);
    const table = db.index.main;
    for (let slot = 0; slot < table.size; slot++) {
      if (table.handleAt(slot) === 0) continue;
      writeKeyAt(writer, ks, db, slot, access);
      keys++;
    }
  }
  writer.finish();
  return keys;
}

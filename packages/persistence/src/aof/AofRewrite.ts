import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import type { Keyspace } from "@nedis/keyspace";
import type { RdbSink } from "../rdb/RdbSink.js";
import { AofSnapshotWriter } from "../snapshot/AofSnapshotWriter.js";
import { KeyspaceSnapshot } from "../snapshot/KeyspaceSnapshot.js";

/**
 * Writes the commands that rebuild the whole keyspace (Redis's `rewriteAppendOnlyFileRio`)
 * at once: the snapshot walk of {@link AofSnapshotWriter} run to its end. A background rewrite
 * walks the same snapshot in time slices instead. Returns the number of keys written.
 */
export function rewriteKeyspace(
  ks: Keyspace,
  write: (bytes: Uint8Array, off: number, len: number) => void,
  functionLibraries: readonly Uint8Array[] = [],
): number {
  const sink: RdbSink = { write: (bytes, start, end) => write(bytes, start, end - start) };
  const visitor = new AofSnapshotWriter(sink, functionLibraries);
  const snapshot = new KeyspaceSnapshot(ks, visitor);
  snapshot.start();
  while (snapshot.step(Number.POSITIVE_INFINITY));
  if (snapshot.failure !== null) throw new Error(snapshot.failure);
  visitor.finish();
  return visitor.keys;
}

/** {@link rewriteKeyspace} into a new file at `path` (written, then fsynced); returns its size. */
export function writeAofBaseFile(ks: Keyspace, path: string, functionLibraries: readonly Uint8Array[] = []): number {
  const fd = openSync(path, "w");
  let size = 0;
  try {
    rewriteKeyspace(
      ks,
      (bytes, off, len) => {
        let at = off;
        while (at < off + len) at += writeSync(fd, bytes, at, off + len - at);
        size += len;
      },
      functionLibraries,
    );
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return size;
}

/**
 * @nedis/persistence: Redis 7.0's persistence files, usable without the server.
 * RDB snapshots (rdb/, snapshot/) and the append-only file (aof/) are added by their own modules.
 */

export {
  type AofCommand,
  type AofLoadHandlers,
  type AofLoadResult,
  AofLoadStatus,
  loadAofBytes,
} from "./aof/AofLoader.js";
export {
  type AofFileInfo,
  type AofFileType,
  type AofManifest,
  AofManifestError,
  baseFileName,
  emptyManifest,
  formatManifest,
  incrFileName,
  manifestName,
  parseManifest,
} from "./aof/AofManifest.js";
export { rewriteKeyspace, writeAofBaseFile } from "./aof/AofRewrite.js";
export { AofWriter, type AppendFsync } from "./aof/AofWriter.js";
export { fsyncDirectory, writeFileDurably } from "./aof/durableFiles.js";
export { RespCommandBuffer } from "./aof/RespCommandBuffer.js";
export {
  abandonRdbFile,
  commitRdbFile,
  commitRdbFileAsync,
  openRdbTemp,
  openRdbTempAsync,
  RdbSaveError,
  saveRdbFile,
} from "./rdb/RdbFile.js";
export { type RdbAuxFields, RdbFileWriter, type RdbWriteOptions } from "./rdb/RdbFileWriter.js";
export { loadRdb, RdbLoadError, type RdbLoadOptions, type RdbLoadResult } from "./rdb/RdbLoader.js";
export { AsyncFileSink, FileSink, MemorySink, type RdbSink } from "./rdb/RdbSink.js";
export { ArraySource, FileSource, type RdbByteSource } from "./rdb/RdbSource.js";
export { saveKeyspace } from "./rdb/saveKeyspace.js";
export { AccessData, accessDataOf, writeKeyAt } from "./rdb/writeKey.js";
export { AofSnapshotWriter } from "./snapshot/AofSnapshotWriter.js";
export { KeyspaceSnapshot, type SnapshotVisitor } from "./snapshot/KeyspaceSnapshot.js";
export { RdbSnapshotWriter } from "./snapshot/RdbSnapshotWriter.js";

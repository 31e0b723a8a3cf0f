/**
 * @nedis/persistence: Redis 7.0's persistence files, usable without the server.
 * RDB snapshots (rdb/) and the append-only file (aof/) are added by their own modules.
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

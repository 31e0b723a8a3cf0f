import { existsSync, readFileSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { type AofFileInfo, type AofManifest, AofManifestError, emptyManifest, parseManifest } from "@nedis/persistence";
import type { ServerContext } from "../ServerContext.js";
import { replayAofFile } from "./aofLoading.js";

/** Progress of the start-up load, for INFO's `loading_*` fields. */
export interface LoadingProgress {
  startTime: number;
  totalBytes: number;
  loadedBytes: number;
}

/** The AOF could not be loaded at start-up: the server must not start (the files are untouched). */
export class AofLoadError extends Error {}

/**
 * Reads the manifest at `path` (an empty one when there is none), logging Redis's fatal
 * manifest error and throwing {@link AofLoadError} when it is malformed.
 */
export function readAofManifest(server: ServerContext, path: string): AofManifest {
  if (!existsSync(path)) return emptyManifest();
  try {
    return parseManifest(readFileSync(path, "latin1"));
  } catch (err) {
    if (!(err instanceof AofManifestError)) throw err;
    const log = server.log;
    log.warning("\n*** FATAL AOF MANIFEST FILE ERROR ***\n");
    if (err.line !== null) {
      log.warning(`Reading the manifest file, at line ${err.lineNumber}\n`);
      log.warning(`>>> '${err.line}'\n`);
    }
    log.warning(`${err.reason}\n`);
    throw new AofLoadError(err.reason);
  }
}

/**
 * Redis's `loadAppendOnlyFiles`: replays the base and incremental files the manifest names, in
 * order, from `dir`. `progress` receives the INFO `loading_*` state while it runs. A torn tail
 * of the last file is trimmed under `aof-load-truncated yes`; anything else throws
 * {@link AofLoadError} with the files left as they were.
 */
export function loadAofFiles(
  server: ServerContext,
  dir: string,
  m: AofManifest,
  rdbLoader: ((bytes: Uint8Array) => number) | null,
  progress: (state: LoadingProgress | null) => void,
): void {
  const files: AofFileInfo[] = [...(m.base === null ? [] : [m.base]), ...m.incr];
  if (files.length === 0) return;
  const log = server.log;
  let total = 0;
  for (const f of files) {
    const p = join(dir, f.name);
    if (!existsSync(p)) {
      log.warning(`The append log file ${f.name} doesn't exist: No such file or directory`);
      throw new AofLoadError(`missing ${f.name}`);
    }
    total += statSync(p).size;
  }
  if (total === 0) return;
  const started = Date.now();
  const loading: LoadingProgress = { startTime: started, totalBytes: total, loadedBytes: 0 };
  progress(loading);
  const truncatedAllowed = server.config.bool("aof-load-truncated");
  try {
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      const last = i === files.length - 1;
      const p = join(dir, f.name);
      const bytes = readFileSync(p);
      const t0 = Date.now();
      const result = replayAofFile(server, bytes, f.name, rdbLoader);
      loading.loadedBytes += bytes.length;
      const kind = f.type === "b" ? "base" : "incr";
      if (result.status === "failed") throw new AofLoadError(`failed loading ${f.name}`);
      if (result.status === "truncated") {
        if (!truncatedAllowed || !last) {
          if (!last) log.warning("Fatal error: the truncated file is not the last file");
          else
            log.warning(
              `Unexpected end of file reading the append only file ${f.name}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`,
            );
          throw new AofLoadError(`truncated ${f.name}`);
        }
        log.warning(`!!! Warning: short read while loading the AOF file ${f.name}!!!`);
        log.warning(`!!! Truncating the AOF ${f.name} at offset ${result.validUpTo} !!!`);
        truncateSync(p, result.validUpTo);
        log.warning(`AOF ${f.name} loaded anyway because aof-load-truncated is enabled`);
      }
      log.notice(`DB loaded from ${kind} file ${f.name}: ${((Date.now() - t0) / 1000).toFixed(3)} seconds`);
    }
    log.notice(`DB loaded from append only file: ${((Date.now() - started) / 1000).toFixed(3)} seconds`);
  } finally {
    progress(null);
  }
  // Like Redis, the replayed writes stay counted in `dirty` (rdb_changes_since_last_save).
}

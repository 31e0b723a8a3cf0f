import { close, closeSync, fsync, fsyncSync, open, openSync, rename, renameSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import type { Keyspace } from "@nedis/keyspace";
import { type RdbAuxFields, RdbFileWriter, type RdbWriteOptions } from "./RdbFileWriter.js";
import { AsyncFileSink, FileSink } from "./RdbSink.js";
import { saveKeyspace } from "./saveKeyspace.js";

/** A save that failed: `operation` names the step as Redis's log does (`rdbSaveRio`, `fsync`, `rename`…). */
export class RdbSaveError extends Error {
  constructor(
    readonly operation: "open" | "rdbSaveRio" | "fsync" | "fclose" | "rename" | "fsyncFileDir",
    override readonly cause: unknown,
  ) {
    super(`${operation}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = "RdbSaveError";
  }
}

/** Opens the temp file a save writes into (Redis's `temp-<pid>.rdb`). */
export function openRdbTemp(tempPath: string): FileSink {
  try {
    return new FileSink(tempPath);
  } catch (err) {
    throw new RdbSaveError("open", err);
  }
}

/** Opens the temp file of a background save, written off the event loop. */
export function openRdbTempAsync(tempPath: string): AsyncFileSink {
  try {
    return new AsyncFileSink(tempPath);
  } catch (err) {
    throw new RdbSaveError("open", err);
  }
}

/**
 * Ends a save as Redis's `rdbSave` does, so a file is never overwritten in place: fsync and
 * close the temp file, rename it over `finalPath`, fsync the directory. On failure the temp
 * file is removed and {@link RdbSaveError} says which step failed.
 */
export function commitRdbFile(sink: FileSink, tempPath: string, finalPath: string): void {
  let step: RdbSaveError["operation"] = "fsync";
  try {
    sink.sync();
    step = "fclose";
    sink.close();
    step = "rename";
    renameSync(tempPath, finalPath);
    step = "fsyncFileDir";
    const dir = openSync(dirname(finalPath), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch (err) {
    if (step === "fsync") tryClose(sink);
    tryUnlink(tempPath);
    throw new RdbSaveError(step, err);
  }
}

/**
 * {@link commitRdbFile} without blocking the event loop (BGSAVE): the fsyncs run on libuv's
 * thread pool; `done` receives null or the {@link RdbSaveError} of the failed step.
 */
export function commitRdbFileAsync(
  sink: FileSink,
  tempPath: string,
  finalPath: string,
  done: (error: RdbSaveError | null) => void,
): void {
  const fail = (step: RdbSaveError["operation"], err: unknown) => {
    if (step === "fsync") tryClose(sink);
    tryUnlink(tempPath);
    done(new RdbSaveError(step, err));
  };
  fsync(sink.fd, (syncErr) => {
    if (syncErr) return fail("fsync", syncErr);
    close(sink.fd, (closeErr) => {
      if (closeErr) return fail("fclose", closeErr);
      rename(tempPath, finalPath, (renameErr) => {
        if (renameErr) return fail("rename", renameErr);
        open(dirname(finalPath), "r", (openErr, dir) => {
          if (openErr) return done(new RdbSaveError("fsyncFileDir", openErr));
          fsync(dir, (dirErr) => {
            close(dir, () => done(dirErr ? new RdbSaveError("fsyncFileDir", dirErr) : null));
          });
        });
      });
    });
  });
}

/** Drops a save that will not complete (its temp file removed). */
export function abandonRdbFile(sink: FileSink, tempPath: string): void {
  tryClose(sink);
  tryUnlink(tempPath);
}

/** SAVE: the whole keyspace into `finalPath` through a temp file; returns the number of keys. */
export function saveRdbFile(
  ks: Keyspace,
  tempPath: string,
  finalPath: string,
  options: RdbWriteOptions,
  aux: RdbAuxFields,
): number {
  const sink = openRdbTemp(tempPath);
  let keys: number;
  try {
    keys = saveKeyspace(ks, new RdbFileWriter(sink, options), aux);
  } catch (err) {
    abandonRdbFile(sink, tempPath);
    throw new RdbSaveError("rdbSaveRio", err);
  }
  commitRdbFile(sink, tempPath, finalPath);
  return keys;
}

function tryClose(sink: FileSink): void {
  try {
    sink.close();
  } catch {
    // already closed or the descriptor is gone: nothing to keep
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // the temp file may not exist
  }
}

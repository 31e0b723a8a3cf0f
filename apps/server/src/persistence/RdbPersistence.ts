import { existsSync } from "node:fs";
import {
  ArraySource,
  type AsyncFileSink,
  FileSource,
  KeyspaceSnapshot,
  loadRdb,
  openRdbTempAsync,
  type RdbAuxFields,
  RdbFileWriter,
  RdbLoadError,
  type RdbLoadResult,
  RdbSaveError,
  type RdbSink,
  RdbSnapshotWriter,
  saveRdbFile,
} from "@nedis/persistence";
import { type SaveParam, strerror } from "../config/specialKinds.js";
import { PerServer } from "../perServer.js";
import type { ServerContext } from "../ServerContext.js";
import { REDIS_VERSION } from "../version.js";
import { BackgroundSnapshot } from "./BackgroundSnapshot.js";
import { functionLibrariesOf } from "./functionLibraryStore.js";

/** Redis's CONFIG_BGSAVE_RETRY_DELAY: seconds before a failed automatic save is tried again. */
const BGSAVE_RETRY_DELAY = 5;
const CRON_MS = 100;

const unixSeconds = () => Math.floor(Date.now() / 1000);

/** The working directory for log lines, "unknown" when it was removed (as Redis's getcwd). */
function serverRootDir(): string {
  try {
    return process.cwd();
  } catch {
    return "unknown";
  }
}

/**
 * RDB persistence of one server (Redis's rdb.c server side and serverCron's save points):
 * SAVE, forkless BGSAVE, the `save` schedule, loading at start-up and DEBUG RELOAD, the
 * MISCONF state and the `rdb_*` fields of INFO persistence.
 */
export class RdbPersistence {
  /** Unix seconds of the last successful save (the start time until one happens). */
  lastSave: number;
  lastBgsaveOk = true;
  lastBgsaveTry = 0;
  lastBgsaveTimeSec = -1;
  saves = 0;
  lastLoadKeysLoaded = 0;
  lastLoadKeysExpired = 0;
  /** `BGSAVE SCHEDULE` / a save asked for while one runs: started by the cron when possible. */
  bgsaveScheduled = false;
  private bgsave: BackgroundSnapshot | null = null;
  private dirtyBeforeBgsave = 0;
  private cronTimer: NodeJS.Timeout | null = null;

  constructor(private readonly server: ServerContext) {
    this.lastSave = Math.floor(server.startedAt / 1000);
  }

  /** The file saves go to and loads come from (relative to `dir`, the working directory). */
  get filename(): string {
    return this.server.config.string("dbfilename");
  }

  private get tempName(): string {
    return `temp-${process.pid}.rdb`;
  }

  private get saveParams(): SaveParam[] {
    return this.server.config.get<SaveParam[]>("save");
  }

  get bgsaveInProgress(): boolean {
    return this.bgsave !== null;
  }

  /** A BGSAVE or an AOF rewrite runs (see backgroundJobs.ts; not imported: it imports this file). */
  private get backgroundJobActive(): boolean {
    return this.bgsave !== null || this.server.aof.rewriter.inProgress;
  }

  /** Seconds the running background save has taken so far, -1 when none runs. */
  get currentBgsaveSeconds(): number {
    return this.bgsave === null ? -1 : unixSeconds() - this.bgsave.startedSec;
  }

  get keysProcessed(): number {
    return this.bgsave?.snapshot.keysVisited ?? 0;
  }

  get keysTotal(): number {
    return this.bgsave?.snapshot.keysTotal ?? 0;
  }

  /** Redis's `writeCommandsDeniedByDiskError` for RDB: a failed save blocks writes (MISCONF). */
  get writesDenied(): boolean {
    return !this.lastBgsaveOk && this.server.config.bool("stop-writes-on-bgsave-error") && this.saveParams.length > 0;
  }

  /** Starts the save-point cron (serverCron's share). */
  startCron(): void {
    if (this.cronTimer !== null) return;
    this.cronTimer = setInterval(() => this.cron(), CRON_MS);
    this.cronTimer.unref();
  }

  close(): void {
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    this.cronTimer = null;
    this.killBackgroundSave();
  }

  private aux(aofBase = false): RdbAuxFields {
    const ks = this.server.keyspace;
    const functionLibraries = functionLibrariesOf(this.server)?.codes() ?? [];
    return { redisVersion: REDIS_VERSION, ctime: unixSeconds(), usedMemory: ks.usedMemory, aofBase, functionLibraries };
  }

  /** `rdbFunctionLoad`'s creating half: a library from a file, replacing one of its name when `merge`. */
  private functionLoader(merge: boolean): (code: Buffer) => string | null {
    return (code) => {
      const store = functionLibrariesOf(this.server);
      return store === null ? "Engine 'LUA' not found" : store.load(code, merge);
    };
  }

  /**
   * An AOF base file in RDB form (`aof-use-rdb-preamble yes`): the whole dataset written to
   * `tempPath`, fsynced, with the `aof-base` aux field; the AOF renames it. Returns the keys written.
   */
  writeAofBase(tempPath: string): number {
    return saveRdbFile(this.server.keyspace, tempPath, tempPath, this.writeOptions(), this.aux(true));
  }

  /**
   * A background AOF rewrite's base in RDB form: the header (with the `aof-base` aux field) is
   * written to `sink` and the snapshot that writes the keys is returned, not started.
   */
  aofBaseSnapshot(sink: RdbSink): { snapshot: KeyspaceSnapshot; finish: () => void } {
    const ks = this.server.keyspace;
    const writer = new RdbFileWriter(sink, this.writeOptions());
    writer.writeHeader(this.aux(true));
    return { snapshot: new KeyspaceSnapshot(ks, new RdbSnapshotWriter(ks, writer)), finish: () => writer.finish() };
  }

  /**
   * Loads the RDB at the start of an AOF file (a base written with `aof-use-rdb-preamble yes`).
   * Returns its length: AOF commands may follow it (Redis 4–6 preamble files).
   */
  loadAofBase(bytes: Uint8Array): number {
    const ks = this.server.keyspace;
    const options = {
      now: ks.now(),
      verifyChecksum: this.server.config.bool("rdbchecksum"),
      loadFunction: this.functionLoader(false),
    };
    return loadRdb(new ArraySource(bytes), ks, options).bytesRead;
  }

  private writeOptions() {
    const config = this.server.config;
    return { compress: config.bool("rdbcompression"), checksum: config.bool("rdbchecksum") };
  }

  /** Redis's `rdbSave`: the whole dataset, synchronously. True on success (errors are logged). */
  save(): boolean {
    const log = this.server.log;
    const ks = this.server.keyspace;
    try {
      saveRdbFile(ks, this.tempName, this.filename, this.writeOptions(), this.aux());
    } catch (err) {
      this.logSaveError(err);
      return false;
    }
    log.notice("DB saved on disk");
    ks.dirty = 0;
    this.lastSave = unixSeconds();
    this.lastBgsaveOk = true;
    return true;
  }

  /** SAVE counts in `rdb_saves` (Redis counts it in the command, not in rdbSave). */
  countSave(): void {
    this.saves++;
  }

  private logSaveError(err: unknown, tempPath = this.tempName): void {
    const log = this.server.log;
    if (err instanceof RdbSaveError) {
      if (err.operation === "open") {
        log.warning(
          `Failed opening the temp RDB file ${tempPath} (in server root dir ${serverRootDir()}) for saving: ${strerror(err.cause)}`,
        );
      } else if (err.operation === "rename") {
        log.warning(
          `Error moving temp DB file ${tempPath} on the final destination ${this.filename} (in server root dir ${serverRootDir()}): ${strerror(err.cause)}`,
        );
      } else {
        log.warning(`Write error saving DB on disk(${err.operation}): ${strerror(err.cause)}`);
      }
      return;
    }
    log.warning(`Write error saving DB on disk: ${(err as Error).message}`);
  }

  /**
   * Redis's `rdbSaveBackground`, forkless: a snapshot of the keyspace as it is now, written by
   * a walk in short slices while clients are served. False when one already runs; a file that
   * cannot be opened counts as a failed save (as Redis's child failing), not a refusal.
   */
  startBackgroundSave(): boolean {
    if (this.backgroundJobActive) return false;
    const ks = this.server.keyspace;
    this.saves++;
    this.dirtyBeforeBgsave = ks.dirty;
    this.lastBgsaveTry = unixSeconds();
    // Its own temp name (Redis's child has its own pid): a SAVE meanwhile must not share it.
    const tempPath = `temp-bgsave-${process.pid}.rdb`;
    let sink: AsyncFileSink;
    try {
      sink = openRdbTempAsync(tempPath);
    } catch (err) {
      // Redis's child fails after the fork succeeded: BGSAVE still replies "started".
      this.server.log.notice(`Background saving started by pid ${process.pid}`);
      this.logSaveError(err, tempPath);
      this.server.log.warning("Background saving error");
      this.lastBgsaveOk = false;
      this.lastBgsaveTimeSec = 0;
      return true;
    }
    const writer = new RdbFileWriter(sink, this.writeOptions());
    writer.writeHeader(this.aux());
    const snapshot = new KeyspaceSnapshot(ks, new RdbSnapshotWriter(ks, writer));
    const job: BackgroundSnapshot = new BackgroundSnapshot(
      this.server,
      snapshot,
      sink,
      tempPath,
      this.filename,
      () => writer.finish(),
      (failure) => this.backgroundSaveDone(job, failure),
    );
    this.bgsave = job;
    job.start();
    this.server.log.notice(`Background saving started by pid ${process.pid}`);
    return true;
  }

  /** Redis's `backgroundSaveDoneHandlerDisk`. */
  private backgroundSaveDone(job: BackgroundSnapshot, failure: unknown): void {
    if (this.bgsave !== job) return; // killed meanwhile
    this.bgsave = null;
    const log = this.server.log;
    this.lastBgsaveTimeSec = unixSeconds() - job.startedSec;
    if (failure === null) {
      log.notice("DB saved on disk");
      log.notice("Background saving terminated with success");
      const ks = this.server.keyspace;
      ks.dirty = ks.dirty - this.dirtyBeforeBgsave;
      this.lastSave = unixSeconds();
      this.lastBgsaveOk = true;
    } else {
      this.logSaveError(failure, job.tempPath);
      log.warning("Background saving error");
      this.lastBgsaveOk = false;
    }
  }

  /** Stops a running background save without counting it as failed (Redis's SIGUSR1 kill). */
  killBackgroundSave(): void {
    const job = this.bgsave;
    if (job === null) return;
    this.bgsave = null;
    this.server.log.warning("Background saving terminated by signal 10");
    job.kill();
  }

  /** After FLUSHALL: with save points, the empty dataset is saved at once (Redis does). */
  saveAfterFlushAll(): void {
    if (this.saveParams.length > 0) this.save();
  }

  /** serverCron's save points and scheduled BGSAVE. */
  cron(): void {
    if (this.backgroundJobActive) return;
    const now = unixSeconds();
    const ks = this.server.keyspace;
    const retryAllowed = now - this.lastBgsaveTry > BGSAVE_RETRY_DELAY || this.lastBgsaveOk;
    for (const sp of this.saveParams) {
      if (ks.dirty >= sp.changes && now - this.lastSave > sp.seconds && retryAllowed) {
        this.server.log.notice(`${sp.changes} changes in ${sp.seconds} seconds. Saving...`);
        this.startBackgroundSave();
        return;
      }
    }
    if (this.bgsaveScheduled && retryAllowed && this.startBackgroundSave()) this.bgsaveScheduled = false;
  }

  /**
   * Redis's `prepareForShutdown` RDB part: stop a background save, then save when save points
   * exist (or SAVE was asked) unless NOSAVE. False when the save failed (the shutdown stops
   * unless forced).
   */
  prepareForShutdown(save: boolean, nosave: boolean, force: boolean): boolean {
    if (this.bgsave !== null) {
      this.server.log.warning("There is a child saving an .rdb. Killing it!");
      this.killBackgroundSave();
    }
    if (!this.server.aof.prepareForShutdown(force)) return false;
    if ((this.saveParams.length > 0 && !nosave) || save) {
      this.server.log.notice("Saving the final RDB snapshot before exiting.");
      if (!this.save()) {
        if (force) {
          this.server.log.warning("Error trying to save the DB. Exit anyway.");
          return true;
        }
        this.server.log.warning("Error trying to save the DB, can't exit.");
        return false;
      }
    }
    return true;
  }

  /**
   * Loads `dbfilename` into the (empty) keyspace at start-up, logging as Redis does. Throws
   * RdbLoadError when the file is corrupt (the server must not start); a missing file is fine.
   */
  loadAtStartup(): void {
    const path = this.filename;
    if (!existsSync(path)) return;
    const log = this.server.log;
    const started = performance.now();
    const result = this.loadFile(path, false);
    const created = Number(result.aux.get("ctime") ?? "0");
    log.notice(`Loading RDB produced by version ${result.aux.get("redis-ver") ?? "unknown"}`);
    if (created > 0) log.notice(`RDB age ${unixSeconds() - created} seconds`);
    const usedMem = Number(result.aux.get("used-mem") ?? "0");
    log.notice(`RDB memory usage when created ${(usedMem / 1024 / 1024).toFixed(2)} Mb`);
    log.notice(`Done loading RDB, keys loaded: ${result.keysLoaded}, keys expired: ${result.keysExpired}.`);
    log.notice(`DB loaded from disk: ${((performance.now() - started) / 1000).toFixed(3)} seconds`);
  }

  /**
   * Loads an RDB file into the keyspace. With `verifyFirst` the whole file is checked before any
   * key is touched (and before `beforeLoad`, e.g. a flush), so a corrupt file leaves the data as
   * it was (DEBUG RELOAD).
   */
  loadFile(path: string, verifyFirst: boolean, merge = false, beforeLoad?: () => void): RdbLoadResult {
    const ks = this.server.keyspace;
    const options = {
      now: ks.now(),
      verifyChecksum: this.server.config.bool("rdbchecksum"),
      replaceExisting: merge,
      loadFunction: this.functionLoader(merge),
    };
    if (verifyFirst) this.withSource(path, (source) => loadRdb(source, ks, { ...options, verifyOnly: true }));
    beforeLoad?.();
    const result = this.withSource(path, (source) => loadRdb(source, ks, options));
    this.lastLoadKeysLoaded = result.keysLoaded;
    this.lastLoadKeysExpired = result.keysExpired;
    return result;
  }

  private withSource<T>(path: string, fn: (source: FileSource) => T): T {
    const source = new FileSource(path);
    try {
      return fn(source);
    } finally {
      source.close();
    }
  }

  /** The log lines of a load that failed (before Redis exits). */
  logLoadError(err: unknown): void {
    const log = this.server.log;
    if (err instanceof RdbLoadError) {
      log.warning(`Internal error in RDB reading offset ${err.offset}: ${err.message}`);
      log.warning("Fatal error loading the DB: Invalid argument. Exiting.");
    } else {
      log.warning(`Fatal error loading the DB: ${strerror(err)}. Exiting.`);
    }
  }
}

const instances = new PerServer((server) => new RdbPersistence(server));

/** The RDB persistence of `server` (created on first use). */
export function rdbPersistenceOf(server: ServerContext): RdbPersistence {
  return instances.of(server);
}

/** Stops the RDB persistence of a closing server, if it has one. */
export function closeRdbPersistence(server: ServerContext): void {
  instances.existing(server)?.close();
}

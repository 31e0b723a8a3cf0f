import { mkdirSync, renameSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import {
  type AofFileInfo,
  type AofManifest,
  AofWriter,
  type AppendFsync,
  baseFileName,
  emptyManifest,
  formatManifest,
  incrFileName,
  manifestName,
  writeAofBaseFile,
  writeFileDurably,
} from "@nedis/persistence";
import { strerror } from "../config/specialKinds.js";
import type { PropagationTarget } from "../propagation/Propagator.js";
import type { ServerContext } from "../ServerContext.js";
import { AofRewriter, type RdbBaseSnapshot } from "./AofRewriter.js";
import { AofLoadError, type LoadingProgress, loadAofFiles, readAofManifest } from "./aofFiles.js";
import { afterRewrite, withNewIncr } from "./aofManifestEdits.js";
import { functionLibrariesOf } from "./functionLibraryStore.js";

const CRON_MS = 100;

/**
 * The append-only file of a running server (Redis's aof.c state): the multi-part layout in
 * `appenddirname` (manifest, base, incremental files), the writer fed by the propagator, the
 * `everysec` fsync cron, start-up loading, the file switches of a rewrite (run by
 * {@link AofRewriter}), and `appendonly` switched at runtime. Paths are relative to the working
 * directory, which `dir` sets.
 */
export class AofState implements PropagationTarget {
  /** The AOF is on and written (Redis's AOF_ON). */
  enabled = false;
  /**
   * `appendonly yes` set at run time, until its first rewrite is done (Redis's AOF_WAIT_REWRITE):
   * writes go to a temp incr file while that rewrite runs, and are dropped before it starts
   * (the rewrite's snapshot holds them).
   */
  waitRewrite = false;
  loading: LoadingProgress | null = null;
  /** Writes the base as RDB (`aof-use-rdb-preamble yes`); null until the RDB writer is wired: the base is then RESP. */
  rdbBaseWriter: ((path: string) => number) | null = null;
  /** Starts an RDB base for a background rewrite; null until wired (the base is then RESP). */
  rdbBaseSnapshot: RdbBaseSnapshot | null = null;
  /** Loads an RDB base file's bytes; null until the RDB loader is wired (such a base then fails to load). */
  rdbLoader: ((bytes: Uint8Array) => number) | null = null;
  readonly rewriter: AofRewriter;
  private writer: AofWriter | null = null;
  private manifest: AofManifest = emptyManifest();
  /** Size of the base file and of the incremental files before the open one. */
  private baseSize = 0;
  private closedIncrSize = 0;
  /** `aof_rewrite_base_size`: the AOF's size after the last rewrite (auto rewrite grows from it). */
  private rewriteBaseSize = 0;
  private flushScheduled = false;
  private cronTimer: NodeJS.Timeout | null = null;
  private lastEverysec = Date.now();

  constructor(private readonly server: ServerContext) {
    this.rewriter = new AofRewriter(server, this);
    const config = server.config;
    config.onChange("appendonly", (value) => (value ? this.enableAtRuntime() : this.disable()));
    config.onChange("appendfsync", (value) => {
      if (this.writer !== null) this.writer.policy = value as AppendFsync;
    });
  }

  get dir(): string {
    return this.server.config.string("appenddirname");
  }

  private get filename(): string {
    return this.server.config.string("appendfilename");
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** `aof_current_size`: base plus incremental files, buffered bytes excluded. */
  get currentSize(): number {
    return this.baseSize + this.closedIncrSize + (this.writer?.fileSize ?? 0);
  }

  /** The name a new base file gets (the next base sequence number). */
  nextBaseName(rdb: boolean): string {
    return baseFileName(this.filename, this.manifest.baseSeq + 1, rdb);
  }

  // ---- propagation target -------------------------------------------------------------------

  feed(bytes: Uint8Array, off: number, len: number): void {
    const writer = this.writer;
    if (writer === null) return;
    writer.append(bytes, off, len);
    // Effects outside a client batch (active expiry) are written on the next turn; a batch's
    // own effects are written by the server's flush before its replies (flushBeforeReplies).
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushLater);
    }
  }

  private readonly flushLater = (): void => this.flushBeforeReplies();
  private lastWriteErrorLog = 0;

  /**
   * Redis's `flushAppendOnlyFile` in `beforeSleep`: writes what the batch appended and, under
   * `appendfsync always`, fsyncs it, before any reply of the batch reaches a client.
   */
  flushBeforeReplies(): void {
    this.flushScheduled = false;
    const writer = this.writer;
    if (writer === null || writer.pending === 0) return;
    const failing = writer.lastWriteError !== null;
    if (writer.flush()) {
      if (failing) this.server.log.warning("AOF write error looks solved, Redis can write again.");
      return;
    }
    // Logged once per 30 s while it lasts (Redis's AOF_WRITE_LOG_ERROR_RATE); the bytes stay
    // buffered and each later batch tries again, writes refused meanwhile (writeError).
    const now = Date.now();
    if (now - this.lastWriteErrorLog > 30_000) {
      this.lastWriteErrorLog = now;
      this.server.log.warning(`Error writing to the AOF file: ${strerror(writer.lastWriteError)}`);
    }
    // Under `always` an acknowledged write must be on disk: Redis exits rather than reply.
    if (writer.policy === "always") {
      this.server.log.warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
      process.exit(1);
    }
  }

  /** MISCONF while the last AOF write failed (Redis's DISK_ERROR_TYPE_AOF), else null. */
  get writeError(): string | null {
    const err = this.writer?.lastWriteError ?? null;
    return err === null ? null : `MISCONF Errors writing to the AOF file: ${strerror(err)}`;
  }

  // ---- start-up ---------------------------------------------------------------------------

  /**
   * Loads the AOF at start-up when `appendonly yes` (Redis's `loadDataFromDisk` →
   * `loadAppendOnlyFiles`), then opens it for appending (`aofOpenIfNeededOnServerStart`).
   * Throws {@link AofLoadError} when the server must not start.
   */
  startup(): void {
    this.startCron();
    if (!this.server.config.bool("appendonly")) return;
    this.readManifest();
    this.loadFiles();
    this.openForAppend();
  }

  private readManifest(): void {
    this.manifest = readAofManifest(this.server, this.path(manifestName(this.filename)));
  }

  private loadFiles(): void {
    loadAofFiles(this.server, this.dir, this.manifest, this.rdbLoader, (state) => {
      this.loading = state;
    });
  }

  /** Opens the last incremental file for appending, creating the base and first incr file on a fresh start. */
  private openForAppend(): void {
    mkdirSync(this.dir, { recursive: true });
    const m = this.manifest;
    const log = this.server.log;
    if (m.base === null && m.incr.length === 0) {
      const name = this.writeNewBase(m);
      log.notice(`Creating AOF base file ${name} on server start`);
    }
    const existing = m.incr.length > 0;
    if (!existing) m.incr.push({ name: incrFileName(this.filename, ++m.incrSeq), seq: m.incrSeq, type: "i" });
    const incr = m.incr[m.incr.length - 1]!;
    this.writer = new AofWriter(this.path(incr.name), this.server.config.get<AppendFsync>("appendfsync"));
    this.persistManifest(m);
    this.measure();
    this.rewriteBaseSize = this.baseSize;
    log.notice(`${existing ? "Opening" : "Creating"} AOF incr file ${incr.name} on server start`);
    this.enabled = true;
    this.attach();
  }

  private attach(): void {
    this.server.propagation.resetSelectedDb();
    this.server.propagation.addTarget(this);
  }

  private startCron(): void {
    this.cronTimer ??= setInterval(() => this.cron(), CRON_MS);
    this.cronTimer.unref();
  }

  /** Writes a new base file (temp name, fsync, rename) and records it in `m`; returns its name. */
  private writeNewBase(m: AofManifest): string {
    const rdb = this.rdbBaseWriter !== null && this.server.config.bool("aof-use-rdb-preamble");
    const name = baseFileName(this.filename, ++m.baseSeq, rdb);
    const temp = this.path(`temp-rewriteaof-${process.pid}.aof`);
    if (rdb) this.rdbBaseWriter!(temp);
    else writeAofBaseFile(this.server.keyspace, temp, functionLibrariesOf(this.server)?.codes() ?? []);
    renameSync(temp, this.path(name));
    m.base = { name, seq: m.baseSeq, type: "b" };
    return name;
  }

  // ---- the file switches of a rewrite ----------------------------------------------------------

  private get tempIncrName(): string {
    return `temp-${this.filename}.incr`;
  }

  /**
   * Redis's `openNewIncrAofForAppend`, at the start of a rewrite: what follows goes to a new incr
   * file (named in the manifest at once), or to the temp incr file while waiting for the first
   * rewrite; nothing when the AOF is off. False when it cannot be opened (logged).
   */
  openNewIncr(): boolean {
    if (!this.enabled && !this.waitRewrite) return true;
    const next = this.waitRewrite ? null : withNewIncr(this.manifest, this.filename);
    const name = next === null ? this.tempIncrName : next.incr[next.incr.length - 1]!.name;
    let writer: AofWriter;
    try {
      mkdirSync(this.dir, { recursive: true });
      writer = new AofWriter(this.path(name), this.server.config.get<AppendFsync>("appendfsync"), true);
      if (next !== null) this.persistManifest(next);
    } catch (err) {
      this.server.log.warning(`Can't open the append-only file ${name}: ${strerror(err)}`);
      return false;
    }
    this.server.log.notice(`Creating AOF incr file ${name} on background rewrite`);
    if (this.writer !== null) {
      this.closedIncrSize += this.writer.fileSize;
      this.writer.close();
    }
    this.writer = writer;
    if (next !== null) this.manifest = next;
    return true;
  }

  /**
   * Redis's `backgroundRewriteDoneHandler` file work, once the new base `baseName` is in place:
   * the previous base and the incr files it covers become history, the temp incr file (first
   * rewrite after `appendonly yes`) gets its incr name, the manifest is switched, and history is
   * deleted unless `aof-disable-auto-gc`. False when the manifest could not be written (the new
   * base is then removed).
   */
  installRewrite(baseName: string): boolean {
    const log = this.server.log;
    let incrName: string | null = null;
    if (this.waitRewrite) {
      incrName = incrFileName(this.filename, this.manifest.incrSeq + 1);
      try {
        renameSync(this.path(this.tempIncrName), this.path(incrName));
      } catch (err) {
        log.warning(
          `Error trying to rename the temporary AOF incr file ${this.tempIncrName} into ${incrName}: ${strerror(err)}`,
        );
        tryUnlink(this.path(baseName));
        return false;
      }
      log.notice(`Successfully renamed the temporary AOF incr file ${this.tempIncrName} into ${incrName}`);
    }
    const next = afterRewrite(this.manifest, baseName, incrName, this.writer !== null);
    try {
      this.persistManifest(next);
    } catch (err) {
      log.warning(`Can't persist the AOF manifest: ${strerror(err)}`);
      tryUnlink(this.path(baseName));
      if (incrName !== null) tryUnlink(this.path(incrName));
      return false;
    }
    this.manifest = next;
    if (!this.server.config.bool("aof-disable-auto-gc")) this.deleteHistory();
    this.measure();
    if (this.waitRewrite) {
      this.waitRewrite = false;
      this.enabled = true;
    }
    if (this.enabled) this.rewriteBaseSize = this.currentSize;
    return true;
  }

  /** After a failed or killed first rewrite: the temp incr file goes, writes wait for the next one. */
  dropTempIncr(): void {
    if (!this.waitRewrite) return;
    this.writer?.close();
    this.writer = null;
    tryUnlink(this.path(this.tempIncrName));
  }

  /** Redis's `aofDelHistoryFiles`. */
  private deleteHistory(): void {
    const m = this.manifest;
    if (m.history.length === 0) return;
    for (const f of m.history) {
      tryUnlink(this.path(f.name));
      this.server.log.notice(`Removing the history file ${f.name} in the background`);
    }
    m.history = [];
    try {
      this.persistManifest(m);
    } catch {
      // The next manifest write drops them again; a stale history line loads nothing.
    }
  }

  private persistManifest(m: AofManifest): void {
    writeFileDurably(this.path(manifestName(this.filename)), formatManifest(m));
  }

  private measure(): void {
    const size = (f: AofFileInfo) => {
      try {
        return statSync(this.path(f.name)).size;
      } catch {
        return 0;
      }
    };
    const m = this.manifest;
    this.baseSize = m.base === null ? 0 : size(m.base);
    this.closedIncrSize = 0;
    const open = this.writer !== null ? 1 : 0;
    for (let i = 0; i < m.incr.length - open; i++) this.closedIncrSize += size(m.incr[i]!);
  }

  // ---- runtime switch, cron, shutdown -------------------------------------------------------

  /**
   * CONFIG SET appendonly yes (Redis's `startAppendOnly`): the AOF waits for a rewrite of the
   * current dataset, started now or as soon as no other background job runs.
   */
  private enableAtRuntime(): string | undefined {
    if (this.enabled || this.waitRewrite) return undefined;
    try {
      this.readManifest();
    } catch {
      this.manifest = emptyManifest();
    }
    this.waitRewrite = true;
    this.attach();
    if (!this.rewriter.startForAppendOnly()) {
      this.detach();
      return "Failed to start AOF";
    }
    return undefined;
  }

  /** CONFIG SET appendonly no (Redis's `stopAppendOnly`): written, synced, closed; a rewrite is killed. */
  private disable(): undefined {
    if (!this.enabled && !this.waitRewrite) return undefined;
    this.rewriter.scheduled = false;
    this.rewriter.kill();
    this.dropTempIncr();
    this.detach();
    return undefined;
  }

  private detach(): void {
    this.server.propagation.removeTarget(this);
    this.enabled = false;
    this.waitRewrite = false;
    this.writer?.close();
    this.writer = null;
  }

  private cron(): void {
    this.rewriter.cron();
    const writer = this.writer;
    if (writer === null) return;
    const now = Date.now();
    if (writer.policy === "everysec" && now - this.lastEverysec >= 1000) {
      this.lastEverysec = now;
      this.flushBeforeReplies();
      writer.backgroundFsync();
    }
  }

  /** `aof_rewrite_base_size` and the growth auto rewrite measures from it. */
  get baseSizeAfterRewrite(): number {
    return this.rewriteBaseSize;
  }

  /** DEBUG LOADAOF: the AOF written out, the dataset emptied and loaded back from the files. */
  debugLoadAof(): void {
    if (this.writer !== null) {
      this.writer.flush();
      this.writer.fsyncNow();
    }
    this.server.keyspace.flushAll();
    try {
      this.readManifest();
      this.loadFiles();
    } catch (err) {
      if (!(err instanceof AofLoadError)) throw err;
      // Redis exits: the dataset in memory no longer matches anything.
      process.exit(1);
    }
    this.server.keyspace.dirty = 0;
    this.server.log.warning("Append Only File loaded by DEBUG LOADAOF");
  }

  /**
   * Redis's `finishShutdown` AOF part: a running rewrite is killed, except the first one after
   * `appendonly yes` (the dataset is in no file yet): then false, unless `force`.
   */
  prepareForShutdown(force: boolean): boolean {
    if (this.rewriter.inProgress) {
      const log = this.server.log;
      if (this.waitRewrite) {
        if (!force) {
          log.warning("Writing initial AOF, can't exit.");
          return false;
        }
        log.warning("Writing initial AOF. Exit anyway.");
      }
      log.warning("There is a child rewriting the AOF. Killing it!");
      this.rewriter.kill();
    }
    return true;
  }

  /** At shutdown: everything written and synced. */
  close(): void {
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    this.cronTimer = null;
    this.rewriter.kill();
    try {
      this.writer?.close();
    } catch (err) {
      this.server.log.warning(`Error closing the AOF: ${(err as Error).message}`);
    }
    this.writer = null;
  }

  /** The open writer's state for INFO (`aof_buffer_length`, `aof_delayed_fsync`, `aof_last_write_status`), or null. */
  get writerInfo(): { pending: number; delayedFsyncs: number; writeFailed: boolean } | null {
    const w = this.writer;
    return w === null
      ? null
      : { pending: w.pending, delayedFsyncs: w.delayedFsyncs, writeFailed: w.lastWriteError !== null };
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to clean.
  }
}

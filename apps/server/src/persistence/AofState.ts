import { existsSync, mkdirSync, readFileSync, renameSync, statSync, truncateSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import {
  type AofFileInfo,
  type AofManifest,
  AofManifestError,
  AofWriter,
  type AppendFsync,
  baseFileName,
  emptyManifest,
  formatManifest,
  incrFileName,
  manifestName,
  parseManifest,
  writeAofBaseFile,
  writeFileDurably,
} from "@nedis/persistence";
import { strerror } from "../config/specialKinds.js";
import type { PropagationTarget } from "../propagation/Propagator.js";
import type { ServerContext } from "../ServerContext.js";
import { replayAofFile } from "./aofLoading.js";
import { functionLibrariesOf } from "./functionLibraryStore.js";

/** Progress of the start-up load, for INFO's `loading_*` fields. */
export interface LoadingProgress {
  startTime: number;
  totalBytes: number;
  loadedBytes: number;
}

/** The AOF could not be loaded at start-up: the server must not start (the files are untouched). */
export class AofLoadError extends Error {}

const CRON_MS = 100;

/**
 * The append-only file of a running server (Redis's aof.c state): the multi-part layout in
 * `appenddirname` (manifest, base, incremental files), the writer fed by the propagator, the
 * `everysec` fsync and auto-rewrite cron, start-up loading, rewrites, and `appendonly` switched
 * at runtime. Paths are relative to the working directory, which `dir` sets.
 */
export class AofState implements PropagationTarget {
  /** `aof_enabled`: the AOF is written (after start-up loading, or once CONFIG SET's base is written). */
  enabled = false;
  loading: LoadingProgress | null = null;
  /** Writes the base as RDB (`aof-use-rdb-preamble yes`); null until the RDB writer is wired: the base is then RESP. */
  rdbBaseWriter: ((path: string) => number) | null = null;
  /** Loads an RDB base file's bytes; null until the RDB loader is wired (such a base then fails to load). */
  rdbLoader: ((bytes: Uint8Array) => number) | null = null;
  rewrites = 0;
  lastRewriteTimeSec = -1;
  lastRewriteOk = true;
  rewriteFailures = 0;
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
    const config = server.config;
    config.onChange("appendonly", (value) => (value ? this.enableAtRuntime() : this.disable()));
    config.onChange("appendfsync", (value) => {
      if (this.writer !== null) this.writer.policy = value as AppendFsync;
    });
  }

  private get dir(): string {
    return this.server.config.string("appenddirname");
  }

  private get filename(): string {
    return this.server.config.string("appendfilename");
  }

  private path(name: string): string {
    return join(this.dir, name);
  }

  /** `aof_current_size`: base plus incremental files, buffered bytes excluded. */
  get currentSize(): number {
    return this.baseSize + this.closedIncrSize + (this.writer?.fileSize ?? 0);
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
    if (!this.server.config.bool("appendonly")) return;
    this.readManifest();
    this.loadFiles();
    this.openForAppend();
  }

  private readManifest(): void {
    const file = this.path(manifestName(this.filename));
    this.manifest = emptyManifest();
    if (!existsSync(file)) return;
    try {
      this.manifest = parseManifest(readFileSync(file, "latin1"));
    } catch (err) {
      if (!(err instanceof AofManifestError)) throw err;
      const log = this.server.log;
      log.warning("\n*** FATAL AOF MANIFEST FILE ERROR ***\n");
      if (err.line !== null) {
        log.warning(`Reading the manifest file, at line ${err.lineNumber}\n`);
        log.warning(`>>> '${err.line}'\n`);
      }
      log.warning(`${err.reason}\n`);
      throw new AofLoadError(err.reason);
    }
  }

  private loadFiles(): void {
    const m = this.manifest;
    const files: AofFileInfo[] = [...(m.base === null ? [] : [m.base]), ...m.incr];
    if (files.length === 0) return;
    const log = this.server.log;
    let total = 0;
    for (const f of files) {
      const p = this.path(f.name);
      if (!existsSync(p)) {
        log.warning(`The append log file ${f.name} doesn't exist: No such file or directory`);
        throw new AofLoadError(`missing ${f.name}`);
      }
      total += statSync(p).size;
    }
    if (total === 0) return;
    const started = Date.now();
    this.loading = { startTime: started, totalBytes: total, loadedBytes: 0 };
    const truncatedAllowed = this.server.config.bool("aof-load-truncated");
    try {
      for (let i = 0; i < files.length; i++) {
        const f = files[i]!;
        const last = i === files.length - 1;
        const p = this.path(f.name);
        const bytes = readFileSync(p);
        const t0 = Date.now();
        const result = replayAofFile(this.server, bytes, f.name, this.rdbLoader);
        this.loading.loadedBytes += bytes.length;
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
      this.loading = null;
    }
    // Like Redis, the replayed writes stay counted in `dirty` (rdb_changes_since_last_save).
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
    this.persistManifest();
    this.measure();
    this.rewriteBaseSize = this.baseSize;
    log.notice(`${existing ? "Opening" : "Creating"} AOF incr file ${incr.name} on server start`);
    this.attach();
  }

  private attach(): void {
    this.enabled = true;
    this.server.propagation.resetSelectedDb();
    this.server.propagation.addTarget(this);
    this.cronTimer ??= setInterval(() => this.cron(), CRON_MS);
    this.cronTimer.unref();
  }

  // ---- rewrite ----------------------------------------------------------------------------

  /**
   * BGREWRITEAOF (and CONFIG SET appendonly yes, and auto rewrite): a new base written from the
   * keyspace, a new incremental file for what follows, then the manifest switched in one
   * rename; the previous files are deleted once the new manifest is durable. The walk is
   * synchronous for now (see `rewriteKeyspace`), so the base is the dataset at this instant
   * and the new incr file starts right after it.
   */
  rewrite(openIncr = this.enabled): boolean {
    const started = Date.now();
    const log = this.server.log;
    mkdirSync(this.dir, { recursive: true });
    // Everything before the switch goes to the files the old manifest names.
    this.flushBeforeReplies();
    const next: AofManifest = {
      base: this.manifest.base,
      history: [...this.manifest.history],
      incr: [...this.manifest.incr],
      baseSeq: this.manifest.baseSeq,
      incrSeq: this.manifest.incrSeq,
    };
    const old = [...(next.base === null ? [] : [next.base]), ...next.incr, ...next.history];
    let baseName: string;
    try {
      baseName = this.writeNewBase(next);
    } catch (err) {
      log.warning(`Error rewriting the append only file: ${(err as Error).message}`);
      this.lastRewriteOk = false;
      this.rewriteFailures++;
      return false;
    }
    // With the AOF off (BGREWRITEAOF under appendonly no) only the base is kept.
    const incr: AofFileInfo = { name: incrFileName(this.filename, ++next.incrSeq), seq: next.incrSeq, type: "i" };
    next.incr = openIncr ? [incr] : [];
    // The replaced files become history: deleted at once, or kept in the manifest under
    // `aof-disable-auto-gc yes` (Redis's aofDelHistoryFiles).
    const keepHistory = this.server.config.bool("aof-disable-auto-gc");
    next.history = keepHistory
      ? old.filter((f) => f.name !== baseName).map((f) => ({ name: f.name, seq: f.seq, type: "h" as const }))
      : [];
    if (openIncr) {
      if (this.writer === null)
        this.writer = new AofWriter(this.path(incr.name), this.server.config.get("appendfsync"));
      else this.writer.switchTo(this.path(incr.name));
      this.server.propagation.resetSelectedDb();
    }
    this.manifest = next;
    this.persistManifest();
    for (const f of keepHistory ? [] : old) {
      if (f.name === baseName || f.name === incr.name) continue;
      try {
        unlinkSync(this.path(f.name));
      } catch {
        // Already gone: nothing to clean.
      }
    }
    this.measure();
    this.rewriteBaseSize = this.currentSize;
    this.rewrites++;
    this.lastRewriteOk = true;
    this.rewriteFailures = 0;
    this.lastRewriteTimeSec = Math.floor((Date.now() - started) / 1000);
    log.notice("Background AOF rewrite terminated with success");
    log.notice("Background AOF rewrite finished successfully");
    return true;
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

  private persistManifest(): void {
    writeFileDurably(this.path(manifestName(this.filename)), formatManifest(this.manifest));
  }

  private measure(): void {
    const size = (f: AofFileInfo) => {
      try {
        return statSync(this.path(f.name)).size;
      } catch {
        return 0;
      }
    };
    this.baseSize = this.manifest.base === null ? 0 : size(this.manifest.base);
    this.closedIncrSize = 0;
    for (let i = 0; i < this.manifest.incr.length - 1; i++) this.closedIncrSize += size(this.manifest.incr[i]!);
  }

  // ---- runtime switch, cron, shutdown -------------------------------------------------------

  /** CONFIG SET appendonly yes: a base of the current dataset first (Redis's `startAppendOnly`). */
  private enableAtRuntime(): string | undefined {
    if (this.enabled) return undefined;
    this.readManifestQuietly();
    if (!this.rewrite(true)) return "Failed to start AOF";
    this.attach();
    return undefined;
  }

  private readManifestQuietly(): void {
    try {
      this.readManifest();
    } catch {
      this.manifest = emptyManifest();
    }
  }

  /** CONFIG SET appendonly no (Redis's `stopAppendOnly`): written, synced, closed. */
  private disable(): undefined {
    if (!this.enabled) return undefined;
    this.server.propagation.removeTarget(this);
    this.enabled = false;
    this.writer?.close();
    this.writer = null;
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    this.cronTimer = null;
    return undefined;
  }

  private cron(): void {
    const writer = this.writer;
    if (writer === null) return;
    const now = Date.now();
    if (writer.policy === "everysec" && now - this.lastEverysec >= 1000) {
      this.lastEverysec = now;
      this.flushBeforeReplies();
      writer.backgroundFsync();
    }
    // Redis's serverCron auto rewrite: the AOF grew by `auto-aof-rewrite-percentage` since the last one.
    const percentage = this.server.config.number("auto-aof-rewrite-percentage");
    const minSize = this.server.config.number("auto-aof-rewrite-min-size");
    const size = this.currentSize;
    if (percentage > 0 && size > minSize) {
      const base = this.rewriteBaseSize > 0 ? this.rewriteBaseSize : 1;
      const growth = Math.floor((size * 100) / base) - 100;
      if (growth >= percentage) {
        this.server.log.notice(`Starting automatic rewriting of AOF on ${growth}% growth`);
        this.rewrite();
      }
    }
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

  /** At shutdown: everything written and synced. */
  close(): void {
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    this.cronTimer = null;
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

  /** `aof_base_size`: the AOF's size after the last rewrite. */
  get baseSizeAfterRewrite(): number {
    return this.rewriteBaseSize;
  }
}

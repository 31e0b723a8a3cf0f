import { mkdirSync } from "node:fs";
import { AofSnapshotWriter, AsyncFileSink, KeyspaceSnapshot, type RdbSink } from "@nedis/persistence";
import { strerror } from "../config/specialKinds.js";
import type { ServerContext } from "../ServerContext.js";
import type { AofState } from "./AofState.js";
import { BackgroundSnapshot } from "./BackgroundSnapshot.js";
import { backgroundJobActive } from "./backgroundJobs.js";
import { functionLibrariesOf } from "./functionLibraryStore.js";

/**
 * Starts an RDB-form AOF base (`aof-use-rdb-preamble yes`) on `sink`: the header is written and
 * the returned snapshot is not started yet; `finish` writes the tail once the walk is over.
 */
export type RdbBaseSnapshot = (sink: RdbSink) => { snapshot: KeyspaceSnapshot; finish: () => void };

/** Redis's AOF_REWRITE_LIMITE_THRESHOLD and _MAX_MINUTES: the back-off after repeated failures. */
const LIMIT_THRESHOLD = 3;
const LIMIT_MAX_MINUTES = 60;

const unixSeconds = () => Math.floor(Date.now() / 1000);

/**
 * BGREWRITEAOF and automatic rewrites (Redis's `rewriteAppendOnlyFileBackground` and
 * `backgroundRewriteDoneHandler`), forkless: at the start the AOF switches to a new incr file
 * and a {@link KeyspaceSnapshot} of that instant is written as the new base in time slices
 * while clients are served (a {@link BackgroundSnapshot}); once the base is durable the
 * manifest is switched to it and the files it covers are deleted.
 */
export class AofRewriter {
  /** `aof_rewrites`: rewrites started. */
  rewrites = 0;
  lastRewriteTimeSec = -1;
  lastRewriteOk = true;
  /** `aof_rewrites_consecutive_failures`. */
  failures = 0;
  /** `aof_rewrite_scheduled`: to start once no other background job runs. */
  scheduled = false;
  private job: BackgroundSnapshot | null = null;
  private nextDelayMinutes = 0;
  private nextRewriteTime = 0;

  constructor(
    private readonly server: ServerContext,
    private readonly aof: AofState,
  ) {}

  /** `aof_rewrite_in_progress`. */
  get inProgress(): boolean {
    return this.job !== null;
  }

  /** `aof_current_rewrite_time_sec`: -1 when none runs. */
  get currentSeconds(): number {
    return this.job === null ? -1 : unixSeconds() - this.job.startedSec;
  }

  /**
   * Redis's `rewriteAppendOnlyFileBackground`. False when it could not start (logged); a base
   * file that cannot be opened fails the rewrite after it started, as Redis's child does.
   */
  start(): boolean {
    if (backgroundJobActive(this.server)) return false;
    const log = this.server.log;
    const aof = this.aof;
    try {
      mkdirSync(aof.dir, { recursive: true });
    } catch (err) {
      log.warning(`Can't open or create append-only dir ${aof.dir}: ${strerror(err)}`);
      this.lastRewriteOk = false;
      return false;
    }
    // The next command written is preceded by a SELECT; what came before goes to the old files.
    this.server.propagation.resetSelectedDb();
    aof.flushBeforeReplies();
    if (!aof.openNewIncr()) {
      this.lastRewriteOk = false;
      return false;
    }
    this.rewrites++;
    this.scheduled = false;
    const rdb = aof.rdbBaseSnapshot !== null && this.server.config.bool("aof-use-rdb-preamble");
    const baseName = aof.nextBaseName(rdb);
    const tempPath = `temp-rewriteaof-bg-${process.pid}.aof`;
    log.notice(`Background append only file rewriting started by pid ${process.pid}`);
    let sink: AsyncFileSink;
    try {
      sink = new AsyncFileSink(tempPath);
    } catch (err) {
      log.warning(`Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): ${strerror(err)}`);
      this.failed(unixSeconds());
      return true;
    }
    const ks = this.server.keyspace;
    let snapshot: KeyspaceSnapshot;
    let finish: () => void;
    if (rdb) ({ snapshot, finish } = aof.rdbBaseSnapshot!(sink));
    else {
      const visitor = new AofSnapshotWriter(sink, functionLibrariesOf(this.server)?.codes() ?? []);
      snapshot = new KeyspaceSnapshot(ks, visitor);
      finish = () => visitor.finish();
    }
    const job: BackgroundSnapshot = new BackgroundSnapshot(
      this.server,
      snapshot,
      sink,
      tempPath,
      aof.path(baseName),
      finish,
      (failure) => this.done(job, baseName, failure),
    );
    this.job = job;
    job.start();
    return true;
  }

  /** `CONFIG SET appendonly yes` (Redis's `startAppendOnly`): the first rewrite, now or scheduled. */
  startForAppendOnly(): boolean {
    const log = this.server.log;
    if (backgroundJobActive(this.server) && this.job === null) {
      this.scheduled = true;
      log.warning(
        "AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.",
      );
      return true;
    }
    if (this.server.executionNesting > 1) {
      this.scheduled = true;
      log.warning("AOF was enabled during a transaction. An AOF background was scheduled to start when possible.");
      return true;
    }
    if (this.job !== null) {
      log.warning(
        "AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.",
      );
      this.kill();
    }
    if (this.start()) return true;
    log.warning(
      "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.",
    );
    return false;
  }

  private done(job: BackgroundSnapshot, baseName: string, failure: unknown): void {
    if (this.job !== job) return; // killed meanwhile
    this.job = null;
    const log = this.server.log;
    if (failure !== null) {
      log.warning(`Write error writing append only file on disk: ${strerror(failure)}`);
      log.warning("Background AOF rewrite terminated with error");
      this.failed(job.startedSec);
      return;
    }
    log.notice("Background AOF rewrite terminated with success");
    log.notice(`Successfully renamed the temporary AOF base file ${job.tempPath} into ${baseName}`);
    this.lastRewriteTimeSec = unixSeconds() - job.startedSec;
    if (!this.aof.installRewrite(baseName)) {
      this.failed(job.startedSec);
      return;
    }
    this.lastRewriteOk = true;
    this.failures = 0;
    log.notice("Background AOF rewrite finished successfully");
  }

  private failed(startedSec: number): void {
    this.lastRewriteOk = false;
    this.failures++;
    this.lastRewriteTimeSec = unixSeconds() - startedSec;
    // The first rewrite after `appendonly yes` is tried again (Redis's cleanup in the done handler).
    if (this.aof.waitRewrite) {
      this.aof.dropTempIncr();
      this.scheduled = true;
    }
  }

  /** Redis's `killAppendOnlyChild`: the walk stopped and its temp file removed. */
  kill(): void {
    const job = this.job;
    if (job === null) return;
    this.job = null;
    this.server.log.notice(`Killing running AOF rewrite child: ${process.pid}`);
    job.kill();
    this.lastRewriteTimeSec = unixSeconds() - job.startedSec;
  }

  /** serverCron's share: a scheduled rewrite, or an automatic one on growth. */
  cron(): void {
    if (backgroundJobActive(this.server)) return;
    if (this.scheduled) {
      if (!this.limited()) this.start();
      return;
    }
    const aof = this.aof;
    const config = this.server.config;
    const percentage = config.number("auto-aof-rewrite-percentage");
    const size = aof.currentSize;
    if (!aof.enabled || percentage === 0 || size <= config.number("auto-aof-rewrite-min-size")) return;
    const base = aof.baseSizeAfterRewrite > 0 ? aof.baseSizeAfterRewrite : 1;
    const growth = Math.floor((size * 100) / base) - 100;
    if (growth >= percentage && !this.limited()) {
      this.server.log.notice(`Starting automatic rewriting of AOF on ${growth}% growth`);
      this.start();
    }
  }

  /** Redis's `aofRewriteLimited`: after repeated failures, wait 1, 2, 4… up to 60 minutes. */
  private limited(): boolean {
    if (this.failures < LIMIT_THRESHOLD) {
      this.nextDelayMinutes = 0;
      this.nextRewriteTime = 0;
      return false;
    }
    const now = unixSeconds();
    if (this.nextRewriteTime !== 0) {
      if (now < this.nextRewriteTime) return true;
      this.nextRewriteTime = 0;
      return false;
    }
    this.nextDelayMinutes = Math.min(this.nextDelayMinutes === 0 ? 1 : this.nextDelayMinutes * 2, LIMIT_MAX_MINUTES);
    this.nextRewriteTime = now + this.nextDelayMinutes * 60;
    this.server.log.warning(
      `Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${this.nextDelayMinutes} minutes`,
    );
    return true;
  }
}

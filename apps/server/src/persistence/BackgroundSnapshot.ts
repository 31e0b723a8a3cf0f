import { type AsyncFileSink, abandonRdbFile, commitRdbFileAsync, type KeyspaceSnapshot } from "@nedis/persistence";
import type { ServerContext } from "../ServerContext.js";

/** Main-thread time per slice of a background save (like active expiry's slices). */
const SLICE_MS = 2;
/** Bytes of a background save's file allowed in flight to the disk before the walk waits. */
const MAX_WRITE_BACKLOG = 2 << 20;

const unixSeconds = () => Math.floor(Date.now() / 1000);

/** How a {@link BackgroundSnapshot} ends: its file committed (null) or the reason it failed. */
export type SnapshotDone = (failure: unknown) => void;

/**
 * What Redis forks a child for (BGSAVE, BGREWRITEAOF), forkless: a {@link KeyspaceSnapshot}
 * walked in short slices while clients are served, its visitor writing a temp file off the
 * event loop; once the walk is over the file is finished, fsynced and renamed into place (off
 * the event loop too), and `done` is called. Only one runs at a time, as Redis has one child.
 */
export class BackgroundSnapshot {
  readonly startedSec = unixSeconds();
  /** The file is complete and being fsynced and renamed. */
  private committing = false;
  private immediate: NodeJS.Immediate | null = null;
  private timeout: NodeJS.Timeout | null = null;
  private ended = false;

  /**
   * @param snapshot not started yet: {@link start} starts it, after the caller wrote the file's head.
   * @param finishFile writes the file's tail (RDB: EOF and checksum; AOF: what is buffered).
   */
  constructor(
    private readonly server: ServerContext,
    readonly snapshot: KeyspaceSnapshot,
    private readonly sink: AsyncFileSink,
    readonly tempPath: string,
    private readonly finalPath: string,
    private readonly finishFile: () => void,
    private readonly done: SnapshotDone,
  ) {}

  start(): void {
    this.snapshot.start();
    this.scheduleSlice();
  }

  private scheduleSlice(): void {
    // rdb-key-save-delay (µs per key, a testing knob): one key per timer tick instead of a busy
    // wait, so the save is as slow as Redis's child but clients are still served.
    const delayUs = this.server.config.number("rdb-key-save-delay");
    const slice = () => {
      this.immediate = null;
      this.timeout = null;
      if (this.ended) return;
      if (this.sink.error !== null) return this.end(this.sink.error);
      // Replies of the commands served since the last slice go out before this one: the slice
      // and the reply flush are both immediates, and a reply must not wait behind a slice.
      this.server.flushPending();
      // The disk is behind: wait for the writes in flight instead of buffering more.
      if (this.sink.backlog > MAX_WRITE_BACKLOG) {
        this.sink.drain(() => this.scheduleSlice());
        return;
      }
      let more: boolean;
      try {
        more = delayUs > 0 ? this.snapshot.step(SLICE_MS, 1) : this.snapshot.step(SLICE_MS);
      } catch (err) {
        this.end(err);
        return;
      }
      if (more) this.scheduleSlice();
      else this.end(null);
    };
    if (delayUs > 0) this.timeout = setTimeout(slice, Math.ceil(delayUs / 1000));
    else this.immediate = setImmediate(slice);
  }

  /** The walk is over (or failed): the file is finished and committed, or dropped. */
  private end(error: unknown): void {
    this.ended = true;
    this.snapshot.stop();
    let failure = error;
    if (failure === null && this.snapshot.failure !== null) failure = new Error(this.snapshot.failure);
    if (failure === null) {
      try {
        this.finishFile();
      } catch (err) {
        failure = err;
      }
    }
    this.committing = true;
    this.sink.drain((writeError) => {
      const failed = failure ?? writeError;
      if (failed !== null) {
        abandonRdbFile(this.sink, this.tempPath);
        this.done(failed);
        return;
      }
      commitRdbFileAsync(this.sink, this.tempPath, this.finalPath, (err) => this.done(err));
    });
  }

  /**
   * Stops the walk without calling `done` (Redis's SIGUSR1 kill); the temp file is removed. A
   * complete file already being committed is left to finish (its descriptor is in use
   * off-thread), and its `done` still comes: the owner ignores it.
   */
  kill(): void {
    if (this.committing || this.ended) return;
    this.ended = true;
    // Each clear for its own kind: clearImmediate given a Timeout corrupts Node's immediate queue.
    if (this.timeout !== null) clearTimeout(this.timeout);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.snapshot.stop();
    // Writes still in flight use the descriptor: close it only after them.
    this.sink.drain(() => abandonRdbFile(this.sink, this.tempPath));
  }
}

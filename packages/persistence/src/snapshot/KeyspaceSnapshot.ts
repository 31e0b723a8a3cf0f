import type {
  Database,
  FlushHook,
  KeyChangingHook,
  KeyEntryReader,
  KeyRemovedHook,
  Keyspace,
  SwapDbHook,
} from "@nedis/keyspace";
import { HandleSet } from "./HandleSet.js";

/**
 * What a snapshot hands each key to: an RDB writer for BGSAVE, a command emitter for an AOF
 * rewrite. Every key that existed when the snapshot began is visited exactly once, with its
 * value as it was then; keys created later are never visited.
 */
export interface SnapshotVisitor {
  /** The walk enters database `db` (its size and volatile-key count when the snapshot began). */
  beginDb(db: number, keys: number, expires: number): void;
  /**
   * One key of database `originDb` (its number when the snapshot began): read it through
   * `reader` at `ref` during the call only. Called from the walk, or from a keyspace hook just
   * before the key's first change or removal (then possibly while another database is walked).
   */
  key(originDb: number, reader: Database, ref: number): void;
}

/** The entries of one database when the snapshot began. */
interface DbWalk {
  /** Its number when the snapshot began (what the file records). */
  readonly origin: number;
  /** The database its entries live in now (SWAPDB moves them). */
  current: number;
  readonly keys: number;
  readonly expires: number;
  /** Entry handles, each with a done bit (written already, by the walk or by a hook). */
  readonly handles: HandleSet;
  /** The walk's next slot in {@link handles}. */
  next: number;
}

const CHECK_CLOCK_EVERY = 64;

/**
 * A forkless point-in-time snapshot of a keyspace (design.md, "Durability without fork"). At
 * {@link start} it records each database's entry handles in a {@link HandleSet} (16 bytes per
 * key, no key names, no sort), then {@link step} walks them in time slices while clients are served. Copy
 * before first write: the keyspace's gateway hooks (a value about to change, a key about to be
 * removed, a flush) hand a key that was not visited yet to the visitor first, and mark it done
 * so the walk skips it. An entry's handle only changes or gets reused after one of those hooks
 * has fired for it, so a handle that is found and not done is still the original key.
 */
export class KeyspaceSnapshot {
  private readonly walks: DbWalk[] = [];
  private walkIndex = 0;
  private started = false;
  private finished = false;
  /** Keys visited so far, and the total when the snapshot began. */
  keysVisited = 0;
  keysTotal = 0;
  /** Set when the snapshot cannot be trusted (the file must not be used). */
  failure: string | null = null;
  private keyScratch = new Uint8Array(256);
  private saved: {
    changing: KeyChangingHook | null;
    removed: KeyRemovedHook | null;
    beforeFlush: FlushHook | null;
    swap: SwapDbHook | null;
  } | null = null;
  private readonly onChanging: KeyChangingHook = (db, ref) => {
    this.copyBeforeWrite(db, ref);
    this.saved?.changing?.(db, ref);
  };
  private readonly onRemoved: KeyRemovedHook = (db, ref, reason) => {
    this.copyBeforeWrite(db, ref);
    this.saved?.removed?.(db, ref, reason);
  };
  private readonly onBeforeFlush: FlushHook = (db) => {
    this.drainCurrent(db);
    this.saved?.beforeFlush?.(db);
  };
  private readonly onSwapDb: SwapDbHook = (a, b) => {
    for (const walk of this.walks) {
      if (walk.current === a) walk.current = b;
      else if (walk.current === b) walk.current = a;
    }
    this.saved?.swap?.(a, b);
  };

  constructor(
    private readonly ks: Keyspace,
    private readonly visitor: SnapshotVisitor,
  ) {}

  /** True once every key has been visited (or the snapshot was stopped). */
  get done(): boolean {
    return this.finished;
  }

  /** Records the keyspace as it is now and attaches to its hooks. Synchronous: O(keys) plus a sort. */
  start(): void {
    if (this.started) throw new Error("snapshot already started");
    this.started = true;
    for (const db of this.ks.databases) {
      if (db.size === 0) continue;
      const handles = new HandleSet(db.index.count);
      db.index.forEach((handle) => handles.add(handle));
      const n = handles.size;
      this.walks.push({ origin: db.id, current: db.id, keys: n, expires: db.expires, handles, next: 0 });
      this.keysTotal += n;
    }
    const ks = this.ks;
    this.saved = {
      changing: ks.onKeyChanging,
      removed: ks.onKeyRemoved,
      beforeFlush: ks.onBeforeFlush,
      swap: ks.onSwapDb,
    };
    ks.onKeyChanging = this.onChanging;
    ks.onKeyRemoved = this.onRemoved;
    ks.onBeforeFlush = this.onBeforeFlush;
    ks.onSwapDb = this.onSwapDb;
    if (this.walks.length > 0) this.beginWalk(this.walks[0]!);
    else this.finish();
  }

  /**
   * Visits keys for about `budgetMs` (at least a few), at most `maxKeys`. Returns true while keys remain. After the
   * last key the hooks are detached and {@link done} is true.
   */
  step(budgetMs: number, maxKeys = Number.POSITIVE_INFINITY): boolean {
    if (this.finished) return false;
    let left = maxKeys;
    const deadline = performance.now() + budgetMs;
    let sinceCheck = 0;
    while (this.walkIndex < this.walks.length) {
      const walk = this.walks[this.walkIndex]!;
      const handles = walk.handles;
      const slots = handles.slots;
      while (walk.next < slots.length) {
        const slot = walk.next++;
        const handle = slots[slot]!;
        if (handle === 0 || !handles.markDone(slot)) continue;
        this.visitHandle(walk, handle);
        if (--left <= 0) return true;
        if (++sinceCheck === CHECK_CLOCK_EVERY) {
          sinceCheck = 0;
          if (performance.now() >= deadline) return true;
        }
      }
      this.walkIndex++;
      if (this.walkIndex < this.walks.length) this.beginWalk(this.walks[this.walkIndex]!);
    }
    this.finish();
    return false;
  }

  /** Detaches from the keyspace without visiting the rest (BGSAVE aborted by FLUSHALL, errors). */
  stop(): void {
    this.finish();
  }

  private beginWalk(walk: DbWalk): void {
    this.visitor.beginDb(walk.origin, walk.keys, walk.expires);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    const ks = this.ks;
    const saved = this.saved;
    if (saved === null) return;
    // Put back what we replaced; a hook installed after ours keeps calling ours, which now
    // only forwards (finished snapshots copy nothing).
    if (ks.onKeyChanging === this.onChanging) ks.onKeyChanging = saved.changing;
    if (ks.onKeyRemoved === this.onRemoved) ks.onKeyRemoved = saved.removed;
    if (ks.onBeforeFlush === this.onBeforeFlush) ks.onBeforeFlush = saved.beforeFlush;
    if (ks.onSwapDb === this.onSwapDb) ks.onSwapDb = saved.swap;
  }

  /** Visits the walk's key at entry `handle`, looking its ref up by its key bytes. */
  private visitHandle(walk: DbWalk, handle: number): void {
    const db = this.ks.databases[walk.current]!;
    db.loadKey(handle);
    const len = db.keyLen;
    if (this.keyScratch.length < len) this.keyScratch = new Uint8Array(Math.max(len, this.keyScratch.length * 2));
    const key = this.keyScratch;
    key.set(db.keyBuf.subarray(db.keyOff, db.keyOff + len));
    const ref = db.find(key, 0, len);
    if (ref < 0 || db.handleAt(ref) !== handle) {
      // Never expected: an entry changed without a gateway hook. The snapshot is unusable.
      this.failure ??= "an entry changed without a keyspace hook during the snapshot";
      return;
    }
    this.keysVisited++;
    this.visitor.key(walk.origin, db, ref);
  }

  /** The hook side of copy-before-write: the key at `ref` is about to change or go. */
  private copyBeforeWrite(reader: KeyEntryReader, ref: number): void {
    if (this.finished) return;
    const dbId = reader.id;
    const handle = reader.handleAt(ref);
    for (const walk of this.walks) {
      if (walk.current !== dbId) continue;
      const slot = walk.handles.slotOf(handle);
      if (slot < 0 || !walk.handles.markDone(slot)) return;
      this.keysVisited++;
      this.visitor.key(walk.origin, this.ks.databases[dbId]!, ref);
      return;
    }
  }

  /** Before database `db` (-1: all) is emptied, every key of it not visited yet is visited. */
  private drainCurrent(db: number): void {
    if (this.finished) return;
    for (const walk of this.walks) {
      if (db !== -1 && walk.current !== db) continue;
      const handles = walk.handles;
      const slots = handles.slots;
      for (let slot = walk.next; slot < slots.length; slot++) {
        const handle = slots[slot]!;
        if (handle !== 0 && handles.markDone(slot)) this.visitHandle(walk, handle);
      }
    }
  }
}

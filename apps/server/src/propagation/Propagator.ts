import { RespCommandBuffer } from "@nedis/persistence";
import type { CommandArgs } from "../commands/CommandSpec.js";

/** Receives the propagated stream: RESP commands, SELECT and MULTI/EXEC included (AofFeed, replicas later). */
export interface PropagationTarget {
  feed(bytes: Uint8Array, off: number, len: number): void;
}

/** How deep the server is in nested command calls (the server context). */
export interface ExecutionDepth {
  readonly executionNesting: number;
}

const SELECT_NAME = "SELECT";

/**
 * The single propagation point: Redis's `alsoPropagate` + `propagatePendingCommands`
 * (server.c). Every effect that changes data is queued here during a command — the command
 * itself (call.ts), the form a handler rewrote it to ({@link replaceWith}, Redis's
 * `rewriteClientCommandVector`), keys that expired or were evicted ({@link deletion}) — and
 * {@link endCommand}, after the outermost call, hands the unit to the targets: MULTI … EXEC
 * around it when it holds more than one operation, SELECT whenever the database changes.
 * Costs nothing while there is no target (AOF off, no replicas).
 */
export class Propagator {
  /** True while a target listens: call() skips all propagation work otherwise. */
  active = false;
  /** Set by a handler that propagated its effect itself; call() then skips the command's text. */
  replaced = false;
  /** Set by a handler whose text propagates even without a change (FLUSHALL on empty dbs). */
  forced = false;
  private readonly targets: PropagationTarget[] = [];
  /** The queued operations of the current unit, each encoded at once. */
  private readonly pending = new RespCommandBuffer();
  /** Where each queued operation ends in `pending`, and its database (`opCount` of each). */
  private opEnds = new Int32Array(16);
  private opDbs = new Int32Array(16);
  private opCount = 0;
  /** What the targets receive: the unit with SELECT and MULTI/EXEC. */
  private readonly out = new RespCommandBuffer();
  /** The database the stream last selected (Redis's `aof_selected_db`); -1 forces a SELECT. */
  private selectedDb = -1;

  constructor(private readonly depth: ExecutionDepth) {}

  addTarget(target: PropagationTarget): void {
    if (!this.targets.includes(target)) this.targets.push(target);
    this.active = true;
  }

  removeTarget(target: PropagationTarget): void {
    const i = this.targets.indexOf(target);
    if (i >= 0) this.targets.splice(i, 1);
    this.active = this.targets.length > 0;
    if (!this.active) this.discard();
  }

  /** The next operation selects its database again (a new AOF file starts). */
  resetSelectedDb(): void {
    this.selectedDb = -1;
  }

  /** call(): the command as it was sent, in database `db`. */
  command(db: number, args: CommandArgs): void {
    if (!this.active) return;
    const p = this.pending;
    const n = args.argc;
    p.arrayHeader(n);
    for (let i = 0; i < n; i++) p.bulk(args.buffer, args.offsets[i]!, args.lengths[i]!);
    this.endOp(db);
  }

  /**
   * A handler's effect in place of its text (Redis's `rewriteClientCommandVector` and, called
   * again, `alsoPropagate`): SET EX → SET … PXAT, BLPOP → LPOP, SPOP → SREM…
   */
  replaceWith(db: number, ...argv: (Uint8Array | string)[]): void {
    this.replaced = true;
    if (!this.active) return;
    this.pending.command(argv);
    this.endOp(db);
  }

  /** The handler's effect is propagated some other way, or not at all (`preventCommandPropagation`). */
  prevent(): void {
    this.replaced = true;
  }

  /** Propagate the command even if it changed nothing (`forceCommandPropagation`). */
  force(): void {
    this.forced = true;
  }

  /**
   * A key expired or was evicted (Redis's `propagateDeletion`): DEL, or UNLINK under lazyfree.
   * Outside any command (active expiry, eviction before a command) it goes out on its own at
   * once. So does an eviction made by a command's memory reserve before the command wrote
   * anything: Redis evicts before the command runs, outside its MULTI/EXEC unit.
   */
  deletion(db: number, key: Uint8Array, off: number, len: number, lazy: boolean, eviction = false): void {
    if (!this.active) return;
    const p = this.pending;
    p.arrayHeader(2);
    p.bulkText(lazy ? "UNLINK" : "DEL");
    p.bulk(key, off, len);
    this.endOp(db);
    if (this.depth.executionNesting === 0 || (eviction && this.opCount === 1)) this.flush(false);
  }

  /** After the outermost call(): the unit goes to the targets (`propagatePendingCommands`). */
  endCommand(): void {
    if (this.opCount > 0) this.flush(true);
  }

  private endOp(db: number): void {
    const n = this.opCount;
    if (n === this.opEnds.length) {
      // A long EXEC or script: room for twice as many operations.
      const ends = new Int32Array(n * 2);
      ends.set(this.opEnds);
      this.opEnds = ends;
      const dbs = new Int32Array(n * 2);
      dbs.set(this.opDbs);
      this.opDbs = dbs;
    }
    this.opEnds[n] = this.pending.length;
    this.opDbs[n] = db;
    this.opCount = n + 1;
  }

  private flush(allowMulti: boolean): void {
    // The common unit, one command in the selected database, goes out as encoded (no second copy).
    const unit = this.opCount === 1 && this.opDbs[0] === this.selectedDb ? this.pending : this.framed(allowMulti);
    for (const target of this.targets) target.feed(unit.bytes, 0, unit.length);
    this.discard();
  }

  /** The unit in `out`: its operations with SELECT where the database changes, in MULTI/EXEC when several. */
  private framed(allowMulti: boolean): RespCommandBuffer {
    const count = this.opCount;
    const out = this.out;
    const transaction = allowMulti && count > 1;
    if (transaction) {
      this.select(this.opDbs[0]!);
      out.command(["MULTI"]);
    }
    let start = 0;
    for (let i = 0; i < count; i++) {
      this.select(this.opDbs[i]!);
      const end = this.opEnds[i]!;
      out.append(this.pending.bytes, start, end - start);
      start = end;
    }
    if (transaction) out.command(["EXEC"]);
    return out;
  }

  private select(db: number): void {
    if (db === this.selectedDb) return;
    this.out.command([SELECT_NAME, String(db)]);
    this.selectedDb = db;
  }

  private discard(): void {
    this.pending.clear();
    this.out.clear();
    this.opCount = 0;
  }
}

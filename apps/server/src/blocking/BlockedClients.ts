import { SharedReplies } from "@nedis/resp-codec";
import type { CommandArgs, CommandSpec } from "../commands/CommandSpec.js";
import { call } from "../commands/call.js";
import { Errors } from "../commands/support/errors.js";
import { StoredArgs } from "../multi/StoredArgs.js";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import { type BlockKind, BlockState, blockKindSpec } from "./BlockState.js";
import { TimeoutHeap } from "./TimeoutHeap.js";

/**
 * Blocked clients (Redis's blocked.c), in the server: the keyspace only signals keys.
 *
 * - Wait table: db → key (latin1) → clients in the order they blocked (FIFO).
 * - Ready keys: a key added to the keyspace (`onKeyAdded`: a push creating the list, RENAME,
 *   MOVE, RESTORE, COPY) or scanned after SWAPDB while someone waits on it is queued here;
 *   pushes onto an existing list need no signal, as its waiters were served when it appeared.
 * - Serving: after the outermost `call()` (so after a whole EXEC), `serveReadyKeys` takes each
 *   ready key's waiters in order and runs each one's own blocking command again through `call()`
 *   (the served pop is a normal command: stats, events, dirty, later propagation). A command
 *   that finds nothing writes nothing and stays blocked; once it has replied, the client is
 *   unblocked and its pipelined input resumes (Redis's `unblocked_clients`).
 * - Timeouts: one {@link TimeoutHeap} and one timer at its earliest deadline; no timer, promise
 *   or closure per client.
 *
 * Adding a blocking type (BZPOPMIN, XREAD): `registerBlockKind(kind, { type, hasData })`, then
 * in the handler, when nothing can be served: `if (!server.blocking.blockOrDeny(server, client,
 * args, kind, keyIndexes…, deadline)) reply the non-blocking answer` — and, because the same
 * handler serves the client later, return without replying when `client.blocked !== null`
 * (a retry that found nothing). The timeout reply is a null array, as Redis's for every kind.
 */
export class BlockedClients {
  private readonly waits = new Map<number, Map<string, Client[]>>();
  private readyKeys: { db: number; key: string }[] = [];
  private readonly readySet = new Set<string>();
  private readonly timeouts = new TimeoutHeap();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private serving = false;
  private unblocked: Client[] = [];
  private resumeScheduled = false;
  /** Clients currently blocked (INFO `blocked_clients`). */
  blockedCount = 0;
  /** Blocked clients with a deadline (INFO `clients_in_timeout_table`). */
  inTimeoutTable = 0;

  /** @param resume runs the input a client buffered while it was blocked (the server's input loop). */
  constructor(private readonly resume: (client: Client) => void) {}

  /** Keys waited on: `blocked_keys`-like, for tests and INFO. */
  get waitedKeys(): number {
    let n = 0;
    for (const keys of this.waits.values()) n += keys.size;
    return n;
  }

  /**
   * Blocks `client` on the keys at argument indexes `first, first+step, … ≤ last` of `args`
   * (the running command, `cmd` under `container`) until `deadline` (unix ms, 0 forever).
   * Returns false when blocking is denied (inside MULTI/EXEC or a script: Redis's
   * CLIENT_DENY_BLOCKING): the caller then replies its non-blocking answer.
   */
  blockOrDeny(
    server: ServerContext,
    client: Client,
    args: CommandArgs,
    kind: BlockKind,
    first: number,
    last: number,
    step: number,
    deadline: number,
  ): boolean {
    // A retry from serveReadyKeys that found nothing: the client keeps its place and deadline.
    if (client.blocked !== null) return true;
    if (server.executionNesting > 1) return false;
    const keys: string[] = [];
    for (let i = first; i <= last; i += step) {
      const off = args.offsets[i]!;
      keys.push(Buffer.from(args.buffer.buffer, args.buffer.byteOffset + off, args.lengths[i]!).toString("latin1"));
    }
    const running = client.lastCommand as CommandSpec;
    const container = client.lastContainer ?? running;
    const state = new BlockState(kind, client.db, keys, deadline, container, running, new StoredArgs(args));
    state.seq = ++blockSeq;
    client.blocked = state;
    this.blockedCount++;
    let table = this.waits.get(client.db);
    if (table === undefined) {
      table = new Map();
      this.waits.set(client.db, table);
    }
    for (const key of keys) {
      const fifo = table.get(key);
      if (fifo === undefined) table.set(key, [client]);
      else if (!fifo.includes(client)) fifo.push(client);
    }
    if (deadline > 0) {
      this.inTimeoutTable++;
      this.timeouts.push(deadline, client, state.seq);
      this.armTimer();
    }
    return true;
  }

  /** The keyspace's key-added hook: queues the key if clients of its type's kind wait on it. */
  signalKeyAsReady(db: number, key: Uint8Array, off: number, len: number): void {
    const table = this.waits.get(db);
    if (table === undefined) return;
    const name = Buffer.from(key.buffer, key.byteOffset + off, len).toString("latin1");
    if (!table.has(name)) return;
    const id = `${db}\u0000${name}`;
    if (this.readySet.has(id)) return;
    this.readySet.add(id);
    this.readyKeys.push({ db, key: name });
  }

  /** After SWAPDB: every waited key of `db` that now exists is ready (Redis's scanDatabaseForReadyKeys). */
  scanDatabase(server: ServerContext, db: number): void {
    const table = this.waits.get(db);
    if (table === undefined) return;
    const database = server.keyspace.db(db);
    for (const name of table.keys()) {
      const key = Buffer.from(name, "latin1");
      if (database.find(key, 0, key.length) >= 0) this.signalKeyAsReady(db, key, 0, key.length);
    }
  }

  get hasReadyKeys(): boolean {
    return this.readyKeys.length > 0;
  }

  /** Redis's handleClientsBlockedOnKeys: serves the waiters of every ready key (see the class comment). */
  serveReadyKeys(server: ServerContext): void {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.readyKeys.length > 0) {
        const ready = this.readyKeys;
        this.readyKeys = [];
        this.readySet.clear();
        for (const { db, key } of ready) this.serveKey(server, db, key);
      }
    } finally {
      this.serving = false;
    }
  }

  private serveKey(server: ServerContext, db: number, name: string): void {
    const fifo = this.waits.get(db)?.get(name);
    if (fifo === undefined) return;
    const key = Buffer.from(name, "latin1");
    const database = server.keyspace.db(db);
    // A copy: serving unblocks clients, which edits the FIFO.
    for (const client of fifo.slice()) {
      const state = client.blocked;
      if (state === null || client.closed) continue;
      const ref = database.find(key, 0, key.length);
      if (ref < 0) return;
      const spec = blockKindSpec(state.kind);
      // A client of another kind (BZPOPMIN on what became a list) waits on; the next may be served.
      if (database.typeAt(ref) !== spec.type || !spec.hasData(database, ref)) continue;
      const before = client.writer.length;
      call(server, client, state.container, state.cmd, state.args);
      if (client.writer.length !== before) this.unblock(client);
    }
  }

  /**
   * Ends a block without serving it: the timeout reply (null array) or, with `error`, the
   * UNBLOCKED error (CLIENT UNBLOCK). False when the client was not blocked.
   */
  unblockWithReply(client: Client, error: boolean): boolean {
    if (client.blocked === null) return false;
    if (error) client.writer.error(Errors.unblocked);
    else if (client.resp === 3) client.writer.nullArray();
    else client.writer.raw(SharedReplies.nullArray2);
    this.unblock(client);
    return true;
  }

  /** A closed connection is forgotten. */
  clientClosed(client: Client): void {
    if (client.blocked !== null) this.remove(client);
  }

  private unblock(client: Client): void {
    this.remove(client);
    this.resumeInput(client);
  }

  /** A client that stopped reading (blocked, or its script paused) has output and runs its pipelined input. */
  resumeInput(client: Client): void {
    client.onOutput?.(client);
    this.unblocked.push(client);
    if (!this.resumeScheduled) {
      this.resumeScheduled = true;
      // After the running batch returns: the client's own pipelined input then runs.
      queueMicrotask(this.resumeUnblocked);
    }
  }

  private readonly resumeUnblocked = (): void => {
    this.resumeScheduled = false;
    const clients = this.unblocked;
    this.unblocked = [];
    for (const client of clients)
      if (!client.closed && client.blocked === null && !client.inScript) this.resume(client);
  };

  private remove(client: Client): void {
    const state = client.blocked;
    if (state === null) return;
    client.blocked = null;
    this.blockedCount--;
    if (state.deadline > 0) this.inTimeoutTable--;
    const table = this.waits.get(state.db);
    if (table === undefined) return;
    for (const key of state.keys) {
      const fifo = table.get(key);
      if (fifo === undefined) continue;
      const i = fifo.indexOf(client);
      if (i >= 0) fifo.splice(i, 1);
      if (fifo.length === 0) table.delete(key);
    }
    if (table.size === 0) this.waits.delete(state.db);
  }

  private armTimer(): void {
    const earliest = this.timeouts.earliest();
    if (earliest === 0) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      this.timerAt = 0;
      return;
    }
    if (this.timer !== null && this.timerAt <= earliest) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = earliest;
    this.timer = setTimeout(this.onTimer, Math.max(0, earliest - Date.now()));
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    this.timerAt = 0;
    const now = Date.now();
    for (let client = this.timeouts.popExpired(now); client !== null; client = this.timeouts.popExpired(now)) {
      this.unblockWithReply(client, false);
    }
    this.armTimer();
  };

  /** Server shutdown. */
  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timeouts.clear();
  }
}

let blockSeq = 0;

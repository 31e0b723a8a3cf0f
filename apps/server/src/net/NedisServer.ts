import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { Keyspace } from "@nedis/keyspace";
import { PubSubHub } from "@nedis/pubsub";
import { ProtocolError } from "@nedis/resp-codec";
import { BlockedClients } from "../blocking/BlockedClients.js";
import { CommandTable } from "../commands/CommandTable.js";
import { dispatchCommand } from "../commands/dispatch.js";
import { ALL_COMMANDS } from "../commands/index.js";
import { deriveKeySpecs } from "../commands/keySpecs.js";
import { bindKeyspaceConfig } from "../commands/keyspaceSupport.js";
import type { ConfigStore } from "../config/ConfigStore.js";
import type { LogLevel } from "../config/options.js";
import type { Logger } from "../Logger.js";
import { CommandClock } from "../multi/CommandClock.js";
import { WatchRegistry } from "../multi/WatchRegistry.js";
import { attachObservers } from "../observe/ServerObservers.js";
import { AofState } from "../persistence/AofState.js";
import { closeRdbPersistence, rdbPersistenceOf } from "../persistence/RdbPersistence.js";
import { Propagator } from "../propagation/Propagator.js";
import { installPropagationHooks } from "../propagation/propagationHooks.js";
import type { CommandObserver, ServerContext, ServerStats } from "../ServerContext.js";
import { Authenticator } from "../security/Authenticator.js";
import { CommandStats, ErrorStats } from "../stats/CommandStats.js";
import { KeyTracking } from "../tracking/KeyTracking.js";
import { BatchPrefetch } from "./BatchPrefetch.js";
import { Client } from "./Client.js";
import { ClientPause } from "./ClientPause.js";
import { ClientSlots } from "./ClientSlots.js";
import { clientInfoLine } from "./clientInfo.js";
import { IdleClients } from "./IdleClients.js";
import { installKeyspaceHooks } from "./KeyspaceHooks.js";
import { type BoundAddress, Listeners, type ListenOptions } from "./Listeners.js";
import { type OutputBufferLimitClasses, overOutputBufferLimit } from "./OutputBufferLimits.js";
import { PROTECTED_MODE_DENIED, protectedModeRefuses } from "./ProtectedMode.js";
import { refuseConnection } from "./refuseConnection.js";
import { SharedReadBuffer } from "./SharedReadBuffer.js";

export type { BoundAddress, ListenOptions } from "./Listeners.js";

/**
 * The server: accepts connections, feeds each read chunk to the client's parser, dispatches
 * every complete command, and writes the replies of the whole chunk with one socket write.
 */
export class NedisServer implements ServerContext {
  readonly keyspace: Keyspace;
  /** The name → command map, with the config file's `rename-command`s applied. */
  readonly commands: CommandTable;
  readonly clients = new Map<number, Client>();
  readonly stats: ServerStats = { totalConnectionsReceived: 0, totalCommandsProcessed: 0, rejectedConnections: 0 };
  readonly startedAt = Date.now();
  /** Where the TCP listeners are bound (an ephemeral port in tests). */
  readonly addresses: readonly BoundAddress[];
  readonly auth: Authenticator;
  readonly watches = new WatchRegistry();
  readonly clock = new CommandClock();
  readonly commandStats = new CommandStats();
  readonly errorStats = new ErrorStats();
  commandObserver: CommandObserver | null = null;
  readonly clientPause = new ClientPause((clients) => this.resumePostponed(clients));
  readonly tracking = new KeyTracking(this.clients);
  readonly blocking = new BlockedClients((client) => this.processInput(client, false));
  currentClient: Client | null = null;
  executionNesting = 0;
  scriptBusy: "eval" | "function" | null = null;
  readonly propagation = new Propagator(this);
  readonly aof: AofState;
  commandClock = 0;
  readonly pubsub = new PubSubHub<Client>();
  /** Clients with output to write once this turn of the event loop has served every ready connection. */
  private readonly pending: Client[] = [];
  private flushScheduled = false;
  private readonly markPending = (client: Client): void => {
    if (client.pendingFlush) return;
    client.pendingFlush = true;
    this.pending.push(client);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushLater);
    }
  };
  private readonly flushLater = (): void => this.flushPending();
  private readonly listeners: Listeners;
  /** One slot per connection, up to `maxclients`. */
  readonly slots: ClientSlots;
  private readonly idleClients: IdleClients;
  private readonly reads = new SharedReadBuffer();
  private readonly prefetch: BatchPrefetch;
  private nextClientId = 1;
  private closing: Promise<void> | null = null;
  onShutdown: ((reason: string) => void) | null = null;

  constructor(
    readonly config: ConfigStore,
    readonly log: Logger,
  ) {
    this.commands = new CommandTable(ALL_COMMANDS, config.commandRenames.renames);
    this.keyspace = new Keyspace({ databases: config.number("databases"), clock: this.clock.now });
    this.prefetch = new BatchPrefetch(this.commands, this.keyspace);
    deriveKeySpecs(ALL_COMMANDS);
    this.auth = new Authenticator(config, { configuredUsers: config.userDirectives, log });
    config.onRewrite("user", () => this.auth.userDirectiveLines());
    this.slots = new ClientSlots(config, log);
    this.idleClients = new IdleClients(this.clients, config, log);
    config.onResetStats(() => this.resetStats());
    const observers = attachObservers(this);
    bindKeyspaceConfig(this);
    // DEBUG SET-ACTIVE-EXPIRE pauses and resumes the keyspace's active expiry cycle.
    observers.debug.onActiveExpireChange = (enabled) => {
      this.keyspace.activeExpireEnabled = enabled;
    };
    config.onChange("loglevel", (level) => {
      log.level = level as LogLevel;
    });
    installKeyspaceHooks(this);
    installPropagationHooks(this);
    this.aof = new AofState(this);
    // The AOF's base file is an RDB when aof-use-rdb-preamble is on, written and read by the RDB module.
    const rdb = rdbPersistenceOf(this);
    this.aof.rdbBaseWriter = (path) => rdb.writeAofBase(path);
    this.aof.rdbBaseSnapshot = (sink) => rdb.aofBaseSnapshot(sink);
    this.aof.rdbLoader = (bytes) => rdb.loadAofBase(bytes);
    this.listeners = new Listeners(config, log, (socket) => this.accept(socket));
    this.addresses = this.listeners.addresses;
  }

  /** Binds every configured address (see Listeners); on failure the server closes. */
  async listen(options: ListenOptions = {}): Promise<readonly BoundAddress[]> {
    try {
      return await this.listeners.listen(options);
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  private accept(socket: Socket): void {
    const slot = this.slots.acquire();
    if (slot === null) {
      this.stats.rejectedConnections++;
      refuseConnection(socket, "-ERR max number of clients reached\r\n");
      return;
    }
    if (protectedModeRefuses(this.config, this.auth, socket)) {
      this.stats.rejectedConnections++;
      this.slots.release(slot);
      refuseConnection(socket, PROTECTED_MODE_DENIED);
      return;
    }
    this.stats.totalConnectionsReceived++;
    const keepAlive = this.config.number("tcp-keepalive");
    if (keepAlive > 0) socket.setKeepAlive(true, keepAlive * 1000);
    // Asked before the adoption below takes the handle away (it answers undefined after, unless
    // protected mode happened to read it first): only unix-socket peers have no address.
    const unixPeer = socket.remoteAddress === undefined;
    // Reads of plain connections land in one shared buffer (see SharedReadBuffer).
    let reader: Client | null = null;
    const adopted = this.reads.adopt(socket, (bytes, length) => this.onData(reader!, bytes, length));
    const client = new Client(this.nextClientId++, adopted, {
      maxBulkLength: this.config.number("proto-max-bulk-len"),
      authenticated: this.auth.defaultUserNoPass,
      pubsub: this.pubsub,
      errorStats: this.errorStats,
      ...(unixPeer ? { unixSocketPath: this.config.string("unixsocket") } : {}),
    });
    reader = client;
    client.onOutput = this.markPending;
    this.slots.assign(slot, client.id);
    this.clients.set(client.id, client);
    socket = client.socket;
    socket.setNoDelay(true);
    this.accountBuffers(client);
    // A backlog the socket finished sending stops counting against maxmemory.
    socket.on("drain", () => this.accountBuffers(client));
    socket.on("close", () => {
      // Already released if it was closed after its reply (flushPending).
      if (this.clients.get(client.id) === client) this.onClosed(client);
    });
    socket.on("error", (err) => this.log.verbose(`Client ${client.addr} error: ${err.message}`));
  }

  private onData(client: Client, bytes: Buffer, length: number): void {
    if (client.closeAfterReply || client.closed) return;
    client.lastInteraction = Date.now();
    const parser = client.parser;
    // Redis's tighter request limits apply while authentication is still required.
    parser.authenticated = client.authenticated || this.auth.defaultUserNoPass;
    parser.feed(bytes, length);
    this.processInput(client, false);
  }

  /**
   * Runs every complete command buffered for the client, then writes the replies at once.
   * `rerun` first runs again the command CLIENT PAUSE postponed (still held by the parser).
   */
  private processInput(client: Client, rerun: boolean): void {
    const parser = client.parser;
    if (!rerun) this.prefetch.start(parser, client.db);
    this.commandClock = performance.now();
    for (;;) {
      try {
        if (rerun) {
          rerun = false;
          dispatchCommand(this, client, parser);
        }
        while (
          !client.postponed &&
          client.blocked === null &&
          !client.inScript &&
          !client.closeAfterReply &&
          parser.next()
        ) {
          dispatchCommand(this, client, parser);
        }
        break;
      } catch (err) {
        if (err instanceof ProtocolError) {
          client.writer.error(err.message);
          client.closeAfterReply = true;
          this.log.verbose(`Protocol error (${err.reason}) from client: id=${client.id} addr=${client.addr}`);
          break;
        }
        // A bug in a handler must not take the server down: report it and go on with the batch.
        this.log.warning(`Internal error serving client id=${client.id}: ${(err as Error).stack ?? String(err)}`);
        client.writer.error(`ERR internal error: ${String((err as Error).message ?? err).replace(/[\r\n]/g, " ")}`);
      }
    }
    this.prefetch.end();
    if (parser.bufferedBytes > this.config.number("client-query-buffer-limit")) {
      this.log.warning(`Closing client that reached max query buffer length: id=${client.id} addr=${client.addr}`);
      client.socket.destroy();
      return;
    }
    // BCAST tracking: keys changed by this batch go out to prefix subscribers once.
    if (this.tracking.active && this.tracking.hasBroadcastWork) this.tracking.broadcast();
    // The replies wait, like Redis's beforeSleep, until every connection that was ready has
    // been served: back-to-back writes find a woken peer already awake, where a write after
    // each batch pays a cross-CPU wakeup each time (a quarter of the CPU under redis-benchmark).
    if (client.writer.length > 0 || client.closeAfterReply) this.markPending(client);
    else this.accountBuffers(client); // flushPending accounts for the others after writing
    // A blocked client's next commands wait in the parser (its socket is still read).
    if (client.blocked !== null || client.inScript) parser.ownInput();
    if (client.postponed) {
      // The rest of the read waits in the parser, and the shared read buffer will be reused.
      parser.ownInput();
      client.socket.pause();
    }
  }

  /** The pause ended: postponed commands run, in the order their clients were paused. */
  private resumePostponed(clients: Client[]): void {
    for (const client of clients) {
      if (client.closed) continue;
      client.postponed = false;
      this.processInput(client, true);
      if (!client.postponed && !client.closed) client.socket.resume();
    }
  }

  /** Writes every client with output (see markPending): one socket write each. */
  flushPending(): void {
    this.flushScheduled = false;
    // Redis's beforeSleep: the AOF is written (and fsynced under `always`) before any reply.
    this.aof.flushBeforeReplies();
    const pending = this.pending;
    for (let i = 0; i < pending.length; i++) {
      const c = pending[i]!;
      c.pendingFlush = false;
      c.flush();
      this.enforceOutputLimit(c);
      this.accountBuffers(c);
      // Closed once written, like Redis: a peer still sending gets a reset, not a half-open socket.
      if (c.closeAfterReply && !c.closed) {
        c.socket.destroySoon();
        // Gone at once, as Redis frees it after the write: no redirect or PUBLISH finds it meanwhile.
        this.onClosed(c);
      }
    }
    pending.length = 0;
  }

  /**
   * Keeps the keyspace's external bytes (client buffers, which Redis counts against
   * `maxmemory`) current for one client: after its input was parsed, its output written, its
   * backlog drained, or it closed.
   */
  private accountBuffers(client: Client): void {
    const bytes = client.closed ? 0 : client.bufferBytes();
    const delta = bytes - client.countedBytes;
    if (delta === 0) return;
    client.countedBytes = bytes;
    this.keyspace.externalBytes += delta;
  }

  /**
   * `client-output-buffer-limit`: a client whose unsent output passes its class's limit is
   * closed (never sent a partial frame: whole frames are queued, and the queue is dropped).
   */
  private enforceOutputLimit(client: Client): void {
    if (client.closed || client.socket.writableLength === 0) return;
    const limits = this.config.get<OutputBufferLimitClasses>("client-output-buffer-limit");
    if (!overOutputBufferLimit(client, limits, Math.floor(Date.now() / 1000))) return;
    this.log.warning(
      `Client ${clientInfoLine(client)} scheduled to be closed ASAP for overcoming of output buffer limits.`,
    );
    client.closed = true;
    this.pubsub.unsubscribeAll(client);
    client.socket.destroy();
  }

  /** CONFIG RESETSTAT. */
  private resetStats(): void {
    this.commandStats.reset();
    this.errorStats.reset();
    this.stats.totalConnectionsReceived = 0;
    this.stats.totalCommandsProcessed = 0;
    this.stats.rejectedConnections = 0;
  }

  private onClosed(client: Client): void {
    client.closed = true;
    this.accountBuffers(client);
    this.clientPause.postponed.delete(client);
    this.blocking.clientClosed(client);
    this.tracking.disable(client);
    this.pubsub.unsubscribeAll(client);
    if (client.watched.length > 0) this.watches.unwatchAll(client);
    this.clients.delete(client.id);
    this.slots.releaseClient(client.id);
  }

  /** ServerContext: asks the owner (main) to shut down. */
  shutdown(reason: string): void {
    if (this.onShutdown) this.onShutdown(reason);
    else void this.close();
  }

  /** Stops listening and closes every client. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.clientPause.close();
      this.blocking.close();
      this.idleClients.stop();
      // A listener's close waits for its connections: end the clients first.
      const closed = this.listeners.close();
      for (const client of this.clients.values()) client.socket.destroy();
      await closed;
      this.clients.clear();
      closeRdbPersistence(this);
      this.aof.close();
      this.keyspace.close();
    })();
    return this.closing;
  }
}

import type { Keyspace } from "@nedis/keyspace";
import type { PubSubHub } from "@nedis/pubsub";
import type { BlockedClients } from "./blocking/BlockedClients.js";
import type { CommandArgs, CommandSpec } from "./commands/CommandSpec.js";
import type { CommandTable } from "./commands/CommandTable.js";
import type { ConfigStore } from "./config/ConfigStore.js";
import type { Logger } from "./Logger.js";
import type { CommandClock } from "./multi/CommandClock.js";
import type { WatchRegistry } from "./multi/WatchRegistry.js";
import type { Client } from "./net/Client.js";
import type { ClientPause } from "./net/ClientPause.js";
import type { BoundAddress } from "./net/Listeners.js";
import type { AofState } from "./persistence/AofState.js";
import type { Propagator } from "./propagation/Propagator.js";
import type { Authenticator } from "./security/Authenticator.js";
import type { CommandStats, ErrorStats } from "./stats/CommandStats.js";
import type { KeyTracking } from "./tracking/KeyTracking.js";

/** Counters INFO stats reports. */
export interface ServerStats {
  totalConnectionsReceived: number;
  totalCommandsProcessed: number;
  rejectedConnections: number;
}

export type CommandObserver = (
  client: Client,
  container: CommandSpec,
  cmd: CommandSpec,
  args: CommandArgs,
  usec: number,
) => void;

/** Everything a command handler may reach: the store, the config, the clients, the log. */
export interface ServerContext {
  readonly config: ConfigStore;
  readonly keyspace: Keyspace;
  readonly commands: CommandTable;
  readonly clients: Map<number, Client>;
  readonly stats: ServerStats;
  readonly log: Logger;
  readonly auth: Authenticator;
  readonly watches: WatchRegistry;
  /** The keyspace's clock; EXEC freezes it (see CommandClock). */
  readonly clock: CommandClock;
  readonly pubsub: PubSubHub<Client>;
  readonly commandStats: CommandStats;
  readonly clientPause: ClientPause;
  readonly tracking: KeyTracking;
  /** Clients blocked on keys (BLPOP…): the wait table, ready keys and timeouts. */
  readonly blocking: BlockedClients;
  /** The single propagation point: effects of writes, expiries and evictions go to the AOF (and replicas). */
  readonly propagation: Propagator;
  /** The append-only file: writer, loading state, rewrites (persistence/aof*.ts). */
  readonly aof: AofState;
  /** The client whose command is running (Redis's `server.current_client`), or null. */
  currentClient: Client | null;
  /** performance.now() at the end of the last command or the start of the batch (command timing). */
  commandClock: number;
  /** Depth of nested command calls (EXEC runs its queue inside its own call). */
  executionNesting: number;
  /**
   * A script past `busy-reply-threshold` is paused between slices (scripting/): other clients
   * get BUSY (`eval`: SCRIPT KILL, `function`: FUNCTION KILL), or null.
   */
  scriptBusy: "eval" | "function" | null;
  readonly errorStats: ErrorStats;
  /** Called after every executed command (SLOWLOG, MONITOR, LATENCY); null when nobody listens. */
  commandObserver: CommandObserver | null;
  /** Writes out every client that received output while another client was being served. */
  flushPending(): void;
  readonly startedAt: number;
  /** Where the TCP listeners are bound (INFO `tcp_port`); empty without TCP. */
  readonly addresses: readonly BoundAddress[];
  /** Starts an orderly shutdown (SIGTERM, SHUTDOWN). */
  shutdown(reason: string): void;
}

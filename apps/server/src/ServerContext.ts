import type { Keyspace } from "@nedis/keyspace";
import type { PubSubHub } from "@nedis/pubsub";
import type { CommandTable } from "./commands/CommandTable.js";
import type { ConfigStore } from "./config/ConfigStore.js";
import type { Logger } from "./Logger.js";
import type { Client } from "./net/Client.js";
import type { WatchRegistry } from "./multi/WatchRegistry.js";
import type { Authenticator } from "./security/Authenticator.js";

/** Counters INFO stats reports. */
export interface ServerStats {
  totalConnectionsReceived: number;
  totalCommandsProcessed: number;
  rejectedConnections: number;
}

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
  readonly pubsub: PubSubHub<Client>;
  /** Writes out every client that received output while another client was being served. */
  flushPending(): void;
  readonly startedAt: number;
  /** Starts an orderly shutdown (SIGTERM, SHUTDOWN). */
  shutdown(reason: string): void;
}

import type { Socket } from "node:net";
import type { PubSubHub, Subscriber } from "@nedis/pubsub";
import { RequestParser } from "@nedis/resp-codec";
import type { BlockState } from "../blocking/BlockState.js";
import type { CommandSpec } from "../commands/CommandSpec.js";
import type { MultiState } from "../multi/MultiState.js";
import type { ErrorStats } from "../stats/CommandStats.js";
import type { TrackingState } from "../tracking/KeyTracking.js";
import { ClientWriter } from "./ClientWriter.js";

/** What a new connection takes from its server. */
export interface ClientEnvironment {
  maxBulkLength: number;
  /** Whether the client starts authenticated (the default user needs no password). */
  authenticated: boolean;
  pubsub: PubSubHub<Client>;
  errorStats: ErrorStats;
  /** The `unixsocket` path when the client connected through it. */
  unixSocketPath?: string;
}

/** CLIENT REPLY modes: ON, OFF, and SKIP (suppress the reply of the next command only). */
export const ReplyMode = { On: 0, Off: 1, SkipNext: 2, Skip: 3 } as const;
export type ReplyMode = (typeof ReplyMode)[keyof typeof ReplyMode];

/**
 * One connection's state: its parser (the query buffer), its reply buffer and the session
 * settings commands change (selected db, name, protocol, authentication).
 */
export class Client implements Subscriber {
  readonly id: number;
  readonly socket: Socket;
  readonly parser: RequestParser;
  readonly writer: ClientWriter;
  /** `ip:port` of the peer and of our side, as CLIENT LIST shows them. */
  readonly addr: string;
  readonly laddr: string;
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  db = 0;
  name = "";
  /** CLIENT SETINFO values. */
  libName = "";
  libVersion = "";
  user = "default";
  authenticated: boolean;
  replyMode: ReplyMode = ReplyMode.On;
  /**
   * Pub/sub and tracking pushes made while a command runs under CLIENT REPLY OFF|SKIP: they
   * are written after its reply is dropped, as Redis's CLIENT_PUSHING exempts them from it.
   */
  heldPushes: Uint8Array[] | null = null;
  noEvict = false;
  /** The last command run (CLIENT LIST `cmd=`), with its container for subcommands. */
  lastCommand: CommandSpec | null = null;
  lastContainer: CommandSpec | null = null;
  /** Connected through `unixsocket` (CLIENT LIST flag `U`). */
  readonly unixSocket: boolean;
  /** How MONITOR names an internal client (`lua` for the script client), or null for its address. */
  monitorOrigin: string | null = null;
  /** The client scripts run their commands as (Redis's CLIENT_SCRIPT): some commands act differently. */
  isScript = false;
  /** In MONITOR mode: sees every command, may not touch the keyspace (Redis's CLIENT_MONITOR). */
  monitoring = false;
  /** CLIENT TRACKING settings, or null when tracking is off. */
  tracking: TrackingState | null = null;
  /** A command postponed by CLIENT PAUSE waits in the parser; reading stops until it runs. */
  postponed = false;
  /**
   * Blocked on keys (BLPOP…), or null. While blocked its later commands wait in the parser, but
   * the socket is still read, so a disconnect is seen (and the client forgotten).
   */
  blocked: BlockState | null = null;
  /** Its script is paused past busy-reply-threshold (scripting/): later commands wait in the parser. */
  inScript = false;
  /** When the output first stayed above the soft output-buffer limit (unix seconds), or 0. */
  softLimitSince = 0;
  /** Queued for a write once the event loop has served every ready connection (see NedisServer.flushPending). */
  pendingFlush = false;
  /** Told when output is appended while this client is not the one being served. */
  onOutput: ((client: Client) => void) | null = null;
  /** The open transaction between MULTI and EXEC/DISCARD, or null. */
  multi: MultiState | null = null;
  /** WATCHed keys, and whether one was touched since (EXEC then replies nil). */
  readonly watched: { db: number; key: string }[] = [];
  dirtyCas = false;
  /** Set by QUIT, CLIENT KILL and protocol errors: send what is buffered, then close. */
  closeAfterReply = false;
  closed = false;

  private readonly hub: PubSubHub<Client>;

  constructor(id: number, socket: Socket, env: ClientEnvironment) {
    this.id = id;
    this.socket = socket;
    this.parser = new RequestParser({ maxBulkLength: env.maxBulkLength });
    this.writer = new ClientWriter(env.errorStats);
    this.authenticated = env.authenticated;
    this.hub = env.pubsub;
    this.unixSocket = env.unixSocketPath !== undefined;
    // Redis names a unix-socket peer `path:0` on both sides.
    this.addr = this.unixSocket ? `${env.unixSocketPath}:0` : formatAddress(socket.remoteAddress, socket.remotePort);
    this.laddr = this.unixSocket ? this.addr : formatAddress(socket.localAddress, socket.localPort);
  }

  /** RESP version of the connection (HELLO switches it). */
  get resp(): 2 | 3 {
    return this.writer.protocol;
  }

  /** Subscriber: the hub reads it on every delivery. */
  get protocol(): 2 | 3 {
    return this.writer.protocol;
  }

  /** Subscriber: a pub/sub frame (a reply or a message) joins the output in order. */
  deliver(frame: Uint8Array): void {
    if (this.closed) return;
    if (this.heldPushes !== null) {
      this.heldPushes.push(frame);
      return;
    }
    this.writer.raw(frame);
    this.onOutput?.(this);
  }

  /** Pub/sub subscriptions (CLIENT LIST `sub`, `psub`, `ssub`); non-zero means pub/sub mode. */
  get channelCount(): number {
    return this.hub.clientChannelCount(this);
  }

  get patternCount(): number {
    return this.hub.clientPatternCount(this);
  }

  get shardChannelCount(): number {
    return this.hub.clientShardChannelCount(this);
  }

  subscriptionCount(): number {
    // Checked before every RESP2 command: no map lookup while nobody is subscribed.
    return this.hub.subscribedClientCount === 0 ? 0 : this.hub.clientTotalSubscriptionCount(this);
  }

  /** Queued commands in MULTI, or -1 outside a transaction (CLIENT LIST `multi`). */
  multiQueueLength(): number {
    return this.multi === null ? -1 : this.multi.queue.length;
  }

  /** CLIENT LIST `flags`, in Redis's order; N for a plain client. */
  flagsString(): string {
    let flags = "";
    if (this.monitoring) flags += "O";
    if (this.subscriptionCount() > 0) flags += "P";
    if (this.multi !== null) flags += "x";
    if (this.blocked !== null) flags += "b";
    if (this.tracking !== null) flags += "t";
    if (this.tracking?.brokenRedirect) flags += "R";
    if (this.tracking?.bcast) flags += "B";
    if (this.dirtyCas) flags += "d";
    if (this.closeAfterReply) flags += "c";
    if (this.unixSocket) flags += "U";
    if (this.noEvict) flags += "e";
    return flags === "" ? "N" : flags;
  }

  /**
   * Memory this connection holds in buffers: its reply buffer, unparsed input and output the
   * socket has not sent yet (INFO `mem_clients_normal`; counted against `maxmemory`).
   */
  bufferBytes(): number {
    return this.writer.buffer.length + this.parser.bufferedBytes + this.socket.writableLength;
  }

  /** {@link bufferBytes} as last added to the keyspace's external bytes (see NedisServer.accountBuffers). */
  countedBytes = 0;

  /** Writes everything replied so far in one socket write. */
  flush(): void {
    if (this.writer.length === 0 || this.closed) return;
    const socket = this.socket;
    if (socket.writableLength !== 0) {
      // Queued behind an unfinished write: the socket keeps this chunk.
      socket.write(this.writer.take());
      return;
    }
    // Usually the kernel takes it all at once and Node keeps no reference: the reply buffer is
    // reused, with no Buffer allocated per write (their ArrayBuffers also drive V8's full GCs).
    socket.write(this.writer.peek());
    this.writer.consumed(socket.writableLength !== 0);
  }
}

/** Redis's `anetFormatAddr`: `ip:port`, with IPv6 addresses in brackets. */
function formatAddress(host: string | undefined, port: number | undefined): string {
  if (host === undefined) return "?:0";
  const h = host.startsWith("::ffff:") ? host.slice(7) : host;
  return h.includes(":") ? `[${h}]:${port ?? 0}` : `${h}:${port ?? 0}`;
}

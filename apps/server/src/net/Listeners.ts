import { createServer, type Server, type Socket } from "node:net";
import type { ConfigStore } from "../config/ConfigStore.js";
import type { Logger } from "../Logger.js";
import { TlsListener } from "./Tls.js";
import { listenUnixSocket } from "./UnixSocket.js";

export interface ListenOptions {
  /** Listen on an ephemeral port of the first bind address instead of `port` (tests). */
  anyPort?: boolean;
}

/** A bound TCP listener and the address it ended up on. */
export interface BoundAddress {
  host: string;
  port: number;
}

/**
 * The server's listening sockets, as Redis's `listenToPort` / `changeListenPort` keep them: TCP
 * on every `bind` address, `tls-port`, `unixsocket`. CONFIG SET port / bind moves the TCP ones
 * while connected clients stay. Every accepted connection goes to `accept`, still paused.
 */
export class Listeners {
  /** Where the TCP listeners are bound (an ephemeral port with `anyPort`). */
  readonly addresses: BoundAddress[] = [];
  private readonly all: Server[] = [];
  /** The plain TCP listeners among `all` (CONFIG SET port/bind moves them). */
  private readonly tcp: Server[] = [];
  private closed = false;

  constructor(
    private readonly config: ConfigStore,
    private readonly log: Logger,
    private readonly accept: (socket: Socket) => void,
  ) {
    let listening = { port: config.number("port"), bind: config.list("bind") };
    const move = () => {
      const previous = listening;
      listening = { port: config.number("port"), bind: config.list("bind") };
      if (this.tcp.length > 0 || previous.port !== 0) void this.rebindTcp(previous);
    };
    config.onChange("port", move);
    config.onChange("bind", move);
  }

  /**
   * Binds every configured address; `-`-prefixed ones may be unavailable. On failure the
   * listeners already bound stay open: the caller closes them (with the server).
   */
  async listen(options: ListenOptions = {}): Promise<BoundAddress[]> {
    await this.listenTlsAndUnix();
    const port = options.anyPort ? 0 : this.config.number("port");
    if (port === 0 && !options.anyPort) return this.addresses;
    await this.bindTcp(port, options.anyPort ?? false);
    return this.addresses;
  }

  /** Stops listening; resolves once every listener has closed (which waits for its connections). */
  close(): Promise<void> {
    this.closed = true;
    return Promise.all(this.all.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(() => {});
  }

  /** Listens on `port` at every `bind` address (an ephemeral port shared by all with `anyPort`). */
  private async bindTcp(port: number, anyPort: boolean): Promise<void> {
    const binds = this.config.list("bind");
    for (const raw of binds.length > 0 ? binds : ["*"]) {
      const optional = raw.startsWith("-");
      const host = hostOf(optional ? raw.slice(1) : raw);
      try {
        const server = await this.listenOne(
          host,
          anyPort && this.addresses.length > 0 ? this.addresses[0]!.port : port,
        );
        this.tcp.push(server);
        const addr = server.address();
        if (addr !== null && typeof addr === "object") this.addresses.push({ host: addr.address, port: addr.port });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (optional && (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT")) {
          this.log.notice(`Skipping bind to ${host}: ${code}`);
          continue;
        }
        this.log.warning(
          `Warning: Could not create server TCP listening socket ${host}:${port}: ${(err as Error).message}`,
        );
        throw err;
      }
    }
  }

  /**
   * CONFIG SET port / bind: the TCP listeners move (connected clients stay), as Redis's
   * changeListenPort does; if the new address cannot be bound, the old one is bound again.
   */
  private async rebindTcp(previous: { port: number; bind: string[] }): Promise<void> {
    if (this.closed) return;
    const old = this.tcp.splice(0);
    for (const server of old) {
      server.close();
      this.all.splice(this.all.indexOf(server), 1);
    }
    this.addresses.length = 0;
    await new Promise((resolve) => setImmediate(resolve));
    const port = this.config.number("port");
    try {
      if (port !== 0) await this.bindTcp(port, false);
    } catch {
      for (const server of this.tcp.splice(0)) server.close();
      this.addresses.length = 0;
      this.log.warning(`Failed to bind the new address, listening on port ${previous.port} again`);
      await this.bindTcp(previous.port, false).catch(() => {});
    }
  }

  /** `tls-port` on the bind addresses and `unixsocket`, when configured. */
  private async listenTlsAndUnix(): Promise<void> {
    try {
      if (this.config.number("tls-port") !== 0) {
        const tls = new TlsListener(this.config, this.log);
        this.all.push(...(await tls.listen(this.config.list("bind"), this.accept)));
      }
      const unix = await listenUnixSocket(this.config, this.log, this.accept);
      if (unix !== null) this.all.push(unix);
    } catch (err) {
      this.log.warning((err as Error).message);
      throw err;
    }
  }

  private listenOne(host: string, port: number): Promise<Server> {
    return new Promise((resolve, reject) => {
      // Paused until accept() has moved the connection onto the shared read buffer.
      const server = createServer({ noDelay: true, pauseOnConnect: true }, this.accept);
      server.once("error", reject);
      server.listen({ host, port, backlog: this.config.number("tcp-backlog"), ipv6Only: host.includes(":") }, () => {
        server.off("error", reject);
        this.all.push(server);
        resolve(server);
      });
    });
  }
}

/** Redis bind syntax to a Node listen host: `*` is every IPv4 address, `::*` every IPv6 one. */
function hostOf(addr: string): string {
  if (addr === "*") return "0.0.0.0";
  if (addr === "::*") return "::";
  return addr;
}

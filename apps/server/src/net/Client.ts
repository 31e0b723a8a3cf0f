import type { Socket } from "node:net";
import { ReplyWriter, RequestParser } from "@nedis/resp-codec";

/**
 * One connection's state: its parser (the query buffer), its reply buffer and the session
 * settings commands change (selected db, name, protocol).
 */
export class Client {
  readonly id: number;
  readonly socket: Socket;
  readonly parser: RequestParser;
  readonly writer = new ReplyWriter();
  /** `ip:port` of the peer and of our side, as CLIENT LIST shows them. */
  readonly addr: string;
  readonly laddr: string;
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  db = 0;
  name = "";
  /** Set by QUIT and protocol errors: send what is buffered, then close. */
  closeAfterReply = false;
  closed = false;

  constructor(id: number, socket: Socket, maxBulkLength: number) {
    this.id = id;
    this.socket = socket;
    this.parser = new RequestParser({ maxBulkLength });
    this.addr = formatAddress(socket.remoteAddress, socket.remotePort);
    this.laddr = formatAddress(socket.localAddress, socket.localPort);
  }

  /** Writes everything replied so far in one socket write. */
  flush(): void {
    if (this.writer.length > 0 && !this.closed) this.socket.write(this.writer.take());
  }
}

function formatAddress(host: string | undefined, port: number | undefined): string {
  if (host === undefined) return "?:0";
  const h = host.startsWith("::ffff:") ? host.slice(7) : host;
  return `${h}:${port ?? 0}`;
}

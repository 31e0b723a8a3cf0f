import { Socket } from "node:net";
import { TLSSocket } from "node:tls";

/** The fields of an accepted `net.Socket` the takeover moves (stable since Node 12). */
interface AcceptedSocket {
  _handle: object | null;
  _server: object | null;
  server: object | null;
}

/** Called with what a read got: `bytes[0, length)` (valid only during the call). */
export type ReadCallback = (bytes: Buffer, length: number) => void;

/**
 * One read buffer for every plain connection. A `net.Socket` read normally allocates a Buffer
 * and runs it through the Readable stream and a `'data'` event; Node's `onread` option reads
 * into a caller's buffer and calls back directly instead, which saves about 1 µs of server CPU
 * per read (a third of Node's own cost per request at pipeline depth 1). `net.Server` offers no
 * `onread` for the sockets it accepts, so {@link adopt} moves the accepted socket's handle into
 * a new socket created with it.
 *
 * The bytes are valid only during the callback: whoever keeps unparsed input past it must copy
 * it (`RequestParser.ownInput`).
 */
export class SharedReadBuffer {
  private readonly buffer = Buffer.allocUnsafe(64 * 1024);

  /**
   * Returns the socket to use for `socket`: a new one reading into the shared buffer, or `socket`
   * itself (with a `'data'` listener) where the takeover does not apply (TLS).
   */
  adopt(socket: Socket, onRead: ReadCallback): Socket {
    const accepted = socket as unknown as AcceptedSocket;
    if (socket instanceof TLSSocket || accepted._handle === null || accepted._handle === undefined) {
      socket.on("data", (chunk: Buffer) => onRead(chunk, chunk.length));
      return socket;
    }
    const handle = accepted._handle;
    accepted._handle = null;
    const buffer = this.buffer;
    const adopted = new Socket({
      handle,
      readable: true,
      writable: true,
      onread: { buffer, callback: (length: number, bytes: Buffer) => onRead(bytes, length) },
    } as ConstructorParameters<typeof Socket>[0] & { handle: object });
    // The server counts its connections through `_server` (server.close() waits for them).
    const moved = adopted as unknown as AcceptedSocket;
    moved._server = accepted._server;
    moved.server = accepted.server;
    accepted._server = null;
    return adopted;
  }
}

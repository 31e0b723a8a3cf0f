import type { Socket } from "node:net";

/**
 * Sends a last error line and closes a connection that is not taken as a client (maxclients,
 * protected mode). The socket keeps reading (and discarding) so the peer's close is seen and
 * the socket is freed; errors of a peer that already left are ignored.
 */
export function refuseConnection(socket: Socket, line: string): void {
  socket.on("error", () => {});
  socket.end(line);
  socket.resume();
}

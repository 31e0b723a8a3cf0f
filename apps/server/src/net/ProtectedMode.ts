import type { Socket } from "node:net";
import type { ConfigStore } from "../config/ConfigStore.js";
import type { Authenticator } from "../security/Authenticator.js";

/** Redis 7.0.15's reply to a refused connection (networking.c, `clientAcceptHandler`), typo included. */
export const PROTECTED_MODE_DENIED =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

/**
 * Redis 7.0's loopback test: the peer is exactly `127.0.0.1` or `::1` (not the rest of
 * 127.0.0.0/8). Unix-socket peers (no address) are local.
 */
export function isLocalPeer(address: string | undefined): boolean {
  if (address === undefined) return true;
  const ip = address.startsWith("::ffff:") ? address.slice(7) : address;
  return ip === "127.0.0.1" || ip === "::1";
}

/**
 * Protected mode (on by default): while the default user has no password, only local peers
 * may connect — whatever the bind addresses. A refused peer gets {@link PROTECTED_MODE_DENIED}
 * and is disconnected before any command runs.
 */
export function protectedModeRefuses(config: ConfigStore, auth: Authenticator, socket: Socket): boolean {
  return config.bool("protected-mode") && auth.defaultUser.noPass && !isLocalPeer(socket.remoteAddress);
}

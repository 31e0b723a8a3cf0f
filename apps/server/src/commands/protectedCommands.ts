import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import type { CommandSpec } from "./CommandSpec.js";

/** The option that allows a protected command: DEBUG's, or MODULE's for its LOAD/LOADEX/UNLOAD. */
export function protectedOptionOf(container: CommandSpec): "enable-debug-command" | "enable-module-command" {
  return container.name === "debug" ? "enable-debug-command" : "enable-module-command";
}

/** Redis's `allowProtectedAction`: `yes`, or `local` for a loopback or unix-socket client. */
export function protectedActionAllowed(server: ServerContext, client: Client, container: CommandSpec): boolean {
  const setting = server.config.string(protectedOptionOf(container));
  if (setting === "yes") return true;
  if (setting !== "local") return false;
  const addr = client.addr;
  const ip = addr.slice(0, addr.lastIndexOf(":"));
  return ip === "127.0.0.1" || ip === "::1" || client.socket.remoteAddress === undefined;
}

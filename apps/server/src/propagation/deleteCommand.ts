import type { ServerContext } from "../ServerContext.js";

/** The command a deletion propagates as: UNLINK when the lazyfree option of its kind is on, else DEL. */
export function deleteCommand(
  server: ServerContext,
  lazyOption: "lazyfree-lazy-expire" | "lazyfree-lazy-user-del" | "lazyfree-lazy-server-del",
): "DEL" | "UNLINK" {
  return server.config.bool(lazyOption) ? "UNLINK" : "DEL";
}

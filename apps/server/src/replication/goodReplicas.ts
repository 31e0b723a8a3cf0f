import type { ServerContext } from "../ServerContext.js";

/**
 * Redis's `checkGoodReplicasStatus`: with `min-replicas-to-write` and `min-replicas-max-lag`
 * both set, writes need that many replicas acknowledged within the lag. nedis has no
 * replication, so it has no good replica: every write is refused (NOREPLICAS), as Redis
 * refuses them with none connected.
 */
export function enoughGoodReplicas(server: ServerContext): boolean {
  const config = server.config;
  return config.number("min-replicas-to-write") === 0 || config.number("min-replicas-max-lag") === 0;
}

/** `shared.noreplicaserr` */
export const NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";

import { PerServer } from "../perServer.js";
import type { ServerContext } from "../ServerContext.js";

/** Whether writes may run as far as replicas go, kept current from the config (asked on every write). */
const gates = new PerServer((server) => {
  const config = server.config;
  const gate = { open: true };
  const update = (): void => {
    gate.open = config.number("min-replicas-to-write") === 0 || config.number("min-replicas-max-lag") === 0;
  };
  update();
  config.onChange("min-replicas-to-write", update);
  config.onChange("min-replicas-max-lag", update);
  return gate;
});

/**
 * Redis's `checkGoodReplicasStatus`: with `min-replicas-to-write` and `min-replicas-max-lag`
 * both set, writes need that many replicas acknowledged within the lag. nedis has no
 * replication, so it has no good replica: every write is refused (NOREPLICAS), as Redis
 * refuses them with none connected.
 */
export function enoughGoodReplicas(server: ServerContext): boolean {
  return gates.of(server).open;
}

/** `shared.noreplicaserr` */
export const NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";

import { type ConfigOption, option } from "../ConfigOption.js";
import { boolKind, enumKind, INT_MAX, intKind, LLONG_MAX, numericKind, stringKind, ULLONG_MAX } from "../kinds.js";
import { validateAnnouncedHostname } from "../validators.js";

/** Redis Cluster (the cluster owner will read these; see design.md "Scale-out"). */
export const CLUSTER_OPTIONS: readonly ConfigOption[] = [
  option("cluster-enabled", boolKind(), "no", { mutable: false }),
  option("cluster-config-file", stringKind(), "nodes.conf", { mutable: false }),
  option("cluster-port", intKind(0n, 65535n), "0", { mutable: false }),
  option("cluster-node-timeout", intKind(0n, LLONG_MAX), "15000"),
  option("cluster-announce-ip", stringKind({ emptyIsNull: true }), ""),
  option("cluster-announce-hostname", stringKind({ emptyIsNull: true, validate: validateAnnouncedHostname }), ""),
  option("cluster-announce-port", intKind(0n, 65535n), "0"),
  option("cluster-announce-bus-port", intKind(0n, 65535n), "0"),
  option("cluster-announce-tls-port", intKind(0n, 65535n), "0"),
  option("cluster-preferred-endpoint-type", enumKind(["ip", "hostname", "unknown-endpoint"] as const), "ip"),
  option("cluster-replica-validity-factor", intKind(0n, INT_MAX), "10", { aliases: ["cluster-slave-validity-factor"] }),
  option("cluster-replica-no-failover", boolKind(), "no", { aliases: ["cluster-slave-no-failover"] }),
  option("cluster-migration-barrier", intKind(0n, INT_MAX), "1"),
  option("cluster-allow-replica-migration", boolKind(), "yes"),
  option("cluster-require-full-coverage", boolKind(), "yes"),
  option("cluster-allow-reads-when-down", boolKind(), "no"),
  option("cluster-allow-pubsubshard-when-down", boolKind(), "yes"),
  option("cluster-link-sendbuf-limit", numericKind({ min: 0n, max: ULLONG_MAX, memory: true, unsigned: true }), "0"),
];

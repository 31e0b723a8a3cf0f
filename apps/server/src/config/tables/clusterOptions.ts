import { type ConfigOption, notYetSupported, option } from "../ConfigOption.js";
import { boolKind, enumKind, INT_MAX, intKind, LLONG_MAX, numericKind, stringKind, ULLONG_MAX } from "../kinds.js";
import { validateAnnouncedHostname } from "../validators.js";

/**
 * Redis Cluster: not in nedis yet (design.md "Scale-out"), so every option accepts only its
 * default (`cluster-enabled no`).
 */
export const CLUSTER_OPTIONS: readonly ConfigOption[] = [
  option("cluster-enabled", notYetSupported(), boolKind(), "no", { mutable: false }),
  option("cluster-config-file", notYetSupported(), stringKind(), "nodes.conf", { mutable: false }),
  option("cluster-port", notYetSupported(), intKind(0n, 65535n), "0", { mutable: false }),
  option("cluster-node-timeout", notYetSupported(), intKind(0n, LLONG_MAX), "15000"),
  option("cluster-announce-ip", notYetSupported(), stringKind({ emptyIsNull: true }), ""),
  option(
    "cluster-announce-hostname",
    notYetSupported(),
    stringKind({ emptyIsNull: true, validate: validateAnnouncedHostname }),
    "",
  ),
  option("cluster-announce-port", notYetSupported(), intKind(0n, 65535n), "0"),
  option("cluster-announce-bus-port", notYetSupported(), intKind(0n, 65535n), "0"),
  option("cluster-announce-tls-port", notYetSupported(), intKind(0n, 65535n), "0"),
  option(
    "cluster-preferred-endpoint-type",
    notYetSupported(),
    enumKind(["ip", "hostname", "unknown-endpoint"] as const),
    "ip",
  ),
  option("cluster-replica-validity-factor", notYetSupported(), intKind(0n, INT_MAX), "10", {
    aliases: ["cluster-slave-validity-factor"],
  }),
  option("cluster-replica-no-failover", notYetSupported(), boolKind(), "no", {
    aliases: ["cluster-slave-no-failover"],
  }),
  option("cluster-migration-barrier", notYetSupported(), intKind(0n, INT_MAX), "1"),
  option("cluster-allow-replica-migration", notYetSupported(), boolKind(), "yes"),
  option("cluster-require-full-coverage", notYetSupported(), boolKind(), "yes"),
  option("cluster-allow-reads-when-down", notYetSupported(), boolKind(), "no"),
  option("cluster-allow-pubsubshard-when-down", notYetSupported(), boolKind(), "yes"),
  option(
    "cluster-link-sendbuf-limit",
    notYetSupported(),
    numericKind({ min: 0n, max: ULLONG_MAX, memory: true, unsigned: true }),
    "0",
  ),
];

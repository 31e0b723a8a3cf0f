import { type ConfigOption, implemented, notYetSupported, option } from "../ConfigOption.js";
import { boolKind, enumKind, INT_MAX, intKind, LLONG_MAX, LONG_MAX, numericKind, stringKind } from "../kinds.js";
import { replicaOfKind } from "../specialKinds.js";

/**
 * Replication: not in nedis yet, so every option accepts only its default (`replicaof no one`).
 * min-replicas-* are read today: with both set, writes get NOREPLICAS as on a Redis primary with
 * no replica. Redis still accepts the old `slave*` names as aliases.
 */
export const REPLICATION_OPTIONS: readonly ConfigOption[] = [
  option("replicaof", notYetSupported(), replicaOfKind, "no one", {
    mutable: false,
    multiArg: true,
    aliases: ["slaveof"],
  }),
  option("masterauth", notYetSupported(), stringKind({ emptyIsNull: true }), "", { sensitive: true }),
  option("masteruser", notYetSupported(), stringKind({ emptyIsNull: true }), "", { sensitive: true }),
  option("replica-serve-stale-data", notYetSupported(), boolKind(), "yes", { aliases: ["slave-serve-stale-data"] }),
  option("replica-read-only", notYetSupported(), boolKind(), "yes", { aliases: ["slave-read-only"] }),
  option("replica-lazy-flush", notYetSupported(), boolKind(), "no", { aliases: ["slave-lazy-flush"] }),
  option("replica-ignore-maxmemory", notYetSupported(), boolKind(), "yes", { aliases: ["slave-ignore-maxmemory"] }),
  option("replica-ignore-disk-write-errors", notYetSupported(), boolKind(), "no"),
  option("replica-announced", notYetSupported(), boolKind(), "yes"),
  option("replica-announce-ip", notYetSupported(), stringKind({ emptyIsNull: true }), "", {
    aliases: ["slave-announce-ip"],
  }),
  option("replica-announce-port", notYetSupported(), intKind(0n, 65535n), "0", { aliases: ["slave-announce-port"] }),
  option("replica-priority", notYetSupported(), intKind(0n, INT_MAX), "100", { aliases: ["slave-priority"] }),
  option("repl-diskless-sync", notYetSupported(), boolKind(), "yes"),
  option("repl-diskless-sync-delay", notYetSupported(), intKind(0n, INT_MAX), "5"),
  option("repl-diskless-sync-max-replicas", notYetSupported(), intKind(0n, INT_MAX), "0"),
  option("repl-diskless-load", notYetSupported(), enumKind(["disabled", "on-empty-db", "swapdb"] as const), "disabled"),
  option("repl-ping-replica-period", notYetSupported(), intKind(1n, INT_MAX), "10", {
    aliases: ["repl-ping-slave-period"],
  }),
  option("repl-timeout", notYetSupported(), intKind(1n, INT_MAX), "60"),
  option("repl-disable-tcp-nodelay", notYetSupported(), boolKind(), "no"),
  // CONFIG SET raises it to Redis's 16kb minimum (`resizeReplicationBacklog`); a config file does not.
  option(
    "repl-backlog-size",
    notYetSupported(),
    numericKind({ min: 1n, max: LLONG_MAX, memory: true, commandClamp: [16384, Infinity] }),
    "1048576",
  ),
  option("repl-backlog-ttl", notYetSupported(), intKind(0n, LONG_MAX), "3600"),
  option("min-replicas-to-write", implemented, intKind(0n, INT_MAX), "0", { aliases: ["min-slaves-to-write"] }),
  option("min-replicas-max-lag", implemented, intKind(0n, INT_MAX), "10", { aliases: ["min-slaves-max-lag"] }),
  // AOF loading already ignores a failing command (the default, `ignore`); `panic` is not there.
  option(
    "propagation-error-behavior",
    notYetSupported(),
    enumKind(["ignore", "panic", "panic-on-replicas"] as const),
    "ignore",
  ),
];

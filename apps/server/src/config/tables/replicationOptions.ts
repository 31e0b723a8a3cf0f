import { type ConfigOption, option } from "../ConfigOption.js";
import { boolKind, enumKind, INT_MAX, intKind, LLONG_MAX, LONG_MAX, numericKind, stringKind } from "../kinds.js";
import { replicaOfKind } from "../specialKinds.js";

/**
 * Replication (not in nedis yet: the replication owner will read these). Redis still accepts
 * the old `slave*` names as aliases.
 */
export const REPLICATION_OPTIONS: readonly ConfigOption[] = [
  option("replicaof", replicaOfKind, "no one", { mutable: false, multiArg: true, aliases: ["slaveof"] }),
  option("masterauth", stringKind({ emptyIsNull: true }), "", { sensitive: true }),
  option("masteruser", stringKind({ emptyIsNull: true }), "", { sensitive: true }),
  option("replica-serve-stale-data", boolKind(), "yes", { aliases: ["slave-serve-stale-data"] }),
  option("replica-read-only", boolKind(), "yes", { aliases: ["slave-read-only"] }),
  option("replica-lazy-flush", boolKind(), "no", { aliases: ["slave-lazy-flush"] }),
  option("replica-ignore-maxmemory", boolKind(), "yes", { aliases: ["slave-ignore-maxmemory"] }),
  option("replica-ignore-disk-write-errors", boolKind(), "no"),
  option("replica-announced", boolKind(), "yes"),
  option("replica-announce-ip", stringKind({ emptyIsNull: true }), "", { aliases: ["slave-announce-ip"] }),
  option("replica-announce-port", intKind(0n, 65535n), "0", { aliases: ["slave-announce-port"] }),
  option("replica-priority", intKind(0n, INT_MAX), "100", { aliases: ["slave-priority"] }),
  option("repl-diskless-sync", boolKind(), "yes"),
  option("repl-diskless-sync-delay", intKind(0n, INT_MAX), "5"),
  option("repl-diskless-sync-max-replicas", intKind(0n, INT_MAX), "0"),
  option("repl-diskless-load", enumKind(["disabled", "on-empty-db", "swapdb"] as const), "disabled"),
  option("repl-ping-replica-period", intKind(1n, INT_MAX), "10", { aliases: ["repl-ping-slave-period"] }),
  option("repl-timeout", intKind(1n, INT_MAX), "60"),
  option("repl-disable-tcp-nodelay", boolKind(), "no"),
  // CONFIG SET raises it to Redis's 16kb minimum (`resizeReplicationBacklog`); a config file does not.
  option(
    "repl-backlog-size",
    numericKind({ min: 1n, max: LLONG_MAX, memory: true, commandClamp: [16384, Infinity] }),
    "1048576",
  ),
  option("repl-backlog-ttl", intKind(0n, LONG_MAX), "3600"),
  option("min-replicas-to-write", intKind(0n, INT_MAX), "0", { aliases: ["min-slaves-to-write"] }),
  option("min-replicas-max-lag", intKind(0n, INT_MAX), "10", { aliases: ["min-slaves-max-lag"] }),
  option("propagation-error-behavior", enumKind(["ignore", "panic", "panic-on-replicas"] as const), "ignore"),
];

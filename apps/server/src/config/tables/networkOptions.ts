import { type ConfigOption, implemented, notYetSupported, option } from "../ConfigOption.js";
import { boolKind, enumKind, INT_MAX, intKind, LONG_MAX, numericKind, stringKind, UINT_MAX } from "../kinds.js";
import { bindKind, clientOutputBufferLimitKind, DEFAULT_OUTPUT_BUFFER_LIMITS } from "../specialKinds.js";

/**
 * Listening sockets, client connections and their limits (read by `NedisServer`), and TLS for
 * clients (net/Tls.ts). The options of outgoing connections (replication, cluster bus) wait for
 * those subsystems.
 */
export const NETWORK_OPTIONS: readonly ConfigOption[] = [
  option("port", implemented, intKind(0n, 65535n), "6379"),
  // redis.conf's shipped default rather than the compiled-in "* -::*": loopback only unless told.
  option("bind", implemented, bindKind, "127.0.0.1 -::1", { multiArg: true }),
  // Source address of outgoing connections (to a primary): nedis makes none.
  option("bind-source-addr", notYetSupported(), stringKind({ emptyIsNull: true }), ""),
  option("protected-mode", implemented, boolKind(), "yes"),
  option("tcp-backlog", implemented, intKind(0n, INT_MAX), "511", { mutable: false }),
  option("tcp-keepalive", implemented, intKind(0n, INT_MAX), "300"),
  option("timeout", implemented, intKind(0n, INT_MAX), "0"),
  option("unixsocket", implemented, stringKind({ emptyIsNull: true }), "", { mutable: false }),
  option("unixsocketperm", implemented, numericKind({ min: 0n, max: 0o777n, unsigned: true, octal: true }), "0", {
    mutable: false,
  }),
  // SO_MARK on listening sockets: Node cannot set it.
  option("socket-mark-id", notYetSupported(), numericKind({ min: 0n, max: UINT_MAX, unsigned: true }), "0", {
    mutable: false,
  }),
  option("maxclients", implemented, numericKind({ min: 1n, max: UINT_MAX, unsigned: true }), "10000"),
  option(
    "proto-max-bulk-len",
    implemented,
    numericKind({ min: 1024n * 1024n, max: LONG_MAX, memory: true }),
    "536870912",
  ),
  option(
    "client-query-buffer-limit",
    implemented,
    numericKind({ min: 1024n * 1024n, max: LONG_MAX, memory: true, unsigned: true }),
    "1073741824",
  ),
  option("client-output-buffer-limit", implemented, clientOutputBufferLimitKind, DEFAULT_OUTPUT_BUFFER_LIMITS, {
    multiArg: true,
  }),
  // TLS for clients (net/Tls.ts); tls-cluster, tls-replication and the client certificate
  // (outgoing connections) wait for cluster and replication.
  option("tls-port", implemented, intKind(0n, 65535n), "0"),
  // Node's TLS server resumes sessions its own way (tickets, `tls-session-cache-timeout` as their
  // lifetime): caching cannot be turned off or its cache sized yet, so only the defaults.
  option("tls-session-cache-size", notYetSupported(), intKind(0n, INT_MAX), "20480"),
  option("tls-session-cache-timeout", implemented, intKind(0n, INT_MAX), "300"),
  option("tls-cluster", notYetSupported(), boolKind(), "no"),
  option("tls-replication", notYetSupported(), boolKind(), "no"),
  option("tls-auth-clients", implemented, enumKind(["no", "yes", "optional"] as const), "yes"),
  option("tls-prefer-server-ciphers", implemented, boolKind(), "no"),
  option("tls-session-caching", notYetSupported(), boolKind(), "yes"),
  option("tls-cert-file", implemented, stringKind({ emptyIsNull: true }), ""),
  option("tls-key-file", implemented, stringKind({ emptyIsNull: true }), ""),
  option("tls-key-file-pass", implemented, stringKind({ emptyIsNull: true }), "", { sensitive: true }),
  option("tls-client-cert-file", notYetSupported(), stringKind({ emptyIsNull: true }), ""),
  option("tls-client-key-file", notYetSupported(), stringKind({ emptyIsNull: true }), ""),
  option("tls-client-key-file-pass", notYetSupported(), stringKind({ emptyIsNull: true }), "", { sensitive: true }),
  option("tls-dh-params-file", implemented, stringKind({ emptyIsNull: true }), ""),
  option("tls-ca-cert-file", implemented, stringKind({ emptyIsNull: true }), ""),
  option("tls-ca-cert-dir", implemented, stringKind({ emptyIsNull: true }), ""),
  option("tls-protocols", implemented, stringKind({ emptyIsNull: true }), ""),
  option("tls-ciphers", implemented, stringKind({ emptyIsNull: true }), ""),
  option("tls-ciphersuites", implemented, stringKind({ emptyIsNull: true }), ""),
];

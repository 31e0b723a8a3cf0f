import { type ConfigOption, option } from "../ConfigOption.js";
import { boolKind, enumKind, INT_MAX, intKind, LONG_MAX, numericKind, stringKind, UINT_MAX } from "../kinds.js";
import { bindKind, clientOutputBufferLimitKind, DEFAULT_OUTPUT_BUFFER_LIMITS } from "../specialKinds.js";

/**
 * Listening sockets, client connections and their limits (read by `NedisServer`), and TLS
 * (nedis has no TLS yet: the options exist with Redis's defaults).
 */
export const NETWORK_OPTIONS: readonly ConfigOption[] = [
  option("port", intKind(0n, 65535n), "6379"),
  // redis.conf's shipped default rather than the compiled-in "* -::*": loopback only unless told.
  option("bind", bindKind, "127.0.0.1 -::1", { multiArg: true }),
  option("bind-source-addr", stringKind({ emptyIsNull: true }), ""),
  option("protected-mode", boolKind(), "yes"),
  option("tcp-backlog", intKind(0n, INT_MAX), "511", { mutable: false }),
  option("tcp-keepalive", intKind(0n, INT_MAX), "300"),
  option("timeout", intKind(0n, INT_MAX), "0"),
  option("unixsocket", stringKind({ emptyIsNull: true }), "", { mutable: false }),
  option("unixsocketperm", numericKind({ min: 0n, max: 0o777n, unsigned: true, octal: true }), "0", { mutable: false }),
  option("socket-mark-id", numericKind({ min: 0n, max: UINT_MAX, unsigned: true }), "0", { mutable: false }),
  option("maxclients", numericKind({ min: 1n, max: UINT_MAX, unsigned: true }), "10000"),
  option("proto-max-bulk-len", numericKind({ min: 1024n * 1024n, max: LONG_MAX, memory: true }), "536870912"),
  option(
    "client-query-buffer-limit",
    numericKind({ min: 1024n * 1024n, max: LONG_MAX, memory: true, unsigned: true }),
    "1073741824",
  ),
  option("client-output-buffer-limit", clientOutputBufferLimitKind, DEFAULT_OUTPUT_BUFFER_LIMITS, { multiArg: true }),
  // TLS (not in nedis yet).
  option("tls-port", intKind(0n, 65535n), "0"),
  option("tls-session-cache-size", intKind(0n, INT_MAX), "20480"),
  option("tls-session-cache-timeout", intKind(0n, INT_MAX), "300"),
  option("tls-cluster", boolKind(), "no"),
  option("tls-replication", boolKind(), "no"),
  option("tls-auth-clients", enumKind(["no", "yes", "optional"] as const), "yes"),
  option("tls-prefer-server-ciphers", boolKind(), "no"),
  option("tls-session-caching", boolKind(), "yes"),
  option("tls-cert-file", stringKind({ emptyIsNull: true }), ""),
  option("tls-key-file", stringKind({ emptyIsNull: true }), ""),
  option("tls-key-file-pass", stringKind({ emptyIsNull: true }), "", { sensitive: true }),
  option("tls-client-cert-file", stringKind({ emptyIsNull: true }), ""),
  option("tls-client-key-file", stringKind({ emptyIsNull: true }), ""),
  option("tls-client-key-file-pass", stringKind({ emptyIsNull: true }), "", { sensitive: true }),
  option("tls-dh-params-file", stringKind({ emptyIsNull: true }), ""),
  option("tls-ca-cert-file", stringKind({ emptyIsNull: true }), ""),
  option("tls-ca-cert-dir", stringKind({ emptyIsNull: true }), ""),
  option("tls-protocols", stringKind({ emptyIsNull: true }), ""),
  option("tls-ciphers", stringKind({ emptyIsNull: true }), ""),
  option("tls-ciphersuites", stringKind({ emptyIsNull: true }), ""),
];

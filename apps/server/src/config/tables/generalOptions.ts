import { type ConfigOption, option } from "../ConfigOption.js";
import {
  boolKind,
  enumKind,
  flagsEnumKind,
  INT_MAX,
  INT_MIN,
  intKind,
  LLONG_MAX,
  LONG_MAX,
  numericKind,
  stringKind,
} from "../kinds.js";
import { latencyPercentilesKind, notifyKeyspaceEventsKind, oomScoreAdjValuesKind } from "../specialKinds.js";
import { validateProcTitleTemplate } from "../validators.js";

export const LOG_LEVELS = ["debug", "verbose", "notice", "warning"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const PROTECTED_ACTION = ["no", "yes", "local"] as const;
const SYSLOG_FACILITIES = [
  "user",
  "local0",
  "local1",
  "local2",
  "local3",
  "local4",
  "local5",
  "local6",
  "local7",
] as const;

/** `shutdown-on-sigint` / `-sigterm` flags (Redis's `SHUTDOWN_*` bits). */
const SHUTDOWN_FLAGS = [
  ["default", 0],
  ["save", 1],
  ["nosave", 2],
  ["now", 4],
  ["force", 8],
] as const;
const shutdownOnSignalKind = () =>
  flagsEnumKind(SHUTDOWN_FLAGS, (bits) =>
    (bits & 3) === 3 ? "shutdown options SAVE and NOSAVE can't be used simultaneously" : null,
  );

/**
 * Process, logging, security and monitoring options. Where nedis has no such subsystem yet the
 * option still exists with Redis's default, so config files and CONFIG GET/SET behave as Redis.
 */
export const GENERAL_OPTIONS: readonly ConfigOption[] = [
  // Process: read by main (startup only).
  option("daemonize", boolKind(), "no", { mutable: false }),
  option("supervised", enumKind(["upstart", "systemd", "auto", "no"] as const), "no", { mutable: false }),
  option("pidfile", stringKind({ emptyIsNull: true }), "", { mutable: false }),
  option("databases", intKind(1n, INT_MAX), "16", { mutable: false }),
  option("always-show-logo", boolKind(), "no", { mutable: false }),
  option("set-proc-title", boolKind(), "yes", { mutable: false }),
  option(
    "proc-title-template",
    stringKind({ validate: validateProcTitleTemplate }),
    "{title} {listen-addr} {server-mode}",
  ),
  option("disable-thp", boolKind(), "yes", { mutable: false }),
  option(
    "oom-score-adj",
    enumKind(["no", "yes", "relative", "absolute"] as const, { sameAs: { relative: "yes" } }),
    "no",
  ),
  option("oom-score-adj-values", oomScoreAdjValuesKind, "0 200 800", { multiArg: true }),
  option("shutdown-timeout", intKind(0n, INT_MAX), "10"),
  option("shutdown-on-sigint", shutdownOnSignalKind(), "default", { multiArg: true }),
  option("shutdown-on-sigterm", shutdownOnSignalKind(), "default", { multiArg: true }),
  option("ignore-warnings", stringKind(), ""),
  // CPU affinity of Redis's threads: nedis is one thread per process; kept for config files.
  option("server_cpulist", stringKind({ emptyIsNull: true }), "", { mutable: false }),
  option("bio_cpulist", stringKind({ emptyIsNull: true }), "", { mutable: false }),
  option("aof_rewrite_cpulist", stringKind({ emptyIsNull: true }), "", { mutable: false }),
  option("bgsave_cpulist", stringKind({ emptyIsNull: true }), "", { mutable: false }),
  // Threads and allocator (jemalloc, io-threads): Redis internals with no nedis counterpart.
  option("io-threads", intKind(1n, 128n), "1", { mutable: false }),
  option("io-threads-do-reads", boolKind(), "no", { mutable: false }),
  option("jemalloc-bg-thread", boolKind(), "yes"),
  // The event loop (server owner): `hz` is a hint, kept within 1..500 like Redis.
  option("hz", numericKind({ min: 0n, max: INT_MAX, clamp: [1, 500] }), "10"),
  option("dynamic-hz", boolKind(), "yes"),
  option("active-expire-effort", intKind(1n, 10n), "1"),
  option("activerehashing", boolKind(), "yes"),
  // Active defragmentation: the reference build has no defragmenting allocator, neither has nedis.
  option(
    "activedefrag",
    boolKind((on) =>
      on
        ? "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution"
        : null,
    ),
    "no",
  ),
  option(
    "active-defrag-ignore-bytes",
    numericKind({ min: 1n, max: LLONG_MAX, memory: true, unsigned: true }),
    "104857600",
  ),
  option("active-defrag-threshold-lower", intKind(0n, 1000n), "10"),
  option("active-defrag-threshold-upper", intKind(0n, 1000n), "100"),
  option("active-defrag-cycle-min", intKind(1n, 99n), "1"),
  option("active-defrag-cycle-max", intKind(1n, 99n), "25"),
  option("active-defrag-max-scan-fields", intKind(1n, LONG_MAX), "1000"),
  // Lazy freeing (keyspace owner): nedis frees synchronously today.
  option("lazyfree-lazy-eviction", boolKind(), "no"),
  option("lazyfree-lazy-expire", boolKind(), "no"),
  option("lazyfree-lazy-server-del", boolKind(), "no"),
  option("lazyfree-lazy-user-del", boolKind(), "no"),
  option("lazyfree-lazy-user-flush", boolKind(), "no"),
  // Logging: read by the Logger (main).
  option("loglevel", enumKind(LOG_LEVELS), "notice"),
  option("logfile", stringKind(), "", { mutable: false }),
  option("syslog-enabled", boolKind(), "no", { mutable: false }),
  option("syslog-ident", stringKind(), "redis", { mutable: false }),
  option("syslog-facility", enumKind(SYSLOG_FACILITIES), "local0", { mutable: false }),
  option("crash-log-enabled", boolKind(), "yes"),
  option("crash-memcheck-enabled", boolKind(), "yes"),
  // Security (Authenticator, ACL owner).
  option("requirepass", stringKind({ emptyIsNull: true }), "", { sensitive: true }),
  option("aclfile", stringKind(), "", { mutable: false }),
  option("acllog-max-len", intKind(0n, LONG_MAX), "128"),
  option("acl-pubsub-default", enumKind(["allchannels", "resetchannels"] as const), "resetchannels"),
  option("enable-protected-configs", enumKind(PROTECTED_ACTION), "no", { mutable: false }),
  option("enable-debug-command", enumKind(PROTECTED_ACTION), "no", { mutable: false }),
  option("enable-module-command", enumKind(PROTECTED_ACTION), "no", { mutable: false }),
  option("sanitize-dump-payload", enumKind(["no", "yes", "clients"] as const), "no"),
  // Monitoring: SLOWLOG, LATENCY, INFO latencystats.
  option("slowlog-log-slower-than", intKind(-1n, LLONG_MAX), "10000"),
  option("slowlog-max-len", intKind(0n, LONG_MAX), "128"),
  option("latency-monitor-threshold", intKind(0n, LLONG_MAX), "0"),
  option("latency-tracking", boolKind(), "yes"),
  option("latency-tracking-info-percentiles", latencyPercentilesKind, "50 99 99.9", { multiArg: true }),
  // Scripting (Lua / functions, not in nedis yet): the busy-script threshold in milliseconds.
  option("busy-reply-threshold", intKind(0n, LONG_MAX), "5000", { aliases: ["lua-time-limit"] }),
  // Keyspace notifications (pubsub owner): the value is `@nedis/pubsub`'s NOTIFY_* flag bits.
  option("notify-keyspace-events", notifyKeyspaceEventsKind, ""),
  // Client-side caching (CLIENT TRACKING).
  option("tracking-table-max-keys", numericKind({ min: 0n, max: LONG_MAX, unsigned: true }), "1000000"),
  // Redis's debugging knobs: listed by CONFIG GET only under their exact name.
  option("use-exit-on-panic", boolKind(), "no", { hidden: true }),
  option("watchdog-period", intKind(0n, INT_MAX), "0", { hidden: true }),
  option("rdb-key-save-delay", intKind(INT_MIN, INT_MAX), "0", { hidden: true }),
  option("key-load-delay", intKind(INT_MIN, INT_MAX), "0", { hidden: true }),
  option("loading-process-events-interval-bytes", intKind(1024n, INT_MAX), "2097152", { hidden: true }),
];

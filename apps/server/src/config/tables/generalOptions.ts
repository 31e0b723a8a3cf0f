import { type ConfigOption, implemented, inert, notYetSupported, option } from "../ConfigOption.js";
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
 * Process, logging, security and monitoring options. Each says whether nedis acts on it
 * (`OptionStatus`): an option of a subsystem nedis lacks accepts only its default.
 */
export const GENERAL_OPTIONS: readonly ConfigOption[] = [
  // Process: read by main (startup only).
  option("daemonize", implemented, boolKind(), "no", { mutable: false }),
  option("supervised", implemented, enumKind(["upstart", "systemd", "auto", "no"] as const), "no", { mutable: false }),
  option("pidfile", implemented, stringKind({ emptyIsNull: true }), "", { mutable: false }),
  option("databases", implemented, intKind(1n, INT_MAX), "16", { mutable: false }),
  // nedis prints no logo and sets no process title (`ps` shows node): only the log and `ps`
  // could tell, never a client.
  option("always-show-logo", inert, boolKind(), "no", { mutable: false }),
  option("set-proc-title", inert, boolKind(), "yes", { mutable: false }),
  option(
    "proc-title-template",
    inert,
    stringKind({ validate: validateProcTitleTemplate }),
    "{title} {listen-addr} {server-mode}",
  ),
  // Transparent huge pages matter to jemalloc's fork copy-on-write; nedis never forks.
  option("disable-thp", inert, boolKind(), "yes", { mutable: false }),
  option(
    "oom-score-adj",
    notYetSupported(),
    enumKind(["no", "yes", "relative", "absolute"] as const, { sameAs: { relative: "yes" } }),
    "no",
  ),
  // Read only while oom-score-adj is on, which nedis refuses.
  option("oom-score-adj-values", inert, oomScoreAdjValuesKind, "0 200 800", { multiArg: true }),
  // How long SHUTDOWN waits for lagging replicas: nedis has none to wait for.
  option("shutdown-timeout", inert, intKind(0n, INT_MAX), "10"),
  option("shutdown-on-sigint", implemented, shutdownOnSignalKind(), "default", { multiArg: true }),
  option("shutdown-on-sigterm", implemented, shutdownOnSignalKind(), "default", { multiArg: true }),
  // Silences Redis's ARM64-COW-BUG start-up check, which nedis does not make.
  option("ignore-warnings", inert, stringKind(), ""),
  // CPU affinity of Redis's threads: Node cannot pin a thread; only "" (no pinning) is accepted.
  option("server_cpulist", notYetSupported(), stringKind({ emptyIsNull: true }), "", { mutable: false }),
  option("bio_cpulist", notYetSupported(), stringKind({ emptyIsNull: true }), "", { mutable: false }),
  option("aof_rewrite_cpulist", notYetSupported(), stringKind({ emptyIsNull: true }), "", { mutable: false }),
  option("bgsave_cpulist", notYetSupported(), stringKind({ emptyIsNull: true }), "", { mutable: false }),
  // Threads and allocator: nedis reads and writes on one thread (io-threads 1) and has no
  // jemalloc; io-threads-do-reads only matters with more than one I/O thread.
  option("io-threads", notYetSupported(), intKind(1n, 128n), "1", { mutable: false }),
  option("io-threads-do-reads", inert, boolKind(), "no", { mutable: false }),
  option("jemalloc-bg-thread", inert, boolKind(), "yes"),
  // The event loop (server owner): `hz` is a hint, kept within 1..500 like Redis.
  option("hz", implemented, numericKind({ min: 0n, max: INT_MAX, clamp: [1, 500] }), "10"),
  // Redis raises hz with many clients; nedis's timers (idle clients, expiry) do not depend on it.
  option("dynamic-hz", inert, boolKind(), "yes"),
  // Borderline: in Redis more effort reclaims expired keys sooner (DBSIZE drops sooner). nedis's
  // expiry index reclaims every key at its deadline whatever the effort, so no value changes that.
  option("active-expire-effort", inert, intKind(1n, 10n), "1"),
  // Incremental rehashing of Redis's dicts: nedis's index has no such step.
  option("activerehashing", inert, boolKind(), "yes"),
  // Active defragmentation: the reference build has no defragmenting allocator, neither has nedis
  // (`activedefrag yes` gets Redis's own refusal); the tuning knobs only matter while it runs.
  option(
    "activedefrag",
    notYetSupported(),
    boolKind((on) =>
      on
        ? "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution"
        : null,
    ),
    "no",
  ),
  option(
    "active-defrag-ignore-bytes",
    inert,
    numericKind({ min: 1n, max: LLONG_MAX, memory: true, unsigned: true }),
    "104857600",
  ),
  option("active-defrag-threshold-lower", inert, intKind(0n, 1000n), "10"),
  option("active-defrag-threshold-upper", inert, intKind(0n, 1000n), "100"),
  option("active-defrag-cycle-min", inert, intKind(1n, 99n), "1"),
  option("active-defrag-cycle-max", inert, intKind(1n, 99n), "25"),
  option("active-defrag-max-scan-fields", inert, intKind(1n, LONG_MAX), "1000"),
  // Lazy freeing: nedis frees synchronously, but these four decide whether a deletion propagates
  // (AOF, replicas) as DEL or UNLINK, as in Redis. A FLUSHALL/FLUSHDB propagates as typed
  // whatever lazyfree-lazy-user-flush says, and its reply and effect are the same either way.
  option("lazyfree-lazy-eviction", implemented, boolKind(), "no"),
  option("lazyfree-lazy-expire", implemented, boolKind(), "no"),
  option("lazyfree-lazy-server-del", implemented, boolKind(), "no"),
  option("lazyfree-lazy-user-del", implemented, boolKind(), "no"),
  option("lazyfree-lazy-user-flush", inert, boolKind(), "no"),
  // Logging: read by the Logger (main).
  option("loglevel", implemented, enumKind(LOG_LEVELS), "notice"),
  option("logfile", implemented, stringKind(), "", { mutable: false }),
  option("syslog-enabled", implemented, boolKind(), "no", { mutable: false }),
  option("syslog-ident", implemented, stringKind(), "redis", { mutable: false }),
  option("syslog-facility", implemented, enumKind(SYSLOG_FACILITIES), "local0", { mutable: false }),
  // Redis's crash report on a fatal signal; nedis logs an uncaught error as Node does.
  option("crash-log-enabled", inert, boolKind(), "yes"),
  option("crash-memcheck-enabled", inert, boolKind(), "yes"),
  // Security (Authenticator, ACL owner).
  option("requirepass", implemented, stringKind({ emptyIsNull: true }), "", { sensitive: true }),
  option("aclfile", implemented, stringKind(), "", { mutable: false }),
  option("acllog-max-len", implemented, intKind(0n, LONG_MAX), "128"),
  option("acl-pubsub-default", implemented, enumKind(["allchannels", "resetchannels"] as const), "resetchannels"),
  option("enable-protected-configs", implemented, enumKind(PROTECTED_ACTION), "no", { mutable: false }),
  option("enable-debug-command", implemented, enumKind(PROTECTED_ACTION), "no", { mutable: false }),
  // MODULE LOAD/LOADEX/UNLOAD run only as this allows (commands/module.ts); no module ever loads.
  option("enable-module-command", implemented, enumKind(PROTECTED_ACTION), "no", { mutable: false }),
  // RESTORE always validates a payload in full (as `yes` does); `no` only skips checks in Redis,
  // so no valid payload is treated differently.
  option("sanitize-dump-payload", inert, enumKind(["no", "yes", "clients"] as const), "no"),
  // Monitoring: SLOWLOG, LATENCY, INFO latencystats.
  option("slowlog-log-slower-than", implemented, intKind(-1n, LLONG_MAX), "10000"),
  option("slowlog-max-len", implemented, intKind(0n, LONG_MAX), "128"),
  option("latency-monitor-threshold", implemented, intKind(0n, LLONG_MAX), "0"),
  option("latency-tracking", implemented, boolKind(), "yes"),
  option("latency-tracking-info-percentiles", implemented, latencyPercentilesKind, "50 99 99.9", { multiArg: true }),
  // Scripting: the busy-script threshold in milliseconds (BUSY replies, SCRIPT KILL).
  option("busy-reply-threshold", implemented, intKind(0n, LONG_MAX), "5000", { aliases: ["lua-time-limit"] }),
  // Keyspace notifications (pubsub owner): the value is `@nedis/pubsub`'s NOTIFY_* flag bits.
  option("notify-keyspace-events", implemented, notifyKeyspaceEventsKind, ""),
  // Client-side caching (CLIENT TRACKING).
  option("tracking-table-max-keys", implemented, numericKind({ min: 0n, max: LONG_MAX, unsigned: true }), "1000000"),
  // Redis's debugging knobs: listed by CONFIG GET only under their exact name. nedis has no
  // watchdog and no slowed loading; it loads before serving, so the event interval is moot.
  option("use-exit-on-panic", inert, boolKind(), "no", { hidden: true }),
  option("watchdog-period", notYetSupported(), intKind(0n, INT_MAX), "0", { hidden: true }),
  option("rdb-key-save-delay", implemented, intKind(INT_MIN, INT_MAX), "0", { hidden: true }),
  option("key-load-delay", notYetSupported(), intKind(INT_MIN, INT_MAX), "0", { hidden: true }),
  option("loading-process-events-interval-bytes", inert, intKind(1024n, INT_MAX), "2097152", { hidden: true }),
  // nedis's own: `strict-config no` turns the refusal of a not-yet-supported value in the config
  // file or on the command line into a warning (the value is ignored). Read before the other
  // lines (loadConfig's first pass), so it may stand anywhere in the file.
  option("strict-config", implemented, boolKind(), "yes", { mutable: false, nedisOnly: true }),
];

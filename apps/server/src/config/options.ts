import {
  boolKind, enumKind, fail, intKind, memoryKind, ok, stringKind,
  type ConfigKind, type ConfigOption,
} from "./ConfigOption.js";

/**
 * Every config option nedis knows, with Redis 7.0's names, defaults, mutability and validation.
 * Add an option here and it exists in the config file, on the command line, in CONFIG GET/SET.
 */

const INT_MAX = 2147483647;
const LONG_MAX = Number.MAX_SAFE_INTEGER;

/** `save "<seconds> <changes> …"`: pairs of integers, or "" to disable snapshots. */
const saveKind: ConfigKind<string> = {
  parse(words) {
    const parts = words.flatMap((w) => w.split(" ")).filter((w) => w !== "");
    if (parts.length % 2 !== 0) return fail("Invalid save parameters");
    for (const p of parts) if (!/^\d+$/.test(p)) return fail("Invalid save parameters");
    return ok(parts.join(" "));
  },
  format: (v) => v,
};

/** `bind addr [addr …]`: up to 16 addresses; a leading `-` marks an optional one. */
const bindKind: ConfigKind<string[]> = {
  parse(words) {
    const addrs = words.flatMap((w) => w.split(" ")).filter((w) => w !== "");
    if (addrs.length > 16) return fail("Too many bind addresses specified.");
    return ok(addrs);
  },
  format: (v) => v.join(" "),
};

/** `unixsocketperm`: an octal permission mask. */
const octalKind: ConfigKind<number> = {
  parse(words) {
    if (words.length !== 1 || !/^[0-7]+$/.test(words[0]!)) return fail("argument couldn't be parsed into an integer");
    const n = parseInt(words[0]!, 8);
    if (n > 0o777) return fail("argument must be between 0 and 511 inclusive");
    return ok(n);
  },
  format: (v) => v.toString(8),
};

export const EVICTION_POLICIES = [
  "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
  "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction",
] as const;
export type EvictionPolicy = (typeof EVICTION_POLICIES)[number];

export const LOG_LEVELS = ["debug", "verbose", "notice", "warning"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function option<T>(name: string, kind: ConfigKind<T>, defaultText: string, mutable = true, aliases?: string[]): ConfigOption<T> {
  return aliases ? { name, kind, defaultText, mutable, aliases } : { name, kind, defaultText, mutable };
}

export const CONFIG_OPTIONS: readonly ConfigOption[] = [
  // Network
  option("port", intKind(0, 65535), "6379"),
  option("bind", bindKind, "127.0.0.1 -::1"),
  option("protected-mode", boolKind(), "yes"),
  option("tcp-backlog", intKind(0, INT_MAX), "511", false),
  option("tcp-keepalive", intKind(0, INT_MAX), "300"),
  option("timeout", intKind(0, INT_MAX), "0"),
  option("unixsocket", stringKind(), "", false),
  option("unixsocketperm", octalKind, "0", false),
  option("maxclients", intKind(1, INT_MAX), "10000"),
  // General
  option("databases", intKind(1, INT_MAX), "16", false),
  option("daemonize", boolKind(), "no", false),
  option("pidfile", stringKind(), "", false),
  option("loglevel", enumKind(LOG_LEVELS), "notice"),
  option("logfile", stringKind(), "", false),
  option("hz", intKind(0, INT_MAX), "10"),
  option("dir", stringKind(), "", true),
  // Security
  option("requirepass", stringKind(), ""),
  // Persistence (formats arrive with the persistence work; the options exist so configs load)
  option("save", saveKind, "3600 1 300 100 60 10000"),
  option("dbfilename", stringKind(), "dump.rdb"),
  option("appendonly", boolKind(), "no"),
  option("appendfilename", stringKind(), "appendonly.aof", false),
  option("appendfsync", enumKind(["always", "everysec", "no"] as const), "everysec"),
  // Memory
  option("maxmemory", memoryKind(0, LONG_MAX), "0"),
  option("maxmemory-policy", enumKind(EVICTION_POLICIES), "noeviction"),
  option("maxmemory-samples", intKind(1, 64), "5"),
  option("maxmemory-eviction-tenacity", intKind(0, 100), "10"),
  option("lfu-log-factor", intKind(0, INT_MAX), "10"),
  option("lfu-decay-time", intKind(0, INT_MAX), "1"),
  // Limits
  option("proto-max-bulk-len", memoryKind(1024 * 1024, LONG_MAX), "536870912"),
  option("client-query-buffer-limit", memoryKind(1024 * 1024, LONG_MAX), "1073741824"),
];

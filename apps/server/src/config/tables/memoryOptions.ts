import { type ConfigKind, type ConfigOption, fail, implemented, notYetSupported, option } from "../ConfigOption.js";
import {
  enumKind,
  INT_MAX,
  INT_MIN,
  intKind,
  LLONG_MAX,
  LONG_MAX,
  numericKind,
  SSIZE_MAX,
  ULLONG_MAX,
} from "../kinds.js";

export const EVICTION_POLICIES = [
  "volatile-lru",
  "volatile-lfu",
  "volatile-random",
  "volatile-ttl",
  "allkeys-lru",
  "allkeys-lfu",
  "allkeys-random",
  "noeviction",
] as const;
export type EvictionPolicy = (typeof EVICTION_POLICIES)[number];

/** `size_t` count options (compared unsigned by Redis). */
const sizeKind = (min: bigint, max: bigint, memory = false) => numericKind({ min, max, unsigned: true, memory });

/**
 * `list-compress-depth`: nedis keeps every quicklist node uncompressed, so only 0 is accepted;
 * any other depth is refused (config file and CONFIG SET), never silently ignored.
 */
function compressDepthKind(): ConfigKind<number> {
  const base = intKind(0n, INT_MAX);
  return {
    ...base,
    parse(words, context) {
      const parsed = base.parse(words, context);
      if (parsed.ok && parsed.value !== 0) return fail("nedis does not compress list nodes: only 0 is supported");
      return parsed;
    },
  };
}

/**
 * The memory budget and eviction (kv-pool and keyspace owners), and the thresholds of the small
 * packed encodings of collections (each data type's owner).
 */
export const MEMORY_OPTIONS: readonly ConfigOption[] = [
  option("maxmemory", implemented, numericKind({ min: 0n, max: ULLONG_MAX, memory: true, unsigned: true }), "0"),
  option("maxmemory-policy", implemented, enumKind(EVICTION_POLICIES), "noeviction"),
  option("maxmemory-samples", implemented, intKind(1n, INT_MAX), "5"),
  option("maxmemory-eviction-tenacity", implemented, intKind(0n, 100n), "10"),
  /** Client eviction budget: bytes, or `N%` of maxmemory stored as `-N`. nedis evicts no clients yet. */
  option(
    "maxmemory-clients",
    notYetSupported(),
    numericKind({ min: -100n, max: SSIZE_MAX, memory: true, percent: true }),
    "0",
  ),
  option("lfu-log-factor", implemented, intKind(0n, INT_MAX), "10"),
  option("lfu-decay-time", implemented, intKind(0n, INT_MAX), "1"),
  // Collection encodings.
  option("hash-max-listpack-entries", implemented, sizeKind(0n, LONG_MAX), "512", {
    aliases: ["hash-max-ziplist-entries"],
  }),
  option("hash-max-listpack-value", implemented, sizeKind(0n, LONG_MAX, true), "64", {
    aliases: ["hash-max-ziplist-value"],
  }),
  option("list-max-listpack-size", implemented, intKind(INT_MIN, INT_MAX), "-2", {
    aliases: ["list-max-ziplist-size"],
  }),
  option("list-compress-depth", notYetSupported(), compressDepthKind(), "0"),
  option("set-max-intset-entries", implemented, sizeKind(0n, LONG_MAX), "512"),
  option("zset-max-listpack-entries", implemented, sizeKind(0n, LONG_MAX), "128", {
    aliases: ["zset-max-ziplist-entries"],
  }),
  option("zset-max-listpack-value", implemented, sizeKind(0n, LONG_MAX, true), "64", {
    aliases: ["zset-max-ziplist-value"],
  }),
  option("hll-sparse-max-bytes", implemented, sizeKind(0n, LONG_MAX, true), "3000"),
  option("stream-node-max-bytes", implemented, sizeKind(0n, LONG_MAX, true), "4096"),
  option("stream-node-max-entries", implemented, intKind(0n, LLONG_MAX), "100"),
];

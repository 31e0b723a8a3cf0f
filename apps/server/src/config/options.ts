import type { ConfigOption } from "./ConfigOption.js";
import { CLUSTER_OPTIONS } from "./tables/clusterOptions.js";
import { GENERAL_OPTIONS } from "./tables/generalOptions.js";
import { MEMORY_OPTIONS } from "./tables/memoryOptions.js";
import { NETWORK_OPTIONS } from "./tables/networkOptions.js";
import { PERSISTENCE_OPTIONS } from "./tables/persistenceOptions.js";
import { REPLICATION_OPTIONS } from "./tables/replicationOptions.js";

export { LOG_LEVELS, type LogLevel } from "./tables/generalOptions.js";
export { EVICTION_POLICIES, type EvictionPolicy } from "./tables/memoryOptions.js";

/**
 * Every config option Redis 7.0 has (what `CONFIG GET *` lists, plus its hidden debugging
 * knobs), with Redis's names, aliases, defaults, mutability and validation. Add an option here
 * and it exists in the config file, on the command line, in CONFIG GET/SET/REWRITE.
 *
 * Value types, as `ConfigStore` getters return them: booleans; numbers for every numeric option
 * (memory options in bytes; `maxmemory-clients` stores `N%` as `-N`); enum options as their
 * canonical lowercase name; strings (`""` for unset); and for the special options: `save` →
 * `SaveParam[]`, `bind` → `string[]`, `client-output-buffer-limit` → `OutputBufferLimits`,
 * `oom-score-adj-values` and `latency-tracking-info-percentiles` → `number[]`,
 * `notify-keyspace-events` → flag bits, `replicaof` → `ReplicaOf | null`.
 */
export const CONFIG_OPTIONS: readonly ConfigOption[] = [
  ...NETWORK_OPTIONS,
  ...GENERAL_OPTIONS,
  ...MEMORY_OPTIONS,
  ...PERSISTENCE_OPTIONS,
  ...REPLICATION_OPTIONS,
  ...CLUSTER_OPTIONS,
];

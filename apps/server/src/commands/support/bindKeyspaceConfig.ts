import type { EvictionPolicy, Keyspace } from "@nedis/keyspace";
import type { ServerContext } from "../../ServerContext.js";

const bound = new WeakSet<Keyspace>();

/**
 * Applies the memory options (`maxmemory`, the eviction and LFU settings, the collection
 * encoding thresholds) and the tracking table's cap from the config, and follows their changes
 * (CONFIG SET, CONFIG RESETSTAT). The
 * server calls it once when it builds its keyspace, so handlers use `server.keyspace` as is.
 * Idempotent.
 */
export function bindKeyspaceConfig(server: ServerContext): void {
  const ks = server.keyspace;
  if (bound.has(ks)) return;
  bound.add(ks);
  const config = server.config;
  // Listeners return nothing: a returned string would be read as CONFIG SET refusing the value.
  const apply: Record<string, (value: unknown) => undefined> = {
    "maxmemory-policy": (v) => void (ks.maxmemoryPolicy = v as EvictionPolicy),
    "maxmemory-samples": (v) => void (ks.evictor.samples = v as number),
    "maxmemory-eviction-tenacity": (v) => void (ks.evictor.tenacity = v as number),
    "lfu-log-factor": (v) => void (ks.lfuLogFactor = v as number),
    "lfu-decay-time": (v) => void (ks.lfuDecayTime = v as number),
    maxmemory: (v) => void (ks.maxmemory = v as number),
    "hash-max-listpack-entries": (v) => void (ks.limits.hashMaxListpackEntries = v as number),
    "hash-max-listpack-value": (v) => void (ks.limits.hashMaxListpackValue = v as number),
    "set-max-intset-entries": (v) => void (ks.limits.setMaxIntsetEntries = v as number),
    "zset-max-listpack-entries": (v) => void (ks.limits.zsetMaxListpackEntries = v as number),
    "zset-max-listpack-value": (v) => void (ks.limits.zsetMaxListpackValue = v as number),
    "list-max-listpack-size": (v) => void (ks.limits.listMaxListpackSize = v as number),
    "list-compress-depth": (v) => void (ks.limits.listCompressDepth = v as number),
    "stream-node-max-bytes": (v) => void (ks.limits.streamNodeMaxBytes = v as number),
    "stream-node-max-entries": (v) => void (ks.limits.streamNodeMaxEntries = v as number),
  };
  for (const [name, set] of Object.entries(apply)) {
    const value = name === "maxmemory-policy" ? config.string(name) : config.number(name);
    if (value !== undefined) set(value);
    config.onChange(name, set);
  }
  config.onResetStats(() => ks.resetStats());
  // The tracking table's limit is bound here too: it is the other per-key table with a cap.
  const trackingMax = (v: unknown): undefined => void (server.tracking.maxKeys = v as number);
  trackingMax(config.number("tracking-table-max-keys"));
  config.onChange("tracking-table-max-keys", trackingMax);
}

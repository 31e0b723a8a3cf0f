/**
 * Commands nedis answers whose behaviour is known to differ from Redis 7.0 (by `container|sub`
 * name, lowercase). A command listed here shows as "different" in docs/commands.md; remove the
 * entry when the difference is fixed.
 */
export const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {
  "memory|usage":
    "sizes are nedis's own allocation sizes (kv-pool slots), not jemalloc's: a 100-byte string reports 384 where Redis says 160",
};

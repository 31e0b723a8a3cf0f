/**
 * Commands nedis answers whose behaviour is known to differ from Redis 7.0 (by `container|sub`
 * name, lowercase). A command listed here shows as "different" in docs/commands.md; remove the
 * entry when the difference is fixed.
 */
export const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {
  "memory|usage":
    "sizes are the bytes nedis holds for the key (kv-pool slots, index share), not jemalloc's: a 100-byte string reports 147 where Redis says 160",
  "module|load":
    "modules are not supported: when enable-module-command allows it, every load fails as a missing module does",
  "module|loadex":
    "modules are not supported: when enable-module-command allows it, every load fails as a missing module does",
  "script|debug": "no Lua debugger: SCRIPT DEBUG YES and SYNC are refused (NO works)",
};

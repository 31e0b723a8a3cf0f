import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});

/** Every field redis-server 7.0.15 prints in INFO everything, by section (dynamic sections aside). */
const REDIS_FIELDS: Record<string, string[]> = {
  Server: [
    "redis_version",
    "redis_git_sha1",
    "redis_git_dirty",
    "redis_build_id",
    "redis_mode",
    "os",
    "arch_bits",
    "monotonic_clock",
    "multiplexing_api",
    "atomicvar_api",
    "gcc_version",
    "process_id",
    "process_supervised",
    "run_id",
    "tcp_port",
    "server_time_usec",
    "uptime_in_seconds",
    "uptime_in_days",
    "hz",
    "configured_hz",
    "lru_clock",
    "executable",
    "config_file",
    "io_threads_active",
  ],
  Clients: [
    "connected_clients",
    "cluster_connections",
    "maxclients",
    "client_recent_max_input_buffer",
    "client_recent_max_output_buffer",
    "blocked_clients",
    "tracking_clients",
    "clients_in_timeout_table",
  ],
  Memory: [
    "used_memory",
    "used_memory_human",
    "used_memory_rss",
    "used_memory_rss_human",
    "used_memory_peak",
    "used_memory_peak_human",
    "used_memory_peak_perc",
    "used_memory_overhead",
    "used_memory_startup",
    "used_memory_dataset",
    "used_memory_dataset_perc",
    "allocator_allocated",
    "allocator_active",
    "allocator_resident",
    "total_system_memory",
    "total_system_memory_human",
    "used_memory_lua",
    "used_memory_vm_eval",
    "used_memory_lua_human",
    "used_memory_scripts_eval",
    "number_of_cached_scripts",
    "number_of_functions",
    "number_of_libraries",
    "used_memory_vm_functions",
    "used_memory_vm_total",
    "used_memory_vm_total_human",
    "used_memory_functions",
    "used_memory_scripts",
    "used_memory_scripts_human",
    "maxmemory",
    "maxmemory_human",
    "maxmemory_policy",
    "allocator_frag_ratio",
    "allocator_frag_bytes",
    "allocator_rss_ratio",
    "allocator_rss_bytes",
    "rss_overhead_ratio",
    "rss_overhead_bytes",
    "mem_fragmentation_ratio",
    "mem_fragmentation_bytes",
    "mem_not_counted_for_evict",
    "mem_replication_backlog",
    "mem_total_replication_buffers",
    "mem_clients_slaves",
    "mem_clients_normal",
    "mem_cluster_links",
    "mem_aof_buffer",
    "mem_allocator",
    "active_defrag_running",
    "lazyfree_pending_objects",
    "lazyfreed_objects",
  ],
  Persistence: [
    "loading",
    "async_loading",
    "current_cow_peak",
    "current_cow_size",
    "current_cow_size_age",
    "current_fork_perc",
    "current_save_keys_processed",
    "current_save_keys_total",
    "rdb_changes_since_last_save",
    "rdb_bgsave_in_progress",
    "rdb_last_save_time",
    "rdb_last_bgsave_status",
    "rdb_last_bgsave_time_sec",
    "rdb_current_bgsave_time_sec",
    "rdb_saves",
    "rdb_last_cow_size",
    "rdb_last_load_keys_expired",
    "rdb_last_load_keys_loaded",
    "aof_enabled",
    "aof_rewrite_in_progress",
    "aof_rewrite_scheduled",
    "aof_last_rewrite_time_sec",
    "aof_current_rewrite_time_sec",
    "aof_last_bgrewrite_status",
    "aof_rewrites",
    "aof_rewrites_consecutive_failures",
    "aof_last_write_status",
    "aof_last_cow_size",
    "module_fork_in_progress",
    "module_fork_last_cow_size",
  ],
  Stats: [
    "total_connections_received",
    "total_commands_processed",
    "instantaneous_ops_per_sec",
    "total_net_input_bytes",
    "total_net_output_bytes",
    "total_net_repl_input_bytes",
    "total_net_repl_output_bytes",
    "instantaneous_input_kbps",
    "instantaneous_output_kbps",
    "instantaneous_input_repl_kbps",
    "instantaneous_output_repl_kbps",
    "rejected_connections",
    "sync_full",
    "sync_partial_ok",
    "sync_partial_err",
    "expired_keys",
    "expired_stale_perc",
    "expired_time_cap_reached_count",
    "expire_cycle_cpu_milliseconds",
    "evicted_keys",
    "evicted_clients",
    "total_eviction_exceeded_time",
    "current_eviction_exceeded_time",
    "keyspace_hits",
    "keyspace_misses",
    "pubsub_channels",
    "pubsub_patterns",
    "pubsubshard_channels",
    "latest_fork_usec",
    "total_forks",
    "migrate_cached_sockets",
    "slave_expires_tracked_keys",
    "active_defrag_hits",
    "active_defrag_misses",
    "active_defrag_key_hits",
    "active_defrag_key_misses",
    "total_active_defrag_time",
    "current_active_defrag_time",
    "tracking_total_keys",
    "tracking_total_items",
    "tracking_total_prefixes",
    "unexpected_error_replies",
    "total_error_replies",
    "dump_payload_sanitizations",
    "total_reads_processed",
    "total_writes_processed",
    "io_threaded_reads_processed",
    "io_threaded_writes_processed",
    "reply_buffer_shrinks",
    "reply_buffer_expands",
  ],
  Replication: [
    "role",
    "connected_slaves",
    "master_failover_state",
    "master_replid",
    "master_replid2",
    "master_repl_offset",
    "second_repl_offset",
    "repl_backlog_active",
    "repl_backlog_size",
    "repl_backlog_first_byte_offset",
    "repl_backlog_histlen",
  ],
  CPU: [
    "used_cpu_sys",
    "used_cpu_user",
    "used_cpu_sys_children",
    "used_cpu_user_children",
    "used_cpu_sys_main_thread",
    "used_cpu_user_main_thread",
  ],
  Cluster: ["cluster_enabled"],
};

/** nedis's additions: its own version and the runtime's. */
const NEDIS_ONLY = new Set(["nedis_version", "node_version"]);

function parse(info: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  for (const line of info.split("\r\n")) {
    if (line.startsWith("# ")) {
      current = new Map();
      sections.set(line.slice(2), current);
    } else if (line !== "") {
      const i = line.indexOf(":");
      current.set(line.slice(0, i), line.slice(i + 1));
    }
  }
  return sections;
}

describe("INFO fields", () => {
  it("has every field of Redis 7.0.15, in Redis's order", async () => {
    const sections = parse(await r.info("everything"));
    for (const [name, fields] of Object.entries(REDIS_FIELDS)) {
      const got = [...sections.get(name)!.keys()].filter((f) => !NEDIS_ONLY.has(f));
      expect(got, name).toEqual(fields);
    }
  });

  it("memory figures are consistent: peak ≥ used, percentages and human forms in Redis's format", async () => {
    const m = parse(await r.info("memory")).get("Memory")!;
    const n = (k: string) => Number(m.get(k));
    expect(n("used_memory_peak")).toBeGreaterThanOrEqual(n("used_memory"));
    expect(n("used_memory")).toBeGreaterThan(0);
    expect(n("used_memory_rss")).toBeGreaterThan(0);
    expect(m.get("used_memory_peak_perc")).toMatch(/^\d+\.\d\d%$/);
    expect(m.get("used_memory_dataset_perc")).toMatch(/^\d+\.\d\d%$/);
    expect(m.get("used_memory_human")).toMatch(/^\d+(\.\d\d[KMGTP]|B)$/);
    expect(m.get("mem_fragmentation_ratio")).toMatch(/^\d+\.\d\d$/);
    // Redis derives it from figures its cron sampled, so only the sign is stable across servers.
    expect(Math.sign(n("mem_fragmentation_bytes"))).toBe(Math.sign(Number(m.get("mem_fragmentation_ratio")) - 1 || 0));
    expect(n("total_system_memory")).toBeGreaterThan(0);
    expect(m.get("maxmemory_policy")).toBe("noeviction");
  });

  it("stats count network traffic and commands", async () => {
    const before = parse(await r.info("stats")).get("Stats")!;
    for (let i = 0; i < 20; i++) await r.call("ECHO", "x".repeat(100));
    const after = parse(await r.info("stats")).get("Stats")!;
    const delta = (k: string) => Number(after.get(k)) - Number(before.get(k));
    expect(delta("total_net_input_bytes")).toBeGreaterThanOrEqual(20 * 100);
    expect(delta("total_net_output_bytes")).toBeGreaterThanOrEqual(20 * 100);
    expect(delta("total_commands_processed")).toBeGreaterThanOrEqual(21);
    expect(after.get("instantaneous_input_kbps")).toMatch(/^\d+\.\d\d$/);
    expect(after.get("instantaneous_ops_per_sec")).toMatch(/^\d+$/);
  });

  it("CONFIG RESETSTAT restarts the traffic totals but keeps the memory peak", async () => {
    for (let i = 0; i < 10; i++) await r.call("ECHO", "y".repeat(500));
    const peak = Number(
      parse(await r.info("memory"))
        .get("Memory")!
        .get("used_memory_peak"),
    );
    await r.call("CONFIG", "RESETSTAT");
    const stats = parse(await r.info("stats")).get("Stats")!;
    expect(Number(stats.get("total_net_input_bytes"))).toBeLessThan(1000);
    expect(Number(stats.get("total_net_input_bytes"))).toBeGreaterThanOrEqual(0);
    expect(Number(stats.get("total_commands_processed"))).toBeLessThanOrEqual(2);
    expect(
      Number(
        parse(await r.info("memory"))
          .get("Memory")!
          .get("used_memory_peak"),
      ),
    ).toBeGreaterThanOrEqual(peak);
  });

  it("pub/sub counts follow subscriptions", async () => {
    const sub = target.client();
    await sub.subscribe("info-fields-a", "info-fields-b");
    await sub.psubscribe("info-fields-*");
    const s = parse(await r.info("stats")).get("Stats")!;
    expect(Number(s.get("pubsub_channels"))).toBeGreaterThanOrEqual(2);
    expect(Number(s.get("pubsub_patterns"))).toBeGreaterThanOrEqual(1);
    await sub.quit();
  });

  it("server and replication describe this process", async () => {
    const info = parse(await r.info("everything"));
    const server = info.get("Server")!;
    expect(server.get("tcp_port")).toBe(String(target.port));
    expect(server.get("run_id")).toMatch(/^[0-9a-f]{40}$/);
    expect(Math.abs(Number(server.get("server_time_usec")) / 1e6 - Date.now() / 1000)).toBeLessThan(5);
    const repl = info.get("Replication")!;
    expect(repl.get("master_replid")).toMatch(/^[0-9a-f]{40}$/);
    expect(repl.get("repl_backlog_size")).toBe("1048576");
    expect(info.get("CPU")!.get("used_cpu_user")).toMatch(/^\d+\.\d{6}$/);
    expect(info.get("Persistence")!.get("rdb_last_save_time")).toBe(String(await r.call("LASTSAVE")));
  });
});

import { arch, machine, platform, release, totalmem, type } from "node:os";
import { resolve } from "node:path";
import { cpuUsage } from "node:process";
import { formatPercentile } from "../config/numbers.js";
import { unixMicros } from "../observe/clock.js";
import { bytesToHuman } from "../observe/MemoryReport.js";
import { fixed } from "../observe/printf.js";
import { observersOf, randomHex40 } from "../observe/ServerObservers.js";
import { rdbPersistenceOf } from "../persistence/RdbPersistence.js";
import { supervisedMode } from "../process/supervision.js";
import type { ServerContext } from "../ServerContext.js";
import { NEDIS_VERSION, REDIS_VERSION } from "../version.js";
import { aofInfoLines, aofTailInfoLines, loadingInfoLine } from "./aofInfoLines.js";
import { scriptingMemoryLines } from "./scriptingMemoryLines.js";

/**
 * INFO's sections, in Redis 7.0's order, with every field Redis 7.0.15 prints (plus
 * `nedis_version` and `node_version`). Fields for machinery nedis does not have (forks, AOF,
 * replicas, Lua, defrag) keep the values Redis shows when that machinery is idle.
 * `defaultSection` marks the ones `INFO` / `INFO default` print.
 */
export interface InfoSection {
  name: string;
  /** Header as Redis prints it (`# CPU`); defaults to the capitalised name. */
  title?: string;
  defaultSection: boolean;
  lines(server: ServerContext): string[];
}

const uptimeSeconds = (server: ServerContext) => Math.floor((Date.now() - server.startedAt) / 1000);
const RUN_ID = randomHex40();
/** C's `(float)a / b` printed with `%.2f`. */
const ratio = (a: number, b: number) => fixed(Math.fround(a / b), 2);
/** The port actually bound (an ephemeral one in tests), else the configured one. */
function listeningPort(server: ServerContext): number {
  return server.addresses[0]?.port ?? server.config.number("port");
}
const MULTIPLEXING_API: Record<string, string> = {
  linux: "epoll",
  darwin: "kqueue",
  freebsd: "kqueue",
  sunos: "evport",
};

export const INFO_SECTIONS: readonly InfoSection[] = [
  {
    name: "server",
    defaultSection: true,
    lines(server) {
      const hz = server.config.number("hz");
      const uptime = uptimeSeconds(server);
      return [
        `redis_version:${REDIS_VERSION}`,
        `nedis_version:${NEDIS_VERSION}`,
        "redis_git_sha1:00000000",
        "redis_git_dirty:0",
        "redis_build_id:0",
        "redis_mode:standalone",
        `os:${type()} ${release()} ${machine()}`,
        `arch_bits:${arch().endsWith("64") ? 64 : 32}`,
        "monotonic_clock:POSIX clock_gettime",
        `multiplexing_api:${MULTIPLEXING_API[platform()] ?? "select"}`,
        "atomicvar_api:c11-builtin",
        "gcc_version:0.0.0",
        `process_id:${process.pid}`,
        `process_supervised:${supervisedMode()}`,
        `run_id:${RUN_ID}`,
        `tcp_port:${listeningPort(server)}`,
        `server_time_usec:${unixMicros()}`,
        `uptime_in_seconds:${uptime}`,
        `uptime_in_days:${Math.floor(uptime / 86400)}`,
        `hz:${hz}`,
        `configured_hz:${hz}`,
        `lru_clock:${Math.floor(Date.now() / 1000) & 0xffffff}`,
        `executable:${process.argv[1] === undefined ? "" : resolve(process.argv[1])}`,
        `config_file:${server.config.configFile ?? ""}`,
        "io_threads_active:0",
        `node_version:${process.version}`,
      ];
    },
  },
  {
    name: "clients",
    defaultSection: true,
    lines(server) {
      let maxInput = 0;
      let maxOutput = 0;
      for (const c of server.clients.values()) {
        maxInput = Math.max(maxInput, c.parser.bufferedBytes);
        maxOutput = Math.max(maxOutput, c.writer.length + c.socket.writableLength);
      }
      return [
        `connected_clients:${server.clients.size}`,
        "cluster_connections:0",
        `maxclients:${server.config.number("maxclients")}`,
        `client_recent_max_input_buffer:${maxInput}`,
        `client_recent_max_output_buffer:${maxOutput}`,
        `blocked_clients:${server.blocking.blockedCount}`,
        `tracking_clients:${server.tracking.trackingClients}`,
        `clients_in_timeout_table:${server.blocking.inTimeoutTable}`,
      ];
    },
  },
  {
    name: "memory",
    defaultSection: true,
    lines(server) {
      const m = observersOf(server).memory.snapshot();
      const maxmemory = server.config.number("maxmemory");
      const netUsage = m.used > m.startup ? m.used - m.startup : 1;
      const system = totalmem();
      return [
        `used_memory:${m.used}`,
        `used_memory_human:${bytesToHuman(m.used)}`,
        `used_memory_rss:${m.rss}`,
        `used_memory_rss_human:${bytesToHuman(m.rss)}`,
        `used_memory_peak:${m.peak}`,
        `used_memory_peak_human:${bytesToHuman(m.peak)}`,
        `used_memory_peak_perc:${fixed(Math.fround((m.used * 100) / m.peak), 2)}%`,
        `used_memory_overhead:${m.overhead}`,
        `used_memory_startup:${m.startup}`,
        `used_memory_dataset:${m.dataset}`,
        `used_memory_dataset_perc:${fixed(Math.fround((m.dataset * 100) / netUsage), 2)}%`,
        `allocator_allocated:${m.allocatorAllocated}`,
        `allocator_active:${m.allocatorActive}`,
        `allocator_resident:${m.allocatorResident}`,
        `total_system_memory:${system}`,
        `total_system_memory_human:${bytesToHuman(system)}`,
        ...scriptingMemoryLines(server),
        `maxmemory:${maxmemory}`,
        `maxmemory_human:${bytesToHuman(maxmemory)}`,
        `maxmemory_policy:${server.config.string("maxmemory-policy")}`,
        `allocator_frag_ratio:${ratio(m.allocatorActive, m.allocatorAllocated)}`,
        `allocator_frag_bytes:${m.allocatorActive - m.allocatorAllocated}`,
        `allocator_rss_ratio:${ratio(m.allocatorResident, m.allocatorActive)}`,
        `allocator_rss_bytes:${m.allocatorResident - m.allocatorActive}`,
        `rss_overhead_ratio:${ratio(m.rss, m.allocatorResident)}`,
        `rss_overhead_bytes:${m.rss - m.allocatorResident}`,
        `mem_fragmentation_ratio:${ratio(m.rss, m.used)}`,
        `mem_fragmentation_bytes:${m.rss - m.used}`,
        // Redis exempts only replica and AOF buffers from maxmemory; nedis has neither.
        "mem_not_counted_for_evict:0",
        "mem_replication_backlog:0",
        "mem_total_replication_buffers:0",
        "mem_clients_slaves:0",
        `mem_clients_normal:${m.clientsNormal}`,
        "mem_cluster_links:0",
        "mem_aof_buffer:0",
        `mem_allocator:${m.allocatorName}`,
        "active_defrag_running:0",
        "lazyfree_pending_objects:0",
        "lazyfreed_objects:0",
      ];
    },
  },
  {
    name: "persistence",
    defaultSection: true,
    lines(server) {
      const rdb = rdbPersistenceOf(server);
      return [
        loadingInfoLine(server.aof),
        "async_loading:0",
        "current_cow_peak:0",
        "current_cow_size:0",
        "current_cow_size_age:0",
        // A forkless save has no copy-on-write; its progress is the snapshot walk's.
        `current_fork_perc:${rdb.keysTotal > 0 ? fixed((rdb.keysProcessed / rdb.keysTotal) * 100, 2) : "0.00"}`,
        `current_save_keys_processed:${rdb.keysProcessed}`,
        `current_save_keys_total:${rdb.keysTotal}`,
        `rdb_changes_since_last_save:${server.keyspace.dirty}`,
        `rdb_bgsave_in_progress:${rdb.bgsaveInProgress ? 1 : 0}`,
        // Like Redis, the data counts as saved at startup until a save happens.
        `rdb_last_save_time:${rdb.lastSave}`,
        `rdb_last_bgsave_status:${rdb.lastBgsaveOk ? "ok" : "err"}`,
        `rdb_last_bgsave_time_sec:${rdb.lastBgsaveTimeSec}`,
        `rdb_current_bgsave_time_sec:${rdb.currentBgsaveSeconds}`,
        `rdb_saves:${rdb.saves}`,
        "rdb_last_cow_size:0",
        `rdb_last_load_keys_expired:${rdb.lastLoadKeysExpired}`,
        `rdb_last_load_keys_loaded:${rdb.lastLoadKeysLoaded}`,
        ...aofInfoLines(server.aof),
        "module_fork_in_progress:0",
        "module_fork_last_cow_size:0",
        ...aofTailInfoLines(server.aof),
      ];
    },
  },
  {
    name: "stats",
    defaultSection: true,
    lines(server) {
      const traffic = observersOf(server).traffic;
      const { input, output } = traffic.totals();
      const rates = traffic.rates();
      const ks = server.keyspace.stats;
      return [
        `total_connections_received:${server.stats.totalConnectionsReceived}`,
        `total_commands_processed:${server.stats.totalCommandsProcessed}`,
        `instantaneous_ops_per_sec:${rates.opsPerSec}`,
        `total_net_input_bytes:${input}`,
        `total_net_output_bytes:${output}`,
        "total_net_repl_input_bytes:0",
        "total_net_repl_output_bytes:0",
        `instantaneous_input_kbps:${fixed(rates.inputKbps, 2)}`,
        `instantaneous_output_kbps:${fixed(rates.outputKbps, 2)}`,
        "instantaneous_input_repl_kbps:0.00",
        "instantaneous_output_repl_kbps:0.00",
        `rejected_connections:${server.stats.rejectedConnections}`,
        "sync_full:0",
        "sync_partial_ok:0",
        "sync_partial_err:0",
        `expired_keys:${ks.expiredKeys}`,
        `expired_stale_perc:${fixed(ks.expiredStalePerc, 2)}`,
        `expired_time_cap_reached_count:${ks.expiredTimeCapReachedCount}`,
        "expire_cycle_cpu_milliseconds:0",
        `evicted_keys:${ks.evictedKeys}`,
        "evicted_clients:0",
        `total_eviction_exceeded_time:${ks.totalEvictionExceededTime}`,
        "current_eviction_exceeded_time:0",
        `keyspace_hits:${ks.keyspaceHits}`,
        `keyspace_misses:${ks.keyspaceMisses}`,
        `pubsub_channels:${server.pubsub.channelCount}`,
        `pubsub_patterns:${server.pubsub.numpat()}`,
        `pubsubshard_channels:${server.pubsub.shardChannelCount}`,
        "latest_fork_usec:0",
        "total_forks:0",
        "migrate_cached_sockets:0",
        "slave_expires_tracked_keys:0",
        "active_defrag_hits:0",
        "active_defrag_misses:0",
        "active_defrag_key_hits:0",
        "active_defrag_key_misses:0",
        "total_active_defrag_time:0",
        "current_active_defrag_time:0",
        `tracking_total_keys:${server.tracking.keyCount}`,
        `tracking_total_items:${server.tracking.itemCount}`,
        `tracking_total_prefixes:${server.tracking.prefixCount}`,
        "unexpected_error_replies:0",
        `total_error_replies:${server.errorStats.total}`,
        "dump_payload_sanitizations:0",
        "total_reads_processed:0",
        "total_writes_processed:0",
        "io_threaded_reads_processed:0",
        "io_threaded_writes_processed:0",
        "reply_buffer_shrinks:0",
        "reply_buffer_expands:0",
      ];
    },
  },
  {
    name: "replication",
    defaultSection: true,
    lines(server) {
      const observers = observersOf(server);
      return [
        "role:master",
        "connected_slaves:0",
        "master_failover_state:no-failover",
        `master_replid:${observers.replid}`,
        `master_replid2:${observers.replid2}`,
        "master_repl_offset:0",
        "second_repl_offset:-1",
        "repl_backlog_active:0",
        `repl_backlog_size:${server.config.number("repl-backlog-size")}`,
        "repl_backlog_first_byte_offset:0",
        "repl_backlog_histlen:0",
      ];
    },
  },
  {
    name: "cpu",
    title: "CPU",
    defaultSection: true,
    lines() {
      const cpu = cpuUsage();
      const sys = fixed(cpu.system / 1e6, 6);
      const user = fixed(cpu.user / 1e6, 6);
      return [
        `used_cpu_sys:${sys}`,
        `used_cpu_user:${user}`,
        "used_cpu_sys_children:0.000000",
        "used_cpu_user_children:0.000000",
        // Node runs JavaScript on one thread; the process figures stand for the main thread.
        `used_cpu_sys_main_thread:${sys}`,
        `used_cpu_user_main_thread:${user}`,
      ];
    },
  },
  { name: "modules", defaultSection: true, lines: () => [] },
  {
    name: "commandstats",
    defaultSection: false,
    lines(server) {
      const out: string[] = [];
      const s = server.commandStats;
      const add = (id: number, name: string) => {
        const calls = s.calls[id] ?? 0;
        const rejected = s.rejected[id] ?? 0;
        const failed = s.failed[id] ?? 0;
        if (calls === 0 && rejected === 0 && failed === 0) return;
        const usec = Math.round(s.usec[id] ?? 0);
        const perCall = calls === 0 ? 0 : usec / calls;
        out.push(
          `cmdstat_${name}:calls=${calls},usec=${usec},usec_per_call=${fixed(Math.fround(perCall), 2)},rejected_calls=${rejected},failed_calls=${failed}`,
        );
      };
      for (const cmd of server.commands.commands) {
        add(cmd.id, cmd.name);
        for (const sub of cmd.subcommands ?? []) add(sub.id, `${cmd.name}|${sub.name}`);
      }
      return out;
    },
  },
  {
    name: "errorstats",
    defaultSection: true,
    lines(server) {
      const out: string[] = [];
      for (const [code, count] of server.errorStats.byCode) out.push(`errorstat_${code}:count=${count}`);
      return out;
    },
  },
  {
    name: "latencystats",
    defaultSection: false,
    lines(server) {
      if (!server.config.bool("latency-tracking")) return [];
      const histograms = observersOf(server).histograms;
      const percentiles = server.config.get<number[]>("latency-tracking-info-percentiles");
      const out: string[] = [];
      const add = (id: number, name: string) => {
        const h = histograms.of(id);
        if (h === undefined) return;
        const values = percentiles.map((p) => `p${formatPercentile(p)}=${fixed(h.valueAtPercentile(p) / 1000, 3)}`);
        out.push(`latency_percentiles_usec_${name}:${values.join(",")}`);
      };
      for (const cmd of server.commands.commands) {
        add(cmd.id, cmd.name);
        for (const sub of cmd.subcommands ?? []) add(sub.id, `${cmd.name}|${sub.name}`);
      }
      return out;
    },
  },
  { name: "cluster", defaultSection: true, lines: () => ["cluster_enabled:0"] },
  {
    name: "keyspace",
    defaultSection: true,
    lines(server) {
      const out: string[] = [];
      const now = Date.now();
      for (const db of server.keyspace.databases) {
        if (db.size === 0) continue;
        out.push(`db${db.id}:keys=${db.size},expires=${db.expires},avg_ttl=${db.averageTtl(now)}`);
      }
      return out;
    },
  },
];

/** Renders the chosen sections as INFO's text. */
export function renderInfo(server: ServerContext, names: readonly string[]): string {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const all = wanted.has("all") || wanted.has("everything");
  const useDefault = wanted.size === 0 || wanted.has("default");
  let text = "";
  for (const section of INFO_SECTIONS) {
    if (!(all || wanted.has(section.name) || (useDefault && section.defaultSection))) continue;
    if (text !== "") text += "\r\n";
    text += `# ${section.title ?? `${section.name[0]!.toUpperCase()}${section.name.slice(1)}`}\r\n`;
    for (const line of section.lines(server)) text += `${line}\r\n`;
  }
  return text;
}

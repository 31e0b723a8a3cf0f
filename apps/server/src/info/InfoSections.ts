import { cpuUsage, memoryUsage } from "node:process";
import type { ServerContext } from "../ServerContext.js";
import { NEDIS_VERSION, REDIS_VERSION } from "../version.js";

/**
 * INFO's sections, in Redis 7.0's order. Each builds its `field:value` lines from live state.
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
const RUN_ID = Array.from({ length: 40 }, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("");

export const INFO_SECTIONS: readonly InfoSection[] = [
  {
    name: "server",
    defaultSection: true,
    lines(server) {
      const hz = server.config.number("hz");
      return [
        `redis_version:${REDIS_VERSION}`,
        `nedis_version:${NEDIS_VERSION}`,
        "redis_git_sha1:00000000",
        "redis_git_dirty:0",
        "redis_build_id:0",
        "redis_mode:standalone",
        `os:${process.platform} ${process.arch}`,
        "arch_bits:64",
        "monotonic_clock:POSIX clock_gettime",
        "multiplexing_api:epoll",
        "atomicvar_api:c11-builtin",
        "gcc_version:0.0.0",
        `process_id:${process.pid}`,
        "process_supervised:no",
        `run_id:${RUN_ID}`,
        `tcp_port:${server.config.number("port")}`,
        `server_time_usec:${Date.now() * 1000}`,
        `uptime_in_seconds:${uptimeSeconds(server)}`,
        `uptime_in_days:${Math.floor(uptimeSeconds(server) / 86400)}`,
        `hz:${hz}`,
        `configured_hz:${hz}`,
        `lru_clock:${Math.floor(Date.now() / 1000) & 0xffffff}`,
        `executable:${process.argv[1] ?? ""}`,
        "config_file:",
        "io_threads_active:0",
        `node_version:${process.version}`,
      ];
    },
  },
  {
    name: "clients",
    defaultSection: true,
    lines(server) {
      return [
        `connected_clients:${server.clients.size}`,
        "cluster_connections:0",
        `maxclients:${server.config.number("maxclients")}`,
        "client_recent_max_input_buffer:0",
        "client_recent_max_output_buffer:0",
        "blocked_clients:0",
        "tracking_clients:0",
        "clients_in_timeout_table:0",
      ];
    },
  },
  {
    name: "memory",
    defaultSection: true,
    lines(server) {
      const mem = memoryUsage();
      const maxmemory = server.config.number("maxmemory");
      const used = mem.heapUsed + mem.external;
      return [
        `used_memory:${used}`,
        `used_memory_human:${human(used)}`,
        `used_memory_rss:${mem.rss}`,
        `used_memory_rss_human:${human(mem.rss)}`,
        `maxmemory:${maxmemory}`,
        `maxmemory_human:${human(maxmemory)}`,
        `maxmemory_policy:${server.config.string("maxmemory-policy")}`,
        `mem_fragmentation_ratio:${(mem.rss / Math.max(1, used)).toFixed(2)}`,
        "mem_allocator:nedis",
        "lazyfree_pending_objects:0",
      ];
    },
  },
  {
    name: "persistence",
    defaultSection: true,
    lines: () => [
      "loading:0",
      "async_loading:0",
      "rdb_changes_since_last_save:0",
      "rdb_bgsave_in_progress:0",
      "rdb_last_bgsave_status:ok",
      "aof_enabled:0",
      "aof_rewrite_in_progress:0",
    ],
  },
  {
    name: "stats",
    defaultSection: true,
    lines(server) {
      return [
        `total_connections_received:${server.stats.totalConnectionsReceived}`,
        `total_commands_processed:${server.stats.totalCommandsProcessed}`,
        `rejected_connections:${server.stats.rejectedConnections}`,
        `total_error_replies:${server.errorStats.total}`,
        "expired_keys:0",
        "evicted_keys:0",
      ];
    },
  },
  {
    name: "replication",
    defaultSection: true,
    lines: () => ["role:master", "connected_slaves:0", "master_failover_state:no-failover", `master_replid:${RUN_ID}`, "master_repl_offset:0"],
  },
  {
    name: "cpu",
    title: "CPU",
    defaultSection: true,
    lines() {
      const cpu = cpuUsage();
      return [
        `used_cpu_sys:${(cpu.system / 1e6).toFixed(6)}`,
        `used_cpu_user:${(cpu.user / 1e6).toFixed(6)}`,
        "used_cpu_sys_children:0.000000",
        "used_cpu_user_children:0.000000",
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
        out.push(`cmdstat_${name}:calls=${calls},usec=${usec},usec_per_call=${perCall.toFixed(2)},rejected_calls=${rejected},failed_calls=${failed}`);
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
  { name: "latencystats", defaultSection: false, lines: () => [] },
  { name: "cluster", defaultSection: true, lines: () => ["cluster_enabled:0"] },
  {
    name: "keyspace",
    defaultSection: true,
    lines(server) {
      const out: string[] = [];
      for (const db of server.keyspace.databases) {
        if (db.size > 0) out.push(`db${db.id}:keys=${db.size},expires=0,avg_ttl=0`);
      }
      return out;
    },
  },
];

/** Redis's `bytesToHuman`. */
export function human(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(2)}K`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(2)}M`;
  if (n < 1024 ** 4) return `${(n / 1024 ** 3).toFixed(2)}G`;
  return `${(n / 1024 ** 4).toFixed(2)}T`;
}

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

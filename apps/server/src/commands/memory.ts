import type { KvPoolStats } from "@nedis/allocators/kv-pool";
import { SharedReplies } from "@nedis/resp-codec";
import type { MemorySnapshot } from "../observe/MemoryReport.js";
import { runtimeMemoryLines } from "../observe/RuntimeMemory.js";
import { observersOf } from "../observe/ServerObservers.js";
import type { ServerContext } from "../ServerContext.js";
import { type CommandHandler, defineCommand } from "./CommandSpec.js";
import { replyHelp } from "./help.js";
import { memoryUsageSubcommand } from "./object.js";

const MEMORY_HELP = [
  "DOCTOR",
  "    Return memory problems reports.",
  "MALLOC-STATS",
  "    Return internal statistics report from the memory allocator.",
  "PURGE",
  "    Attempt to purge dirty pages for reclamation by the allocator.",
  "STATS",
  "    Return information about the memory usage of the server.",
  "USAGE <key> [SAMPLES <count>]",
  "    Return memory in bytes used by <key> and its value. Nested values are",
  "    sampled up to <count> times (default: 5, 0 means sample all).",
];

/** The derived figures of Redis's getMemoryOverheadData, as C computes them (float ratios). */
function overheadFigures(m: MemorySnapshot) {
  const netUsage = m.used > m.startup ? m.used - m.startup : 1;
  return {
    bytesPerKey: m.keys > 0 ? Math.floor(netUsage / m.keys) : 0,
    datasetPerc: Math.fround((m.dataset * 100) / netUsage),
    peakPerc: Math.fround((m.used * 100) / m.peak),
    allocatorFrag: Math.fround(m.allocatorActive / m.allocatorAllocated),
    allocatorFragBytes: m.allocatorActive - m.allocatorAllocated,
    allocatorRss: Math.fround(m.allocatorResident / m.allocatorActive),
    allocatorRssBytes: m.allocatorResident - m.allocatorActive,
    rssExtra: Math.fround(m.rss / m.allocatorResident),
    rssExtraBytes: m.rss - m.allocatorResident,
    totalFrag: Math.fround(m.rss / m.used),
    totalFragBytes: m.rss - m.used,
  };
}

/** MEMORY STATS: Redis's map, in its order; `db.<n>` entries for non-empty databases. */
const memoryStats: CommandHandler = (server, client) => {
  const m = observersOf(server).memory.snapshot();
  const f = overheadFigures(m);
  const dbs = server.keyspace.databases.filter((db) => db.size > 0);
  const w = client.writer;
  const int = (name: string, value: number) => {
    w.bulkString(name);
    w.integer(value);
  };
  const dbl = (name: string, value: number) => {
    w.bulkString(name);
    w.double(value);
  };
  w.mapHeader(27 + dbs.length);
  int("peak.allocated", m.peak);
  int("total.allocated", m.used);
  int("startup.allocated", m.startup);
  int("replication.backlog", 0);
  int("clients.slaves", 0);
  int("clients.normal", m.clientsNormal);
  int("cluster.links", 0);
  int("aof.buffer", 0);
  int("lua.caches", 0);
  int("functions.caches", 0);
  for (const db of dbs) {
    w.bulkString(`db.${db.id}`);
    w.mapHeader(3);
    // The keyspace's index tables are part of its own accounting, not a separate overhead.
    int("overhead.hashtable.main", 0);
    int("overhead.hashtable.expires", 0);
    int("overhead.hashtable.slot-to-keys", 0);
  }
  int("overhead.total", m.overhead);
  int("keys.count", m.keys);
  int("keys.bytes-per-key", f.bytesPerKey);
  int("dataset.bytes", m.dataset);
  dbl("dataset.percentage", f.datasetPerc);
  dbl("peak.percentage", f.peakPerc);
  int("allocator.allocated", m.allocatorAllocated);
  int("allocator.active", m.allocatorActive);
  int("allocator.resident", m.allocatorResident);
  dbl("allocator-fragmentation.ratio", f.allocatorFrag);
  int("allocator-fragmentation.bytes", f.allocatorFragBytes);
  dbl("allocator-rss.ratio", f.allocatorRss);
  int("allocator-rss.bytes", f.allocatorRssBytes);
  dbl("rss-overhead.ratio", f.rssExtra);
  int("rss-overhead.bytes", f.rssExtraBytes);
  dbl("fragmentation", f.totalFrag);
  int("fragmentation.bytes", f.totalFragBytes);
};

/** MEMORY DOCTOR: Redis's getMemoryDoctorReport, its thresholds and texts. */
function memoryDoctorReport(server: ServerContext): string {
  const m = observersOf(server).memory.snapshot();
  const f = overheadFigures(m);
  const MB10 = 10 << 20;
  if (m.used < 5 * 1024 * 1024) {
    return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
  }
  const issues: string[] = [];
  if (Math.fround(m.peak / m.used) > 1.5) {
    issues.push(
      " * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n",
    );
  }
  if (f.totalFrag > 1.4 && f.totalFragBytes > MB10) {
    issues.push(
      ` * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (this means that the Resident Set Size of the Redis process is much larger than the sum of the logical allocations Redis performed). This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. If the problem is a large peak memory, then there is no issue. Otherwise, make sure you are using the Jemalloc allocator and not the default libc malloc. Note: The currently used allocator is "${m.allocatorName}".\n\n`,
    );
  }
  if (f.allocatorFrag > 1.1 && f.allocatorFragBytes > MB10) {
    issues.push(
      " * High allocator fragmentation: This instance has an allocator external fragmentation greater than 1.1. This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. You can try enabling 'activedefrag' config option.\n\n",
    );
  }
  if (f.allocatorRss > 1.1 && f.allocatorRssBytes > MB10) {
    issues.push(
      " * High allocator RSS overhead: This instance has an RSS memory overhead is greater than 1.1 (this means that the Resident Set Size of the allocator is much larger than the sum what the allocator actually holds). This problem is usually due to a large peak memory (check if there is a peak memory entry above in the report), you can try the MEMORY PURGE command to reclaim it.\n\n",
    );
  }
  if (f.rssExtra > 1.1 && f.rssExtraBytes > MB10) {
    issues.push(
      " * High process RSS overhead: This instance has non-allocator RSS memory overhead is greater than 1.1 (this means that the Resident Set Size of the Redis process is much larger than the RSS the allocator holds). This problem may be due to Lua scripts or Modules.\n\n",
    );
  }
  if (m.clientsNormal / Math.max(1, server.clients.size) > 1024 * 200) {
    issues.push(
      " * Big client buffers: The clients output buffers in this instance are greater than 200K per client (on average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.\n\n",
    );
  }
  if (issues.length === 0) {
    return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
  }
  return `Sam, I detected a few issues in this Redis instance memory implants:\n\n${issues.join("")}I'm here to keep you safe, Sam. I want to help you.\n`;
}

/**
 * MEMORY MALLOC-STATS: the kv-pool's own report, then the V8 heap and the process's RSS (Redis
 * prints jemalloc's, or "not supported").
 */
function mallocStats(pool: KvPoolStats | null, runtime: string[]): string {
  if (pool === null) return `Stats not supported for the current allocator\n${runtime.join("\n")}\n`;
  const lines = [
    "___ Begin kv-pool statistics ___",
    `budget: ${pool.budget}`,
    `used: ${pool.usedBytes}, requested: ${pool.requestedBytes}, external: ${pool.externalBytes}, held: ${pool.heldBytes}`,
    `page size: ${pool.pageSize}, pages: ${pool.pages}, free pages: ${pool.freePages}, metadata: ${pool.metadataBytes}`,
    `live allocations: ${pool.liveAllocations}, large objects: ${pool.largeObjects} (${pool.largeBytes} bytes)`,
    `fragmentation ratio: ${pool.fragmentationRatio.toFixed(3)}`,
    "size classes:",
    "   index    slot size  slots/page     pages    live slots    free slots    used bytes",
  ];
  for (const c of pool.classes) {
    if (c.pages === 0 && c.liveSlots === 0) continue;
    lines.push(
      `${String(c.index).padStart(8)} ${String(c.slotSize).padStart(12)} ${String(c.slotsPerPage).padStart(11)} ` +
        `${String(c.pages).padStart(9)} ${String(c.liveSlots).padStart(13)} ${String(c.freeSlots).padStart(13)} ${String(c.usedBytes).padStart(13)}`,
    );
  }
  lines.push("--- End kv-pool statistics ---", ...runtime);
  return `${lines.join("\n")}\n`;
}

/** MEMORY DOCTOR | MALLOC-STATS | PURGE | STATS | USAGE | HELP (object.c). */
export const memorySubcommands = [
  memoryUsageSubcommand,
  defineCommand({ name: "doctor", handler: (server, client) => client.writer.verbatim(memoryDoctorReport(server)) }),
  defineCommand({
    name: "malloc-stats",
    handler: (server, client) =>
      client.writer.verbatim(mallocStats(observersOf(server).memory.snapshot().pool, runtimeMemoryLines(server))),
  }),
  defineCommand({
    name: "purge",
    handler: (_server, client) => {
      // V8 decides when to collect; with --expose-gc a full collection returns what it can.
      const gc: unknown = Reflect.get(globalThis, "gc");
      if (typeof gc === "function") gc();
      client.writer.raw(SharedReplies.ok);
    },
  }),
  defineCommand({ name: "stats", handler: memoryStats }),
  defineCommand({ name: "help", handler: (_server, client) => replyHelp(client, "MEMORY", MEMORY_HELP) }),
];

export const memoryCommands = [
  defineCommand({
    name: "memory",
    handler: () => {},
    subcommands: memorySubcommands,
  }),
];

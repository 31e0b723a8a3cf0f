import { readFileSync } from "node:fs";
import type { LatencyMonitor } from "./LatencyMonitor.js";

/** What the doctor reads besides the events (server state in latency.c's createLatencyReport). */
export interface LatencyDoctorContext {
  latencyMonitorThreshold: number;
  slowlogLogSlowerThan: number;
  hz: number;
  appendfsyncAlways: boolean;
}

const ADVICE = {
  betterVm:
    "- If you are using a virtual machine, consider upgrading it with a faster one using a hypervisior that provides less latency during fork() calls. Xen is known to have poor fork() performance. Even in the context of the same VM provider, certain kinds of instances can execute fork faster than others.\n",
  slowlogInspect:
    "- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n",
  scheduler:
    "- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n" +
    "  1) Lower the system load.\n" +
    "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n" +
    '  3) Check if you have a "noisy neighbour" problem.\n' +
    "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
    "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n",
  localDisk:
    "- It is strongly advised to use local disks for persistence, especially if you are using AOF. Remote disks provided by platform-as-a-service providers are known to be slow.\n",
  ssd: "- SSD disks are able to reduce fsync latency, and total time needed for snapshotting and AOF log rewriting (resulting in smaller memory usage and smaller final AOF rewrite buffer flushes). With extremely high write load SSD disks can be a good option. However Redis should perform reasonably with high load using normal disks. Use this advice as a last resort.\n",
  dataWriteback:
    "- Mounting ext3/4 filesystems with data=writeback can provide a performance boost compared to data=ordered, however this mode of operation provides less guarantees, and sometimes it can happen that after a hard crash the AOF file will have a half-written command at the end and will require to be repaired before Redis restarts.\n",
  diskContention:
    "- Try to lower the disk contention. This is often caused by other disk intensive processes running in the same computer (including other Redis instances).\n",
  noAppendfsync:
    "- Assuming from the point of view of data safety this is viable in your environment, you could try to enable the 'no-appendfsync-on-rewrite' option, so that fsync will not be performed while there is a child rewriting the AOF file or producing an RDB file (the moment where there is high disk contention).\n",
  relaxFsync:
    "- Your fsync policy is set to 'always'. It is very hard to get good performances with such a setup, if possible try to relax the fsync policy to 'onesec'.\n",
  writeLoadInfo:
    "- Latency during the AOF atomic rename operation or when the final difference is flushed to the AOF file at the end of the rewrite, sometimes is caused by very high write load, causing the AOF buffer to get very large. If possible try to send less commands to accomplish the same work, or use Lua scripts to group multiple operations into a single EVALSHA call.\n",
  hz: "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n",
  largeObjects:
    "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n",
  massEviction:
    "- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n",
  disableThp:
    "- I detected a non zero amount of anonymous huge pages used by your process. This creates very serious latency events in different conditions, especially when Redis is persisting on disk. To disable THP support use the command 'echo never > /sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so that the command will be executed again after a reboot. Note that even if you have already disabled THP, you still need to restart the Redis process to get rid of the huge pages already created.\n",
} as const;

type Advice = keyof typeof ADVICE | "slowlogEnabled" | "slowlogTuning";

/** Event names whose advices mirror latency.c's per-event rules. */
const EVENT_ADVICE: Record<string, readonly Advice[]> = {
  "fast-command": ["scheduler"],
  "aof-write-pending-fsync": ["localDisk", "diskContention", "ssd", "dataWriteback"],
  "aof-write-active-child": ["noAppendfsync", "dataWriteback", "ssd"],
  "aof-write-alone": ["localDisk", "dataWriteback", "ssd"],
  "aof-fsync-always": ["relaxFsync"],
  "aof-fstat": ["diskContention", "localDisk"],
  "rdb-unlink-temp-file": ["diskContention", "localDisk"],
  "aof-rewrite-diff-write": ["writeLoadInfo", "dataWriteback", "ssd", "localDisk"],
  "aof-rename": ["writeLoadInfo", "dataWriteback", "ssd", "localDisk"],
  "expire-cycle": ["hz", "largeObjects"],
  "eviction-del": ["largeObjects"],
  "eviction-cycle": ["massEviction"],
};

/** LATENCY DOCTOR's report (latency.c's createLatencyReport), word for word. */
export function latencyDoctorReport(monitor: LatencyMonitor, ctx: LatencyDoctorContext): string {
  if (monitor.events.size === 0 && ctx.latencyMonitorThreshold === 0) {
    return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
  }
  const advise = new Set<Advice>();
  let advices = 0;
  let report = "";
  let eventnum = 0;
  for (const [event, ts] of monitor.events) {
    eventnum++;
    if (eventnum === 1) {
      report +=
        "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
    }
    const ls = monitor.analyze(event);
    report += `${eventnum}. ${event}: ${ls.samples} latency spikes (average ${ls.avg}ms, mean deviation ${ls.mad}ms, period ${(ls.period / ls.samples).toFixed(2)} sec). Worst all time event ${ts.max}ms.`;
    const name = event.toLowerCase();
    if (name === "command") {
      if (ctx.slowlogLogSlowerThan < 0) {
        advise.add("slowlogEnabled");
        advices++;
      } else if (Math.trunc(ctx.slowlogLogSlowerThan / 1000) > ctx.latencyMonitorThreshold) {
        advise.add("slowlogTuning");
        advices++;
      }
      advise.add("slowlogInspect");
      advise.add("largeObjects");
      advices += 2;
    }
    for (const a of EVENT_ADVICE[name] ?? []) advise.add(a);
    advices += EVENT_ADVICE[name]?.length ?? 0;
    report += "\n";
  }
  if (anonHugePagesBytes() > 0) {
    advise.add("disableThp");
    advices++;
  }
  if (eventnum === 0 && advices === 0) {
    return `${report}Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n`;
  }
  if (eventnum > 0 && advices === 0) {
    return `${report}\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n`;
  }
  report += "\nI have a few advices for you:\n\n";
  const threshold = ctx.latencyMonitorThreshold * 1000;
  if (advise.has("betterVm")) report += ADVICE.betterVm;
  if (advise.has("slowlogEnabled")) {
    report += `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${threshold}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`;
  }
  if (advise.has("slowlogTuning")) {
    report += `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${threshold}'.\n`;
  }
  for (const a of [
    "slowlogInspect",
    "scheduler",
    "localDisk",
    "ssd",
    "dataWriteback",
    "diskContention",
    "noAppendfsync",
  ] as const) {
    if (advise.has(a)) report += ADVICE[a];
  }
  if (advise.has("relaxFsync") && ctx.appendfsyncAlways) report += ADVICE.relaxFsync;
  if (advise.has("writeLoadInfo")) report += ADVICE.writeLoadInfo;
  if (advise.has("hz") && ctx.hz < 100) report += ADVICE.hz;
  for (const a of ["largeObjects", "massEviction", "disableThp"] as const) {
    if (advise.has(a)) report += ADVICE[a];
  }
  return report;
}

/**
 * THPGetAnonHugePagesSize: AnonHugePages of this process (Linux), 0 elsewhere or when unknown.
 * The rollup file is one small read instead of walking every mapping.
 */
function anonHugePagesBytes(): number {
  for (const file of ["/proc/self/smaps_rollup", "/proc/self/smaps"]) {
    try {
      const text = readFileSync(file, "latin1");
      let kb = 0;
      for (const m of text.matchAll(/^AnonHugePages:\s+(\d+) kB/gm)) kb += Number(m[1]);
      return kb * 1024;
    } catch {
      // Not Linux, or not readable: try the next source.
    }
  }
  return 0;
}

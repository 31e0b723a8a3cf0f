import type { AofState } from "../persistence/AofState.js";

/** INFO persistence's `loading:` line. */
export function loadingInfoLine(aof: AofState): string {
  return `loading:${aof.loading === null ? 0 : 1}`;
}

/** The aof_* lines of INFO persistence, as Redis 7.0 prints them (before `module_fork_*`). */
export function aofInfoLines(aof: AofState): string[] {
  const rw = aof.rewriter;
  return [
    `aof_enabled:${aof.enabled || aof.waitRewrite ? 1 : 0}`,
    `aof_rewrite_in_progress:${rw.inProgress ? 1 : 0}`,
    `aof_rewrite_scheduled:${rw.scheduled ? 1 : 0}`,
    `aof_last_rewrite_time_sec:${rw.lastRewriteTimeSec}`,
    `aof_current_rewrite_time_sec:${rw.currentSeconds}`,
    `aof_last_bgrewrite_status:${rw.lastRewriteOk ? "ok" : "err"}`,
    `aof_rewrites:${rw.rewrites}`,
    `aof_rewrites_consecutive_failures:${rw.failures}`,
    `aof_last_write_status:${aof.writerInfo?.writeFailed ? "err" : "ok"}`,
    "aof_last_cow_size:0",
  ];
}

/** The lines Redis appends at the end of the section: AOF sizes when on, progress while loading. */
export function aofTailInfoLines(aof: AofState): string[] {
  const lines: string[] = [];
  const writer = aof.writerInfo;
  // Printed while `appendonly` is on, also while the first rewrite is awaited (no file open yet).
  if (aof.enabled || aof.waitRewrite) {
    lines.push(
      `aof_current_size:${aof.currentSize}`,
      `aof_base_size:${aof.baseSizeAfterRewrite}`,
      `aof_pending_rewrite:${aof.rewriter.scheduled ? 1 : 0}`,
      `aof_buffer_length:${writer?.pending ?? 0}`,
      "aof_pending_bio_fsync:0",
      `aof_delayed_fsync:${writer?.delayedFsyncs ?? 0}`,
    );
  }
  const loading = aof.loading;
  if (loading !== null) {
    const perc = loading.totalBytes === 0 ? 0 : (loading.loadedBytes * 100) / loading.totalBytes;
    const elapsed = Math.floor(Date.now() / 1000) - Math.floor(loading.startTime / 1000);
    const eta =
      elapsed === 0
        ? 1
        : Math.floor((elapsed * (loading.totalBytes - loading.loadedBytes)) / (loading.loadedBytes + 1));
    lines.push(
      `loading_start_time:${Math.floor(loading.startTime / 1000)}`,
      `loading_total_bytes:${loading.totalBytes}`,
      "loading_rdb_used_mem:0",
      `loading_loaded_bytes:${loading.loadedBytes}`,
      `loading_loaded_perc:${perc.toFixed(2)}`,
      `loading_eta_seconds:${eta}`,
    );
  }
  return lines;
}

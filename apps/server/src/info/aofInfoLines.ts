import type { AofState } from "../persistence/AofState.js";

/** INFO persistence's `loading:` line. */
export function loadingInfoLine(aof: AofState): string {
  return `loading:${aof.loading === null ? 0 : 1}`;
}

/** The aof_* lines of INFO persistence, as Redis 7.0 prints them (before `module_fork_*`). */
export function aofInfoLines(aof: AofState): string[] {
  return [
    `aof_enabled:${aof.enabled ? 1 : 0}`,
    "aof_rewrite_in_progress:0",
    "aof_rewrite_scheduled:0",
    `aof_last_rewrite_time_sec:${aof.lastRewriteTimeSec}`,
    "aof_current_rewrite_time_sec:-1",
    `aof_last_bgrewrite_status:${aof.lastRewriteOk ? "ok" : "err"}`,
    `aof_rewrites:${aof.rewrites}`,
    `aof_rewrites_consecutive_failures:${aof.rewriteFailures}`,
    `aof_last_write_status:${aof.writerInfo?.writeFailed ? "err" : "ok"}`,
    "aof_last_cow_size:0",
  ];
}

/** The lines Redis appends at the end of the section: AOF sizes when on, progress while loading. */
export function aofTailInfoLines(aof: AofState): string[] {
  const lines: string[] = [];
  const writer = aof.writerInfo;
  if (aof.enabled && writer !== null) {
    lines.push(
      `aof_current_size:${aof.currentSize}`,
      `aof_base_size:${aof.baseSizeAfterRewrite}`,
      "aof_pending_rewrite:0",
      `aof_buffer_length:${writer.pending}`,
      "aof_pending_bio_fsync:0",
      `aof_delayed_fsync:${writer.delayedFsyncs}`,
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

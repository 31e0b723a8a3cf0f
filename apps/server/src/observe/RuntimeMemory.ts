import { readFileSync } from "node:fs";
import { getHeapSpaceStatistics, getHeapStatistics } from "node:v8";
import type { ServerContext } from "../ServerContext.js";
import { existingFunctions } from "../scripting/functions/serverFunctions.js";
import { existingLuaScripting } from "../scripting/LuaScripting.js";

/**
 * What the process's resident memory is made of beyond the keyspace: the kernel's split of RSS
 * (anonymous vs. file-backed — mostly the node binary's pages, shared between processes), the
 * V8 heap by space, memory outside the heap, and whether a Lua engine exists. MEMORY
 * MALLOC-STATS prints it after the kv-pool's report (bench/idleRss.mjs reads it). Not a hot path.
 */
export function runtimeMemoryLines(server: ServerContext): string[] {
  const lines = ["___ Begin V8 and process statistics ___"];
  const status = procStatus();
  if (status !== null) {
    lines.push(`rss: ${status.rss}, rss anon: ${status.anon}, rss file: ${status.file}, threads: ${status.threads}`);
  }
  const heap = getHeapStatistics();
  const usage = process.memoryUsage();
  lines.push(
    `heap physical: ${heap.total_physical_size}, heap used: ${heap.used_heap_size}, heap committed: ${heap.total_heap_size}`,
    `external: ${usage.external}, array buffers: ${usage.arrayBuffers}, malloced by V8: ${heap.malloced_memory}`,
    "heap spaces (physical / used):",
  );
  for (const space of getHeapSpaceStatistics()) {
    if (space.physical_space_size === 0) continue;
    lines.push(`  ${space.space_name}: ${space.physical_space_size} / ${space.space_used_size}`);
  }
  const eval_ = existingLuaScripting(server);
  const functions = existingFunctions(server);
  lines.push(
    `lua eval engine: ${eval_ === undefined ? "not created" : `${eval_.memoryUsed()} bytes`}, ` +
      `lua functions engine: ${functions === undefined ? "not created" : `${functions.engine.memoryUsed()} bytes`}`,
    "--- End V8 and process statistics ---",
  );
  return lines;
}

interface ProcStatus {
  rss: number;
  anon: number;
  file: number;
  threads: number;
}

/** VmRSS, RssAnon, RssFile (bytes) and Threads of /proc/self/status; null off Linux. */
function procStatus(): ProcStatus | null {
  let text: string;
  try {
    text = readFileSync("/proc/self/status", "latin1");
  } catch {
    return null;
  }
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(text);
    return match === null ? 0 : Number(match[1]) * (name === "Threads" ? 1 : 1024);
  };
  return { rss: field("VmRSS"), anon: field("RssAnon"), file: field("RssFile"), threads: field("Threads") };
}

import { memoryUsage } from "node:process";
import type { KvPoolStats } from "@nedis/allocators/kv-pool";
import type { ServerContext } from "../ServerContext.js";
import { existingLuaScripting } from "../scripting/LuaScripting.js";
import { fixed } from "./printf.js";

/**
 * What the keyspace may offer for memory accounting. The kv-pool keyspace exposes these; the
 * fields are optional so INFO and MEMORY STATS also work over a keyspace without them (then
 * the V8 heap stands in for the allocator).
 */
interface KeyspaceMemoryView {
  readonly usedMemory?: number;
  readonly pool?: { stats(): KvPoolStats };
}

/** One consistent reading of the server's memory, shared by INFO memory and MEMORY STATS. */
export interface MemorySnapshot {
  /** Redis's `used_memory`: the keyspace's bytes (the maxmemory budget's measure) plus client buffers. */
  used: number;
  rss: number;
  peak: number;
  startup: number;
  /** Query and output buffers of normal clients (`mem_clients_normal`). */
  clientsNormal: number;
  /** `used_memory_overhead`: startup + clients. */
  overhead: number;
  dataset: number;
  keys: number;
  /** `allocator_allocated` / `_active` / `_resident`: the kv-pool's, or the V8 heap's. */
  allocatorAllocated: number;
  allocatorActive: number;
  allocatorResident: number;
  allocatorName: string;
  pool: KvPoolStats | null;
}

/** Keyspace bytes as maxmemory counts them, or the V8 heap when the keyspace has no pool. */
function keyspaceBytes(server: ServerContext): number {
  const used = (server.keyspace as unknown as KeyspaceMemoryView).usedMemory;
  if (typeof used === "number") return used;
  const mem = memoryUsage();
  return mem.heapUsed + mem.external;
}

function clientsMemory(server: ServerContext): number {
  let total = 0;
  for (const c of server.clients.values()) total += c.bufferBytes();
  return total;
}

/** Tracks the startup baseline and the peak of `used_memory` (Redis's `stat_peak_memory`). */
export class MemoryTracker {
  readonly startup: number;
  private peakBytes: number;

  constructor(private readonly server: ServerContext) {
    this.startup = keyspaceBytes(server);
    this.peakBytes = this.startup;
  }

  /** Client buffers as of the last snapshot: sampling between snapshots must not walk every client. */
  private lastClientsMemory = 0;

  /**
   * Notes the current usage for the peak (Redis samples it after each command and in its cron).
   * Cheap: the keyspace's own counter plus the client memory last measured.
   */
  sample(): void {
    const used = keyspaceBytes(this.server) + this.lastClientsMemory + scriptsMemory(this.server);
    if (used > this.peakBytes) this.peakBytes = used;
  }

  get peak(): number {
    return this.peakBytes;
  }

  /** A reading of every figure; also updates the peak. */
  snapshot(): MemorySnapshot {
    const server = this.server;
    const clientsNormal = clientsMemory(server);
    this.lastClientsMemory = clientsNormal;
    const scripts = scriptsMemory(server);
    const used = keyspaceBytes(server) + clientsNormal + scripts;
    if (used > this.peakBytes) this.peakBytes = used;
    const mem = memoryUsage();
    const pool = (server.keyspace as unknown as KeyspaceMemoryView).pool?.stats() ?? null;
    const overhead = this.startup + clientsNormal + scripts;
    return {
      used,
      rss: mem.rss,
      peak: this.peakBytes,
      startup: this.startup,
      clientsNormal,
      overhead,
      dataset: Math.max(0, used - overhead),
      keys: server.keyspace.keyCount,
      // The pool's charges outside its pages (index tables, objects) count as held as well.
      allocatorAllocated: pool !== null ? pool.usedBytes : mem.heapUsed + mem.external,
      allocatorActive: pool !== null ? pool.heldBytes + pool.externalBytes : mem.heapTotal + mem.external,
      allocatorResident: pool !== null ? pool.heldBytes + pool.externalBytes : mem.rss,
      allocatorName: pool !== null ? "kv-pool" : "v8",
      pool,
    };
  }
}

/** The EVAL script cache (Redis counts it in `used_memory`, as overhead); 0 before the first script. */
function scriptsMemory(server: ServerContext): number {
  return existingLuaScripting(server)?.scriptsMemory ?? 0;
}

/** Redis's `bytesToHuman`. */
export function bytesToHuman(n: number): string {
  const fmt = (v: number) => fixed(v, 2);
  if (n < 1024) return `${n}B`;
  if (n < 1024 ** 2) return `${fmt(n / 1024)}K`;
  if (n < 1024 ** 3) return `${fmt(n / 1024 ** 2)}M`;
  if (n < 1024 ** 4) return `${fmt(n / 1024 ** 3)}G`;
  if (n < 1024 ** 5) return `${fmt(n / 1024 ** 4)}T`;
  if (n < 1024 ** 6) return `${fmt(n / 1024 ** 5)}P`;
  return `${n}B`;
}

import { readFileSync } from "node:fs";
import { FixedPool, isPoolFull, MAX_POOL_LIMIT, type PoolHandle } from "@nedis/allocators/fixed-pool";
import type { ConfigStore } from "../config/ConfigStore.js";
import type { Logger } from "../Logger.js";

/** File descriptors Redis keeps for itself beside the clients (`CONFIG_MIN_RESERVED_FDS`). */
const RESERVED_FDS = 32;

/** A client slot: the id of the connection holding it (0 while free). */
interface Slot {
  clientId: number;
}

/**
 * The connections a server may hold at once: one slot of a fixed-capacity pool per client, the
 * pool sized by `maxclients`. Accepting takes a slot or refuses the connection
 * (`-ERR max number of clients reached`); closing gives it back. Like Redis, `maxclients` is
 * bounded by the process's open-file limit: at startup it is lowered to fit (with Redis's log
 * lines), and `CONFIG SET maxclients` above it is refused.
 */
export class ClientSlots {
  private readonly pool: FixedPool<Slot>;
  private readonly byClient = new Map<number, PoolHandle>();
  private readonly fileLimit: number;

  constructor(config: ConfigStore, log: Logger, fileLimit = openFilesLimit()) {
    this.fileLimit = fileLimit;
    const requested = config.number("maxclients");
    const allowed = this.fit(requested);
    if (allowed < requested) {
      log.warning(
        `You requested maxclients of ${requested} requiring at least ${requested + RESERVED_FDS} max file descriptors.`,
      );
      log.warning(
        `Server can't set maximum open files to ${requested + RESERVED_FDS} because of OS error: Operation not permitted.`,
      );
      log.warning(
        `Current maximum open files is ${fileLimit}. maxclients has been reduced to ${allowed} to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.`,
      );
      config.set("maxclients", [String(allowed)]);
    }
    this.pool = new FixedPool<Slot>({ limit: allowed, create: () => ({ clientId: 0 }), preallocate: false });
    config.onChange("maxclients", (value) => {
      const wanted = Number(value);
      const fits = this.fit(wanted);
      if (fits < wanted)
        return `The operating system is not able to handle the specified number of clients, try with ${fits}`;
      this.pool.setLimit(wanted);
      return undefined;
    });
  }

  /** The most clients the open-file limit allows for `wanted`. */
  private fit(wanted: number): number {
    return Math.max(1, Math.min(wanted, this.fileLimit - RESERVED_FDS, MAX_POOL_LIMIT));
  }

  /** Clients connected now. */
  get live(): number {
    return this.pool.liveCount;
  }

  /** Most clients at once (`maxclients` as applied). */
  get limit(): number {
    return this.pool.limit;
  }

  /** Takes a slot for a new connection; null when `maxclients` are connected. */
  acquire(): PoolHandle | null {
    const handle = this.pool.acquire();
    return isPoolFull(handle) ? null : handle;
  }

  /** Records which client holds a slot taken by {@link acquire}. */
  assign(handle: PoolHandle, clientId: number): void {
    this.pool.get(handle)!.clientId = clientId;
    this.byClient.set(clientId, handle);
  }

  /** Gives back a slot that no client took (the connection was refused after all). */
  release(handle: PoolHandle): void {
    this.pool.release(handle);
  }

  /** Gives back the slot of a closed client (nothing if it held none). */
  releaseClient(clientId: number): void {
    const handle = this.byClient.get(clientId);
    if (handle === undefined) return;
    this.byClient.delete(clientId);
    this.pool.get(handle)!.clientId = 0;
    this.pool.release(handle);
  }
}

/**
 * RLIMIT_NOFILE of this process (Node raises the soft limit to the hard one at startup), from
 * /proc on Linux; unbounded where it cannot be read.
 */
export function openFilesLimit(): number {
  try {
    const line = readFileSync("/proc/self/limits", "latin1")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const soft = line?.slice("Max open files".length).trim().split(/\s+/)[0];
    if (soft === undefined || soft === "unlimited") return Number.MAX_SAFE_INTEGER;
    const n = Number(soft);
    return Number.isFinite(n) && n > 0 ? n : Number.MAX_SAFE_INTEGER;
  } catch {
    return Number.MAX_SAFE_INTEGER;
  }
}

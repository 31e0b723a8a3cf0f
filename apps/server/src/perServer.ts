import type { ServerContext } from "./ServerContext.js";

/**
 * One instance of a subsystem per server, made on first use (Redis keeps these in its global
 * `server` struct). The last server asked about is remembered beside the WeakMap: commands ask
 * on every call, and a comparison is cheaper than a WeakMap lookup.
 */
export class PerServer<T> {
  private readonly instances = new WeakMap<ServerContext, T>();
  private lastServer: ServerContext | null = null;
  private lastInstance: T | undefined = undefined;

  constructor(private readonly create: (server: ServerContext) => T) {}

  /** The instance of `server`, made now if it has none. */
  of(server: ServerContext): T {
    if (server === this.lastServer) return this.lastInstance as T;
    let instance = this.instances.get(server);
    if (instance === undefined) {
      instance = this.create(server);
      this.instances.set(server, instance);
    }
    this.lastServer = server;
    this.lastInstance = instance;
    return instance;
  }

  /** The instance of `server` if one was made (INFO must not make one). */
  existing(server: ServerContext): T | undefined {
    return server === this.lastServer ? this.lastInstance : this.instances.get(server);
  }
}

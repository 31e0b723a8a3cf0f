import type { Client } from "../net/Client.js";

/** Key bytes as a binary string: the registry is a cold path next to the keyspace. */
function keyOf(buf: Uint8Array, off: number, len: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + off, len).toString("latin1");
}

/**
 * Which clients WATCH which keys (Redis's `db->watched_keys`). A touched key marks every
 * watcher's transaction as failed (CLIENT_DIRTY_CAS). Costs nothing while no one watches.
 */
export class WatchRegistry {
  private readonly byDb = new Map<number, Map<string, Set<Client>>>();
  private watchers = 0;

  /** True while any client watches a key: the keyspace hook can bail out early otherwise. */
  get active(): boolean {
    return this.watchers > 0;
  }

  watch(client: Client, db: number, buf: Uint8Array, off: number, len: number): void {
    const key = keyOf(buf, off, len);
    if (client.watched.some((w) => w.db === db && w.key === key)) return;
    let keys = this.byDb.get(db);
    if (keys === undefined) this.byDb.set(db, (keys = new Map()));
    let clients = keys.get(key);
    if (clients === undefined) keys.set(key, (clients = new Set()));
    clients.add(client);
    client.watched.push({ db, key });
    this.watchers++;
  }

  unwatchAll(client: Client): void {
    for (const { db, key } of client.watched) {
      const keys = this.byDb.get(db);
      const clients = keys?.get(key);
      if (clients === undefined) continue;
      clients.delete(client);
      this.watchers--;
      if (clients.size === 0) keys!.delete(key);
      if (keys!.size === 0) this.byDb.delete(db);
    }
    client.watched.length = 0;
    client.dirtyCas = false;
  }

  /** Redis's `touchWatchedKey`: the key was modified. */
  touch(db: number, buf: Uint8Array, off: number, len: number): void {
    const clients = this.byDb.get(db)?.get(keyOf(buf, off, len));
    if (clients !== undefined) for (const c of clients) c.dirtyCas = true;
  }

  /**
   * Redis's `touchAllWatchedKeysInDb`: on FLUSHDB/FLUSHALL/SWAPDB, watched keys of `db` that
   * exist (as told by `exists`, asked before the flush) are touched.
   */
  touchDb(db: number, exists: (key: Uint8Array) => boolean): void {
    const keys = this.byDb.get(db);
    if (keys === undefined) return;
    for (const [key, clients] of keys) {
      if (!exists(Buffer.from(key, "latin1"))) continue;
      for (const c of clients) c.dirtyCas = true;
    }
  }

  /** Keys watched in `db`, for callers that must decide per key (SWAPDB). */
  watchedKeys(db: number): IterableIterator<string> | undefined {
    return this.byDb.get(db)?.keys();
  }
}

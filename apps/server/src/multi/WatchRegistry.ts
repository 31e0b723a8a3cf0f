import type { Client } from "../net/Client.js";

/** Key bytes as a binary string: the registry is a cold path next to the keyspace. */
function keyOf(buf: Uint8Array, off: number, len: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + off, len).toString("latin1");
}

/** A key's physical state, as Redis's `dictFind` + `keyIsExpired` see it (no lazy expiry). */
export const KeyState = { Absent: 0, Live: 1, Expired: 2 } as const;
export type KeyState = (typeof KeyState)[keyof typeof KeyState];

/** One client's WATCH of one key (Redis's `watchedKey`). */
interface Watch {
  /** The key was already logically expired when watched: its deletion is no change. */
  expired: boolean;
}

/**
 * Which clients WATCH which keys (Redis's `db->watched_keys`). A touched key marks every
 * watcher's transaction as failed (CLIENT_DIRTY_CAS). Costs nothing while no one watches.
 * Keys watched while already expired follow Redis 7.0's stale-key rules (`multi.c`).
 */
export class WatchRegistry {
  private readonly byDb = new Map<number, Map<string, Map<Client, Watch>>>();
  private watchers = 0;
  /** Looks a key up without expiring it; set by the keyspace wiring. */
  keyState: (db: number, key: Buffer) => KeyState = () => KeyState.Absent;

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
    if (clients === undefined) keys.set(key, (clients = new Map()));
    clients.set(client, { expired: this.keyState(db, Buffer.from(key, "latin1")) === KeyState.Expired });
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

  /** Redis's `isWatchedKeyExpired`, checked by EXEC: a key live when watched has expired since. */
  watchedKeyExpired(client: Client): boolean {
    for (const { db, key } of client.watched) {
      const w = this.byDb.get(db)?.get(key)?.get(client);
      if (w === undefined || w.expired) continue;
      if (this.keyState(db, Buffer.from(key, "latin1")) === KeyState.Expired) return true;
    }
    return false;
  }

  /** Redis's `touchWatchedKey`: the key was modified. */
  touch(db: number, buf: Uint8Array, off: number, len: number): void {
    const key = keyOf(buf, off, len);
    const clients = this.byDb.get(db)?.get(key);
    if (clients === undefined) return;
    for (const [c, w] of clients) {
      if (w.expired) {
        // A stale key's deletion (lazy or active expiry, DEL) changes nothing logically.
        if (this.keyState(db, Buffer.from(key, "latin1")) === KeyState.Absent) w.expired = false;
        continue;
      }
      c.dirtyCas = true;
    }
  }

  /**
   * Redis's `touchAllWatchedKeysInDb`: `db` is emptied (FLUSHDB/FLUSHALL) or, for SWAPDB, its
   * content replaced. `emptied` tells whether a key was present in the outgoing content and
   * `replaced` its state in the incoming one (null for a flush). Both see expired keys as present.
   */
  touchDb(db: number, emptied: (key: Buffer) => boolean, replaced: ((key: Buffer) => KeyState) | null): void {
    const keys = this.byDb.get(db);
    if (keys === undefined) return;
    for (const [key, clients] of keys) {
      const bytes = Buffer.from(key, "latin1");
      const wasThere = emptied(bytes);
      const incoming = replaced === null ? KeyState.Absent : replaced(bytes);
      if (!wasThere && incoming === KeyState.Absent) continue;
      for (const [c, w] of clients) {
        if (w.expired) {
          // Expired key now gone: no logical change. Expired replaced by expired: none either.
          if (incoming === KeyState.Absent) {
            w.expired = false;
            continue;
          }
          if (incoming === KeyState.Expired) continue;
        } else if (!wasThere && incoming === KeyState.Expired) {
          // A missing key replaced by an expired one is still logically missing.
          w.expired = true;
          continue;
        }
        c.dirtyCas = true;
      }
    }
  }

  /** Keys watched in `db`, for callers that must decide per key (SWAPDB). */
  watchedKeys(db: number): IterableIterator<string> | undefined {
    return this.byDb.get(db)?.keys();
  }
}

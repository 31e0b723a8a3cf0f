import {
  KeyspaceNotifier, NOTIFY_EVICTED, NOTIFY_EXPIRED, NOTIFY_GENERIC, NOTIFY_HASH, NOTIFY_KEY_MISS, NOTIFY_LIST,
  NOTIFY_LOADED, NOTIFY_MODULE, NOTIFY_NEW, NOTIFY_SET, NOTIFY_STREAM, NOTIFY_STRING, NOTIFY_ZSET,
} from "@nedis/pubsub";
import type { ServerContext } from "../ServerContext.js";

/** The keyspace reports an event's class by its `notify-keyspace-events` letter. */
const CLASS_BITS: Record<string, number> = {
  g: NOTIFY_GENERIC, $: NOTIFY_STRING, l: NOTIFY_LIST, s: NOTIFY_SET, h: NOTIFY_HASH, z: NOTIFY_ZSET,
  x: NOTIFY_EXPIRED, e: NOTIFY_EVICTED, t: NOTIFY_STREAM, m: NOTIFY_KEY_MISS, n: NOTIFY_NEW,
  d: NOTIFY_MODULE, L: NOTIFY_LOADED,
};

/**
 * Connects the keyspace's change hooks to what the server layers on top: WATCH (a touched key
 * fails EXEC), client-side caching invalidations, and keyspace notifications published through
 * the pub/sub hub (`notify-keyspace-events`). Notifications cost nothing while the flags are 0.
 */
export function installKeyspaceHooks(server: ServerContext): void {
  const ks = server.keyspace;
  const notifier = new KeyspaceNotifier(server.pubsub, 0);
  const onNotify = (type: string, event: string, db: number, key: Uint8Array, off: number, len: number): void => {
    const bit = CLASS_BITS[type];
    if (bit === undefined || (notifier.flags & bit) === 0) return;
    notifier.notifyKeyspaceEvent(bit, event, key.subarray(off, off + len), db);
  };
  const applyFlags = (flags: number): void => {
    notifier.flags = flags;
    ks.onNotify = flags === 0 ? null : onNotify;
  };
  applyFlags(server.config.get<number>("notify-keyspace-events"));
  server.config.onChange("notify-keyspace-events", (value) => applyFlags(value as number));

  ks.onKeyModified = (db, key, off, len) => {
    if (server.watches.active) server.watches.touch(db, key, off, len);
    if (server.tracking.active) server.tracking.invalidateKey(server.currentClient, key.subarray(off, off + len));
  };
  // Redis's touchAllWatchedKeysInDb: watched keys that exist when their db is emptied are touched.
  ks.onBeforeFlush = (db) => {
    if (!server.watches.active) return;
    for (let d = db === -1 ? 0 : db; d <= (db === -1 ? ks.databases.length - 1 : db); d++) {
      const database = ks.db(d);
      server.watches.touchDb(d, (key) => database.exists(key, 0, key.length));
    }
  };
  ks.onFlush = () => {
    if (server.tracking.active) server.tracking.invalidateAll(server.currentClient);
  };
  ks.onSwapDb = (a, b) => {
    // After the swap, a watched key of either db was touched if it now exists in either db.
    if (!server.watches.active) return;
    const existsIn = (key: Uint8Array) => ks.db(a).exists(key, 0, key.length) || ks.db(b).exists(key, 0, key.length);
    server.watches.touchDb(a, existsIn);
    server.watches.touchDb(b, existsIn);
  };
}
